// Repository for P2P schedules and their items, payments, the fee and
// charge ledger, fee waivers (M7.5–M7.7) and missed-payment events (AR10.1).
// Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "cms/v1/payment.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// ---- schedules. `s.items` are written with their schedule, in one
// statement per 500 items: a schedule whose state is
// HELD_FOR_ALLOCATION_REVIEW is written so with its items HELD (S5.14), any
// other as CURRENT with its items PENDING.
absl::StatusOr<int64_t> InsertSchedule(Tx& tx, const cms::v1::Schedule& s, int64_t now_us);
// The case's CURRENT schedule with its items (in sequence), if any;
// `for_update` locks the schedule row (a case's money changes one at a time).
absl::StatusOr<std::optional<cms::v1::Schedule>> GetCurrentSchedule(Tx& tx, int64_t case_id,
                                                                    bool for_update = false);
// S5.14: the case's newest schedule held for manual allocation review, if
// any (`for_update` locks its row).
absl::StatusOr<std::optional<cms::v1::Schedule>> FindHeldSchedule(Tx& tx, int64_t case_id,
                                                                  bool for_update = false);
// One schedule by id, in any state, with its items; NOT_FOUND naming it.
absl::StatusOr<cms::v1::Schedule> GetSchedule(Tx& tx, int64_t schedule_id, bool for_update = false);
// S5.14: links the held schedule to its Manual Allocation Review SR.
absl::Status SetScheduleReviewSr(Tx& tx, int64_t schedule_id, int64_t sr_id);
// S5.14: the held schedule becomes CURRENT, its HELD items PENDING, with who
// released it, when and their note. The caller has superseded the case's
// current schedule first.
absl::Status ReleaseHeldSchedule(Tx& tx, int64_t schedule_id, const std::string& released_by,
                                 const std::string& note, int64_t now_us);
// S5.14: a held schedule replaced before its release becomes SUPERSEDED
// from its own first collection; its HELD items SUPERSEDED.
absl::Status SupersedeHeldSchedule(Tx& tx, int64_t schedule_id);
// One page of the case's schedules, oldest first, without items.
absl::StatusOr<std::vector<cms::v1::Schedule>> ListSchedules(Tx& tx, int64_t case_id,
                                                             const PageRequest& page);
// The revision: the schedule becomes SUPERSEDED from `from`; its PENDING
// items due on or after `from` become SUPERSEDED.
absl::Status SupersedeSchedule(Tx& tx, int64_t schedule_id, const cms::v1::Date& from);

// Every item of the case that still applies, by due date: neither
// SUPERSEDED nor HELD (a held schedule's items are owed by nobody, S5.14).
absl::StatusOr<std::vector<cms::v1::ScheduleItem>> ListOwedItems(Tx& tx, int64_t case_id);
// The case's items due in [from, to) that still apply, by due date, with
// the standing last written (one range of ix_items_case (case_id, due_date)).
absl::StatusOr<std::vector<cms::v1::ScheduleItem>> ListOwedItemsDue(Tx& tx, int64_t case_id,
                                                                    const cms::v1::Date& from,
                                                                    const cms::v1::Date& to);
// Writes status, paid and the three flags of each item.
absl::Status UpdateItemStanding(Tx& tx, const std::vector<cms::v1::ScheduleItem>& items);

// ---- payments, oldest received first.
absl::StatusOr<int64_t> InsertPayment(Tx& tx, const cms::v1::Payment& p, int64_t now_us);
absl::StatusOr<std::vector<cms::v1::Payment>> ListPayments(Tx& tx, int64_t case_id);
// A payment's case, day and amount: what the nightly RDO check sums.
struct PaymentReceipt {
  int64_t case_id = 0;
  absl::CivilDay received;
  int64_t amount_pence = 0;
};
// The payments of `case_ids` (the server's own ids) made by `method` and
// received on or after `from`, by case then day.
absl::StatusOr<std::vector<PaymentReceipt>> ListReceiptsByMethod(
    Tx& tx, const std::vector<int64_t>& case_ids, cms::v1::PaymentMethod method,
    absl::CivilDay from);

// ---- ledger (collection fees, enforcement charges), by effective date.
absl::StatusOr<int64_t> InsertLedgerEntry(Tx& tx, const cms::v1::LedgerEntry& e, int64_t now_us);
absl::StatusOr<std::vector<cms::v1::LedgerEntry>> ListLedgerEntries(Tx& tx, int64_t case_id);

// ---- fee waivers, oldest first.
absl::StatusOr<int64_t> InsertFeeWaiver(Tx& tx, const cms::v1::FeeWaiver& w, int64_t now_us);
absl::StatusOr<std::vector<cms::v1::FeeWaiver>> ListFeeWaivers(Tx& tx, int64_t case_id);
absl::Status EndFeeWaiver(Tx& tx, int64_t waiver_id, const cms::v1::Date& to_date,
                          const std::string& ended_by, int64_t now_us);

}  // namespace cms::store
