// Repository for arrears — consider action (AR10.*; issue 15): the
// `arrears_actions` and `arrears_events` tables of migration 0014. An action
// is stored whole (its proto) beside the columns that queries filter on; its
// etag is its row version. Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "cms/v1/arrears.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Inserts `action` (id, etag and times are set from the row) at version 1
// and returns it as stored.
absl::StatusOr<cms::v1::ArrearsAction> InsertArrearsAction(Tx& tx, cms::v1::ArrearsAction action,
                                                           int64_t now_us);
// NOT_FOUND naming the action.
absl::StatusOr<cms::v1::ArrearsAction> GetArrearsAction(Tx& tx, int64_t id,
                                                        bool for_update = false);
absl::StatusOr<std::optional<cms::v1::ArrearsAction>> FindArrearsActionByCase(
    Tx& tx, int64_t case_id, bool for_update = false);
// Writes `action` as the next version (its etag and update_time are set).
// `action` is as read FOR UPDATE in this transaction (or as last written by
// it), so its etag is the row's current one.
absl::Status UpdateArrearsAction(Tx& tx, cms::v1::ArrearsAction& action, int64_t now_us);

// UpdateArrearsAction for many actions in one statement (the nightly RDO
// check's batch): each as read FOR UPDATE in this transaction.
absl::Status UpdateArrearsActions(Tx& tx, std::vector<cms::v1::ArrearsAction>& actions,
                                  int64_t now_us);

struct ArrearsFilter {
  cms::v1::ArrearsState state = cms::v1::ARREARS_STATE_UNSPECIFIED;  // any
  cms::v1::ArrearsRung rung = cms::v1::ARREARS_RUNG_UNSPECIFIED;     // any
  int64_t owning_segment_id = 0;                                     // any
};
// In id order after page.after_id, at most page.limit.
absl::StatusOr<std::vector<cms::v1::ArrearsAction>> ListArrearsActions(Tx& tx,
                                                                       const ArrearsFilter& filter,
                                                                       const PageRequest& page);

// AR10.6: the actions whose next RDO payment to judge is due on or before
// `due_by` (the nightly RDO compliance check's work), in id order.
absl::StatusOr<std::vector<int64_t>> ListRdoChecksDue(Tx& tx, absl::CivilDay due_by);
// The actions `ids` (the server's own), locked, in id order; missing ids
// are left out.
absl::StatusOr<std::vector<cms::v1::ArrearsAction>> LockArrearsActions(
    Tx& tx, const std::vector<int64_t>& ids);

// AR10.13: the cases in [first_case, last_case] whose Disable Missed
// Payment Monitor is set.
absl::StatusOr<std::vector<int64_t>> CasesWithMonitorDisabled(Tx& tx, int64_t first_case,
                                                              int64_t last_case);

absl::Status InsertArrearsEvent(Tx& tx, const cms::v1::ArrearsEvent& e, int64_t now_us);
// Many events in one statement, in order.
absl::Status InsertArrearsEvents(Tx& tx, const std::vector<cms::v1::ArrearsEvent>& events,
                                 int64_t now_us);
absl::StatusOr<std::vector<cms::v1::ArrearsEvent>> ListArrearsEvents(Tx& tx, int64_t action_id,
                                                                     const PageRequest& page);

}  // namespace cms::store
