"""The Segment 5 compliance opportunity as a harness drives it (S5.1-S5.6,
T8.1): the legacy CSA case scripted through AdminService, an application
naming it, the offer raised by the server, the provisional calculation
letter, fifteen days on the business clock, and the server's own "no
response" with everything it implies; read back through the Python client
and through cmsctl."""

import json
import time
import uuid

import cms_client
from cms_client import admin_pb2, casegroup_pb2 as cg, compliance_pb2 as co
from cms_client import letter_pb2, payment_pb2, service_request_pb2 as sr_pb2
from cms_e2e import application, cmsctl, person


def _eventually(read, done, seconds=10):
    deadline = time.monotonic() + seconds
    while True:
        got = read()
        if done(got) or time.monotonic() > deadline:
            return got
        time.sleep(0.05)


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
