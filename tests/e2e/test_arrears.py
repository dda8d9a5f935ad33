"""Arrears, consider action, as a harness drives it on the business clock
(AR10.1-AR10.5, T8.1): an employed PP who stops paying their direct debit,
from the first missed collection to the DEO the ladder recommends, read back
through the Python client and through cmsctl.

The session's server is shared and its clock only moves forward, so every
date is computed from AdminService.GetClock, never written down."""

import datetime
import json

import cms_client
from cms_client import admin_pb2, arrears_pb2 as ar, casegroup_pb2 as cg
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
