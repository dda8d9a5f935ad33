#include "server/domain/sr_moves.h"

#include <algorithm>

#include "server/base/errors.h"
#include "server/domain/guidance.h"
#include "server/domain/sr_rules.h"

namespace cms::domain {

using cms::v1::SrStatus;

bool HasApprovalStep(const cms::v1::SrType& type) {
  return std::any_of(type.sub_statuses().begin(), type.sub_statuses().end(), [](const auto& s) {
    return s.name() == kSubStatusPendingTl && s.status() == cms::v1::SR_STATUS_PENDING_APPROVAL;
  });
}

absl::Status CheckCallerRoute(const cms::v1::SrType& type, SrStatus from, SrStatus to) {
  if (to == cms::v1::SR_STATUS_PENDING_APPROVAL || from == cms::v1::SR_STATUS_PENDING_APPROVAL) {
    return RuleViolation("A6.1",
                         "an SR enters and leaves PENDING_APPROVAL only through ApprovalService "
                         "(SubmitForApproval, then a team leader's DecideApproval)");
  }
  if (to == cms::v1::SR_STATUS_CLOSED && ClosedByAnswerOnly(type.code())) {
    return RuleViolation("AG11.1",
                         "an A&G SR is closed by its answer: Advice and Guidance record it with "
                         "GuidanceService.AnswerGuidanceRequest, which closes the SR (it may be "
                         "cancelled)");
  }
  if ((to == cms::v1::SR_STATUS_CLOSED || to == cms::v1::SR_STATUS_CANCELLED) &&
      type.code() == kOfferComplianceOpportunitySrType) {
    return RuleViolation("S5.4",
                         "the Offer Compliance Opportunity SR ends with the PP's decision "
                         "(ComplianceService.DecideOffer), with no response on day 15, or when "
                         "a change of circumstance withdraws the offer; the server closes it "
                         "then, so the opportunity and its SR never disagree");
  }
  return absl::OkStatus();
}

std::vector<SrStatus> CallerNextStatuses(const cms::v1::SrType& type, SrStatus from) {
  std::vector<SrStatus> out;
  for (SrStatus to : AllowedNextStatuses(from)) {
    if (CheckCallerRoute(type, from, to).ok()) out.push_back(to);
  }
  if (MayChangeSubStatusIn(type, from)) out.push_back(from);  // a sub status change
  return out;
}

bool MaySubmitForApproval(const cms::v1::SrType& type, SrStatus from) {
  if (!HasApprovalStep(type) || from == cms::v1::SR_STATUS_PENDING_APPROVAL) return false;
  const std::vector<SrStatus> next = AllowedNextStatuses(from);
  return std::find(next.begin(), next.end(), cms::v1::SR_STATUS_PENDING_APPROVAL) != next.end();
}

}  // namespace cms::domain
