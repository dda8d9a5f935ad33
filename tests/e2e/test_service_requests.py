"""Service requests end to end: a caseworker's journey through an SR's life,
and a functionally unique SR routed by the person it is raised against."""

import grpc

import cms_client
from cms_client import bom_pb2, catalog_pb2, casegroup_pb2 as cg, service_request_pb2 as sr_pb2
from cms_client import work_pb2
from cms_e2e import application, person, raises_code


def _create(client, app, type_code, **kw):
    req = sr_pb2.CreateServiceRequestRequest(
        request_id=cms_client.new_request_id(), type_code=type_code,
        casegroup_id=app.casegroup.id, case_id=app.case.id,
        source=sr_pb2.SR_SOURCE_CASEWORKER, **kw)
    return client.service_requests.CreateServiceRequest(req)


def _move(client, sr, status, **kw):
    return client.service_requests.ChangeServiceRequestStatus(
        sr_pb2.ChangeServiceRequestStatusRequest(
            request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag, status=status, **kw))


def test_arrears_review_journey(cms):
    # SR5.2, SR5.3, SR5.9, SR5.10: raise, work the plan, wait, close.
    cw = cms.as_user("cw.gb.new_case.a1")
    app = cw.casegroups.CreateApplication(application(person("LS1 1UR"), person("LS2 7EY")))
    created = _create(cw, app, "ARREARS_REVIEW", fields={"Reason": "Arrears Routing Logic"})
    sr = created.service_request
    assert not created.existing and sr.sub_area == "Arrears Review"
    assert _create(cw, app, "ARREARS_REVIEW",
                   fields={"Reason": "Arrears Routing Logic"}).service_request.id == sr.id

    sr = _move(cw, sr, catalog_pb2.SR_STATUS_IN_PROGRESS, sub_status="Gather Additional Info")
    assert len(sr.activities) >= 3 and all(
        a.status == sr_pb2.ACTIVITY_STATUS_OPEN for a in sr.activities)
    sr = _move(cw, sr, catalog_pb2.SR_STATUS_WAIT, sub_status="Wait State Arrears Notice")
    assert sr.wake_date.year > 0
    sr = _move(cw, sr, catalog_pb2.SR_STATUS_IN_PROGRESS)

    with raises_code(grpc.StatusCode.FAILED_PRECONDITION) as e:
        _move(cw, sr, catalog_pb2.SR_STATUS_CLOSED, resolution_code="No Action Appropriate")
    assert e.value.rule_id == "SR5.3"
    for a in sr.activities:
        sr = cw.service_requests.UpdateActivity(sr_pb2.UpdateActivityRequest(
            request_id=cms_client.new_request_id(), service_request_id=sr.id, etag=sr.etag,
            activity_id=a.id,
            status=sr_pb2.ACTIVITY_STATUS_DONE if a.mandatory else sr_pb2.ACTIVITY_STATUS_NOT_REQUIRED))
    sr = _move(cw, sr, catalog_pb2.SR_STATUS_CLOSED, resolution_code="No Action Appropriate",
               note="Schedule revised within tolerance")
    assert sr.status == catalog_pb2.SR_STATUS_CLOSED and sr.sub_status == "Complete"
    notes = cw.service_requests.ListNotes(sr_pb2.ListNotesRequest(
        subject=sr_pb2.NOTE_SUBJECT_SERVICE_REQUEST, subject_id=sr.id))
    assert [n.text for n in notes.notes] == ["Schedule revised within tolerance"]


def test_disclosure_for_welsh_rp_on_ni_casegroup_goes_to_gb_dot(cms):
    # SR5.7: routed by the RP's Welsh postcode to the GB Deduction Order Team;
    # the NI casegroup stays where it is, and DOT can read it.
    cw = cms.as_user("cw.ni.new_case.a1")
    app = cw.casegroups.CreateApplication(application(person("BT1 5GS"), person("CF10 1AA")))
    sr = _create(cw, app, "DISCLOSURE", subject_person_id=app.case.receiving_parent_id,
                 fields={"Disclosure Reason": "Arrears"}).service_request
    owner = cms.bom.GetSegment(bom_pb2.GetSegmentRequest(id=sr.owning_segment_id))
    assert owner.system_name.startswith("FS_GB_DOT_"), owner.system_name
    dot = cms.as_user("cw.gb.deduction_order_team.a1")
    group = dot.casegroups.GetCasegroup(cg.GetCasegroupRequest(id=app.casegroup.id))
    assert group.owning_segment_system_name.startswith("FS_NI_")
    assert dot.service_requests.GetServiceRequest(sr_pb2.GetServiceRequestRequest(id=sr.id)).id == sr.id

    # ...but cannot change it (SR5.7, X13.1): the casegroup stays with its owner.
    case = dot.casegroups.GetCase(cg.GetCaseRequest(id=app.case.id))
    with raises_code(grpc.StatusCode.PERMISSION_DENIED) as e:
        dot.casegroups.UpdateCase(cg.UpdateCaseRequest(
            request_id=cms_client.new_request_id(), id=case.id, etag=case.etag,
            lifecycle_stage=cg.LIFECYCLE_STAGE_ENFORCEMENT,
            annual_review_date=case.annual_review_date))
    assert e.value.rule_id == "SR5.7"
    with raises_code(grpc.StatusCode.PERMISSION_DENIED):
        dot.service_requests.AddNote(sr_pb2.AddNoteRequest(
            request_id=cms_client.new_request_id(), subject=sr_pb2.NOTE_SUBJECT_CASE,
            subject_id=app.case.id, text="not ours to write"))
    # The DOT works its own SR: it takes it from the GB DOT queue.
    pulled = dot.work.GetNextWork(work_pb2.GetNextWorkRequest(request_id=cms_client.new_request_id()))
    assert pulled.id == sr.id and pulled.allocated_to == "cw.gb.deduction_order_team.a1"


def test_catalog_is_listed(cms):
    # SR5.1, SR5.4: each type lists the fields it declares, mandatory or not.
    types = cms.service_requests.ListSrTypes(sr_pb2.ListSrTypesRequest()).types
    assert {"OFFER_COMPLIANCE_OPPORTUNITY", "ARREARS_REVIEW", "DISCLOSURE"} <= {t.code for t in types}
    review = next(t for t in types if t.code == "ARREARS_REVIEW")
    assert [(f.name, f.mandatory) for f in review.fields] == [
        ("Reason", True), ("Segment 5 Case", False)]
    assert list(review.mandatory_fields) == ["Reason"]
    assert all(f.description for t in types for f in t.fields)


def test_undeclared_sr_fields_are_refused_naming_each(cms):
    # SR5.4 (issue 17 defect 9): a key the type does not declare is refused,
    # on create and on update, and nothing is written.
    cw = cms.as_user("cw.gb.new_case.a1")
    app = cw.casegroups.CreateApplication(application(person("LS1 1UR"), person("LS2 7EY")))
    with raises_code(grpc.StatusCode.INVALID_ARGUMENT) as e:
        _create(cw, app, "CHANGE_INCOME", fields={"Evidence": "payslip", "Colour": "blue"})
    assert e.value.rule_id == "SR5.4"
    assert [v.field for v in e.value.field_violations] == ["fields[Colour]"]
    with raises_code(grpc.StatusCode.INVALID_ARGUMENT) as e:
        _create(cw, app, "CHANGE_INCOME", fields={f"key{i}": "v" for i in range(1000)})
    assert [v.field for v in e.value.field_violations] == ["fields"]
    listed = cw.service_requests.ListServiceRequests(sr_pb2.ListServiceRequestsRequest(
        casegroup_id=app.casegroup.id, include_closed=True))
    assert not listed.service_requests

    sr = _create(cw, app, "CHANGE_INCOME", fields={"Evidence": "payslip"}).service_request
    with raises_code(grpc.StatusCode.INVALID_ARGUMENT) as e:
        cw.service_requests.UpdateServiceRequestFields(sr_pb2.UpdateServiceRequestFieldsRequest(
            request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag,
            fields={"Evidence": "P60", "Shoe Size": "9"}))
    assert e.value.rule_id == "SR5.4"
    assert [v.field for v in e.value.field_violations] == ["fields[Shoe Size]"]
    again = cw.service_requests.GetServiceRequest(sr_pb2.GetServiceRequestRequest(id=sr.id))
    assert again.etag == sr.etag and dict(again.fields) == {"Evidence": "payslip"}
