// Repository for long-running operations (W4.6; issue 13): the `operations`
// table of migration 0010. A row holds the request that started it, its
// state and progress, and its result or error; the BULK_MOVE timer
// (app/bom.h) advances it one batch per transaction. Thread-compatible (one
// Tx per thread).
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/bom.pb.h"
#include "server/store/db.h"

namespace cms::store {

// The segment whose work moves and where it goes: the index columns of an
// operation, so a firing need not parse the request to find them.
struct OperationSubject {
  int64_t segment_id = 0;
  int64_t target_segment_id = 0;
};

// Inserts `op` (its id and name are ignored) and returns the new id.
absl::StatusOr<int64_t> InsertOperation(Tx& tx, const cms::v1::Operation& op,
                                        const OperationSubject& subject, int64_t now_us);
// NOT_FOUND when there is no such operation.
absl::StatusOr<cms::v1::Operation> GetOperation(Tx& tx, int64_t id, bool for_update = false);
// Writes state, progress, result or error and cancelled_by of `op` (by the
// id in its name); updated_us becomes `now_us`.
absl::Status UpdateOperation(Tx& tx, int64_t id, const cms::v1::Operation& op, int64_t now_us);
// Newest first, below `before_id` (0: from the newest); `state` 0 = any.
absl::StatusOr<std::vector<cms::v1::Operation>> ListOperations(Tx& tx,
                                                               cms::v1::OperationState state,
                                                               int64_t before_id, int limit);

// W4.6: the work items a bulk move of `from_segment` would move now:
// casegroups (only those whose PP's residential postcode matches
// `pp_postcode_regex`, when given) plus, for a retire (no regex), the open
// functionally unique SRs it owns.
absl::StatusOr<int64_t> CountSegmentWork(Tx& tx, int64_t from_segment,
                                         const std::string& pp_postcode_regex);

// "operations/<id>" <-> id; 0 when `name` is not of that form.
std::string OperationName(int64_t id);
int64_t OperationIdOf(const std::string& name);

}  // namespace cms::store
