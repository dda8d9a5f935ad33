"""Team-leader approval end to end: a caseworker submits a DEO cancellation
on an Amend Existing MOPF SR, the team leader rejects it, the caseworker
resubmits, the team leader approves, and the history shows both."""

import grpc

import cms_client
from cms_client import approval_pb2, catalog_pb2, service_request_pb2 as sr_pb2
from cms_e2e import application, person, raises_code


def test_reject_resubmit_approve(cms):
    # A6.1, A6.2
    cw = cms.as_user("cw.gb.new_case.a1")
    tl = cms.as_user("tl.gb.new_case.a")
    app = cw.casegroups.CreateApplication(application(person("M1 1AE"), person("M2 3AW")))
    sr = cw.service_requests.CreateServiceRequest(sr_pb2.CreateServiceRequestRequest(
        request_id=cms_client.new_request_id(), type_code="AMEND_EXISTING_MOPF",
        casegroup_id=app.casegroup.id, case_id=app.case.id, source=sr_pb2.SR_SOURCE_CASEWORKER,
        fields={"MOPF Action": "Cancel DEO"})).service_request
    sr = cw.service_requests.ChangeServiceRequestStatus(sr_pb2.ChangeServiceRequestStatusRequest(
        request_id=cms_client.new_request_id(), id=sr.id, etag=sr.etag,
        status=catalog_pb2.SR_STATUS_IN_PROGRESS))

    def submit(current):
        return cw.approvals.SubmitForApproval(approval_pb2.SubmitForApprovalRequest(
            request_id=cms_client.new_request_id(), service_request_id=current.id,
            etag=current.etag, step="DEO cancellation", comment="Seg 5 passed"))

    def decide(approval, decision, comment):
        return tl.approvals.DecideApproval(approval_pb2.DecideApprovalRequest(
            request_id=cms_client.new_request_id(), approval_id=approval.id, decision=decision,
            comment=comment))

    first = submit(sr)
    inbox = tl.approvals.ListApprovalInbox(approval_pb2.ListApprovalInboxRequest())
    assert [a.id for a in inbox.approvals] == [first.id]
    with raises_code(grpc.StatusCode.INVALID_ARGUMENT) as e:
        decide(first, approval_pb2.APPROVAL_STATE_APPROVED, "")
    assert e.value.rule_id == "A6.1" and [v.field for v in e.value.field_violations] == ["comment"]
    with raises_code(grpc.StatusCode.PERMISSION_DENIED):
        cw.approvals.DecideApproval(approval_pb2.DecideApprovalRequest(
            request_id=cms_client.new_request_id(), approval_id=first.id,
            decision=approval_pb2.APPROVAL_STATE_APPROVED, comment="mine"))

    decide(first, approval_pb2.APPROVAL_STATE_REJECTED, "Attach the Seg 5 outcome")
    get = sr_pb2.GetServiceRequestRequest(id=sr.id)
    sr = cw.service_requests.GetServiceRequest(get)
    assert sr.status == catalog_pb2.SR_STATUS_IN_PROGRESS
    second = submit(sr)
    decide(second, approval_pb2.APPROVAL_STATE_APPROVED, "Outcome attached")

    history = cw.approvals.ListApprovals(approval_pb2.ListApprovalsRequest(service_request_id=sr.id))
    assert [a.state for a in history.approvals] == [approval_pb2.APPROVAL_STATE_REJECTED,
                                                    approval_pb2.APPROVAL_STATE_APPROVED]
    assert history.approvals[0].decision_comment == "Attach the Seg 5 outcome"
    assert cw.service_requests.GetServiceRequest(get).status == catalog_pb2.SR_STATUS_IN_PROGRESS
