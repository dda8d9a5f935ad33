"""The PP's assets (AR10.14) and the RP not reached (AR10.11) as an operator
drives them through cmsctl against the session's server: an account found
by the credit reference agency check recorded (its number kept masked),
listed and ended; CMSL5511 issued to an RP who cannot be reached, with the
wait before a referral that the recommendation shows.

The session's server is shared and its clock only moves forward, so every
date is computed from AdminService.GetClock, never written down."""

import datetime
import json

import cms_client
from cms_client import arrears_pb2 as ar, service_request_pb2 as sr_pb2
from business_day import owner_staff, to_london_midday, today
from cms_e2e import application, cmsctl, person


def _json(got):
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout)


def test_assets_and_the_rp_not_reached_through_cmsctl(cms_server, cms):
    to_london_midday(cms)
    intake = cms.as_user("cw.gb.new_case.a1")
    app = intake.casegroups.CreateApplication(application(person("LS1 1AA"), person("LS2 1AA")))
    case = str(app.case.id)
    cw = owner_staff(cms, app.casegroup.id)[0]

    # AR10.14: the CRA check found an account at the PP's previous address.
    bank = _json(cmsctl(cms_server, "arrears", "asset-add", case,
                        "--person", str(app.case.paying_parent_id), "--type", "bank_account",
                        "--account-type", "current", "--reference", "40-11-22 31926819",
                        "--description", "Current account, previous address in Leeds",
                        "--source", "credit_reference_agency", "--previous-address",
                        "--output", "json", user=cw))
    assert bank["reference"] == "40-11-22 ****6819", bank
    assert bank["previous_address"] is True and bank["state"] == "ASSET_STATE_ACTIVE", bank
    # A bank account without its reference is refused naming the field.
    refused = cmsctl(cms_server, "arrears", "asset-add", case,
                     "--person", str(app.case.paying_parent_id), "--type", "bank_account",
                     "--account-type", "savings", "--description", "an ISA",
                     "--source", "receiving_parent", user=cw)
    assert refused.returncode == 1 and "reference" in refused.stderr, refused.stderr
    table = cmsctl(cms_server, "arrears", "assets", case)
    assert table.returncode == 0 and "****6819" in table.stdout, table.stdout

    # The account was closed: ended, still listed with --include-closed.
    ended = _json(cmsctl(cms_server, "arrears", "asset-end", case, bank["id"],
                         "--reason", "account closed", "--output", "json", user=cw))
    assert ended["state"] == "ASSET_STATE_CLOSED" and ended["end_reason"] == "account closed"
    assert "assets" not in _json(cmsctl(cms_server, "arrears", "assets", case, "--output", "json"))
    listed = _json(cmsctl(cms_server, "arrears", "assets", case, "--include-closed",
                          "--output", "json"))
    assert [a["id"] for a in listed["assets"]] == [bank["id"]], listed

    # AR10.11: on an Arrears Review, the RP cannot be reached by phone.
    cms.as_user(cw).service_requests.CreateServiceRequest(sr_pb2.CreateServiceRequestRequest(
        request_id=cms_client.new_request_id(), type_code="ARREARS_REVIEW",
        casegroup_id=app.casegroup.id, case_id=app.case.id, source=sr_pb2.SR_SOURCE_CASEWORKER,
        fields={"Reason": "Caseworker review"}))
    action = _json(cmsctl(cms_server, "arrears", "rp-contact", case, "--outcome", "not_reached",
                          "--note", "called twice", "--output", "json", user=cw))
    rp = action["rp_contact"]
    assert rp["letter_template_code"] == "CMSL5511", rp
    until = today(cms) + datetime.timedelta(days=7)
    assert (rp["wait_until"]["year"], rp["wait_until"]["month"], rp["wait_until"]["day"]) == (
        until.year, until.month, until.day), rp
    rec = cms.arrears.GetArrearsRecommendation(ar.GetArrearsRecommendationRequest(
        case_id=app.case.id))
    facts = {f.name: f.value for f in rec.facts}
    assert facts["RP contact"].endswith(f"wait until {until.isoformat()} (AR10.11)"), facts
    assert facts["assets known"] == "none", facts
