// ApprovalService (proto/cms/v1/approval.proto): translation only; rules
// live in app/approvals.h. Thread-safe.
#pragma once

#include "cms/v1/approval.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/approvals.h"

namespace cms::api {

class ApprovalService final : public cms::v1::ApprovalService::CallbackService {
 public:
  ApprovalService(RpcRunner& runner, app::ApprovalApp& approvals)
      : runner_(runner), approvals_(approvals) {}

  CMS_RPC(ApprovalService, SubmitForApproval, SubmitForApprovalRequest, Approval,
          approvals_.Submit(actor, *req, resp))
  CMS_RPC(ApprovalService, DecideApproval, DecideApprovalRequest, Approval,
          approvals_.Decide(actor, *req, resp))
  CMS_RPC(ApprovalService, GetApproval, GetApprovalRequest, Approval,
          approvals_.Get(actor, *req, resp))
  CMS_RPC(ApprovalService, ListApprovalInbox, ListApprovalInboxRequest, ListApprovalInboxResponse,
          approvals_.ListInbox(actor, *req, resp))
  CMS_RPC(ApprovalService, ListApprovals, ListApprovalsRequest, ListApprovalsResponse,
          approvals_.List(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::ApprovalApp& approvals_;
};

}  // namespace cms::api
