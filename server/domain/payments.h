// Payments against a P2P schedule (M7.5): which scheduled item each payment
// received pays, and each item's status (PAID, PARTIAL, MISSED, PENDING)
// and whether it was paid on time, in full and by the agreed MOPF. Pure
// and thread-safe.
//
// Allocation (the SPEC is silent; this is the rule):
// - Payments are applied in received order (equal dates in input order).
// - Each payment first pays the unpaid items of its own method (the items
//   whose expected method is the method it was made by): those due on or
//   before the day it was received, oldest first, then the next one due
//   after it. So each method's payments pay that method's items, and a
//   shortfall by one method (a DEO the employer did not collect) never
//   takes a direct debit the paying parent made on time (S5.8, S5.18).
// - What is left pays the oldest unpaid items of any method (by due date,
//   then sequence); among items due the same day it first pays those whose
//   expected method is the method the payment used, then the others. An
//   item takes at most what it still owes; the rest goes on to the next.
// - So a payment before an item's due date pays it early, and an
//   overpayment carries to the next item even if that is not yet due.
//   What is left when every item is paid is unallocated credit.
// - Classification is "as of today": payments received after `today` are
//   not applied (so a business clock set back gives a consistent view).
//
// Flags and status (decisions where the SPEC is silent):
// - in_full: paid >= expected (allocation never pays more than expected).
// - on_time: fully paid by a payment received on or before the due date.
//   The tolerance does not extend "on time"; it only delays MISSED.
// - agreed_method: something was applied and every payment applied used the
//   expected method. False for an item nothing was applied to, unless it
//   expected 0p (an item of 0p is PAID, in full, on time, agreed).
// - status: PAID when in full; else when today > due + tolerance_days:
//   MISSED if nothing was paid, PARTIAL if something was; else PENDING
//   (a partly paid item within the tolerance is still PENDING).
// - Refused (INVALID_ARGUMENT, rule M7.5): tolerance_days < 0, a payment of
//   0p or less (refunds and reversals are not payments), an item expecting
//   less than 0p. Payments whose unallocated credit would overflow are
//   FAILED_PRECONDITION (AMOUNT_OVERFLOW, money.h).
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/domain/money.h"
#include "server/domain/schedule.h"

namespace cms::domain {

struct Payment {
  absl::CivilDay received;
  Pence amount = 0;
  PaymentMethod method = PaymentMethod::kDd;  // the MOPF actually used
};

enum class ItemStatus { kPaid, kPartial, kMissed, kPending };

// "PAID", "PARTIAL", "MISSED", "PENDING".
absl::string_view ItemStatusName(ItemStatus status);

// Part of one payment applied to one item.
struct Allocation {
  int payment_index = 0;  // into the `payments` argument
  Pence amount = 0;
  bool operator==(const Allocation&) const = default;
};

struct ClassifiedItem {
  ScheduleItem item;
  Pence paid = 0;
  ItemStatus status = ItemStatus::kPending;
  bool on_time = false;
  bool in_full = false;
  bool agreed_method = false;
  std::optional<absl::CivilDay> paid_in_full_on;  // received date of the completing payment
  std::vector<Allocation> allocations;
};

struct Classification {
  std::vector<ClassifiedItem> items;  // in the order of the `items` argument
  Pence unallocated_credit = 0;
};

// M7.5: allocates `payments` to `items` and classifies each item as of
// `today`, per the rules above.
absl::StatusOr<Classification> ClassifySchedule(const std::vector<ScheduleItem>& items,
                                                const std::vector<Payment>& payments,
                                                absl::CivilDay today, int tolerance_days);

}  // namespace cms::domain
