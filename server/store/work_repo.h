// Repository for work allocation (W4.1–W4.5): the segment queue, allocation
// of casegroups and SRs, the work views and orphan detection. Every query
// here is served by an index of migrations/0002 (ix_sr_queue,
// ix_sr_allocated). Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/service_request.pb.h"
#include "server/store/db.h"

namespace cms::store {

// W4.3: the next unallocated open SR of the segment (priority first, then
// oldest), with its details, locked FOR UPDATE SKIP LOCKED so concurrent
// callers never receive the same one. A case-owning SR goes with its
// casegroup's work (W4.2), so its casegroup row is locked too, also SKIP
// LOCKED: when another caller holds that casegroup, the SR is passed over
// for the next. Taking locks only with SKIP LOCKED, SR then casegroup, means
// concurrent claimers never wait on each other in a cycle: no deadlocks,
// however many SRs of one casegroup sit together at the head of the queue.
absl::StatusOr<std::optional<cms::v1::ServiceRequest>> ClaimNextQueuedSr(Tx& tx,
                                                                         int64_t segment_id);

// W4.4: open SRs allocated to a person, counted up to `cap` (enough to
// compare with the load limit without reading a huge load whole).
absl::StatusOr<int64_t> CountOpenAllocated(Tx& tx, const std::string& staff_id, int64_t cap);
// W4.4: the active caseworker of the team with the fewest open SRs, below
// `limit`; nullopt when everyone is at the limit.
absl::StatusOr<std::optional<std::string>> LeastLoadedCaseworker(Tx& tx, int64_t team_id,
                                                                 int64_t limit);

// W4.2: allocates the casegroup and every open case-owning SR of it in the
// owning segment to `staff_id` (empty: back to the queue). With
// Sending::kWithCommit the updates go with the COMMIT, for a caller that
// reads none of the rows again (GetNextWork).
absl::Status AllocateCasegroupWork(Tx& tx, int64_t casegroup_id, int64_t segment_id,
                                   const std::string& staff_id, Sending when = Sending::kNow);
absl::Status AllocateServiceRequest(Tx& tx, int64_t sr_id, const std::string& staff_id,
                                    Sending when = Sending::kNow);

// What a bulk change moved or released, each row as it was (read under its
// lock, before the change) and as it is after, so the caller can audit every
// item (X13.2). The changes themselves stay bulk statements; the rows cost
// one locking read before and one read after per kind.
struct ChangedWork {
  std::vector<std::pair<cms::v1::Casegroup, cms::v1::Casegroup>> casegroups;
  std::vector<std::pair<cms::v1::ServiceRequest, cms::v1::ServiceRequest>> service_requests;
  int64_t size() const { return static_cast<int64_t>(casegroups.size() + service_requests.size()); }
};

// R3.3: the casegroup's open case-owning SRs move to `segment_id`, into its
// queue.
absl::StatusOr<ChangedWork> MoveCaseOwningWork(Tx& tx, int64_t casegroup_id, int64_t segment_id);

// W4.5: puts one SR in `segment_id`'s queue.
absl::Status MoveServiceRequest(Tx& tx, int64_t sr_id, int64_t segment_id);

// W4.5: returns everything allocated to `staff_id` to its queue.
absl::StatusOr<ChangedWork> ReleaseWorkOf(Tx& tx, const std::string& staff_id);

struct WorkQuery {
  // Exactly one scope: a person's work, a team's work, or a segment queue.
  std::string allocated_to;
  int64_t team_id = 0;
  int64_t queue_segment_id = 0;
  std::vector<std::string> statuses;  // short names; empty = every open status
  std::string type_code;
  int64_t created_before_us = 0;  // 0 = no age filter
  // Keyset: continue after (rank, created_us, id).
  int after_rank = -1;
  int64_t after_created_us = 0;
  int64_t after_id = 0;
  int limit = 100;
};
// Open SRs in queue order (priority first, then oldest), without their
// fields and activities.
absl::StatusOr<std::vector<cms::v1::ServiceRequest>> ListWork(Tx& tx, const WorkQuery& q);

// W4.6: moves up to `limit` casegroups of `from_segment` to `to_segment`
// with their open case-owning SRs (each move recorded with rule W4.6 and
// `trigger`). With `pp_postcode_regex` only casegroups whose PP's
// residential postcode matches move (a split); without it, up to `limit`
// open functionally unique SRs owned by `from_segment` move too (a retire).
// Everything lands in the target's queue. Returns what moved; nothing when
// nothing is left.
absl::StatusOr<ChangedWork> MoveSegmentWorkBatch(Tx& tx, int64_t from_segment, int64_t to_segment,
                                                 int limit, const std::string& trigger,
                                                 const std::string& actor, int64_t now_us,
                                                 const std::string& pp_postcode_regex = "");

// W4.3: a segment's queue (its open SRs allocated to nobody) counted by
// age, as of a business time: `aged_under[i]` counts those raised after
// `bounds_us[i]` and at or before the bound before it (the last: at or
// before bounds_us[2]). Zero rows for an empty queue.
struct QueueCount {
  int64_t segment_id = 0;
  int64_t queued = 0;
  int64_t priority = 0;
  int64_t by_age[4] = {0, 0, 0, 0};  // newer than bounds_us[0], ..., older
  int64_t oldest_created_us = 0;
};
// Every segment's (segment_id 0), or one's; one covering scan of
// ix_sr_queue. `bounds_us` are decreasing: now - 7, 30 and 90 days.
absl::StatusOr<std::vector<QueueCount>> CountQueues(Tx& tx, int64_t segment_id,
                                                    const int64_t (&bounds_us)[3]);
// The same queues counted by SR type, by segment then the most first:
// ix_sr_queue finds the rows, each read for its type.
struct QueueTypeCount {
  int64_t segment_id = 0;
  std::string type_code;
  int64_t queued = 0;
};
absl::StatusOr<std::vector<QueueTypeCount>> CountQueuesByType(Tx& tx, int64_t segment_id);

// W4.4: a team's load: each active caseworker of the team (with zeros when
// they hold nothing) and any other active member holding open work, by
// staff id, with the open SRs allocated to them. The staff rows come from
// ix_staff_team, each member's SRs from ix_sr_allocated alone.
struct MemberLoadCount {
  std::string staff_id;
  cms::v1::Role role = cms::v1::ROLE_UNSPECIFIED;
  int64_t open = 0;
  int64_t priority = 0;
  int64_t oldest_created_us = 0;  // 0 when they hold none
};
absl::StatusOr<std::vector<MemberLoadCount>> CountTeamLoad(Tx& tx, int64_t team_id);

// W4.5: work whose allocatee is not an active member of the owning segment,
// or whose owning segment is retired.
struct Orphans {
  std::vector<int64_t> casegroup_ids;
  std::vector<int64_t> service_request_ids;
};
absl::StatusOr<Orphans> FindOrphans(Tx& tx);

}  // namespace cms::store
