"""An FOI request to closure (AG11.3), as the people involved drive it: a
maintenance caseworker logs the letter they received for the FOI team, the
FOI team sees it on its queue with its age and 20-working-day deadline
(cmsctl foi list), it goes overdue the day after the deadline, and the team
records the response, which closes it.

The session's server is shared and its clock only moves forward, so every
date is computed from AdminService.GetClock, never written down."""

import datetime
import json

import grpc

from cms_client import common_pb2, foi_pb2
from business_day import advance_to, date_msg, to_london_midday, today
from cms_e2e import cmsctl, raises_code


def _json(got):
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout)


def test_an_foi_request_from_intake_to_its_response(cms_server, cms):
    to_london_midday(cms)
    received = today(cms)
    cw = cms.as_user("cw.gb.maintenance.a1")

    # Intake without an address is refused, naming both address fields.
    bad = foi_pb2.CreateFoiRequestRequest(
        country=common_pb2.COUNTRY_GB, requester_full_name="Jane Q Public",
        channel=foi_pb2.FOI_CHANNEL_LETTER, received_date=date_msg(received),
        request_text="How many liability orders were made in 2026?",
        personal_data=foi_pb2.FOI_PERSONAL_DATA_NONE)
    with raises_code(grpc.StatusCode.INVALID_ARGUMENT) as refused:
        cw.foi.CreateFoiRequest(bad)
    assert "postal_address" in str(refused.value)

    bad.postal_address = "1 High Street, Leeds LS1 1AA"
    logged = cw.foi.CreateFoiRequest(bad)
    assert logged.handling == foi_pb2.FOI_HANDLING_FOI_ACT
    due = datetime.date(logged.response_due_date.year, logged.response_due_date.month,
                        logged.response_due_date.day)
    # 20 working days: four weeks at least, less a weekend received on.
    assert due.weekday() < 5 and (due - received).days >= 26, (received, due)

    # The FOI team's queue, through cmsctl; other staff see none of it.
    queue = _json(cmsctl(cms_server, "foi", "list", "--state", "OPEN", "--output", "json",
                         user="cw.gb.foi.a1"))
    mine = [r for r in queue["requests"] if r["id"] == str(logged.id)]
    assert len(mine) == 1 and not mine[0].get("overdue"), queue
    assert not _json(cmsctl(cms_server, "foi", "list", "--output", "json",
                            user="cw.gb.maintenance.a1")).get("requests")

    # On the deadline it is in time; the day after, overdue on the queue.
    advance_to(cms, due)
    foi = cms.as_user("cw.gb.foi.a1")
    got = foi.foi.GetFoiRequest(foi_pb2.GetFoiRequestRequest(id=logged.id))
    assert not got.overdue
    advance_to(cms, due + datetime.timedelta(days=1))
    overdue = _json(cmsctl(cms_server, "foi", "list", "--overdue", "--output", "json",
                           user="cw.gb.foi.a1"))
    assert str(logged.id) in [r["id"] for r in overdue["requests"]], overdue

    # The response closes it.
    closed = _json(cmsctl(cms_server, "foi", "respond", str(logged.id), "--response",
                          "The figures for 2026, by region, sent by post", "--output", "json",
                          user="cw.gb.foi.a1"))
    assert closed["state"] == "FOI_STATE_CLOSED", closed
    assert closed["responded_by"] == "cw.gb.foi.a1"
