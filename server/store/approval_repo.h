// Repository for approvals (A6.1, A6.2; S1.5 BOM changes): one row per
// submission, the decision recorded on it. Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/approval.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Returns the new id; `id`, times and decision fields of `a` are ignored.
absl::StatusOr<int64_t> InsertApproval(Tx& tx, const cms::v1::Approval& a, int64_t now_us);
absl::StatusOr<cms::v1::Approval> GetApproval(Tx& tx, int64_t id, bool for_update = false);
// Records the decision (state, decided_by, decision_comment, action_result)
// of `a`.
absl::Status DecideApproval(Tx& tx, const cms::v1::Approval& a, int64_t now_us);
// A6.1: a team's pending SR-step approvals, oldest first (ix_approvals_inbox).
absl::StatusOr<std::vector<cms::v1::Approval>> ListPendingApprovals(Tx& tx, int64_t team_id,
                                                                    const PageRequest& page);
// Approvals of a kind, optionally of one state (UNSPECIFIED: any), oldest
// first (ix_approvals_kind_inbox): SERVICE_MANAGEMENT's BOM change inbox.
absl::StatusOr<std::vector<cms::v1::Approval>> ListApprovalsOfKind(Tx& tx,
                                                                   cms::v1::ApprovalKind kind,
                                                                   cms::v1::ApprovalState state,
                                                                   const PageRequest& page);
// A6.2: an SR's approvals, optionally of one state, oldest first
// (ix_approvals_sr).
absl::StatusOr<std::vector<cms::v1::Approval>> ListApprovalsOfSr(Tx& tx, int64_t sr_id,
                                                                 cms::v1::ApprovalState state,
                                                                 const PageRequest& page);

// A6.2: the SR-step approvals submitted by a team's members, optionally of
// one state, newest first (ix_approvals_team): rows before page.after_id
// (the last id of the previous page), or from the newest when it is 0.
absl::StatusOr<std::vector<cms::v1::Approval>> ListApprovalsOfTeam(Tx& tx, int64_t team_id,
                                                                   cms::v1::ApprovalState state,
                                                                   const PageRequest& page);

}  // namespace cms::store
