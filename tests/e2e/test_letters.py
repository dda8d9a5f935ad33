"""Letters and interactions end to end (L12.1, L12.2): a caseworker issues
the first arrears notice to a paying parent, reads it back (over gRPC and
with `cmsctl letters show`), lists the case's interactions, and is refused
a letter to an address the dead letter office returned."""

import grpc
from google.protobuf import json_format

import cms_client
from cms_client import letter_pb2 as lt, service_request_pb2 as sr_pb2
from cms_client import casegroup_pb2 as cg
from cms_e2e import application, person, raises_code
from test_cmsctl import cmsctl

CW = "cw.gb.new_case.a1"


def _issue(client, app, code, **kw):
    return client.letters.IssueLetter(lt.IssueLetterRequest(
        request_id=cms_client.new_request_id(), template_code=code, case_id=app.case.id,
        person_id=app.case.paying_parent_id, **kw))


def test_issue_cmsl6031_read_it_back_and_list_interactions(cms, cms_server):
    # L12.1: rendered for the PP, recorded as an outbound letter, retrievable.
    cw = cms.as_user(CW)
    app = cw.casegroups.CreateApplication(application(person("LS1 1UR", given="Petra"),
                                                      person("LS2 7EY")))
    letter = _issue(cw, app, "CMSL6031")
    assert letter.title == "You Have Missed A Child Maintenance Payment"
    assert "Dear Petra " in letter.text and "{{" not in letter.text
    assert cw.letters.GetLetter(lt.GetLetterRequest(id=letter.id)).text == letter.text

    # L12.2: an inbound call on the same case, then the case's interactions.
    cw.letters.RecordInteraction(lt.RecordInteractionRequest(
        request_id=cms_client.new_request_id(), person_id=app.case.paying_parent_id,
        case_id=app.case.id, channel=lt.INTERACTION_CHANNEL_CALL,
        direction=lt.INTERACTION_DIRECTION_INBOUND, text="PP called: will pay on Friday"))
    listed = cw.letters.ListInteractions(lt.ListInteractionsRequest(case_id=app.case.id))
    assert [(i.channel, i.direction) for i in listed.interactions] == [
        (lt.INTERACTION_CHANNEL_LETTER, lt.INTERACTION_DIRECTION_OUTBOUND),
        (lt.INTERACTION_CHANNEL_CALL, lt.INTERACTION_DIRECTION_INBOUND)]
    assert listed.interactions[0].template_code == "CMSL6031"

    # The operators' view of the same letter.
    shown = cmsctl(cms_server, "letters", "show", str(letter.id), user=CW)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == letter.text
    as_json = cmsctl(cms_server, "letters", "show", str(letter.id), "--output", "json", user=CW)
    assert as_json.returncode == 0, as_json.stderr
    # The server's JSON form (issue 13): it reads back into the Letter.
    assert json_format.Parse(as_json.stdout, lt.Letter()) == cw.letters.GetLetter(
        lt.GetLetterRequest(id=letter.id))
    table = cmsctl(cms_server, "interactions", "list", "--case", str(app.case.id), user=CW)
    assert table.returncode == 0, table.stderr
    assert "LETTER" in table.stdout and "CALL" in table.stdout


def test_no_letter_to_a_dlo_address_and_the_sr_is_told(cms):
    # L12.1: refused with the rule, and the SR gets a note (an Action Missed
    # Payment: an Arrears Review on a DLO address closes by itself, AR10.2).
    cw = cms.as_user(CW)
    pp = person("M1 1AE")
    pp.address_status = cg.ADDRESS_STATUS_DLO
    app = cw.casegroups.CreateApplication(application(pp, person("M1 1AE")))
    sr = cw.service_requests.CreateServiceRequest(sr_pb2.CreateServiceRequestRequest(
        request_id=cms_client.new_request_id(), type_code="ACTION_MISSED_PAYMENT",
        casegroup_id=app.casegroup.id, case_id=app.case.id,
        source=sr_pb2.SR_SOURCE_INTERNAL_SYSTEM)).service_request
    with raises_code(grpc.StatusCode.FAILED_PRECONDITION) as e:
        _issue(cw, app, "CMSL6031", service_request_id=sr.id)
    assert e.value.rule_id == "L12.1" and "DLO" in e.value.message
    notes = cw.service_requests.ListNotes(sr_pb2.ListNotesRequest(
        subject=sr_pb2.NOTE_SUBJECT_SERVICE_REQUEST, subject_id=sr.id)).notes
    assert len(notes) == 1 and "CMSL6031" in notes[0].text
    assert not cw.letters.ListInteractions(
        lt.ListInteractionsRequest(case_id=app.case.id)).interactions
