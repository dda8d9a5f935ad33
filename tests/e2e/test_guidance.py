"""Advice and Guidance (AG11.1) as the people involved drive it:

- a caseworker raises an A&G SR with their question; A&G see it on their
  queue (cmsctl guidance queue), answer it inside the SR (cmsctl guidance
  answer), which closes it; the raiser reads the answer, a caseworker of
  another segment may not;
- a special client records caseworker asks A&G privately (cmsctl guidance
  ask-private): a question carrying the client's NINO is refused, the
  question alone is accepted; A&G see it with the raising team and its age,
  answer it; the raiser reads the answer and closes the request.

The session's server is shared and its clock only moves forward, so every
date is computed from AdminService.GetClock and items are found by id."""

import datetime
import json

import grpc

import cms_client
from cms_client import guidance_pb2, service_request_pb2 as sr_pb2
from business_day import advance_to, to_london_midday, today
from cms_e2e import application, cmsctl, person, raises_code

AG = "cw.gb.advice_and_guidance.a1"
SCR = "cw.gb.special_client_records.a1"


def _json(got):
    assert got.returncode == 0, got.stderr
    return json.loads(got.stdout)


def _queue(cms_server, *flags):
    return _json(cmsctl(cms_server, "guidance", "queue", *flags, "--output", "json",
                        user=AG)).get("items", [])


def test_an_aandg_sr_answered_inside_it_and_read_by_its_raiser(cms_server, cms):
    cw = cms.as_user("cw.gb.new_case.a1")
    app = cw.casegroups.CreateApplication(application(person("LS1 1UR"), person("LS2 7EY")))
    sr = cw.service_requests.CreateServiceRequest(sr_pb2.CreateServiceRequestRequest(
        request_id=cms_client.new_request_id(), type_code="ADVICE_AND_GUIDANCE",
        casegroup_id=app.casegroup.id, case_id=app.case.id,
        subject_person_id=app.casegroup.paying_parent_id, source=sr_pb2.SR_SOURCE_CASEWORKER,
        fields={"Question": "May a DEO and an RDO run together?"})).service_request

    mine = [i for i in _queue(cms_server, "--kind", "SERVICE_REQUEST") if i["id"] == str(sr.id)]
    assert len(mine) == 1 and mine[0]["question"] == "May a DEO and an RDO run together?", mine

    answered = _json(cmsctl(cms_server, "guidance", "answer", str(sr.id), "--answer",
                            "No: end the DEO before the RDO starts.", "--output", "json",
                            user=AG))
    assert answered["status"] == "SR_STATUS_CLOSED", answered
    assert answered["answer"]["answered_by"] == AG
    assert not [i for i in _queue(cms_server) if i["id"] == str(sr.id)]

    read = cw.guidance.GetGuidanceAnswer(
        guidance_pb2.GetGuidanceAnswerRequest(service_request_id=sr.id))
    assert read.answer.text == "No: end the DEO before the RDO starts."
    with raises_code(grpc.StatusCode.PERMISSION_DENIED):
        cms.as_user("cw.gb.maintenance.a1").guidance.GetGuidanceAnswer(
            guidance_pb2.GetGuidanceAnswerRequest(service_request_id=sr.id))
    # A second answer is refused, naming AG11.1.
    again = cmsctl(cms_server, "guidance", "answer", str(sr.id), "--answer", "Yes.", user=AG)
    assert again.returncode != 0 and "AG11.1" in again.stderr, again.stderr


def test_a_special_client_records_question_asked_privately_to_its_answer(cms_server, cms):
    to_london_midday(cms)
    asked_on = today(cms)

    refused = cmsctl(cms_server, "guidance", "ask-private", "--country", "GB", "--question",
                     "The PP (QQ 12 34 56 C) asks us to stop letters: may we?", user=SCR)
    assert refused.returncode != 0 and "question" in refused.stderr, refused.stderr

    asked = _json(cmsctl(cms_server, "guidance", "ask-private", "--country", "GB", "--question",
                         "A sensitive PP asks us to stop letters while a DEO is live: may we?",
                         "--output", "json", user=SCR))
    assert asked["state"] == "PRIVATE_GUIDANCE_STATE_OPEN", asked
    assert asked["raising_team"] == "Special Client Records, GB, Team A"
    assert not any(k in asked for k in ("casegroup_id", "case_id", "person_id"))

    advance_to(cms, asked_on + datetime.timedelta(days=2))
    mine = [i for i in _queue(cms_server, "--kind", "PRIVATE") if i["id"] == asked["id"]]
    assert len(mine) == 1 and mine[0]["age_days"] == 2, mine
    assert mine[0]["raised_by"] == SCR

    answered = _json(cmsctl(cms_server, "guidance", "answer-private", asked["id"], "--answer",
                            "Yes, with the SCR manager's agreement.", "--output", "json",
                            user=AG))
    assert answered["state"] == "PRIVATE_GUIDANCE_STATE_ANSWERED", answered

    scr = cms.as_user(SCR)
    read = scr.guidance.GetPrivateGuidanceRequest(
        guidance_pb2.GetPrivateGuidanceRequestRequest(id=int(asked["id"])))
    assert read.answer.text == "Yes, with the SCR manager's agreement."
    with raises_code(grpc.StatusCode.PERMISSION_DENIED):
        cms.as_user("cw.ni.advice_and_guidance.a1").guidance.GetPrivateGuidanceRequest(
            guidance_pb2.GetPrivateGuidanceRequestRequest(id=int(asked["id"])))

    closed = _json(cmsctl(cms_server, "guidance", "close-private", asked["id"], "--output",
                          "json", user=SCR))
    assert closed["state"] == "PRIVATE_GUIDANCE_STATE_CLOSED" and closed["closed_by"] == SCR
