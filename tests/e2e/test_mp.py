"""An MP's case enquiry to closure (AG11.4), as the people involved drive it
through cmsctl: a maintenance caseworker takes the MP's hotline call and
logs it for the government relations team; the team sees it on its queue
with its age and 20-working-day deadline (cmsctl mp list), validates it (the
constituent is a party of the case named), which asks the case's owning
segment for input through an MP Enquiry Input SR; the owner gives its input
in the SR and closes it; the team answers the MP and its team leader closes
the enquiry, after which nothing more is accepted.

The session's server is shared and its clock only moves forward, so every
date is computed from AdminService.GetClock, never written down."""

import datetime
import json

from cms_client import catalog_pb2
from cms_client import service_request_pb2 as sr_pb2
import cms_client
from business_day import advance_to, owner_staff, to_london_midday, today
from cms_e2e import application, cmsctl, person

GR = "cw.gb.government_relations.a1"
GR_LEADER = "tl.gb.government_relations.a"
HOTLINE = "cw.gb.maintenance.a1"


def _json(got):
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout)


def _give_input(owner, sr_id, note):
    """The case's owner works the input SR: its plan done, its input in a
    note, closed."""
    srs = owner.service_requests
    sr = srs.GetServiceRequest(sr_pb2.GetServiceRequestRequest(id=sr_id))
    sr = srs.ChangeServiceRequestStatus(sr_pb2.ChangeServiceRequestStatusRequest(
        request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag,
        status=catalog_pb2.SR_STATUS_IN_PROGRESS))
    for activity in list(sr.activities):
        sr = srs.UpdateActivity(sr_pb2.UpdateActivityRequest(
            request_id=cms_client.new_request_id(), service_request_id=sr.id, etag=sr.etag,
            activity_id=activity.id, status=sr_pb2.ACTIVITY_STATUS_DONE))
    srs.AddNote(sr_pb2.AddNoteRequest(
        request_id=cms_client.new_request_id(), subject=sr_pb2.NOTE_SUBJECT_SERVICE_REQUEST,
        subject_id=sr.id, text=note))
    sr = srs.GetServiceRequest(sr_pb2.GetServiceRequestRequest(id=sr_id))
    return srs.ChangeServiceRequestStatus(sr_pb2.ChangeServiceRequestStatusRequest(
        request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag,
        status=catalog_pb2.SR_STATUS_CLOSED, resolution_code="Input Provided"))


def test_an_mp_case_enquiry_from_intake_to_closure(cms_server, cms):
    to_london_midday(cms)
    received = today(cms)
    app = cms.as_user("cw.gb.new_case.a1").casegroups.CreateApplication(
        application(person("LS1 1AA", given="Paying"), person("LS2 2BB", given="Receiving")))
    constituent = app.case.receiving_parent_id

    # The hotline's intake: a case enquiry without its case is refused,
    # naming the field; with it, logged for the team.
    intake = ["mp", "create", "--country", "GB", "--kind", "CASE_ENQUIRY", "--channel",
              "REGIONAL_HOTLINE", "--mp-name", "Alex Member", "--constituency", "Leeds Central",
              "--constituent", "Receiving Tester", "--person", str(constituent), "--question",
              "Why has my constituent received nothing since the application?", "--received",
              received.isoformat(), "--output", "json"]
    bad = cmsctl(cms_server, *intake, user=HOTLINE)
    assert bad.returncode == 1 and "case_id" in bad.stderr and "AG11.4" in bad.stderr, bad.stderr
    logged = _json(cmsctl(cms_server, *intake, "--case", str(app.case.id), user=HOTLINE))
    assert logged["state"] == "MP_ENQUIRY_STATE_RECEIVED", logged
    assert logged["logged_by"] == HOTLINE
    due = datetime.date(**logged["response_due_date"])
    # 20 working days: four weeks at least, less a weekend received on.
    assert due.weekday() < 5 and (due - received).days >= 26, (received, due)
    enquiry = logged["id"]

    # The team's queue, through cmsctl; other staff see none of it.
    queue = _json(cmsctl(cms_server, "mp", "list", "--state", "RECEIVED", "--kind",
                         "CASE_ENQUIRY", "--output", "json", user=GR))
    assert [e["id"] for e in queue["enquiries"]].count(enquiry) == 1, queue
    assert not _json(cmsctl(cms_server, "mp", "list", "--output", "json",
                            user=HOTLINE)).get("enquiries")

    # Validated: the case's owner is asked for input through an SR.
    validated = _json(cmsctl(cms_server, "mp", "validate", enquiry, "--output", "json", user=GR))
    assert validated["state"] == "MP_ENQUIRY_STATE_VALIDATED", validated
    sr_id = int(validated["input_service_request_id"])
    owner_cw, _ = owner_staff(cms, app.casegroup.id)
    owner = cms.as_user(owner_cw)
    sr = owner.service_requests.GetServiceRequest(sr_pb2.GetServiceRequestRequest(id=sr_id))
    assert sr.type_code == "MP_ENQUIRY_INPUT" and sr.created_by_rule == "AG11.4"
    assert sr.owning_segment_id == app.casegroup.owning_segment_id
    assert sr.fields["MP Enquiry"] == enquiry

    # The answer waits for the input.
    early = cmsctl(cms_server, "mp", "answer", enquiry, "--answer", "Soon.", user=GR)
    assert early.returncode == 1 and "FAILED_PRECONDITION" in early.stderr, early.stderr
    assert "AG11.4" in early.stderr

    # Three days on the business clock, the owner gives its input.
    advance_to(cms, received + datetime.timedelta(days=3))
    _give_input(owner, sr_id, "The application is with New Case; the calculation is due Friday.")
    shown = _json(cmsctl(cms_server, "mp", "get", enquiry, "--output", "json", user=GR))
    assert shown["input_received"] and shown["input_outcome"] == "Input Provided", shown
    assert any("calculation is due Friday" in n["text"] for n in shown["input_notes"]), shown
    assert shown["age_days"] == 3

    answered = _json(cmsctl(cms_server, "mp", "answer", enquiry, "--answer",
                            "The calculation is being completed this week; the first payment "
                            "follows within a month.", "--output", "json", user=GR))
    assert answered["state"] == "MP_ENQUIRY_STATE_ANSWERED", answered
    assert answered["answered_by"] == GR and not answered.get("overdue")
    closed = _json(cmsctl(cms_server, "mp", "close", enquiry, "--output", "json",
                          user=GR_LEADER))
    assert closed["state"] == "MP_ENQUIRY_STATE_CLOSED" and closed["closed_by"] == GR_LEADER
    kinds = [h["kind"] for h in closed["history"]]
    assert kinds == ["MP_ENQUIRY_EVENT_KIND_" + k for k in (
        "LOGGED", "VALIDATED", "INPUT_REQUESTED", "INPUT_RECEIVED", "ANSWERED", "CLOSED")], kinds

    # Closed is final: a further answer is refused naming the rule.
    again = cmsctl(cms_server, "mp", "answer", enquiry, "--answer", "Again.", user=GR)
    assert again.returncode == 1 and "AG11.4" in again.stderr and "closed" in again.stderr
