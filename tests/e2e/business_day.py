"""The business clock as the e2e scenarios drive it (T8.1), and the set-up
steps several journeys share (not a test module).

The session's server is shared and its clock only moves forward, so a
scenario computes every date from AdminService.GetClock and moves the clock
in whole days from London midday, never across midnight by accident."""

import datetime
import time
from zoneinfo import ZoneInfo

import cms_client
from cms_client import admin_pb2, bom_pb2, casegroup_pb2 as cg, catalog_pb2
from cms_client import service_request_pb2 as sr_pb2

LONDON = ZoneInfo("Europe/London")  # business dates are London calendar days (T8.1)
UTC = datetime.timezone.utc


def eventually(read, done, seconds=10):
    """Calls `read` until `done(result)` holds (or `seconds` pass); the last result."""
    deadline = time.monotonic() + seconds
    while True:
        got = read()
        if done(got) or time.monotonic() > deadline:
            return got
        time.sleep(0.05)


def now(cms):
    clock = cms.admin.GetClock(admin_pb2.GetClockRequest())
    return datetime.datetime.fromtimestamp(clock.now.seconds, tz=UTC).astimezone(LONDON)


def today(cms):
    return now(cms).date()


def settle(cms, seconds=30):
    """Waits until no timer is overdue (the daily missed-payment job catching
    up, missed-payment events, SR wake-ups, procedure timers)."""
    eventually(lambda: cms.admin.GetTimerStats(admin_pb2.GetTimerStatsRequest()),
               lambda stats: stats.overdue == 0, seconds)


def to_london_midday(cms):
    """Forward (at most a day) to 10:00-14:00 London, so that whole days of
    advance never cross midnight, daylight saving or not."""
    current = now(cms)
    if 10 <= current.hour < 14:
        return
    target = current.replace(hour=12, minute=0, second=0, microsecond=0)
    if target <= current:
        target += datetime.timedelta(days=1)
    # Aware datetimes in one zone subtract as wall times: compare in UTC.
    seconds = int((target.astimezone(UTC) - current.astimezone(UTC)).total_seconds())
    cms.admin.AdvanceClock(admin_pb2.AdvanceClockRequest(by=cms_client.duration(seconds=seconds)))
    settle(cms)


def advance_to(cms, day):
    """Moves business time forward to `day` (same time of day) and settles."""
    days = (day - today(cms)).days
    assert days >= 0, f"the clock is already past {day}"
    if days:
        cms.admin.AdvanceClock(admin_pb2.AdvanceClockRequest(by=cms_client.duration(days=days)))
    assert today(cms) == day
    settle(cms)


def date_msg(d):
    """datetime.date -> cms.v1.Date."""
    return cms_client.date(d.year, d.month, d.day)


def day_of(msg):
    """cms.v1.Date -> datetime.date."""
    return datetime.date(msg.year, msg.month, msg.day)


def owner_staff(cms, casegroup_id):
    """A caseworker of the segment that owns the casegroup now, and the
    team leader of their team (demo BOM ids: cw.<c>.<k>.a1, tl.<c>.<k>.a)."""
    group = cms.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=casegroup_id))
    staff = cms.bom.ListStaff(bom_pb2.ListStaffRequest(segment_id=group.owning_segment_id,
                                                       page_size=1000)).staff
    ids = {s.staff_id for s in staff}
    cw = sorted(i for i in ids if i.startswith("cw.") and i.endswith(".a1"))[0]
    tl = "tl." + cw[len("cw."):-1]
    assert tl in ids, (tl, ids)
    return cw, tl


def mopf_sr(cw, app):
    """An Amend Existing MOPF SR on the application's case, IN_PROGRESS (M7.2)."""
    sr = cw.service_requests.CreateServiceRequest(sr_pb2.CreateServiceRequestRequest(
        request_id=cms_client.new_request_id(), type_code="AMEND_EXISTING_MOPF",
        casegroup_id=app.casegroup.id, case_id=app.case.id, source=sr_pb2.SR_SOURCE_CASEWORKER,
        fields={"MOPF Action": "Set up"})).service_request
    return cw.service_requests.ChangeServiceRequestStatus(sr_pb2.ChangeServiceRequestStatusRequest(
        request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag,
        status=catalog_pb2.SR_STATUS_IN_PROGRESS))
