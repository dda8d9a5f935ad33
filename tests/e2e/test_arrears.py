"""Arrears, consider action, as a harness drives it on the business clock
(AR10.1-AR10.8, T8.1), read back through the Python client and cmsctl: an
employed PP who stops paying their direct debit, from the first missed
collection to the DEO the ladder recommends; and a self-employed PP from
disclosure to a liability order and ENFORCEMENT.

The session's server is shared and its clock only moves forward, so every
date is computed from AdminService.GetClock, never written down."""

import datetime
import json

import cms_client
from cms_client import admin_pb2, approval_pb2, arrears_pb2 as ar, casegroup_pb2 as cg
from cms_client import payment_pb2 as pay, service_request_pb2 as sr_pb2
from business_day import (advance_to, date_msg, day_of, eventually, mopf_sr, owner_staff,
                          to_london_midday, today)
from cms_e2e import application, cmsctl, person

EMPLOYER = "Bradford Bobbins Ltd"
WEEKLY_PENCE = 5000


def _action(cms, case_id):
    return cms.arrears.GetArrearsAction(ar.GetArrearsActionRequest(case_id=case_id))


def _recommend(cms, case_id):
    return cms.arrears.GetArrearsRecommendation(
        ar.GetArrearsRecommendationRequest(case_id=case_id))


def _sr(cms, sr_id):
    return cms.service_requests.GetServiceRequest(sr_pb2.GetServiceRequestRequest(id=sr_id))


def test_employed_pp_from_missed_payments_to_a_deo(cms_server, cms):
    to_london_midday(cms)
    start = today(cms)
    pp = person("BD1 1AA")
    pp.employment_status = cg.EMPLOYMENT_STATUS_EMPLOYED  # no employer on record
    intake = cms.as_user("cw.gb.new_case.a1")
    app = intake.casegroups.CreateApplication(application(pp, person("BD2 1AA")))
    cw = cms.as_user(owner_staff(cms, app.casegroup.id)[0])
    sr = mopf_sr(cw, app)
    cw.payments.SetMopf(pay.SetMopfRequest(
        request_id=cms_client.new_request_id(), casegroup_id=app.casegroup.id,
        service_request_id=sr.id, start_date=date_msg(start),
        methods=[pay.MopfMethod(method=pay.PAYMENT_METHOD_DD, share_percent=100)]))
    cw = cms.as_user(owner_staff(cms, app.casegroup.id)[0])
    cw.payments.GenerateSchedule(pay.GenerateScheduleRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id,
        weekly_liability_pence=WEEKLY_PENCE, frequency=pay.FREQUENCY_WEEKLY,
        first_collection_date=date_msg(start)))

    # AR10.1: the first missed collection goes to COLLECTIONS, who cannot
    # reach the PP; the second raises the Arrears Review by itself.
    advance_to(cms, start + datetime.timedelta(days=1))
    collections = cms.as_user(owner_staff(cms, app.casegroup.id)[0])
    assert collections.casegroups.GetCasegroup(
        cg.GetCasegroupRequest(id=app.casegroup.id)).routing_rule == "AR10.1"
    action = collections.arrears.RecordArrearsContact(ar.RecordArrearsContactRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id,
        outcome=ar.ARREARS_CONTACT_OUTCOME_NO_CONTACT, note="phoned twice and sent an SMS"))
    assert action.contacts[0].outcome == ar.ARREARS_CONTACT_OUTCOME_NO_CONTACT
    advance_to(cms, start + datetime.timedelta(days=8))
    action = eventually(lambda: _action(cms, app.case.id),
                        lambda a: a.review_service_request_id != 0)
    assert action.review_reason == ar.ARREARS_REVIEW_REASON_ARREARS_ROUTING_LOGIC, action
    assert action.missed_payments == 2 and action.balance_at_review_pence == 2 * WEEKLY_PENCE
    review = _sr(cms, action.review_service_request_id)
    assert review.type_code == "ARREARS_REVIEW" and review.fields["Reason"] == "Arrears Routing Logic"
    maintenance = owner_staff(cms, app.casegroup.id)[0]
    assert ".maintenance." in maintenance, maintenance

    # AR10.4: the server picks CMSL6031 and the review waits 7 days; issued
    # here through cmsctl as the maintenance caseworker.
    rec = _recommend(cms, app.case.id)
    assert rec.step == ar.ARREARS_STEP_ISSUE_ARREARS_LETTER and rec.letter_template_code == "CMSL6031"
    assert rec.rung == ar.ARREARS_RUNG_DEO_DER, rec
    got = cmsctl(cms_server, "arrears", "letter", str(app.case.id), "--output", "json",
                 user=maintenance)
    assert got.returncode == 0, got.stderr
    shown = json.loads(got.stdout)
    assert shown["letters"][0]["template_code"] == "CMSL6031", shown
    review = _sr(cms, action.review_service_request_id)
    assert review.status == cms_client.catalog_pb2.SR_STATUS_WAIT
    assert review.sub_status == "Wait State Arrears Notice"

    # No response in the 7 days: CMSL6038 next.
    advance_to(cms, start + datetime.timedelta(days=15))
    assert _sr(cms, review.id).status == cms_client.catalog_pb2.SR_STATUS_IN_PROGRESS
    rec = _recommend(cms, app.case.id)
    assert rec.letter_template_code == "CMSL6038", rec
    cw = cms.as_user(maintenance)
    action = cw.arrears.IssueArrearsLetter(ar.IssueArrearsLetterRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id,
        etag=_action(cms, app.case.id).etag))
    assert [l.template_code for l in action.letters] == ["CMSL6031", "CMSL6038"]
    advance_to(cms, start + datetime.timedelta(days=22))

    # AR10.5: the ladder asks for the employment status; HMRC knows the
    # employer, so the DEO rung applies.
    rec = _recommend(cms, app.case.id)
    assert rec.step == ar.ARREARS_STEP_GET_EMPLOYMENT_STATUS, rec
    cms.admin.SetHmrcEmployment(admin_pb2.SetHmrcEmploymentRequest(
        nino=pp.nino, answer=pay.HMRC_ANSWER_EMPLOYER, employer_name=EMPLOYER))
    action = cw.arrears.RequestEmploymentStatus(ar.RequestEmploymentStatusRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id,
        etag=_action(cms, app.case.id).etag))
    assert action.rung == ar.ARREARS_RUNG_DEO_DER
    assert action.deo.employer_name == EMPLOYER
    assert day_of(action.deo.hmrc_answer_date) == today(cms)
    rec = _recommend(cms, app.case.id)
    assert rec.step == ar.ARREARS_STEP_SET_UP_DEO, rec
    assert any(f.name == "employer" and EMPLOYER in f.value for f in rec.facts) or EMPLOYER in rec.why

    # The caseworker sets up the DEO (DEO - Enforced): the ladder lets it run.
    sr = mopf_sr(cw, app)
    current = cw.payments.GetMopf(pay.GetMopfRequest(casegroup_id=app.casegroup.id))
    cw.payments.SetMopf(pay.SetMopfRequest(
        request_id=cms_client.new_request_id(), casegroup_id=app.casegroup.id,
        service_request_id=sr.id, start_date=date_msg(today(cms)), etag=current.etag,
        methods=[pay.MopfMethod(method=pay.PAYMENT_METHOD_DEO, share_percent=100, enforced=True,
                                deo_subtype=pay.DEO_SUBTYPE_MANDATORY, mandatory_deo_tick=True,
                                employer=EMPLOYER)]))
    rec = _recommend(cms, app.case.id)
    assert rec.step == ar.ARREARS_STEP_NO_ACTION and rec.rung == ar.ARREARS_RUNG_DEO_DER, rec

    # Read back through cmsctl: the action, the recommendation, its history
    # and the list.
    got = cmsctl(cms_server, "arrears", "get", str(app.case.id), "--output", "json")
    assert got.returncode == 0, got.stderr
    shown = json.loads(got.stdout)
    assert shown["rung"] == "ARREARS_RUNG_DEO_DER" and shown["deo"]["employer_name"] == EMPLOYER
    got = cmsctl(cms_server, "arrears", "recommend", str(app.case.id), "--output", "json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["step"] == "ARREARS_STEP_NO_ACTION"
    got = cmsctl(cms_server, "arrears", "events", str(action.id), "--output", "json")
    assert got.returncode == 0, got.stderr
    kinds = [e["kind"] for e in json.loads(got.stdout)["events"]]
    assert kinds[:2] == ["ARREARS_EVENT_KIND_CONTACT_RECORDED",
                         "ARREARS_EVENT_KIND_REVIEW_RAISED"], kinds
    assert kinds.count("ARREARS_EVENT_KIND_LETTER_ISSUED") == 2, kinds
    assert kinds[-1] == "ARREARS_EVENT_KIND_EMPLOYMENT_REQUESTED", kinds
    table = cmsctl(cms_server, "arrears", "list", "--rung", "deo_der")
    assert table.returncode == 0, table.stderr
    assert str(app.case.id) in table.stdout, table.stdout


def test_self_employed_pp_from_disclosure_to_a_liability_order_and_enforcement(cms_server, cms):
    """AR10.3, AR10.6-AR10.8: a self-employed PP starts at disclosure; DOT finds
    nothing; the final chance for the LO fails; the team leader approves the
    referral; the casegroup moves to ENFORCEMENT at the next midnight."""
    to_london_midday(cms)
    start = today(cms)
    pp = person("LS6 1AA")
    pp.employment_status = cg.EMPLOYMENT_STATUS_SELF_EMPLOYED
    intake = cms.as_user("cw.gb.new_case.a1")
    app = intake.casegroups.CreateApplication(application(pp, person("LS7 1AA")))
    cw = cms.as_user(owner_staff(cms, app.casegroup.id)[0])
    sr = mopf_sr(cw, app)
    cw.payments.SetMopf(pay.SetMopfRequest(
        request_id=cms_client.new_request_id(), casegroup_id=app.casegroup.id,
        service_request_id=sr.id, start_date=date_msg(start),
        methods=[pay.MopfMethod(method=pay.PAYMENT_METHOD_DD, share_percent=100)]))
    cw.payments.GenerateSchedule(pay.GenerateScheduleRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id,
        weekly_liability_pence=30000, frequency=pay.FREQUENCY_WEEKLY,
        first_collection_date=date_msg(start)))
    advance_to(cms, start + datetime.timedelta(days=1))
    advance_to(cms, start + datetime.timedelta(days=8))
    action = eventually(lambda: _action(cms, app.case.id),
                        lambda a: a.review_service_request_id != 0)
    cw_id, tl_id = owner_staff(cms, app.casegroup.id)
    cw = cms.as_user(cw_id)

    def etag():
        return _action(cms, app.case.id).etag

    # The letter first; the PP answers it by refusing.
    cw.arrears.IssueArrearsLetter(ar.IssueArrearsLetterRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id, etag=etag()))
    cw.arrears.RecordArrearsContact(ar.RecordArrearsContactRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id, etag=etag(),
        outcome=ar.ARREARS_CONTACT_OUTCOME_REFUSES_TO_PAY, note="refuses any arrangement"))
    advance_to(cms, start + datetime.timedelta(days=15))
    rec = _recommend(cms, app.case.id)
    assert rec.rung == ar.ARREARS_RUNG_DISCLOSURE, rec
    assert [p.rung for p in rec.passed_over] == [ar.ARREARS_RUNG_DEO_DER], rec
    assert "self-employed" in rec.passed_over[0].why

    # AR10.6: the final chance, then disclosure; DOT finds nothing.
    cw.arrears.StartFinalNegotiation(ar.StartFinalNegotiationRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id, etag=etag(),
        purpose=ar.ARREARS_RUNG_DISCLOSURE))
    cw.arrears.RecordNegotiationOutcome(ar.RecordNegotiationOutcomeRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id, etag=etag(),
        outcome=ar.NEGOTIATION_OUTCOME_FAILED, note="no offer"))
    action = cw.arrears.RequestDisclosure(ar.RequestDisclosureRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id, etag=etag(),
        reason="current and savings accounts, previous addresses"))
    dot = cms.as_user("cw.gb.deduction_order_team.a1")
    action = dot.arrears.RecordDisclosureOutcome(ar.RecordDisclosureOutcomeRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id, etag=etag(),
        outcome=ar.DISCLOSURE_OUTCOME_UNSUCCESSFUL, note="no account with funds"))
    assert action.rung == ar.ARREARS_RUNG_LIABILITY_ORDER

    # AR10.7: the LO's final chance fails; the referral goes to the TL,
    # read back through cmsctl, and the TL approves it.
    cw.arrears.StartFinalNegotiation(ar.StartFinalNegotiationRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id, etag=etag(),
        purpose=ar.ARREARS_RUNG_LIABILITY_ORDER))
    cw.arrears.RecordNegotiationOutcome(ar.RecordNegotiationOutcomeRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id, etag=etag(),
        outcome=ar.NEGOTIATION_OUTCOME_FAILED, note="still no offer"))
    got = cmsctl(cms_server, "arrears", "refer-lo", str(app.case.id), "--checklist",
                 "address confirmed, contact history reviewed, DOT unsuccessful",
                 "--output", "json", user=cw_id)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["lo"]["state"] == "LO_REFERRAL_STATE_PENDING_APPROVAL"
    action = _action(cms, app.case.id)
    got = cmsctl(cms_server, "arrears", "recommend", str(app.case.id), "--output", "json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["step"] == "ARREARS_STEP_REFER_LIABILITY_ORDER"
    tl = cms.as_user(tl_id)
    tl.approvals.DecideApproval(approval_pb2.DecideApprovalRequest(
        request_id=cms_client.new_request_id(), approval_id=action.lo.approval_id,
        decision=approval_pb2.APPROVAL_STATE_APPROVED, comment="LO is right here"))
    action = _action(cms, app.case.id)
    assert action.lo.state == ar.LO_REFERRAL_STATE_APPROVED
    group = cms.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=app.casegroup.id))
    assert "_MAINT" in group.owning_segment_system_name, "not before midnight"

    # The next 00:00 (business time) moves the casegroup and its Review Case
    # and Decide Next Action SR to ENFORCEMENT.
    advance_to(cms, today(cms) + datetime.timedelta(days=1))
    group = eventually(
        lambda: cms.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=app.casegroup.id)),
        lambda g: "_ENF" in g.owning_segment_system_name)
    assert "_ENF" in group.owning_segment_system_name, group
    decide = _sr(cms, action.lo.review_case_service_request_id)
    assert decide.type_code == "REVIEW_CASE_DECIDE_NEXT_ACTION"
    assert decide.owning_segment_id == group.owning_segment_id
    got = cmsctl(cms_server, "arrears", "get", str(app.case.id), "--output", "json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["lo"]["state"] == "LO_REFERRAL_STATE_REFERRED"

    # AR10.8: the enforcement case manager decides the enforcement action:
    # the recommendation names the actions the arrears allow, and the
    # liability order is taken from cmsctl, closing the Review Case SR.
    rec = _recommend(cms, app.case.id)
    assert rec.step == ar.ARREARS_STEP_TAKE_ENFORCEMENT_ACTION, rec
    assert "liability order" in rec.why, rec
    got = cmsctl(cms_server, "arrears", "enforce", str(app.case.id), "--action",
                 "LIABILITY_ORDER", "--note", "enforcement checklist complete", "--output",
                 "json", user="cw.gb.enforcement.a1")
    assert got.returncode == 0, got.stderr
    taken = json.loads(got.stdout)["enforcement_actions"]
    assert [t["action"] for t in taken] == ["ENFORCEMENT_ACTION_LIABILITY_ORDER"], taken
    assert _sr(cms, action.lo.review_case_service_request_id).resolution_code == \
        "Enforcement Action Started"
