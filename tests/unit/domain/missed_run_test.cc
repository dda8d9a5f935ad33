// AR10.1: counting missed collections in a row and routing on the count.
#include "server/domain/missed_run.h"

#include <gtest/gtest.h>

namespace cms::domain {
namespace {

using absl::CivilDay;

constexpr auto PAID = ItemStatus::kPaid;
constexpr auto PARTIAL = ItemStatus::kPartial;
constexpr auto MISSED = ItemStatus::kMissed;
constexpr auto PENDING = ItemStatus::kPending;

// One item per status, due a week apart.
std::vector<ClassifiedItem> Items(const std::vector<ItemStatus>& statuses) {
  std::vector<ClassifiedItem> out;
  for (size_t i = 0; i < statuses.size(); ++i) {
    ClassifiedItem c;
    c.item = {static_cast<int>(i) + 1, static_cast<int>(i) + 1,
              CivilDay(2026, 1, 5) + 7 * static_cast<int>(i), 1000, PaymentMethod::kDd};
    c.status = statuses[i];
    out.push_back(c);
  }
  return out;
}

struct RunRow {
  std::string name;
  std::vector<ItemStatus> statuses;
  int run;
};

class MissedRunTest : public testing::TestWithParam<RunRow> {};

// AR10.1: consecutive missed collections, reset by a PAID one.
TEST_P(MissedRunTest, CountsTheCurrentRun) {
  EXPECT_EQ(MissedRun(Items(GetParam().statuses)), GetParam().run);
}

INSTANTIATE_TEST_SUITE_P(
    AR10_1, MissedRunTest,
    testing::Values(RunRow{"Empty", {}, 0}, RunRow{"AllPaid", {PAID, PAID}, 0},
                    RunRow{"FirstMissed", {PAID, MISSED, PENDING}, 1},
                    RunRow{"SecondMissed", {PAID, MISSED, MISSED, PENDING}, 2},
                    RunRow{"ResetByPaid", {MISSED, MISSED, PAID, MISSED}, 1},
                    RunRow{"PaidEndsTheRun", {MISSED, MISSED, PAID}, 0},
                    RunRow{"PartialCountsAsMissed", {PAID, PARTIAL, MISSED}, 2},
                    RunRow{"PendingIsSkipped", {MISSED, PENDING, PENDING}, 1},
                    RunRow{"ThreeInARow", {MISSED, MISSED, MISSED}, 3}),
    [](const testing::TestParamInfo<RunRow>& info) { return info.param.name; });

TEST(MissedRunSplitTest, ADateSplitAcrossMethodsIsOneCollection) {
  // AR10.1: both halves of one date missed is one missed collection; one
  // half paid and the other missed is still a missed collection.
  std::vector<ClassifiedItem> items = Items({MISSED, MISSED, PAID, MISSED});
  items[1].item.due = items[0].item.due;  // items 0 and 1: one date
  EXPECT_EQ(MissedRun(items), 1);
  items[2].item.due = items[3].item.due;  // items 2 and 3: one date, PAID + MISSED
  EXPECT_EQ(MissedRun(items), 2);
}

TEST(RouteMissedPaymentTest, FirstToCollectionsThenArrearsReview) {
  // AR10.1
  EXPECT_EQ(RouteMissedPayment(0).route, MissedPaymentRoute::kNone);
  EXPECT_EQ(RouteMissedPayment(1).route, MissedPaymentRoute::kRouteToCollections);
  EXPECT_EQ(RouteMissedPayment(2).route, MissedPaymentRoute::kArrearsReview);
  EXPECT_EQ(RouteMissedPayment(5).route, MissedPaymentRoute::kArrearsReview);
  EXPECT_EQ(RouteMissedPayment(2).rule, "AR10.1");
  EXPECT_NE(RouteMissedPayment(2).reason.find("Arrears Routing Logic"), std::string::npos);
}

}  // namespace
}  // namespace cms::domain
