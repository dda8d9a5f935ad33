// S5.15: twelve consecutive months of payments after declining the
// Segment 5 compliance opportunity.
#include "server/domain/compliance_twelve_months.h"

#include <gtest/gtest.h>

namespace cms::domain {
namespace {

cms::v1::ScheduleItem Item(absl::CivilDay due, bool paid_on_time) {
  cms::v1::ScheduleItem i;
  i.mutable_due_date()->set_year(static_cast<int32_t>(due.year()));
  i.mutable_due_date()->set_month(due.month());
  i.mutable_due_date()->set_day(due.day());
  i.set_expected_pence(5000);
  i.set_paid_pence(paid_on_time ? 5000 : 0);
  i.set_in_full(paid_on_time);
  i.set_on_time(paid_on_time);
  i.set_status(paid_on_time ? cms::v1::ITEM_STATUS_PAID : cms::v1::ITEM_STATUS_MISSED);
  return i;
}

// Monthly items on the 15th from January 2027 for `months` months; `missed`
// (0-based month index) unpaid.
std::vector<cms::v1::ScheduleItem> Monthly(int months, int missed = -1) {
  std::vector<cms::v1::ScheduleItem> out;
  for (int m = 0; m < months; ++m) {
    const absl::CivilMonth month = absl::CivilMonth(2027, 1) + m;
    out.push_back(Item(absl::CivilDay(month.year(), month.month(), 15), m != missed));
  }
  return out;
}

const absl::CivilDay kDecided(2027, 1, 4);

TEST(TwelveMonths, S5_15_TwelveFullMonthsReachIt) {
  const auto s = TwelveMonthRun(Monthly(14), kDecided, absl::CivilDay(2028, 1, 2));
  EXPECT_EQ(s.consecutive_months(), 12);  // January to December 2027 have ended
  EXPECT_TRUE(s.reached());
  EXPECT_EQ(s.reach_date().year(), 2028);
  EXPECT_EQ(s.reach_date().month(), 1);
  EXPECT_EQ(s.reach_date().day(), 1);
}

TEST(TwelveMonths, S5_15_TheMonthNotYetEndedDoesNotCount) {
  const auto s = TwelveMonthRun(Monthly(14), kDecided, absl::CivilDay(2027, 12, 31));
  EXPECT_EQ(s.consecutive_months(), 11);
  EXPECT_FALSE(s.reached());
  EXPECT_EQ(s.reach_date().year(), 2028);  // if December is paid as scheduled
  EXPECT_EQ(s.reach_date().month(), 1);
}

TEST(TwelveMonths, S5_15_AMissedMonthStartsTheRunAgain) {
  const auto s = TwelveMonthRun(Monthly(14, /*missed=*/3), kDecided, absl::CivilDay(2028, 1, 2));
  EXPECT_EQ(s.consecutive_months(), 8);  // May to December
  EXPECT_FALSE(s.reached());
  EXPECT_EQ(s.run_start().month(), 5);
  EXPECT_EQ(s.reach_date().year(), 2028);
  EXPECT_EQ(s.reach_date().month(), 5);
}

TEST(TwelveMonths, S5_15_MonthsBeforeTheDecisionAndSupersededItemsDoNotCount) {
  auto items = Monthly(3);
  items.push_back(Item(absl::CivilDay(2026, 12, 15), true));  // before the decision
  cms::v1::ScheduleItem superseded = Item(absl::CivilDay(2027, 2, 20), false);
  superseded.set_status(cms::v1::ITEM_STATUS_SUPERSEDED);
  items.push_back(superseded);
  const auto s = TwelveMonthRun(items, kDecided, absl::CivilDay(2027, 4, 1));
  EXPECT_EQ(s.consecutive_months(), 3);
  EXPECT_EQ(s.run_start().year(), 2027);
  EXPECT_EQ(s.run_start().month(), 1);
}

TEST(TwelveMonths, S5_15_NoPaymentsYetIsNoRun) {
  const auto s = TwelveMonthRun({}, kDecided, absl::CivilDay(2027, 2, 1));
  EXPECT_EQ(s.consecutive_months(), 0);
  EXPECT_FALSE(s.reached());
  EXPECT_FALSE(s.explanation().empty());
}

}  // namespace
}  // namespace cms::domain
