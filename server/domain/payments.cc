#include "server/domain/payments.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"

namespace cms::domain {

absl::string_view ItemStatusName(ItemStatus status) {
  switch (status) {
    case ItemStatus::kPaid:
      return "PAID";
    case ItemStatus::kPartial:
      return "PARTIAL";
    case ItemStatus::kMissed:
      return "MISSED";
    case ItemStatus::kPending:
      return "PENDING";
  }
  return "UNKNOWN";
}

absl::StatusOr<Classification> ClassifySchedule(const std::vector<ScheduleItem>& items,
                                                const std::vector<Payment>& payments,
                                                absl::CivilDay today, int tolerance_days) {
  FieldErrors errors;
  if (tolerance_days < 0) errors.Add("tolerance_days", "cannot be negative");
  for (size_t i = 0; i < payments.size(); ++i) {
    if (payments[i].amount <= 0) {
      errors.Add(absl::StrCat("payments[", i, "].amount"), "a payment is more than zero");
    }
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].expected_amount < 0) {
      errors.Add(absl::StrCat("items[", i, "].expected_amount"), "cannot be negative");
    }
  }
  if (!errors.empty()) return errors.ToStatus("M7.5");

  Classification out;
  out.items.reserve(items.size());
  for (const ScheduleItem& item : items) {
    ClassifiedItem c;
    c.item = item;
    out.items.push_back(std::move(c));
  }
  std::vector<bool> other_method(items.size(), false);

  // Items oldest first; payments in received order.
  std::vector<size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (items[a].due != items[b].due) return items[a].due < items[b].due;
    return items[a].sequence < items[b].sequence;
  });
  std::vector<size_t> by_received(payments.size());
  std::iota(by_received.begin(), by_received.end(), 0);
  std::stable_sort(by_received.begin(), by_received.end(),
                   [&](size_t a, size_t b) { return payments[a].received < payments[b].received; });

  auto owed = [&](size_t i) { return items[i].expected_amount - out.items[i].paid; };
  size_t first_unpaid = 0;  // into `order`; every item before it is fully paid
  for (size_t p : by_received) {
    const Payment& payment = payments[p];
    if (payment.received > today) continue;
    Pence left = payment.amount;
    auto take_from = [&](size_t i, bool matches) {
      const Pence take = std::min(left, owed(i));
      left -= take;
      ClassifiedItem& c = out.items[i];
      c.paid += take;
      c.allocations.push_back({static_cast<int>(p), take});
      if (!matches) other_method[i] = true;
      if (owed(i) == 0) c.paid_in_full_on = payment.received;
    };
    // First the items of the payment's own method: those due by the day it
    // came, oldest first, then the next one due after it (paying ahead).
    // A method's payments pay that method's items, so a shortfall by one
    // method (a DEO the employer did not collect) never eats a direct
    // debit the paying parent made on time (S5.8, S5.18).
    for (size_t k = first_unpaid; k < order.size() && left > 0; ++k) {
      const size_t i = order[k];
      if (items[i].expected_method != payment.method || owed(i) == 0) continue;
      const bool ahead = items[i].due > payment.received;
      take_from(i, true);
      if (ahead) break;
    }
    while (first_unpaid < order.size() && owed(order[first_unpaid]) == 0) ++first_unpaid;
    for (size_t g = first_unpaid; g < order.size() && left > 0;) {
      // [g, end) is the group of items due on the same day.
      size_t end = g;
      while (end < order.size() && items[order[end]].due == items[order[g]].due) ++end;
      for (int pass = 0; pass < 2 && left > 0; ++pass) {
        for (size_t k = g; k < end && left > 0; ++k) {
          const size_t i = order[k];
          const bool matches = items[i].expected_method == payment.method;
          if ((pass == 0) != matches || owed(i) == 0) continue;
          take_from(i, matches);
        }
      }
      g = end;
    }
    // Each take is at most what an item still owes, so an item's paid
    // never passes its expected amount; the credit sums whole payments.
    CMS_ASSIGN_OR_RETURN(out.unallocated_credit,
                         AddPence(out.unallocated_credit, left, "the unallocated credit"));
  }

  for (size_t i = 0; i < items.size(); ++i) {
    ClassifiedItem& c = out.items[i];
    const ScheduleItem& item = items[i];
    c.in_full = c.paid >= item.expected_amount;
    if (c.in_full && item.expected_amount == 0) c.paid_in_full_on = std::nullopt;
    c.on_time = c.in_full && (!c.paid_in_full_on.has_value() || *c.paid_in_full_on <= item.due);
    c.agreed_method = !other_method[i] && (c.paid > 0 || item.expected_amount == 0);
    if (c.in_full) {
      c.status = ItemStatus::kPaid;
    } else if (today > item.due + tolerance_days) {
      c.status = c.paid == 0 ? ItemStatus::kMissed : ItemStatus::kPartial;
    } else {
      c.status = ItemStatus::kPending;
    }
  }
  return out;
}

}  // namespace cms::domain
