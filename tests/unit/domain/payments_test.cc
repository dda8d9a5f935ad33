// M7.5: payments allocated to the schedule; each item PAID / PARTIAL /
// MISSED / PENDING, and on time, in full, by the agreed MOPF or not.
#include "server/domain/payments.h"

#include <gtest/gtest.h>

#include "server/base/errors.h"

namespace cms::domain {
namespace {

using absl::CivilDay;

constexpr auto DD = PaymentMethod::kDd;
constexpr auto DEO = PaymentMethod::kDeo;
constexpr auto CARD = PaymentMethod::kCard;
constexpr auto PAID = ItemStatus::kPaid;
constexpr auto PARTIAL = ItemStatus::kPartial;
constexpr auto MISSED = ItemStatus::kMissed;
constexpr auto PENDING = ItemStatus::kPending;
constexpr int kTolerance = 5;

CivilDay D(int m, int d) { return CivilDay(2026, m, d); }

// Three monthly DD collections of £100 on the 10th.
std::vector<ScheduleItem> Monthly() {
  return {{1, 1, D(1, 10), 10000, DD}, {2, 2, D(2, 10), 10000, DD}, {3, 3, D(3, 10), 10000, DD}};
}

// One date split 30/70 between DD and DEO.
std::vector<ScheduleItem> Split() {
  return {{1, 1, D(1, 10), 3000, DD}, {2, 1, D(1, 10), 7000, DEO}};
}

struct Expect {
  ItemStatus status;
  Pence paid;
  bool on_time, in_full, agreed_method;
};

struct ClassifyRow {
  std::string name;
  std::vector<ScheduleItem> items;
  std::vector<Payment> payments;
  CivilDay today;
  std::vector<Expect> expect;
  Pence credit = 0;
};

class ClassifyScheduleTest : public testing::TestWithParam<ClassifyRow> {};

// M7.5: the allocation and classification table.
TEST_P(ClassifyScheduleTest, StatusesAndFlags) {
  const ClassifyRow& row = GetParam();
  absl::StatusOr<Classification> c =
      ClassifySchedule(row.items, row.payments, row.today, kTolerance);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->items.size(), row.expect.size());
  for (size_t i = 0; i < row.expect.size(); ++i) {
    const ClassifiedItem& got = c->items[i];
    const Expect& want = row.expect[i];
    SCOPED_TRACE(testing::Message() << "item " << i);
    EXPECT_EQ(ItemStatusName(got.status), ItemStatusName(want.status));
    EXPECT_EQ(got.paid, want.paid);
    EXPECT_EQ(got.on_time, want.on_time);
    EXPECT_EQ(got.in_full, want.in_full);
    EXPECT_EQ(got.agreed_method, want.agreed_method);
  }
  EXPECT_EQ(c->unallocated_credit, row.credit);
}

INSTANTIATE_TEST_SUITE_P(
    M7_5, ClassifyScheduleTest,
    testing::Values(
        // Paid before the due date: on time.
        ClassifyRow{"Early",
                    Monthly(),
                    {{D(1, 3), 10000, DD}},
                    D(1, 20),
                    {{PAID, 10000, true, true, true},
                     {PENDING, 0, false, false, false},
                     {PENDING, 0, false, false, false}}},
        ClassifyRow{"OnTheDueDate",
                    Monthly(),
                    {{D(1, 10), 10000, DD}},
                    D(1, 20),
                    {{PAID, 10000, true, true, true}, {PENDING}, {PENDING}}},
        // Late, even within the tolerance, is PAID but not on time.
        ClassifyRow{"LateWithinTolerance",
                    Monthly(),
                    {{D(1, 14), 10000, DD}},
                    D(1, 20),
                    {{PAID, 10000, false, true, true}, {PENDING}, {PENDING}}},
        ClassifyRow{"LateAfterTolerance",
                    Monthly(),
                    {{D(1, 25), 10000, DD}},
                    D(1, 25),
                    {{PAID, 10000, false, true, true}, {PENDING}, {PENDING}}},
        // Part paid and past the tolerance: PARTIAL.
        ClassifyRow{"Partial",
                    Monthly(),
                    {{D(1, 10), 6000, DD}},
                    D(1, 16),
                    {{PARTIAL, 6000, false, false, true}, {PENDING}, {PENDING}}},
        // Tolerance boundary: due 10th + 5 days = 15th is still PENDING, 16th not.
        ClassifyRow{"PartialOnLastToleranceDay",
                    Monthly(),
                    {{D(1, 10), 6000, DD}},
                    D(1, 15),
                    {{PENDING, 6000, false, false, true}, {PENDING}, {PENDING}}},
        ClassifyRow{"NothingOnLastToleranceDay",
                    Monthly(),
                    {},
                    D(1, 15),
                    {{PENDING}, {PENDING}, {PENDING}}},
        ClassifyRow{
            "MissedDayAfterTolerance", Monthly(), {}, D(1, 16), {{MISSED}, {PENDING}, {PENDING}}},
        ClassifyRow{"AllMissed", Monthly(), {}, D(4, 1), {{MISSED}, {MISSED}, {MISSED}}},
        // Paid in full on time but by another method than agreed.
        ClassifyRow{"WrongMethod",
                    Monthly(),
                    {{D(1, 10), 10000, CARD}},
                    D(1, 20),
                    {{PAID, 10000, true, true, false}, {PENDING}, {PENDING}}},
        // One agreed and one other payment on the same item: not agreed.
        ClassifyRow{"MixedMethods",
                    Monthly(),
                    {{D(1, 9), 5000, DD}, {D(1, 10), 5000, CARD}},
                    D(1, 20),
                    {{PAID, 10000, true, true, false}, {PENDING}, {PENDING}}},
        // £150: £100 pays January, £50 carries to February (not yet due);
        // a later £50 before 10 Feb completes February on time.
        ClassifyRow{
            "OverpaymentCarriedToNextItem",
            Monthly(),
            {{D(1, 10), 15000, DD}},
            D(1, 20),
            {{PAID, 10000, true, true, true}, {PENDING, 5000, false, false, true}, {PENDING}}},
        ClassifyRow{"CarriedOverpaymentCompletedOnTime",
                    Monthly(),
                    {{D(1, 10), 15000, DD}, {D(2, 8), 5000, DD}},
                    D(2, 20),
                    {{PAID, 10000, true, true, true}, {PAID, 10000, true, true, true}, {PENDING}}},
        ClassifyRow{"OverpaymentBeyondScheduleIsCredit",
                    Monthly(),
                    {{D(1, 10), 35000, DD}},
                    D(1, 20),
                    {{PAID, 10000, true, true, true},
                     {PAID, 10000, true, true, true},
                     {PAID, 10000, true, true, true}},
                    5000},
        // A late payment pays the oldest unpaid item first, not the current one.
        ClassifyRow{"LatePaymentPaysOldestFirst",
                    Monthly(),
                    {{D(2, 10), 10000, DD}},
                    D(2, 20),
                    {{PAID, 10000, false, true, true}, {MISSED}, {PENDING}}},
        // Payments apply in received order, whatever their input order.
        ClassifyRow{"ReceivedOrderNotInputOrder",
                    Monthly(),
                    {{D(2, 9), 10000, CARD}, {D(1, 9), 10000, DD}},
                    D(2, 20),
                    {{PAID, 10000, true, true, true}, {PAID, 10000, true, true, false}, {PENDING}}},
        // A payment received after today is not applied yet.
        ClassifyRow{"FuturePaymentIgnored",
                    Monthly(),
                    {{D(1, 25), 10000, DD}},
                    D(1, 20),
                    {{MISSED}, {PENDING}, {PENDING}}},
        // Same due date: the item expecting the payment's method is paid first.
        ClassifyRow{"SameDayPrefersMatchingMethod",
                    Split(),
                    {{D(1, 10), 7000, DEO}},
                    D(1, 20),
                    {{MISSED, 0, false, false, false}, {PAID, 7000, true, true, true}}},
        ClassifyRow{"SameDayRestGoesToTheOtherItem",
                    Split(),
                    {{D(1, 10), 8000, DEO}},
                    D(1, 20),
                    {{PARTIAL, 1000, false, false, false}, {PAID, 7000, true, true, true}}}),
    [](const testing::TestParamInfo<ClassifyRow>& info) { return info.param.name; });

TEST(ClassifyScheduleDetailTest, RecordsAllocationsAndCompletionDate) {
  // M7.5
  absl::StatusOr<Classification> c = ClassifySchedule(
      Monthly(), {{D(1, 5), 4000, DD}, {D(1, 12), 9000, DD}}, D(1, 20), kTolerance);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->items[0].allocations, (std::vector<Allocation>{{0, 4000}, {1, 6000}}));
  EXPECT_EQ(c->items[0].paid_in_full_on, D(1, 12));
  EXPECT_EQ(c->items[1].allocations, (std::vector<Allocation>{{1, 3000}}));
  EXPECT_FALSE(c->items[1].paid_in_full_on.has_value());
}

TEST(ClassifyScheduleDetailTest, ZeroItemIsTriviallyPaid) {
  // M7.5: a 0p split item (SplitByShares of 1p) never blocks anything.
  absl::StatusOr<Classification> c =
      ClassifySchedule({{1, 1, D(1, 10), 0, DD}}, {}, D(2, 1), kTolerance);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->items[0].status, PAID);
  EXPECT_TRUE(c->items[0].on_time && c->items[0].in_full && c->items[0].agreed_method);
}

TEST(ClassifyScheduleDetailTest, InvalidInputsNameTheFields) {
  // M7.5
  absl::Status s = ClassifySchedule({{1, 1, D(1, 10), -1, DD}},
                                    {{D(1, 1), 100, DD}, {D(1, 2), 0, DD}}, D(1, 20), -1)
                       .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RuleOf(s), "M7.5");
  std::vector<std::string> fields;
  for (const FieldError& e : FieldErrorsOf(s)) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"tolerance_days", "payments[1].amount",
                                              "items[0].expected_amount"}));
}

}  // namespace
}  // namespace cms::domain
