// A6.3, M7.2: cancelling a DEO needs team leader approval. A caseworker
// submits the Amend Existing MOPF SR for approval with action
// deo_cancellation (ApprovalService.SubmitForApproval); the Segment 5 pass
// does the same for each DEO it cancels (S5.9). Approved, the DEO's last
// day is the day of approval and the SR closes "MOPF Cancelled"; rejected,
// the DEO stays and the SR is back IN_PROGRESS to amend (A6.2). The RPCs of
// MopfApp refuse to end a DEO any other way. Thread-safe.
#pragma once

#include "server/app/approval_actions.h"
#include "server/app/mopf.h"
#include "server/app/service_requests.h"

namespace cms::app {

class DeoCancellation final : public ApprovalActionHandler {
 public:
  DeoCancellation(const BusinessClock& clock, MopfApp& mopf, ServiceRequestApp& srs)
      : clock_(clock), mopf_(mopf), srs_(srs) {}

  absl::Status CheckSubmit(Command& c, const cms::v1::ServiceRequest& sr,
                           const cms::v1::ApprovalAction& action) override;
  absl::StatusOr<std::string> ApprovalApproved(Command& c,
                                               const cms::v1::Approval& approval) override;
  absl::StatusOr<std::string> ApprovalRejected(Command& c,
                                               const cms::v1::Approval& approval) override;

 private:
  const BusinessClock& clock_;
  MopfApp& mopf_;
  ServiceRequestApp& srs_;
};

}  // namespace cms::app
