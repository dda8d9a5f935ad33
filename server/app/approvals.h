// Use cases of approvals (A6.1–A6.3), of two kinds:
// - an SR's step: submit (the SR goes to PENDING_APPROVAL / "Pending
//   Approval - TL"), decide (approved or rejected with a comment, by a TL of
//   the submitter's team who is not the submitter; the SR returns to
//   IN_PROGRESS with a note);
// - a BOM change (S1.5): a TL or segment manager submits a cms.v1.BomChange
//   with its reason; SERVICE_MANAGEMENT (never the requester) decides, and
//   approving applies the change through BomApp in the same transaction.
// Plus the decider's inbox and the history of an SR's (or every BOM
// change's) submissions and decisions.
//
// A6.3: an SR step may carry an action (Seg 5 fail and extension, DEO
// cancellation; next, the LO referral), carried out on approval by the
// handler its use case registered in ApprovalActions (approval_actions.h),
// in the approving transaction, exactly once. Use cases submit their own
// steps inside their commands with SubmitIn. Thread-safe.
#pragma once

#include "cms/v1/approval.pb.h"
#include "server/app/actor.h"
#include "server/app/approval_actions.h"
#include "server/app/bom.h"
#include "server/app/commands.h"
#include "server/app/service_requests.h"
#include "server/catalog/catalog.h"

namespace cms::app {

class ApprovalApp {
 public:
  ApprovalApp(Commands& commands, ServiceRequestApp& srs, BomApp& bom,
              const catalog::SrCatalog& catalog, const ApprovalActions& actions)
      : commands_(commands), srs_(srs), bom_(bom), catalog_(catalog), actions_(actions) {}

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

  // A6.1, A6.3 as a step of a running command: SR `sr_id` (IN_PROGRESS, of
  // a type with "Pending Approval - TL", its current version) goes to
  // PENDING_APPROVAL for the TLs of the command actor's team, carrying
  // `action` (its handler is not asked: the calling use case owns it).
  absl::StatusOr<cms::v1::Approval> SubmitIn(Command& c, int64_t sr_id, std::string step,
                                             std::string comment, cms::v1::ApprovalAction action);

 private:
  absl::Status SubmitSrStep(Command& c, const cms::v1::SubmitForApprovalRequest& req,
                            cms::v1::Approval* out);
  // The SR's move to PENDING_APPROVAL and the approval row, for Submit and
  // SubmitIn; `etag` nullptr: the SR's current version.
  absl::Status SubmitStep(Command& c, int64_t sr_id, const std::string* etag,
                          const std::string& step, const std::string& comment,
                          const cms::v1::ApprovalAction& action, bool ask_handler,
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
  const ApprovalActions& actions_;
};

}  // namespace cms::app
