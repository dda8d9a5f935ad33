// Use cases of approvals (A6.1–A6.3), of two kinds:
// - an SR's step: submit (the SR goes to PENDING_APPROVAL / "Pending
//   Approval - TL"), decide (approved or rejected with a comment, by a TL of
//   the submitter's team who is not the submitter; the SR returns to
//   IN_PROGRESS with a note);
// - a BOM change (S1.5): a TL or segment manager submits a cms.v1.BomChange
//   with its reason; SERVICE_MANAGEMENT (never the requester) decides, and
//   approving applies the change through BomApp in the same transaction.
// Plus the decider's inbox and the history of an SR's (or every BOM
// change's) submissions and decisions. Steps that later issues name (A6.3:
// Seg 5 fail and extension, DEO cancellation, LO referral) submit through
// Submit and act on APPROVED in their own use cases. Thread-safe.
#pragma once

#include "cms/v1/approval.pb.h"
#include "server/app/actor.h"
#include "server/app/bom.h"
#include "server/app/commands.h"
#include "server/app/service_requests.h"
#include "server/catalog/catalog.h"

namespace cms::app {

class ApprovalApp {
 public:
  ApprovalApp(Commands& commands, ServiceRequestApp& srs, BomApp& bom,
              const catalog::SrCatalog& catalog)
      : commands_(commands), srs_(srs), bom_(bom), catalog_(catalog) {}

  absl::Status Submit(const Actor& actor, const cms::v1::SubmitForApprovalRequest& req,
                      cms::v1::Approval* out);
  absl::Status Decide(const Actor& actor, const cms::v1::DecideApprovalRequest& req,
                      cms::v1::Approval* out);
  absl::Status Get(const Actor& actor, const cms::v1::GetApprovalRequest& req,
                   cms::v1::Approval* out);
  absl::Status ListInbox(const Actor& actor, const cms::v1::ListApprovalInboxRequest& req,
                         cms::v1::ListApprovalInboxResponse* out);
  absl::Status List(const Actor& actor, const cms::v1::ListApprovalsRequest& req,
                    cms::v1::ListApprovalsResponse* out);

 private:
  absl::Status SubmitSrStep(Command& c, const cms::v1::SubmitForApprovalRequest& req,
                            cms::v1::Approval* out);
  absl::Status SubmitBomChange(Command& c, const cms::v1::SubmitForApprovalRequest& req,
                               cms::v1::Approval* out);
  absl::Status Insert(Command& c, cms::v1::Approval a, const std::string& comment,
                      cms::v1::Approval* out);
  // The effect of a decision on the approval's subject, before it is recorded.
  absl::Status DecideSrStep(Command& c, const cms::v1::Approval& before, bool approved,
                            const std::string& comment);
  absl::Status DecideBomChange(Command& c, const cms::v1::Approval& before, bool approved);

  Commands& commands_;
  ServiceRequestApp& srs_;
  BomApp& bom_;
  const catalog::SrCatalog& catalog_;
};

}  // namespace cms::app
