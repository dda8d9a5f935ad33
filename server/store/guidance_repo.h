// Repository for Advice and Guidance (AG11.1; issue 16): the
// `private_guidance_requests` and `guidance_answers` tables of migration
// 0018, and A&G's queue over them and the open A&G SRs. A private request's
// etag is its row version; answers are immutable rows (a correction is a
// new row naming the one it supersedes). Thread-compatible (one Tx per
// thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/guidance.pb.h"
#include "server/store/db.h"

namespace cms::store {

// ---- private requests (without their answers: see ListGuidanceAnswers)

// Inserts `r` at version 1 and returns it as stored (id, etag, times set).
absl::StatusOr<cms::v1::PrivateGuidanceRequest> InsertPrivateGuidanceRequest(
    Tx& tx, cms::v1::PrivateGuidanceRequest r, int64_t now_us);
// NOT_FOUND naming the request.
absl::StatusOr<cms::v1::PrivateGuidanceRequest> GetPrivateGuidanceRequest(Tx& tx, int64_t id,
                                                                          bool for_update = false);
// Writes state, closed_by and close_time of `r` (as read FOR UPDATE in
// this transaction) as its next version.
absl::Status UpdatePrivateGuidanceRequest(Tx& tx, cms::v1::PrivateGuidanceRequest& r,
                                          int64_t now_us);

// The rows a caller may read: every row, or those matching any of the
// non-empty scopes (OR); and the filters (AND).
struct PrivateGuidanceFilter {
  bool all = false;
  int64_t answering_segment_id = 0;
  int64_t raising_team_id = 0;
  std::string raised_by;
  cms::v1::PrivateGuidanceState state = cms::v1::PRIVATE_GUIDANCE_STATE_UNSPECIFIED;  // any
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;                            // any
};
// In id order (the order raised) after `after_id`, at most `limit`.
absl::StatusOr<std::vector<cms::v1::PrivateGuidanceRequest>> ListPrivateGuidanceRequests(
    Tx& tx, const PrivateGuidanceFilter& filter, int64_t after_id, int limit);

// ---- answers

// Inserts `a` (answer_time and id set from the row) and returns it.
absl::StatusOr<cms::v1::GuidanceAnswer> InsertGuidanceAnswer(Tx& tx, cms::v1::GuidanceAnswer a,
                                                             int64_t now_us);
// NOT_FOUND naming the answer; superseded_by_id set.
absl::StatusOr<cms::v1::GuidanceAnswer> GetGuidanceAnswer(Tx& tx, int64_t id);
// Every answer of an A&G SR / of private requests, oldest first, each with
// superseded_by_id set.
absl::StatusOr<std::vector<cms::v1::GuidanceAnswer>> ListSrGuidanceAnswers(
    Tx& tx, int64_t service_request_id);
absl::StatusOr<std::vector<cms::v1::GuidanceAnswer>> ListPrivateGuidanceAnswers(
    Tx& tx, const std::vector<int64_t>& private_request_ids);

// ---- A&G's queue

struct GuidanceQueueFilter {
  int64_t answering_segment_id = 0;  // 0: every A&G segment
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;
  cms::v1::GuidanceKind kind = cms::v1::GUIDANCE_KIND_UNSPECIFIED;  // both
};
// The keyset of the queue's order: oldest first, an SR before a private
// request raised in the same microsecond, then by id.
struct GuidanceQueueCursor {
  int64_t created_us = -1;
  int kind = 0;  // cms.v1.GuidanceKind number
  int64_t id = 0;
};
struct GuidanceQueueRow {
  cms::v1::GuidanceQueueItem item;
  int64_t created_us = 0;
};
// The open A&G SRs (not on a special client records casegroup) and the
// OPEN private requests after `after`, at most `limit`, in queue order.
absl::StatusOr<std::vector<GuidanceQueueRow>> ListGuidanceQueue(Tx& tx,
                                                                const GuidanceQueueFilter& filter,
                                                                const GuidanceQueueCursor& after,
                                                                int limit);

}  // namespace cms::store
