// Repository for the daily missed-payment job (AR10.1): the PENDING items
// past a cutoff, case by case (ix_items_pending), their marking, and the
// missed-payment events it emits. Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/common.pb.h"
#include "server/store/db.h"

namespace cms::store {

struct OverdueItem {
  int64_t id = 0;
  int64_t case_id = 0;
};

// Locks the PENDING items due before `cutoff` of the cases after
// `after_case_id`, in case order, at most `limit` rows; the caller drops a
// case the limit cut short.
absl::StatusOr<std::vector<OverdueItem>> LockOverdueItems(Tx& tx, const cms::v1::Date& cutoff,
                                                          int64_t after_case_id, int limit);
// PENDING -> MISSED (nothing paid) or PARTIAL; only PENDING rows change.
absl::StatusOr<int64_t> MarkItemsOverdue(Tx& tx, const std::vector<int64_t>& item_ids);

struct ItemStanding {
  int64_t case_id = 0;
  int64_t id = 0;
  cms::v1::Date due_date;
  std::string status;  // PENDING, PAID, PARTIAL, MISSED
};
// Every item that still applies of `case_ids`, by case then due date.
absl::StatusOr<std::vector<ItemStanding>> ListItemStandings(Tx& tx,
                                                            const std::vector<int64_t>& case_ids);

struct MissedPaymentEvent {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t item_id = 0;  // the latest item the run found missed: the event's key
  int run_count = 0;
  cms::v1::Date event_date;
  std::string outcome;
};
// INSERT IGNORE (one event per item); returns the stored events of these
// items, new and old, with their ids.
absl::StatusOr<std::vector<MissedPaymentEvent>> InsertMissedPaymentEvents(
    Tx& tx, const std::vector<MissedPaymentEvent>& events, int64_t now_us);
absl::StatusOr<MissedPaymentEvent> GetMissedPaymentEvent(Tx& tx, int64_t id, bool for_update);
absl::Status SetMissedPaymentOutcome(Tx& tx, int64_t id, const std::string& outcome);
// A case's events, oldest first.
absl::StatusOr<std::vector<MissedPaymentEvent>> ListMissedPaymentEvents(Tx& tx, int64_t case_id);

}  // namespace cms::store
