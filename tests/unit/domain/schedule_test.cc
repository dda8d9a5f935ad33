// M7.5: the P2P schedule (due dates per frequency up to the next annual
// review, period amounts, the split across the active MOPF).
#include "server/domain/schedule.h"

#include <gtest/gtest.h>

#include <limits>

#include "server/base/errors.h"

namespace cms::domain {
namespace {

using absl::CivilDay;

std::vector<CivilDay> DueDates(const std::vector<ScheduleItem>& items) {
  std::vector<CivilDay> out;
  for (const ScheduleItem& i : items) {
    if (out.empty() || out.back() != i.due) out.push_back(i.due);
  }
  return out;
}

struct FrequencyRow {
  std::string name;
  Frequency frequency;
  CivilDay first;
  CivilDay review;
  Pence weekly;
  Pence period_amount;
  std::vector<CivilDay> dues;
};

class ScheduleDatesTest : public testing::TestWithParam<FrequencyRow> {};

// M7.5: every frequency across month ends, year ends and the 2028 leap day;
// items strictly before the next annual review.
TEST_P(ScheduleDatesTest, DueDatesAndAmounts) {
  const FrequencyRow& row = GetParam();
  absl::StatusOr<std::vector<ScheduleItem>> items = GenerateSchedule(
      {row.weekly, row.frequency, row.first, row.review, {{PaymentMethod::kDd, 100}}});
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_EQ(DueDates(*items), row.dues);
  for (size_t i = 0; i < items->size(); ++i) {
    const ScheduleItem& item = (*items)[i];
    EXPECT_EQ(item.expected_amount, row.period_amount);
    EXPECT_EQ(item.expected_method, PaymentMethod::kDd);
    EXPECT_EQ(item.sequence, static_cast<int>(i) + 1);
    EXPECT_EQ(item.period, static_cast<int>(i) + 1);
    EXPECT_LT(item.due, row.review);
  }
}

INSTANTIATE_TEST_SUITE_P(
    M7_5, ScheduleDatesTest,
    testing::Values(
        FrequencyRow{"WeeklyOverLeapDay",
                     Frequency::kWeekly,
                     CivilDay(2028, 2, 22),
                     CivilDay(2028, 3, 21),
                     1000,
                     1000,
                     // 21 Mar is the review day itself: not in the schedule.
                     {CivilDay(2028, 2, 22), CivilDay(2028, 2, 29), CivilDay(2028, 3, 7),
                      CivilDay(2028, 3, 14)}},
        FrequencyRow{"FortnightlyOverYearEnd",
                     Frequency::kFortnightly,
                     CivilDay(2027, 12, 20),
                     CivilDay(2028, 2, 1),
                     1000,
                     2000,
                     {CivilDay(2027, 12, 20), CivilDay(2028, 1, 3), CivilDay(2028, 1, 17),
                      CivilDay(2028, 1, 31)}},
        FrequencyRow{"FourWeeklyFrom31Jan",
                     Frequency::kFourWeekly,
                     CivilDay(2028, 1, 31),
                     CivilDay(2028, 5, 1),
                     1000,
                     4000,
                     {CivilDay(2028, 1, 31), CivilDay(2028, 2, 28), CivilDay(2028, 3, 27),
                      CivilDay(2028, 4, 24)}},
        // 1000 x 52 / 12 = 4333.33 -> 4333.
        FrequencyRow{"MonthlyFrom31JanLeapYear",
                     Frequency::kMonthly,
                     CivilDay(2028, 1, 31),
                     CivilDay(2028, 7, 1),
                     1000,
                     4333,
                     {CivilDay(2028, 1, 31), CivilDay(2028, 2, 29), CivilDay(2028, 3, 31),
                      CivilDay(2028, 4, 30), CivilDay(2028, 5, 31), CivilDay(2028, 6, 30)}},
        FrequencyRow{"MonthlyFrom31JanNonLeapYear",
                     Frequency::kMonthly,
                     CivilDay(2027, 1, 31),
                     CivilDay(2027, 4, 15),
                     1000,
                     4333,
                     {CivilDay(2027, 1, 31), CivilDay(2027, 2, 28), CivilDay(2027, 3, 31)}},
        FrequencyRow{"MonthlyFrom30th",
                     Frequency::kMonthly,
                     CivilDay(2028, 1, 30),
                     CivilDay(2028, 4, 30),
                     1000,
                     4333,
                     {CivilDay(2028, 1, 30), CivilDay(2028, 2, 29), CivilDay(2028, 3, 30)}},
        FrequencyRow{"MonthlyOverYearEnd",
                     Frequency::kMonthly,
                     CivilDay(2027, 11, 30),
                     CivilDay(2028, 3, 1),
                     1000,
                     4333,
                     {CivilDay(2027, 11, 30), CivilDay(2027, 12, 30), CivilDay(2028, 1, 30),
                      CivilDay(2028, 2, 29)}},
        // 2 x 52 / 12 = 8.67 -> 9 (rounded, not truncated).
        FrequencyRow{"MonthlyRoundsHalfUp",
                     Frequency::kMonthly,
                     CivilDay(2026, 1, 15),
                     CivilDay(2026, 3, 1),
                     2,
                     9,
                     {CivilDay(2026, 1, 15), CivilDay(2026, 2, 15)}}),
    [](const testing::TestParamInfo<FrequencyRow>& info) { return info.param.name; });

TEST(PeriodAmountTest, MultiplesOfTheWeeklyLiability) {
  // M7.5
  EXPECT_EQ(PeriodAmount(1234, Frequency::kWeekly), 1234);
  EXPECT_EQ(PeriodAmount(1234, Frequency::kFortnightly), 2468);
  EXPECT_EQ(PeriodAmount(1234, Frequency::kFourWeekly), 4936);
  EXPECT_EQ(PeriodAmount(1200, Frequency::kMonthly), 5200);  // exact
  EXPECT_EQ(PeriodAmount(1, Frequency::kMonthly), 4);        // 4.33
  EXPECT_EQ(PeriodAmount(2, Frequency::kMonthly), 9);        // 8.67
}

struct SplitRow {
  Pence amount;
  std::vector<MethodShare> shares;
  std::vector<Pence> parts;
};

class SplitTest : public testing::TestWithParam<SplitRow> {};

// M7.5: a date's items add up exactly to the period amount, the rounding
// remainder going to the largest share (the first of equals).
TEST_P(SplitTest, RemainderToLargestShare) {
  const SplitRow& row = GetParam();
  std::vector<Pence> parts = SplitByShares(row.amount, row.shares);
  EXPECT_EQ(parts, row.parts);
  Pence sum = 0;
  for (Pence p : parts) sum += p;
  EXPECT_EQ(sum, row.amount);
}

constexpr auto DD = PaymentMethod::kDd;
constexpr auto DEO = PaymentMethod::kDeo;
constexpr auto SO = PaymentMethod::kSo;

INSTANTIATE_TEST_SUITE_P(
    M7_5, SplitTest,
    testing::Values(SplitRow{4333, {{DD, 100}}, {4333}},
                    SplitRow{4333, {{DD, 30}, {DEO, 70}}, {1299, 3034}},
                    SplitRow{4333, {{DD, 50}, {DEO, 50}}, {2167, 2166}},
                    SplitRow{101, {{DD, 33}, {SO, 33}, {DEO, 34}}, {33, 33, 35}},
                    SplitRow{100, {{DD, 33}, {SO, 34}, {DEO, 33}}, {33, 34, 33}},
                    SplitRow{1, {{DD, 50}, {DEO, 50}}, {1, 0}}));

TEST(GenerateScheduleTest, OneItemPerActiveMethodPerDate) {
  // M7.5
  absl::StatusOr<std::vector<ScheduleItem>> items = GenerateSchedule({1000,
                                                                      Frequency::kMonthly,
                                                                      CivilDay(2028, 1, 31),
                                                                      CivilDay(2028, 3, 1),
                                                                      {{DD, 30}, {DEO, 70}}});
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_EQ(*items, (std::vector<ScheduleItem>{
                        {1, 1, CivilDay(2028, 1, 31), 1299, DD},
                        {2, 1, CivilDay(2028, 1, 31), 3034, DEO},
                        {3, 2, CivilDay(2028, 2, 29), 1299, DD},
                        {4, 2, CivilDay(2028, 2, 29), 3034, DEO},
                    }));
}

TEST(GenerateScheduleTest, InvalidInputsNameTheFields) {
  // M7.5
  auto fields = [](const ScheduleInput& in) {
    std::vector<std::string> out;
    absl::Status s = GenerateSchedule(in).status();
    EXPECT_EQ(RuleOf(s), "M7.5");
    for (const FieldError& e : FieldErrorsOf(s)) out.push_back(e.field);
    return out;
  };
  const CivilDay first(2026, 1, 1), review(2026, 12, 1);
  using V = std::vector<std::string>;
  EXPECT_EQ(fields({0, Frequency::kWeekly, first, review, {{DD, 100}}}), V{"weekly_liability"});
  EXPECT_EQ(fields({-5, Frequency::kWeekly, first, review, {{DD, 100}}}), V{"weekly_liability"});
  EXPECT_EQ(fields({100, Frequency::kWeekly, first, review, {}}), V{"shares"});
  EXPECT_EQ(fields({100, Frequency::kWeekly, first, review, {{DD, 60}, {SO, 30}}}), V{"shares"});
  EXPECT_EQ(fields({100, Frequency::kWeekly, first, review, {{DD, 0}, {SO, 100}}}),
            V{"shares[0].share_percent"});
  EXPECT_EQ(fields({100, Frequency::kWeekly, review, review, {{DD, 100}}}), V{"first_collection"});
  EXPECT_EQ(fields({100, Frequency::kWeekly, review, first, {{DD, 100}}}), V{"first_collection"});
  EXPECT_EQ(fields({100, Frequency::kWeekly, first, CivilDay(2030, 1, 1), {{DD, 100}}}),
            V{"next_annual_review"});
  absl::Status total =
      GenerateSchedule({100, Frequency::kWeekly, first, review, {{DD, 60}}}).status();
  EXPECT_NE(total.message().find("total 60%"), absl::string_view::npos) << total;
}

TEST(GenerateScheduleTest, M7_5_TheWeeklyLiabilityIsAtMostTheLargestAmount) {
  // Issue 17, defect 5: £10m a week is the most; its monthly items (52/12
  // of it) and their sums stay exact.
  const CivilDay first(2026, 1, 1), review(2026, 12, 1);
  for (const Pence bad : {kMaxAmountPence + 1, std::numeric_limits<Pence>::max()}) {
    const absl::Status s =
        GenerateSchedule({bad, Frequency::kMonthly, first, review, {{DD, 100}}}).status();
    ASSERT_EQ(FieldErrorsOf(s).size(), 1u) << s;
    EXPECT_EQ(FieldErrorsOf(s)[0].field, "weekly_liability");
    EXPECT_NE(FieldErrorsOf(s)[0].description.find("at most 1000000000 pence"), std::string::npos);
  }
  absl::StatusOr<std::vector<ScheduleItem>> items =
      GenerateSchedule({kMaxAmountPence, Frequency::kMonthly, first, review, {{DD, 70}, {SO, 30}}});
  ASSERT_TRUE(items.ok()) << items.status();
  ASSERT_EQ(items->size(), 22u);  // 11 months, two methods
  EXPECT_EQ((*items)[0].expected_amount + (*items)[1].expected_amount,
            PeriodAmount(kMaxAmountPence, Frequency::kMonthly));
  EXPECT_EQ(PeriodAmount(kMaxAmountPence, Frequency::kMonthly), 4'333'333'333);
}

TEST(GenerateScheduleTest, FirstCollectionTheDayBeforeReviewGivesOneDate) {
  // M7.5
  absl::StatusOr<std::vector<ScheduleItem>> items = GenerateSchedule(
      {1000, Frequency::kWeekly, CivilDay(2026, 3, 1), CivilDay(2026, 3, 2), {{DD, 100}}});
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(items->size(), 1u);
}

}  // namespace
}  // namespace cms::domain

namespace cms::domain {
namespace {

TEST(StageWhenScheduleIssuedTest, IssuingTheP2pScheduleEndsTheNewCaseStageOnly) {
  // R3.2 rule 5 (work-allocation): New Case holds a case until its P2P
  // schedule is issued; later schedules (revisions) change no stage.
  struct Row {
    cms::v1::LifecycleStage current;
    std::optional<cms::v1::LifecycleStage> want;
  };
  const std::vector<Row> rows = {
      {cms::v1::LIFECYCLE_STAGE_APPLICATION, cms::v1::LIFECYCLE_STAGE_P2P_ISSUED},
      {cms::v1::LIFECYCLE_STAGE_NEW_CASE, cms::v1::LIFECYCLE_STAGE_P2P_ISSUED},
      {cms::v1::LIFECYCLE_STAGE_P2P_ISSUED, std::nullopt},
      {cms::v1::LIFECYCLE_STAGE_MAINTENANCE, std::nullopt},
      {cms::v1::LIFECYCLE_STAGE_ARREARS, std::nullopt},
      {cms::v1::LIFECYCLE_STAGE_ENFORCEMENT, std::nullopt},
      {cms::v1::LIFECYCLE_STAGE_CLOSED, std::nullopt},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(StageWhenScheduleIssued(r.current), r.want) << r.current;
  }
}

}  // namespace
}  // namespace cms::domain
