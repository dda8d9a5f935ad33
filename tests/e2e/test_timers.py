"""Durable timers end to end (T8.1, T8.2, SR5.9): a harness puts an SR in
WAIT for 7 days, plays 14 days on the test clock, and finds the SR back IN
PROGRESS with the system's note, with nothing left overdue."""

import time

import cms_client
from cms_client import admin_pb2, catalog_pb2, service_request_pb2 as sr_pb2
from cms_e2e import application, person


def _move(client, sr, status, **kw):
    return client.service_requests.ChangeServiceRequestStatus(
        sr_pb2.ChangeServiceRequestStatusRequest(
            request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag, status=status, **kw))


def test_fourteen_days_on_the_test_clock_wake_a_seven_day_wait(cms):
    cw = cms.as_user("cw.gb.new_case.a1")
    app = cw.casegroups.CreateApplication(application(person("LS1 1UR"), person("LS2 7EY")))
    sr = cw.service_requests.CreateServiceRequest(sr_pb2.CreateServiceRequestRequest(
        request_id=cms_client.new_request_id(), type_code="ARREARS_REVIEW",
        casegroup_id=app.casegroup.id, case_id=app.case.id, source=sr_pb2.SR_SOURCE_CASEWORKER,
        fields={"Reason": "Arrears Routing Logic"})).service_request
    sr = _move(cw, sr, catalog_pb2.SR_STATUS_IN_PROGRESS)
    sr = _move(cw, sr, catalog_pb2.SR_STATUS_WAIT, wait_days=7)
    assert sr.status == catalog_pb2.SR_STATUS_WAIT and sr.wake_date.year > 0

    cms.admin.AdvanceClock(admin_pb2.AdvanceClockRequest(by=cms_client.duration(days=14)))

    # The advance wakes the sweeper at once; allow a few sweep intervals.
    deadline = time.monotonic() + 10
    while True:
        sr = cw.service_requests.GetServiceRequest(sr_pb2.GetServiceRequestRequest(id=sr.id))
        if sr.status == catalog_pb2.SR_STATUS_IN_PROGRESS or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert sr.status == catalog_pb2.SR_STATUS_IN_PROGRESS
    assert not sr.HasField("wake_date")
    notes = cw.service_requests.ListNotes(sr_pb2.ListNotesRequest(
        subject=sr_pb2.NOTE_SUBJECT_SERVICE_REQUEST, subject_id=sr.id))
    assert [(n.author, n.text) for n in notes.notes] == [("system", "Wait period ended (SR5.9)")]

    # Other timers came due in the same 14 days (e.g. the daily
    # missed-payment job catching up day by day, AR10.1): wait for them too.
    deadline = time.monotonic() + 10
    while True:
        stats = cms.admin.GetTimerStats(admin_pb2.GetTimerStatsRequest())
        if stats.overdue == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert stats.overdue == 0 and stats.failed == 0
