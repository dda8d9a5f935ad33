#include "server/app/deo_cancellation.h"

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"

namespace cms::app {
namespace {

constexpr char kMopfSrType[] = "AMEND_EXISTING_MOPF";

}  // namespace

absl::Status DeoCancellation::CheckSubmit(Command& c, const cms::v1::ServiceRequest& sr,
                                          const cms::v1::ApprovalAction& action) {
  const cms::v1::DeoCancellationAction& deo = action.deo_cancellation();
  if (sr.type_code() != kMopfSrType || sr.casegroup_id() != deo.casegroup_id()) {
    return InvalidField("service_request_id",
                        "a DEO is cancelled through an Amend Existing MOPF SR of its casegroup",
                        "A6.3");
  }
  CMS_ASSIGN_OR_RETURN(auto active, mopf_.ActiveMethods(c, deo.casegroup_id()));
  for (const cms::v1::MopfMethod& m : active) {
    if (m.id() == deo.method_id()) {
      if (m.method() != cms::v1::PAYMENT_METHOD_DEO) {
        return InvalidField("action.deo_cancellation.method_id",
                            "not a DEO: cancel it with CancelMopfMethod", "A6.3");
      }
      return absl::OkStatus();
    }
  }
  return InvalidField("action.deo_cancellation.method_id",
                      "no active method of the casegroup's MOPF", "A6.3");
}

absl::StatusOr<std::string> DeoCancellation::ApprovalApproved(Command& c,
                                                              const cms::v1::Approval& approval) {
  const cms::v1::DeoCancellationAction& deo = approval.action().deo_cancellation();
  const absl::CivilDay today = clock_.Today(c.now());
  CMS_RETURN_IF_ERROR(mopf_
                          .CancelMopfMethodIn(c, deo.casegroup_id(), approval.service_request_id(),
                                              deo.method_id(), today)
                          .status());
  CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, approval.service_request_id(), "MOPF Cancelled",
                                       "Complete",
                                       absl::StrCat("DEO method ", deo.method_id(),
                                                    " cancelled with team leader approval (A6.3)"),
                                       "A6.3")
                          .status());
  return absl::StrCat("DEO method ", deo.method_id(), " cancelled: last day ",
                      absl::FormatCivilTime(today), "; SR ", approval.service_request_id(),
                      " closed MOPF Cancelled");
}

absl::StatusOr<std::string> DeoCancellation::ApprovalRejected(Command&,
                                                              const cms::v1::Approval& approval) {
  return absl::StrCat("DEO method ", approval.action().deo_cancellation().method_id(),
                      " stays in place");
}

}  // namespace cms::app
