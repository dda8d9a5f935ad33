// The status moves a caller may ask for on a service request, which a
// client offers (SR5.2, A6.1, AG11.1). SR5.2's machine (sr_rules.h) says
// which status may follow which; some of its moves belong to a use case
// rather than to ChangeServiceRequestStatus: PENDING_APPROVAL is entered
// through SubmitForApproval and left through a team leader's decision
// (A6.1), and an A&G SR is closed by its answer (AG11.1). The server
// refuses those routes here and lists what is left on every SR it returns
// (ServiceRequest.allowed_next_statuses, may_submit_for_approval), so a
// client holds no copy of the machine. Pure and thread-safe.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "cms/v1/catalog.pb.h"
#include "cms/v1/service_request.pb.h"

namespace cms::domain {

// A6.1: the sub status of PENDING_APPROVAL a type declares when its SRs
// have a team leader approval step.
inline constexpr char kSubStatusPendingTl[] = "Pending Approval - TL";

// A6.1: SRs of `type` are submitted for team leader approval.
bool HasApprovalStep(const cms::v1::SrType& type);

// The Segment 5 offer's SR type: ended by the procedure only (S5.4).
inline constexpr char kOfferComplianceOpportunitySrType[] = "OFFER_COMPLIANCE_OPPORTUNITY";

// A6.1, AG11.1, S5.4: FAILED_PRECONDITION naming the rule when a caller's
// ChangeServiceRequestStatus may not take this route, even where SR5.2's
// machine has the move; OK otherwise (the machine is checked by
// CheckStatusMove).
absl::Status CheckCallerRoute(const cms::v1::SrType& type, cms::v1::SrStatus from,
                              cms::v1::SrStatus to);

// SR5.2 less CheckCallerRoute's refusals: what ChangeServiceRequestStatus
// may be asked for from `from`, in the machine's order, then `from` itself
// when the SR may stay in it to change its sub status (MayChangeSubStatusIn). Whether a close then
// succeeds depends also on the plan (SR5.3), open children (SR5.5) and a
// pending calculation (M7.4), which the move checks.
std::vector<cms::v1::SrStatus> CallerNextStatuses(const cms::v1::SrType& type,
                                                  cms::v1::SrStatus from);

// A6.1: SubmitForApproval may move an SR of `type` from `from`: the type has
// the approval step and the machine leads from `from` to PENDING_APPROVAL.
bool MaySubmitForApproval(const cms::v1::SrType& type, cms::v1::SrStatus from);

}  // namespace cms::domain
