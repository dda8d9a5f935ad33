// Repository for the daily missed-payment job (AR10.1): marking the PENDING
// items past a cutoff, a range of cases at a time (ix_items_case), and the
// missed-payment events it emits. Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/common.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// The highest case id with a schedule item (the end of the job's walk).
absl::StatusOr<int64_t> MaxScheduledCaseId(Tx& tx);

// PENDING -> MISSED (nothing paid) or PARTIAL, with missed_on = `day`, for
// the items due before `cutoff` of cases [first_case, last_case]. Only
// PENDING rows change (a held schedule's HELD items never do, S5.14).
// Returns how many did.
absl::StatusOr<int64_t> MarkOverdueItems(Tx& tx, int64_t first_case, int64_t last_case,
                                         const cms::v1::Date& cutoff, const cms::v1::Date& day);

struct ItemStanding {
  int64_t case_id = 0;
  int64_t id = 0;
  cms::v1::Date due_date;
  std::string status;  // PENDING, PAID, PARTIAL, MISSED
  cms::v1::Date missed_on;
};
// Every item that still applies (neither SUPERSEDED nor HELD) of cases
// [first_case, last_case], by case then due date.
absl::StatusOr<std::vector<ItemStanding>> ListItemStandings(Tx& tx, int64_t first_case,
                                                            int64_t last_case);

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
// One page of a case's events, oldest first.
absl::StatusOr<std::vector<MissedPaymentEvent>> ListMissedPaymentEvents(Tx& tx, int64_t case_id,
                                                                        const PageRequest& page);

}  // namespace cms::store
