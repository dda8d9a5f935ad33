"""Health, the business clock and its permissions."""

import datetime

import grpc

import cms_client
from cms_client import admin_pb2
from cms_e2e import raises_code

DAY = datetime.timedelta(days=1)
SLACK = datetime.timedelta(seconds=60)  # the test clock keeps ticking in real time


def _now(clock):
    return clock.now.ToDatetime()


def test_health_is_serving(cms):
    # DESIGN 10: the server exposes gRPC health.
    resp = cms.health.Check(cms_client.HealthCheckRequest())
    assert resp.status == cms_client.health_pb2.SERVING


def test_get_clock_is_open_to_everyone(cms):
    # T8.1: one business clock; GetClock is open to every staff member.
    clock = cms.admin.GetClock(admin_pb2.GetClockRequest())
    assert clock.test_clock, "the e2e server runs with --test_clock"
    assert clock.now.seconds > 0
    cw_clock = cms.as_user("cw.gb.new_case.a1").admin.GetClock(admin_pb2.GetClockRequest())
    assert abs(_now(cw_clock) - _now(clock)) < SLACK


def test_advance_clock_moves_business_time_by_14_days(cms):
    # T8.1: in test mode an admin RPC advances the clock.
    before = cms.admin.GetClock(admin_pb2.GetClockRequest())
    advanced = cms.admin.AdvanceClock(admin_pb2.AdvanceClockRequest(by=cms_client.duration(days=14)))
    after = cms.admin.GetClock(admin_pb2.GetClockRequest())
    moved = _now(advanced) - _now(before)
    assert 14 * DAY <= moved < 14 * DAY + SLACK, moved
    assert _now(after) >= _now(advanced)
    assert _now(after) - _now(before) < 14 * DAY + SLACK


def test_caseworker_may_not_advance_clock(cms):
    # T8.1 / X13.1: SetClock and AdvanceClock need SERVICE_MANAGEMENT.
    cw = cms.as_user("cw.gb.new_case.a1")
    before = cms.admin.GetClock(admin_pb2.GetClockRequest())
    with raises_code(grpc.StatusCode.PERMISSION_DENIED) as e:
        cw.admin.AdvanceClock(admin_pb2.AdvanceClockRequest(by=cms_client.duration(days=14)))
    assert e.value.info is not None, "every non-OK status carries an ErrorInfo (X13.5)"
    after = cms.admin.GetClock(admin_pb2.GetClockRequest())
    assert _now(after) - _now(before) < DAY, "a refused AdvanceClock must not move the clock"


def test_unknown_token_and_unknown_staff_are_refused(cms, cms_server):
    # X13.1: every call is made by an authenticated client on behalf of a named person.
    stranger = cms_client.connect(cms_server.address, "not-a-known-token", "svc.manager")
    try:
        with raises_code(grpc.StatusCode.UNAUTHENTICATED):
            stranger.admin.GetClock(admin_pb2.GetClockRequest())
    finally:
        stranger.close()
    with raises_code(grpc.StatusCode.PERMISSION_DENIED):
        cms.as_user("no.such.person").admin.GetClock(admin_pb2.GetClockRequest())
