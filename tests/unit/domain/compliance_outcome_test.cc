// S5.8, S5.18: the proposed outcome of a Segment 5 trial from its period's
// schedule items.
#include "server/domain/compliance_outcome.h"

#include <gtest/gtest.h>

namespace cms::domain {
namespace {

const absl::CivilDay kStart(2027, 2, 1);
const absl::CivilDay kEnd = kStart + 187;

cms::v1::ScheduleItem Item(int64_t id, absl::CivilDay due, cms::v1::PaymentMethod method,
                           int64_t expected, int64_t paid, bool on_time, bool agreed = true) {
  cms::v1::ScheduleItem i;
  i.set_id(id);
  i.mutable_due_date()->set_year(static_cast<int32_t>(due.year()));
  i.mutable_due_date()->set_month(due.month());
  i.mutable_due_date()->set_day(due.day());
  i.set_expected_method(method);
  i.set_expected_pence(expected);
  i.set_paid_pence(paid);
  i.set_in_full(paid >= expected);
  i.set_on_time(on_time && paid >= expected);
  i.set_agreed_method(paid > 0 && agreed);
  i.set_status(paid >= expected ? cms::v1::ITEM_STATUS_PAID
               : paid > 0       ? cms::v1::ITEM_STATUS_PARTIAL
                                : cms::v1::ITEM_STATUS_MISSED);
  return i;
}

constexpr auto DD = cms::v1::PAYMENT_METHOD_DD;
constexpr auto SO = cms::v1::PAYMENT_METHOD_SO;
constexpr auto DEO = cms::v1::PAYMENT_METHOD_DEO;

// Six monthly DD items all paid as agreed, and six DEO items.
std::vector<cms::v1::ScheduleItem> Period(int64_t deo_paid = 5000) {
  std::vector<cms::v1::ScheduleItem> items;
  for (int m = 0; m < 6; ++m) {
    const absl::CivilDay due = kStart + 30 * m;
    items.push_back(Item(2 * m + 1, due, DD, 5000, 5000, true));
    items.push_back(Item(2 * m + 2, due, DEO, 5000, deo_paid, deo_paid >= 5000));
  }
  return items;
}

TEST(ComplianceOutcome, S5_8_EveryNonEnforcedPaymentAsAgreedPasses) {
  const auto p = ProposeOutcome(Period(), kStart, kEnd);
  EXPECT_EQ(p.action(), cms::v1::COMPLIANCE_ACTION_PASS);
  EXPECT_EQ(p.reason(), cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED);
  EXPECT_EQ(p.items_size(), 12);
}

TEST(ComplianceOutcome, S5_18_ADeoShortfallAloneNeverFails) {
  const auto p = ProposeOutcome(Period(/*deo_paid=*/0), kStart, kEnd);
  EXPECT_EQ(p.action(), cms::v1::COMPLIANCE_ACTION_PASS);
  int uncounted = 0;
  for (const auto& i : p.items()) uncounted += i.counted() ? 0 : 1;
  EXPECT_EQ(uncounted, 6);
  EXPECT_NE(p.explanation().find("S5.18"), std::string::npos) << p.explanation();
}

TEST(ComplianceOutcome, S5_8_EachKindOfDefaultFails) {
  struct Row {
    const char* name;
    cms::v1::ScheduleItem item;
    const char* finding;
  };
  const absl::CivilDay due = kStart + 60;
  const Row rows[] = {
      {"missed", Item(99, due, DD, 5000, 0, false), "nothing paid"},
      {"part paid", Item(99, due, DD, 5000, 4000, true), "part paid"},
      {"late", Item(99, due, DD, 5000, 5000, false), "late"},
      {"wrong method", Item(99, due, SO, 5000, 5000, true, /*agreed=*/false), "method"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name);
    auto items = Period();
    items[4] = r.item;
    const auto p = ProposeOutcome(items, kStart, kEnd);
    EXPECT_EQ(p.action(), cms::v1::COMPLIANCE_ACTION_FAIL);
    EXPECT_EQ(p.reason(), cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT);
    bool found = false;
    for (const auto& i : p.items()) {
      if (i.schedule_item_id() == 99) {
        found = true;
        EXPECT_TRUE(i.counted());
        EXPECT_NE(i.finding().find(r.finding), std::string::npos) << i.finding();
      }
    }
    EXPECT_TRUE(found);
  }
}

TEST(ComplianceOutcome, S5_8_OnlyThePeriodCounts) {
  auto items = Period();
  items.push_back(Item(50, kStart - 1, DD, 5000, 0, false));  // before the trial
  items.push_back(Item(51, kEnd, DD, 5000, 0, false));        // the end date is exclusive
  cms::v1::ScheduleItem superseded = Item(52, kStart + 10, DD, 5000, 0, false);
  superseded.set_status(cms::v1::ITEM_STATUS_SUPERSEDED);
  items.push_back(superseded);
  const auto p = ProposeOutcome(items, kStart, kEnd);
  EXPECT_EQ(p.action(), cms::v1::COMPLIANCE_ACTION_PASS);
  EXPECT_EQ(p.items_size(), 12);
}

}  // namespace
}  // namespace cms::domain
