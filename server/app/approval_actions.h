// A6.3: approvals that act. An SR step submitted for approval may carry a
// cms.v1.ApprovalAction, what approving it does. The use case that owns
// the action registers a handler for its kind; ApprovalApp::Decide calls
// it inside the approving command, after the SR is back IN_PROGRESS and
// before the decision is written, so the action and the decision commit
// together or not at all. The approval row is locked and must be PENDING,
// so an action is carried out exactly once (a replayed request id returns
// the first answer). A rejection calls the handler's ApprovalRejected,
// which records it and never carries the action out.
//
// Handlers are registered at start-up, before the server serves; Find is
// then read-only and thread-safe.
#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cms/v1/approval.pb.h"
#include "cms/v1/service_request.pb.h"
#include "server/app/commands.h"

namespace cms::app {

class ApprovalActionHandler {
 public:
  virtual ~ApprovalActionHandler() = default;

  // Whether the command's actor may ask, through SubmitForApproval, for
  // `action` on SR `sr` (IN_PROGRESS, about to go to PENDING_APPROVAL).
  // An action only its owning use case submits answers FAILED_PRECONDITION
  // naming that use case.
  virtual absl::Status CheckSubmit(Command& c, const cms::v1::ServiceRequest& sr,
                                   const cms::v1::ApprovalAction& action) = 0;
  // Carries out the approved `approval`'s action as the approver; returns
  // what it did (Approval.action_result).
  virtual absl::StatusOr<std::string> ApprovalApproved(Command& c,
                                                       const cms::v1::Approval& approval) = 0;
  // Records the rejection; the action is never carried out. Returns what
  // was recorded.
  virtual absl::StatusOr<std::string> ApprovalRejected(Command& c,
                                                       const cms::v1::Approval& approval) = 0;
};

class ApprovalActions {
 public:
  void Register(cms::v1::ApprovalAction::ActionCase kind, ApprovalActionHandler* handler) {
    handlers_[kind] = handler;
  }
  // nullptr when nothing handles `kind`.
  ApprovalActionHandler* Find(cms::v1::ApprovalAction::ActionCase kind) const {
    auto it = handlers_.find(kind);
    return it == handlers_.end() ? nullptr : it->second;
  }

 private:
  absl::flat_hash_map<int, ApprovalActionHandler*> handlers_;
};

}  // namespace cms::app
