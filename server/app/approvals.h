// Use cases of team-leader approval of an SR's step (A6.1, A6.2): submit
// (the SR goes to PENDING_APPROVAL / "Pending Approval - TL"), decide
// (approved or rejected with a comment, by a TL of the submitter's team who
// is not the submitter; the SR returns to IN_PROGRESS with a note), the
// TL's inbox and an SR's history. Steps that later issues name (A6.3: Seg 5
// fail and extension, DEO cancellation, LO referral) submit through Submit
// and act on APPROVED in their own use cases. Thread-safe.
#pragma once

#include "cms/v1/approval.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/app/service_requests.h"
#include "server/catalog/catalog.h"

namespace cms::app {

class ApprovalApp {
 public:
  ApprovalApp(Commands& commands, ServiceRequestApp& srs, const catalog::SrCatalog& catalog)
      : commands_(commands), srs_(srs), catalog_(catalog) {}

  absl::Status Submit(const Actor& actor, const cms::v1::SubmitForApprovalRequest& req,
                      cms::v1::Approval* out);
  absl::Status Decide(const Actor& actor, const cms::v1::DecideApprovalRequest& req,
                      cms::v1::Approval* out);
  absl::Status ListInbox(const Actor& actor, const cms::v1::ListApprovalInboxRequest& req,
                         cms::v1::ListApprovalsResponse* out);
  absl::Status ListOfSr(const Actor& actor, const cms::v1::ListApprovalsRequest& req,
                        cms::v1::ListApprovalsResponse* out);

 private:
  Commands& commands_;
  ServiceRequestApp& srs_;
  const catalog::SrCatalog& catalog_;
};

}  // namespace cms::app
