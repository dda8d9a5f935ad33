"""A Q&A round (AG11.2), as the people involved drive it through cmsctl:
a New Case caseworker's work happens (SRs created and closed, an approval
decided by the team leader), Q&A draws a seeded sample of that case's work
over the day (the same seed draws the same items again), records the
checks (one FAIL), gives the caseworker feedback and a corrective action,
the caseworker reads them and completes the action, and the team leader's
coaching view shows the failed criterion against that caseworker; another
team's leader is refused it.

The session's server is shared and its clock only moves forward, so every
date is computed from AdminService.GetClock, and the coaching counts are
compared with the view before the round."""

import datetime
import json

import cms_client
from cms_client import approval_pb2, bom_pb2, catalog_pb2, service_request_pb2 as sr_pb2
from business_day import to_london_midday, today
from cms_e2e import application, cmsctl, person

CW = "cw.gb.new_case.a1"
TL = "tl.gb.new_case.a"
OTHER_TL = "tl.gb.new_case.b"
QA = "cw.gb.quality_and_assurance.a1"


def _json(got):
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout)


def _sr(cw, app, type_code, **fields):
    return cw.service_requests.CreateServiceRequest(sr_pb2.CreateServiceRequestRequest(
        request_id=cms_client.new_request_id(), type_code=type_code,
        casegroup_id=app.casegroup.id, case_id=app.case.id,
        source=sr_pb2.SR_SOURCE_CASEWORKER, fields=fields)).service_request


def _move(client, sr, status, **kw):
    return client.service_requests.ChangeServiceRequestStatus(
        sr_pb2.ChangeServiceRequestStatusRequest(
            request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag, status=status, **kw))


def _procedure_failures(coaching, staff):
    for c in coaching.get("caseworkers", []):
        if c["staff_id"] == staff:
            failures = {f["criterion"]: f.get("failures", 0) for f in c["failed_criteria"]}
            return c.get("checks", 0), failures["ASSURANCE_CRITERION_PROCEDURE_FOLLOWED"]
    raise AssertionError(f"{staff} is not in the coaching view: {coaching}")


def test_a_qa_round_from_sample_to_coaching(cms_server, cms):
    to_london_midday(cms)
    day = today(cms)
    period = ["--from", day.isoformat(), "--to", (day + datetime.timedelta(days=1)).isoformat()]
    cw = cms.as_user(CW)
    tl = cms.as_user(TL)
    team = cms.bom.GetStaffMember(bom_pb2.GetStaffMemberRequest(staff_id=CW)).team_id

    # The work: a change of address worked to its close, a change of income
    # left open, and a DEO cancellation approved by the team leader.
    app = cw.casegroups.CreateApplication(application(person("LS1 4AP"), person("LS2 9JT")))
    address = _sr(cw, app, "CHANGE_OF_ADDRESS")
    address = _move(cw, address, catalog_pb2.SR_STATUS_IN_PROGRESS)
    for a in list(address.activities):
        address = cw.service_requests.UpdateActivity(sr_pb2.UpdateActivityRequest(
            request_id=cms_client.new_request_id(), service_request_id=address.id,
            etag=address.etag, activity_id=a.id, status=sr_pb2.ACTIVITY_STATUS_DONE))
    address = _move(cw, address, catalog_pb2.SR_STATUS_CLOSED, resolution_code="Address Updated")
    income = _sr(cw, app, "CHANGE_INCOME")
    mopf = _move(cw, _sr(cw, app, "AMEND_EXISTING_MOPF", **{"MOPF Action": "Cancel DEO"}),
                 catalog_pb2.SR_STATUS_IN_PROGRESS)
    approval = cw.approvals.SubmitForApproval(approval_pb2.SubmitForApprovalRequest(
        request_id=cms_client.new_request_id(), service_request_id=mopf.id, etag=mopf.etag,
        step="DEO cancellation", comment="PP pays by direct debit now"))
    tl.approvals.DecideApproval(approval_pb2.DecideApprovalRequest(
        request_id=cms_client.new_request_id(), approval_id=approval.id,
        decision=approval_pb2.APPROVAL_STATE_APPROVED, comment="Direct debit seen"))

    coaching = ["assurance", "coaching", "--team", str(team), *period, "--output", "json"]
    checks_before, failures_before = _procedure_failures(_json(cmsctl(cms_server, *coaching,
                                                                      user=TL)), CW)

    # Q&A draws every item of the case's work that day (100%), seeded: the
    # same seed draws the same items again, and a size sample is reproducible.
    draw = ["assurance", "sample", "--seed", "e2e-qa-round", *period,
            "--kinds", "SERVICE_REQUEST,ACTIVITY,DECISION", "--case", str(app.case.id)]
    sample = _json(cmsctl(cms_server, *draw, "--rate-ppm", "1000000", "--output", "json",
                          user=QA))
    items = {(i["kind"], i["item_id"]): i for i in sample["items"]}
    assert ("ASSURANCE_ITEM_KIND_SERVICE_REQUEST", str(income.id)) in items, sample
    assert ("ASSURANCE_ITEM_KIND_SERVICE_REQUEST", str(address.id)) in items, sample
    decisions = {i.get("decision_type") for i in sample["items"]
                 if i["kind"] == "ASSURANCE_ITEM_KIND_DECISION"}
    assert {"BUSINESS_DECISION_TYPE_SR_RESOLUTION",
            "BUSINESS_DECISION_TYPE_APPROVAL"} <= decisions, decisions
    assert sum(i["kind"] == "ASSURANCE_ITEM_KIND_ACTIVITY" for i in sample["items"]) >= 2
    three = [_json(cmsctl(cms_server, *draw, "--size", "3", "--output", "json", user=QA))
             for _ in range(2)]
    assert [i["item_id"] for i in three[0]["items"]] == [i["item_id"] for i in three[1]["items"]]
    assert three[0]["id"] != three[1]["id"]

    # Open checks: the sample's items, oldest first.
    open_items = _json(cmsctl(cms_server, "assurance", "checks", "--open", "--sample",
                              sample["id"], "--output", "json", user=QA))
    assert len(open_items["open_items"]) == len(sample["items"]), open_items

    # The checks: the change of income FAILs on procedure, the closed SR passes.
    income_item = items[("ASSURANCE_ITEM_KIND_SERVICE_REQUEST", str(income.id))]
    failed = _json(cmsctl(cms_server, "assurance", "check", income_item["id"], "--cash", "PASS",
                          "--procedure", "FAIL", "--procedure-comment",
                          "Income changed without the payslips", "--handling",
                          "NOT_APPLICABLE", "--output", "json", user=QA))
    assert failed["outcome"] == "ASSURANCE_RESULT_FAIL" and failed["caseworker"] == CW, failed
    address_item = items[("ASSURANCE_ITEM_KIND_SERVICE_REQUEST", str(address.id))]
    passed = _json(cmsctl(cms_server, "assurance", "check", address_item["id"], "--cash", "PASS",
                          "--procedure", "PASS", "--handling", "PASS", "--output", "json",
                          user=QA))
    assert passed["outcome"] == "ASSURANCE_RESULT_PASS", passed
    # A check is not changed: a second one is refused (a FAIL without why, too).
    again = cmsctl(cms_server, "assurance", "check", income_item["id"], "--cash", "PASS",
                   "--procedure", "PASS", "--handling", "PASS", user=QA)
    assert again.returncode == 1 and "AG11.2" in again.stderr, again.stderr
    no_reason = cmsctl(cms_server, "assurance", "check", address_item["id"], "--cash", "FAIL",
                       "--procedure", "PASS", "--handling", "PASS", user=QA)
    assert no_reason.returncode == 1 and "results[0].comment" in no_reason.stderr, no_reason.stderr
    # Only Q&A checks.
    refused = cmsctl(cms_server, "assurance", "check", address_item["id"], "--cash", "PASS",
                     "--procedure", "PASS", "--handling", "PASS", user=CW)
    assert refused.returncode == 1 and "PERMISSION_DENIED" in refused.stderr, refused.stderr

    # Feedback and a corrective action on the failed check, to the caseworker.
    fb = _json(cmsctl(cms_server, "assurance", "feedback", failed["id"], "--text",
                      "Ask for the last three payslips before changing income.",
                      "--output", "json", user=QA))
    assert fb["caseworker"] == CW
    due = (day + datetime.timedelta(days=3)).isoformat()
    action = _json(cmsctl(cms_server, "assurance", "action", failed["id"], "--description",
                          "Redo the change of income with evidence", "--due", due,
                          "--output", "json", user=QA))
    assert action["assigned_to"] == CW and action["state"] == "CORRECTIVE_ACTION_STATE_OPEN"

    # The caseworker reads both and completes the action.
    mine = _json(cmsctl(cms_server, "assurance", "feedback-list", "--output", "json", user=CW))
    assert fb["id"] in [f["id"] for f in mine["feedback"]], mine
    actions = _json(cmsctl(cms_server, "assurance", "actions", "--mine", "--open",
                           "--output", "json", user=CW))
    assert action["id"] in [a["id"] for a in actions["actions"]], actions
    done = _json(cmsctl(cms_server, "assurance", "action-done", action["id"], "--note",
                        "Payslips obtained; income re-entered", "--output", "json", user=CW))
    assert done["state"] == "CORRECTIVE_ACTION_STATE_DONE" and done["completed_by"] == CW

    # The team leader's coaching view: one more check of the caseworker's
    # work, and one more PROCEDURE_FOLLOWED failure.
    checks_after, failures_after = _procedure_failures(_json(cmsctl(cms_server, *coaching,
                                                                    user=TL)), CW)
    assert (checks_after, failures_after) == (checks_before + 2, failures_before + 1)
    table = cmsctl(cms_server, "assurance", "coaching", "--team", str(team), *period, user=TL)
    assert table.returncode == 0 and "PROCEDURE_FOLLOWED" in table.stdout, table.stderr
    other = cmsctl(cms_server, *coaching, user=OTHER_TL)
    assert other.returncode == 1 and "AG11.2" in other.stderr, other.stderr
