"""The Segment 5 compliance opportunity as a harness drives it (S5.1-S5.13,
A6.3, AR10.9, T8.1): the legacy CSA case scripted through AdminService, an
application naming it, the offer raised by the server, and then three
journeys on the business clock, each read back through the Python client
and through cmsctl:

- the provisional calculation letter, fifteen days, and the server's own
  "no response" with everything it implies;
- accepted, every collection of the trial paid on time, the scheduled end's
  proposal PASS, the caseworker's PASS and UTP pass carried out (direct pay,
  the MOPF cancelled, the DEO's cancellation approved by the team leader);
- accepted, a direct debit missed, the Arrears Review's "no contact" ending
  the trial early with FAIL, the UTP fail approved by the team leader, and
  fees and charges payable from that day.

The session's server is shared and its clock only moves forward, so every
date is computed from AdminService.GetClock, never written down."""

import calendar
import datetime
import json
import uuid

import pytest
from google.protobuf import json_format

import cms_client
from cms_client import admin_pb2, approval_pb2, casegroup_pb2 as cg, catalog_pb2
from cms_client import compliance_pb2 as co
from cms_client import letter_pb2, payment_pb2, service_request_pb2 as sr_pb2
from business_day import (advance_to as _advance_to, date_msg as _date, day_of as _day,
                          eventually as _eventually, now as _now, owner_staff as _owner_staff,
                          settle as _settle, to_london_midday as _to_london_midday,
                          today as _today)
from cms_e2e import application, cmsctl, person

pay = payment_pb2
EMPLOYER = "Leeds Looms Ltd"
WEEKLY_PENCE = 5000  # a monthly collection of 21667, split DEO 10834 + DD 10833


def test_no_response_on_day_15_is_the_servers_decision(cms_server, cms):
    # S5.1: an enforced legacy DEO, liability ending well after any clock
    # the session's other tests set.
    reference = "CSCS" + uuid.uuid4().hex[:10].upper()
    cms.admin.SetLegacyCsaCase(admin_pb2.SetLegacyCsaCaseRequest(record=cg.LegacyLink(
        system=cg.LEGACY_SYSTEM_CSCS, legacy_case_reference=reference,
        method_of_collection="DEO", deo_kind=cg.LEGACY_DEO_KIND_ENFORCED,
        t_date=cms_client.date(2099, 1, 1))))
    pp = person("LS1 1UR")
    pp.employment_status = cg.EMPLOYMENT_STATUS_EMPLOYED
    pp.employers.add(name="Leeds Looms Ltd")
    req = application(pp, person("LS2 7EY"))
    req.legacy.CopyFrom(cg.LegacyLink(system=cg.LEGACY_SYSTEM_CSCS,
                                      legacy_case_reference=reference))
    cw = cms.as_user("cw.gb.new_case.a1")
    app = cw.casegroups.CreateApplication(req)

    # S5.3: the server raised the offer, Source Legacy Look Ups.
    opp = cw.compliance.GetComplianceOpportunity(
        co.GetComplianceOpportunityRequest(case_id=app.case.id))
    assert opp.state == co.COMPLIANCE_STATE_OFFERED
    assert opp.eligibility == co.PP_ELIGIBILITY_YES
    offer = cw.service_requests.GetServiceRequest(
        sr_pb2.GetServiceRequestRequest(id=opp.offer_service_request_id))
    assert offer.type_code == "OFFER_COMPLIANCE_OPPORTUNITY"
    assert offer.source == sr_pb2.SR_SOURCE_LEGACY_LOOK_UPS

    # S5.4: the provisional calculation letter starts the 14 days.
    cw.letters.IssueLetter(letter_pb2.IssueLetterRequest(
        request_id=cms_client.new_request_id(), template_code="PROVISIONAL_CALCULATION",
        case_id=app.case.id, person_id=app.case.paying_parent_id))
    cms.admin.AdvanceClock(admin_pb2.AdvanceClockRequest(by=cms_client.duration(days=15)))

    def read():
        return cms.compliance.GetComplianceOpportunity(
            co.GetComplianceOpportunityRequest(case_id=app.case.id))
    opp = _eventually(read, lambda o: o.state == co.COMPLIANCE_STATE_DECLINED)
    assert opp.state == co.COMPLIANCE_STATE_DECLINED, opp
    assert opp.decision == co.OFFER_DECISION_NO_RESPONSE
    assert opp.eligibility == co.PP_ELIGIBILITY_NO_RESPONSE
    assert opp.decided_by == "system"
    assert opp.utp_status == co.UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY
    offer = cms.service_requests.GetServiceRequest(
        sr_pb2.GetServiceRequestRequest(id=opp.offer_service_request_id))
    assert offer.resolution_code == "No Response Received"
    # S5.6: a known employer means a self-selected DEO, and no response is
    # wilful refusal: the DEO charge.
    mopf = cms.payments.GetMopf(payment_pb2.GetMopfRequest(casegroup_id=app.casegroup.id))
    assert [(m.method, m.deo_subtype) for m in mopf.active] == [
        (payment_pb2.PAYMENT_METHOD_DEO, payment_pb2.DEO_SUBTYPE_SELF_SELECTED)]

    # The same, read back through cmsctl: the canonical JSON and the history.
    got = cmsctl(cms_server, "compliance", "get", str(app.case.id), "--output", "json")
    assert got.returncode == 0, got.stderr
    shown = json.loads(got.stdout)
    assert shown["state"] == "COMPLIANCE_STATE_DECLINED", shown
    assert shown["decision"] == "OFFER_DECISION_NO_RESPONSE", shown
    events = cmsctl(cms_server, "compliance", "events", str(opp.id), "--output", "json")
    assert events.returncode == 0, events.stderr
    kinds = [e["kind"] for e in json.loads(events.stdout)["events"]]
    assert kinds[0] == "COMPLIANCE_EVENT_KIND_OFFER_RAISED", kinds
    assert "COMPLIANCE_EVENT_KIND_OFFER_LETTER_ISSUED" in kinds, kinds
    assert kinds[-1] == "COMPLIANCE_EVENT_KIND_OFFER_DECIDED", kinds
    table = cmsctl(cms_server, "compliance", "list", "--state", "declined")
    assert table.returncode == 0, table.stderr
    assert str(app.case.id) in table.stdout and "NO_RESPONSE" in table.stdout, table.stdout


# ---------------------------------------------------------------- the clock


# ---------------------------------------------------------------- set-up


def _by_due_date(items):
    """The schedule's items grouped by due date, oldest first: [(date, [items])]."""
    days = {}
    for item in items:
        days.setdefault(_day(item.due_date), []).append(item)
    return sorted(days.items())


def _accepted_trial(cms, pp_postcode, rp_postcode):
    """An employed PP with a known employer and an enforced legacy DEO
    accepts the offer (S5.5: 50% mandatory DEO + 50% DD, fees and charges
    waived); a monthly P2P schedule from a week on starts the trial.
    Returns (application, opportunity, schedule)."""
    _to_london_midday(cms)
    reference = "CSCS" + uuid.uuid4().hex[:10].upper()
    cms.admin.SetLegacyCsaCase(admin_pb2.SetLegacyCsaCaseRequest(record=cg.LegacyLink(
        system=cg.LEGACY_SYSTEM_CSCS, legacy_case_reference=reference,
        method_of_collection="DEO", deo_kind=cg.LEGACY_DEO_KIND_ENFORCED,
        t_date=cms_client.date(2099, 1, 1))))
    pp = person(pp_postcode)
    pp.employment_status = cg.EMPLOYMENT_STATUS_EMPLOYED
    pp.employers.add(name=EMPLOYER)
    req = application(pp, person(rp_postcode))
    req.legacy.CopyFrom(cg.LegacyLink(system=cg.LEGACY_SYSTEM_CSCS,
                                      legacy_case_reference=reference))
    cw = cms.as_user("cw.gb.new_case.a1")
    app = cw.casegroups.CreateApplication(req)
    opp = cw.compliance.GetComplianceOpportunity(
        co.GetComplianceOpportunityRequest(case_id=app.case.id))
    assert opp.state == co.COMPLIANCE_STATE_OFFERED, opp
    opp = cw.compliance.DecideOffer(co.DecideOfferRequest(
        request_id=cms_client.new_request_id(), opportunity_id=opp.id, etag=opp.etag,
        decision=co.OFFER_DECISION_ACCEPTED))
    assert opp.state == co.COMPLIANCE_STATE_ACCEPTED and opp.fee_waiver_id != 0, opp
    mopf = cms.payments.GetMopf(pay.GetMopfRequest(casegroup_id=app.casegroup.id))
    assert sorted((m.method, m.share_percent) for m in mopf.active) == [
        (pay.PAYMENT_METHOD_DEO, 50), (pay.PAYMENT_METHOD_DD, 50)], mopf

    first = _today(cms) + datetime.timedelta(days=7)
    schedule = cw.payments.GenerateSchedule(pay.GenerateScheduleRequest(
        request_id=cms_client.new_request_id(), case_id=app.case.id,
        weekly_liability_pence=WEEKLY_PENCE, frequency=pay.FREQUENCY_MONTHLY,
        first_collection_date=_date(first)))
    # S5.5: the trial runs from the first DD collection for 187 days.
    opp = cms.compliance.GetComplianceOpportunity(
        co.GetComplianceOpportunityRequest(case_id=app.case.id))
    assert _day(opp.start_date) == first, opp
    assert _day(opp.end_date) == first + datetime.timedelta(days=187), opp
    return app, opp, schedule


def _pay(cw, case_id, items, day):
    """Each item paid in full on `day` by its own method; the payments."""
    return [cw.payments.RecordPayment(pay.RecordPaymentRequest(
        request_id=cms_client.new_request_id(), case_id=case_id, amount_pence=item.expected_pence,
        received_date=_date(day), method=item.expected_method)) for item in items]


def _sr(cms, sr_id):
    return cms.service_requests.GetServiceRequest(sr_pb2.GetServiceRequestRequest(id=sr_id))


def _srs_of_type(cms, casegroup_id, type_code):
    listed = cms.service_requests.ListServiceRequests(sr_pb2.ListServiceRequestsRequest(
        casegroup_id=casegroup_id, include_closed=True, page_size=1000))
    return [sr for sr in listed.service_requests if sr.type_code == type_code]


def _letter_codes(cms, case_id):
    listed = cms.letters.ListInteractions(letter_pb2.ListInteractionsRequest(case_id=case_id,
                                                                             page_size=1000))
    return [i.template_code for i in listed.interactions if i.template_code]


def _charges(cms, case_id):
    """The charge lines of the PP's statement, as (date, description, pence)."""
    st = cms.payments.GetStatement(pay.GetStatementRequest(case_id=case_id))
    return [(_day(ln.date), ln.description, ln.debit_pence) for ln in st.lines
            if ln.kind == pay.STATEMENT_LINE_KIND_CHARGE]


def _close_calculation(cw, sr):
    """The caseworker does the Perform Calculation SR's plan and closes it."""
    sr = cw.service_requests.ChangeServiceRequestStatus(sr_pb2.ChangeServiceRequestStatusRequest(
        request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag,
        status=catalog_pb2.SR_STATUS_IN_PROGRESS))
    for a in list(sr.activities):
        sr = cw.service_requests.UpdateActivity(sr_pb2.UpdateActivityRequest(
            request_id=cms_client.new_request_id(), service_request_id=sr.id, etag=sr.etag,
            activity_id=a.id,
            status=sr_pb2.ACTIVITY_STATUS_DONE if a.mandatory else sr_pb2.ACTIVITY_STATUS_NOT_REQUIRED))
    return cw.service_requests.ChangeServiceRequestStatus(sr_pb2.ChangeServiceRequestStatusRequest(
        request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag,
        status=catalog_pb2.SR_STATUS_CLOSED, resolution_code="Calculation Complete"))


def _event_kinds(cms_server, opp_id):
    run = cmsctl(cms_server, "compliance", "events", str(opp_id), "--output", "json")
    assert run.returncode == 0, run.stderr
    return [e["kind"].removeprefix("COMPLIANCE_EVENT_KIND_")
            for e in json.loads(run.stdout)["events"]]


def _in_order(wanted, kinds):
    """`wanted` appear in `kinds` in this order (others may come between)."""
    it = iter(kinds)
    return all(any(k == w for k in it) for w in wanted)


# ---------------------------------------------------------------- pass


def test_accepted_paid_in_full_passes_to_direct_pay(cms_server, cms):
    # S5.5, S5.7, S5.8, S5.9, A6.3
    app, opp, schedule = _accepted_trial(cms, "LS6 1AN", "LS7 3EX")
    start, end = _day(opp.start_date), _day(opp.end_date)
    cw_id, tl_id = _owner_staff(cms, app.casegroup.id)
    cw, tl = cms.as_user(cw_id), cms.as_user(tl_id)

    # Every collection of the trial paid on its due date, in full, by its
    # method (the employer's DEO half too); fees are waived meanwhile (S5.5).
    months = [(due, items) for due, items in _by_due_date(schedule.items) if due < end]
    assert len(months) == 7 and months[0][0] == start, [d for d, _ in months]
    for due, items in months:
        _advance_to(cms, due)
        for p in _pay(cw, app.case.id, items, due):
            assert p.pp_fee_pence == 0 and p.rp_fee_pence == 0, p

    # S5.7: the end date raises the outcome SR with the proposal (S5.8).
    _advance_to(cms, end)

    def read():
        return cms.compliance.GetComplianceOpportunity(
            co.GetComplianceOpportunityRequest(case_id=app.case.id))
    opp = _eventually(read, lambda o: o.state == co.COMPLIANCE_STATE_OUTCOME_DUE)
    assert opp.state == co.COMPLIANCE_STATE_OUTCOME_DUE, opp
    assert (opp.proposal.action, opp.proposal.reason) == (
        co.COMPLIANCE_ACTION_PASS, co.COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED), opp.proposal
    counted = [i for i in opp.proposal.items if i.counted]
    assert len(counted) == 7, opp.proposal
    assert all(i.on_time and i.in_full and i.agreed_method for i in counted), opp.proposal
    assert all(i.expected_method == pay.PAYMENT_METHOD_DD for i in counted), opp.proposal
    outcome_sr = _sr(cms, opp.outcome_service_request_id)
    assert outcome_sr.type_code == "COMPLIANCE_OPPORTUNITY_OUTCOME", outcome_sr
    assert outcome_sr.source == sr_pb2.SR_SOURCE_INTERNAL_SYSTEM and outcome_sr.priority
    assert outcome_sr.fields["Action"] == "End of Seg 5"

    # S5.8, S5.9: the caseworker records PASS and the UTP pass, through cmsctl
    # (which reads the opportunity for its etag).
    run = cmsctl(
        cms_server, "compliance", "outcome", str(opp.id), "--action", "PASS",
        "--reason", "ALL_PAYMENTS_RECEIVED", "--utp", "NOT_APPLICABLE", "--note",
        "Every DD of the trial on time and in full; no reason to think the PP unlikely to pay",
        "--output", "json", user=cw_id)
    assert run.returncode == 0, run.stderr
    done = json_format.Parse(run.stdout, co.ComplianceOpportunity())
    today = _today(cms)
    assert done.state == co.COMPLIANCE_STATE_COMPLETED, done
    assert done.utp_status == co.UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE
    assert _day(done.utp_effective_date) == today
    assert (done.outcome.action, done.outcome.reason, done.outcome.recorded_by) == (
        co.COMPLIANCE_ACTION_PASS, co.COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED, cw_id)
    assert done.outcome.approval_id == 0  # a pass needs no approval of its own
    children = [_sr(cms, i) for i in done.outcome.child_service_request_ids]
    assert all(c.parent_id == outcome_sr.id for c in children), children
    by_type = {}
    for c in children:
        by_type.setdefault(c.type_code, []).append(c)

    # Direct pay through the Change to Service Type child SR, made and closed.
    [change] = by_type["CHANGE_TO_SERVICE_TYPE"]
    assert change.status == catalog_pb2.SR_STATUS_CLOSED, change
    assert change.resolution_code == "Service Type Changed"
    history = cms.payments.GetServiceTypeHistory(pay.GetServiceTypeHistoryRequest(
        case_id=app.case.id))
    assert history.current == cg.SERVICE_TYPE_DIRECT_PAY, history
    last = history.periods[-1]
    assert (last.service_type, _day(last.effective_from), last.service_request_id) == (
        cg.SERVICE_TYPE_DIRECT_PAY, today, change.id), history

    # One Amend Existing MOPF child per active method: the DD cancelled now
    # (today its last day), the DEO's cancellation with the team leader (A6.3).
    amend = {c.status: c for c in by_type["AMEND_EXISTING_MOPF"]
             if c.fields.get("MOPF Action") == "Cancel"}
    assert set(amend) == {catalog_pb2.SR_STATUS_CLOSED, catalog_pb2.SR_STATUS_PENDING_APPROVAL}, (
        by_type["AMEND_EXISTING_MOPF"])
    dd_sr, deo_sr = amend[catalog_pb2.SR_STATUS_CLOSED], amend[catalog_pb2.SR_STATUS_PENDING_APPROVAL]
    assert dd_sr.resolution_code == "MOPF Cancelled", dd_sr
    mopf = cms.payments.GetMopf(pay.GetMopfRequest(casegroup_id=app.casegroup.id))
    methods = {m.method: m for m in mopf.active}
    assert set(methods) == {pay.PAYMENT_METHOD_DEO, pay.PAYMENT_METHOD_DD}, mopf
    dd, deo = methods[pay.PAYMENT_METHOD_DD], methods[pay.PAYMENT_METHOD_DEO]
    assert (_day(dd.end_date), dd.ended_by_service_request_id) == (today, dd_sr.id), dd
    assert not deo.HasField("end_date"), deo
    run = cmsctl(cms_server, "approvals", "inbox", "--output", "json", user=tl_id)
    assert run.returncode == 0, run.stderr
    inbox = json_format.Parse(run.stdout, approval_pb2.ListApprovalInboxResponse())
    [waiting] = [a for a in inbox.approvals if a.service_request_id == deo_sr.id]
    assert waiting.action.deo_cancellation.method_id == deo.id, waiting
    assert waiting.submitted_by == cw_id

    assert {"CMSL0136", "CMSL0137"} <= set(_letter_codes(cms, app.case.id))
    [calc] = by_type["PERFORM_CALCULATION"]
    assert calc.status == catalog_pb2.SR_STATUS_OPEN, calc
    assert _sr(cms, outcome_sr.id).status == catalog_pb2.SR_STATUS_IN_PROGRESS
    assert not [c for c in _charges(cms, app.case.id) if "DEO" in c[1]]

    # The team leader approves: the DEO ends today and its SR closes.
    approved = tl.approvals.DecideApproval(approval_pb2.DecideApprovalRequest(
        request_id=cms_client.new_request_id(), approval_id=waiting.id,
        decision=approval_pb2.APPROVAL_STATE_APPROVED, comment="Seg 5 passed: cancel the DEO"))
    assert approved.state == approval_pb2.APPROVAL_STATE_APPROVED
    assert "cancelled" in approved.action_result, approved
    mopf = cms.payments.GetMopf(pay.GetMopfRequest(casegroup_id=app.casegroup.id))
    [deo] = [m for m in mopf.history if m.id == deo.id]
    assert (_day(deo.end_date), deo.ended_by_service_request_id) == (today, deo_sr.id), deo
    assert all(m.HasField("end_date") for m in mopf.history), mopf  # nothing open-ended
    deo_sr = _sr(cms, deo_sr.id)
    assert (deo_sr.status, deo_sr.resolution_code) == (catalog_pb2.SR_STATUS_CLOSED,
                                                       "MOPF Cancelled"), deo_sr
    # The Perform Calculation child is still open: the outcome SR waits.
    assert _sr(cms, outcome_sr.id).status == catalog_pb2.SR_STATUS_IN_PROGRESS

    # Every other child open is closed by the caseworker; the last closes
    # the outcome SR, CofC Accepted, by itself.
    for c in children:
        c = _sr(cms, c.id)
        if c.status in (catalog_pb2.SR_STATUS_CLOSED, catalog_pb2.SR_STATUS_CANCELLED):
            continue
        assert c.type_code == "PERFORM_CALCULATION", c
        closed = _close_calculation(cw, c)
        assert closed.status == catalog_pb2.SR_STATUS_CLOSED, closed
    outcome_sr = _sr(cms, outcome_sr.id)
    assert outcome_sr.status == catalog_pb2.SR_STATUS_CLOSED, outcome_sr
    assert outcome_sr.resolution_code == "CofC Accepted"

    # Read back through cmsctl: the opportunity and its history.
    got = cmsctl(cms_server, "compliance", "get", str(app.case.id), "--output", "json")
    assert got.returncode == 0, got.stderr
    shown = json.loads(got.stdout)
    assert shown["state"] == "COMPLIANCE_STATE_COMPLETED", shown
    assert shown["outcome"]["action"] == "COMPLIANCE_ACTION_PASS", shown
    assert shown["utp_status"] == "UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE", shown
    kinds = _event_kinds(cms_server, opp.id)
    assert _in_order(["OFFER_RAISED", "OFFER_DECIDED", "TRIAL_DATES_SET", "OUTCOME_SR_RAISED",
                      "OUTCOME_RECORDED"], kinds), kinds
    assert "MISSED_PAYMENT" not in kinds, kinds


# ---------------------------------------------------------------- fail


def test_missed_payment_no_contact_fails_and_the_team_leader_approves(cms_server, cms):
    # S5.13, AR10.9, S5.12, S5.8, S5.10, A6.3
    app, opp, schedule = _accepted_trial(cms, "HX1 1AA", "HX2 0AB")
    cw_id, tl_id = _owner_staff(cms, app.casegroup.id)
    cw = cms.as_user(cw_id)
    owner = cms.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=app.casegroup.id))
    months = _by_due_date(schedule.items)

    # Month 1 paid in full; month 2 only the employer's DEO: the PP's DD is missed.
    (due1, items1), (due2, items2) = months[0], months[1]
    _advance_to(cms, due1)
    _pay(cw, app.case.id, items1, due1)
    _advance_to(cms, due2)
    _pay(cw, app.case.id, [i for i in items2 if i.expected_method == pay.PAYMENT_METHOD_DEO], due2)
    [missed_dd] = [i for i in items2 if i.expected_method == pay.PAYMENT_METHOD_DD]

    # S5.13: the daily job's miss raises an Arrears Review with the Segment 5
    # Case flag, and the casegroup is never moved to COLLECTIONS.
    _advance_to(cms, due2 + datetime.timedelta(days=1))
    reviews = _eventually(lambda: _srs_of_type(cms, app.casegroup.id, "ARREARS_REVIEW"),
                          lambda found: len(found) > 0)
    [review] = reviews
    assert review.fields["Segment 5 Case"] == "Y", review
    assert review.created_by_rule == "S5.13", review
    group = cms.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=app.casegroup.id))
    assert group.routing_rule != "AR10.1", group
    assert group.owning_segment_id == owner.owning_segment_id, group

    # AR10.9: nobody reached the PP: the trial ends early, the outcome SR a
    # child of the review, proposing FAIL / Payment Default (S5.12).
    opp = cw.compliance.GetComplianceOpportunity(co.GetComplianceOpportunityRequest(id=opp.id))
    opp = cw.compliance.RecordMissedPaymentReason(co.RecordMissedPaymentReasonRequest(
        request_id=cms_client.new_request_id(), opportunity_id=opp.id, etag=opp.etag,
        arrears_review_service_request_id=review.id,
        contact=co.MISSED_PAYMENT_CONTACT_NO_CONTACT,
        note="Two calls and an SMS, no answer"))
    today = _today(cms)
    assert opp.state == co.COMPLIANCE_STATE_OUTCOME_DUE, opp
    assert opp.early_end.reason == co.EARLY_END_REASON_MISSED_PAYMENTS, opp.early_end
    assert opp.early_end.trigger_service_request_id == review.id
    assert _day(opp.early_end.end_date) == today
    assert (opp.proposal.action, opp.proposal.reason) == (
        co.COMPLIANCE_ACTION_FAIL, co.COMPLIANCE_REASON_PAYMENT_DEFAULT), opp.proposal
    outcome_sr = _sr(cms, opp.outcome_service_request_id)
    assert outcome_sr.type_code == "COMPLIANCE_OPPORTUNITY_OUTCOME", outcome_sr
    assert outcome_sr.parent_id == review.id, outcome_sr
    assert outcome_sr.fields["Action"] == "Early End of Seg 5", outcome_sr

    # S5.10: FAIL and the UTP fail go to the team leader; nothing changes yet.
    opp = cw.compliance.RecordOutcome(co.RecordOutcomeRequest(
        request_id=cms_client.new_request_id(), opportunity_id=opp.id, etag=opp.etag,
        action=co.COMPLIANCE_ACTION_FAIL, reason=co.COMPLIANCE_REASON_PAYMENT_DEFAULT,
        utp_status=co.UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY,
        dp_rejected_reason="Missed the second direct debit and could not be reached",
        note="DD of the second month missed; no contact (AR10.9)"))
    assert opp.state == co.COMPLIANCE_STATE_PENDING_APPROVAL, opp
    assert opp.outcome.approval_id != 0
    assert opp.utp_status == co.UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY
    assert _sr(cms, outcome_sr.id).status == catalog_pb2.SR_STATUS_PENDING_APPROVAL
    mopf = cms.payments.GetMopf(pay.GetMopfRequest(casegroup_id=app.casegroup.id))
    assert sorted(m.method for m in mopf.active) == [pay.PAYMENT_METHOD_DEO,
                                                     pay.PAYMENT_METHOD_DD], mopf
    assert _charges(cms, app.case.id) == []  # no DEO charge, no collection fee
    # The waiver is still open: half the missed DD paid now carries no fee.
    half = missed_dd.expected_pence // 2
    [before] = _pay(cw, app.case.id, [pay.ScheduleItem(expected_pence=half,
                                                       expected_method=pay.PAYMENT_METHOD_DD)],
                    today)
    assert before.pp_fee_pence == 0, before

    # The team leader of the caseworker's team approves, through cmsctl.
    run = cmsctl(cms_server, "approvals", "inbox", "--output", "json", user=tl_id)
    assert run.returncode == 0, run.stderr
    inbox = json_format.Parse(run.stdout, approval_pb2.ListApprovalInboxResponse())
    [waiting] = [a for a in inbox.approvals if a.id == opp.outcome.approval_id]
    assert waiting.service_request_id == outcome_sr.id and waiting.submitted_by == cw_id, waiting
    assert waiting.action.compliance_fail.opportunity_id == opp.id, waiting
    run = cmsctl(cms_server, "approvals", "approve", str(waiting.id), "--comment",
                 "Agreed: reapply fees and charges", "--output", "json", user=tl_id)
    assert run.returncode == 0, run.stderr
    approved = json_format.Parse(run.stdout, approval_pb2.Approval())
    assert approved.state == approval_pb2.APPROVAL_STATE_APPROVED and approved.decided_by == tl_id
    assert f"payable from {today.isoformat()}" in approved.action_result, approved.action_result

    # Carried out on the approval's day, never earlier (S5.10).
    opp = cms.compliance.GetComplianceOpportunity(co.GetComplianceOpportunityRequest(id=opp.id))
    assert opp.state == co.COMPLIANCE_STATE_COMPLETED, opp
    assert opp.outcome.action == co.COMPLIANCE_ACTION_FAIL
    mopf = cms.payments.GetMopf(pay.GetMopfRequest(casegroup_id=app.casegroup.id))
    assert [(m.method, m.share_percent) for m in mopf.active if not m.HasField("end_date")] == [
        (pay.PAYMENT_METHOD_DEO, 100)], mopf
    assert _charges(cms, app.case.id) == [(today, "Charge: DEO_CHARGE", 5000)]
    [after] = _pay(cw, app.case.id, [pay.ScheduleItem(expected_pence=missed_dd.expected_pence - half,
                                                      expected_method=pay.PAYMENT_METHOD_DD)],
                   today)
    assert after.pp_fee_pence == (after.amount_pence * 20 + 50) // 100, after
    children = [_sr(cms, i) for i in opp.outcome.child_service_request_ids]
    [amend] = [c for c in children if c.type_code == "AMEND_EXISTING_MOPF"]
    assert amend.status == catalog_pb2.SR_STATUS_CLOSED and amend.resolution_code == "MOPF Amended"
    [calc] = [c for c in children if c.type_code == "PERFORM_CALCULATION"]
    assert {"CMSL0136", "CMSL0137"} <= set(_letter_codes(cms, app.case.id))
    history = cms.payments.GetServiceTypeHistory(pay.GetServiceTypeHistoryRequest(
        case_id=app.case.id))
    assert history.current == cg.SERVICE_TYPE_COLLECT_AND_PAY, history

    # Closing the Perform Calculation child closes the outcome SR.
    assert _sr(cms, outcome_sr.id).status == catalog_pb2.SR_STATUS_IN_PROGRESS
    _close_calculation(cw, calc)
    outcome_sr = _sr(cms, outcome_sr.id)
    assert outcome_sr.status == catalog_pb2.SR_STATUS_CLOSED, outcome_sr
    assert outcome_sr.resolution_code == "CofC Accepted"

    got = cmsctl(cms_server, "compliance", "get", str(app.case.id), "--output", "json")
    assert got.returncode == 0, got.stderr
    shown = json.loads(got.stdout)
    assert shown["state"] == "COMPLIANCE_STATE_COMPLETED", shown
    assert shown["outcome"]["utp_status"] == "UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY", shown
    kinds = _event_kinds(cms_server, opp.id)
    assert _in_order(["TRIAL_DATES_SET", "MISSED_PAYMENT", "MISSED_PAYMENT_REASON_RECORDED",
                      "ENDED_EARLY", "OUTCOME_RECORDED", "OUTCOME_APPROVED"], kinds), kinds


# ---------------------------------------------------------------- extension, early end


def _add_month(day):
    """The same day a calendar month on, clipped to the month's end (S5.11)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def test_extension_rejected_then_ended_early_through_cmsctl(cms_server, cms):
    # S5.11, S5.12, A6.2, A6.3
    app, opp, schedule = _accepted_trial(cms, "BD1 1AA", "BD2 2AB")
    end = _day(opp.end_date)
    cw_id, tl_id = _owner_staff(cms, app.casegroup.id)
    cw = cms.as_user(cw_id)
    due1, items1 = _by_due_date(schedule.items)[0]
    _advance_to(cms, due1)
    _pay(cw, app.case.id, items1, due1)

    def extend(date_text, *more):
        return cmsctl(cms_server, "compliance", "extend", str(opp.id), "--reason",
                      "CHANGE_TO_EMPLOYER", "--date", date_text, "--note",
                      "New employer from next month", *more, user=cw_id)

    # Not whole months after the end date: refused with the rule and field.
    bad = extend((end + datetime.timedelta(days=10)).isoformat())
    assert bad.returncode == 1, (bad.stdout, bad.stderr)
    assert "S5.11" in bad.stderr and "proposed_revised_date" in bad.stderr, bad.stderr
    assert extend("next month").returncode == 2  # not a date: a usage error

    proposed = _add_month(end)
    run = extend(proposed.isoformat(), "--output", "json")
    assert run.returncode == 0, run.stderr
    asked = json_format.Parse(run.stdout, co.ComplianceOpportunity())
    [ext] = asked.extensions
    assert ext.result == co.EXTENSION_RESULT_PENDING and _day(ext.proposed_revised_date) == proposed
    assert _day(ext.previous_end_date) == end and _day(asked.end_date) == end
    assert _sr(cms, ext.service_request_id).fields["Action"] == "Extension of Seg 5"

    # A6.2: the team leader rejects it through cmsctl: the end date stands.
    run = cmsctl(cms_server, "approvals", "reject", str(ext.approval_id), "--comment",
                 "The new employer is not confirmed", "--output", "json", user=tl_id)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["state"] == "APPROVAL_STATE_REJECTED"
    opp = cms.compliance.GetComplianceOpportunity(co.GetComplianceOpportunityRequest(id=opp.id))
    assert opp.extensions[0].result == co.EXTENSION_RESULT_REJECTED, opp.extensions
    assert _day(opp.end_date) == end and opp.state == co.COMPLIANCE_STATE_ACCEPTED
    ext_sr = _sr(cms, ext.service_request_id)
    assert ext_sr.status == catalog_pb2.SR_STATUS_CLOSED and ext_sr.resolution_code == "CofC Rejected"

    # S5.12: the RP asks for direct pay: a Change to Service Type SR (source
    # NRP, left OPEN) and the trial ended early as its child, through cmsctl.
    change = cw.service_requests.CreateServiceRequest(sr_pb2.CreateServiceRequestRequest(
        request_id=cms_client.new_request_id(), type_code="CHANGE_TO_SERVICE_TYPE",
        casegroup_id=app.casegroup.id, case_id=app.case.id, source=sr_pb2.SR_SOURCE_NRP,
        fields={"New Service Type": "Direct Pay",
                "Effective Date": _today(cms).isoformat()})).service_request
    run = cmsctl(cms_server, "compliance", "end-early", str(opp.id), "--reason",
                 "CHANGE_TO_DIRECT_PAY", "--trigger", str(change.id), "--note",
                 "The RP asked for direct pay", "--output", "json", user=cw_id)
    assert run.returncode == 0, run.stderr
    ended = json_format.Parse(run.stdout, co.ComplianceOpportunity())
    assert ended.state == co.COMPLIANCE_STATE_OUTCOME_DUE, ended
    assert ended.early_end.reason == co.EARLY_END_REASON_CHANGE_TO_DIRECT_PAY
    assert ended.early_end.trigger_service_request_id == change.id
    assert (ended.proposal.action, ended.proposal.reason) == (
        co.COMPLIANCE_ACTION_ENDED_EARLY, co.COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED), ended.proposal
    outcome_sr = _sr(cms, ended.outcome_service_request_id)
    assert outcome_sr.parent_id == change.id and outcome_sr.fields["Action"] == "Early End of Seg 5"
    kinds = _event_kinds(cms_server, opp.id)
    assert _in_order(["TRIAL_DATES_SET", "EXTENSION_REQUESTED", "EXTENSION_REJECTED",
                      "ENDED_EARLY"], kinds), kinds
