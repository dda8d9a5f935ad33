// M7.6: arrears = due and unpaid scheduled amounts; the statement with its
// running balance; a casegroup's balance is the sum of its cases.
#include "server/domain/arrears.h"

#include <gtest/gtest.h>

#include <limits>

namespace cms::domain {
namespace {

using absl::CivilDay;

constexpr auto DD = PaymentMethod::kDd;
constexpr auto CARD = PaymentMethod::kCard;
constexpr int kTolerance = 5;

CivilDay D(int m, int d) { return CivilDay(2026, m, d); }

std::vector<ScheduleItem> Monthly() {
  return {{1, 1, D(1, 10), 10000, DD}, {2, 2, D(2, 10), 10000, DD}, {3, 3, D(3, 10), 10000, DD}};
}

Pence ArrearsOn(const std::vector<Payment>& payments, CivilDay today) {
  absl::StatusOr<Classification> c = ClassifySchedule(Monthly(), payments, today, kTolerance);
  EXPECT_TRUE(c.ok()) << c.status();
  return ArrearsBalance(c->items, today).value();
}

TEST(ArrearsBalanceTest, DueAndUnpaidAfterMixedPayments) {
  // M7.6: £60 on time by DD, then £100 late by card: January is cleared,
  // February is £40 short; March is not yet due.
  const std::vector<Payment> payments = {{D(1, 10), 6000, DD}, {D(2, 12), 10000, CARD}};
  EXPECT_EQ(ArrearsOn(payments, D(2, 20)), 4000);
  EXPECT_EQ(ArrearsOn(payments, D(4, 1)), 14000);
  EXPECT_EQ(ArrearsOn({}, D(4, 1)), 30000);
  EXPECT_EQ(ArrearsOn({{D(1, 1), 30000, DD}}, D(4, 1)), 0);
}

TEST(ArrearsBalanceTest, AnItemIsOwedFromItsDueDate) {
  // M7.6: the boundary is due <= today (before MISSED, which waits out the
  // tolerance): owed on 10 Feb, not on 9 Feb.
  const std::vector<Payment> payments = {{D(1, 10), 10000, DD}};
  EXPECT_EQ(ArrearsOn(payments, D(2, 9)), 0);
  EXPECT_EQ(ArrearsOn(payments, D(2, 10)), 10000);
  // A prepayment for a future item does not make arrears negative.
  EXPECT_EQ(ArrearsOn({{D(1, 10), 15000, DD}}, D(1, 20)), 0);
}

TEST(StatementTest, DatedLinesWithRunningBalance) {
  // M7.6 / M7.7: dues and charges are debits, payments credits; only lines
  // dated on or before today.
  const std::vector<Payment> payments = {{D(2, 12), 10000, CARD}, {D(1, 10), 6000, DD}};
  const std::vector<ChargeEntry> charges = {{"DEO_CHARGE", 5000, D(1, 15)},
                                            {"LIABILITY_ORDER_CHARGE", 30000, D(3, 1)}};
  Statement s = BuildStatement(Monthly(), payments, charges, D(2, 20)).value();
  using K = StatementLineKind;
  EXPECT_EQ(s.lines, (std::vector<StatementLine>{
                         {D(1, 10), K::kScheduleDue, "Due (DD)", 10000, 0, 10000},
                         {D(1, 10), K::kPayment, "Payment (DD)", 0, 6000, 4000},
                         {D(1, 15), K::kCharge, "DEO_CHARGE", 5000, 0, 9000},
                         {D(2, 10), K::kScheduleDue, "Due (DD)", 10000, 0, 19000},
                         {D(2, 12), K::kPayment, "Payment (CARD)", 0, 10000, 9000},
                     }));
  EXPECT_EQ(s.closing_balance, 9000);  // £40 arrears + £50 charge
}

TEST(StatementTest, OnOneDateDebitsComeFirstAndCreditShowsNegative) {
  // M7.6
  Statement s = BuildStatement({{1, 1, D(1, 10), 10000, DD}}, {{D(1, 10), 12000, DD}},
                               {{"DEO_CHARGE", 5000, D(1, 10)}}, D(1, 10))
                    .value();
  ASSERT_EQ(s.lines.size(), 3u);
  EXPECT_EQ(s.lines[0].kind, StatementLineKind::kScheduleDue);
  EXPECT_EQ(s.lines[1].kind, StatementLineKind::kCharge);
  EXPECT_EQ(s.lines[2].kind, StatementLineKind::kPayment);
  EXPECT_EQ(s.lines[2].balance, 3000);
  Statement credit =
      BuildStatement({{1, 1, D(1, 10), 10000, DD}}, {{D(1, 10), 12000, DD}}, {}, D(1, 10)).value();
  EXPECT_EQ(credit.closing_balance, -2000);
}

TEST(CasegroupTest, BalanceIsTheSumOfItsCases) {
  // M7.6
  Statement a = BuildStatement(Monthly(), {}, {}, D(1, 31)).value();
  Statement b = BuildStatement(Monthly(), {{D(1, 10), 2500, DD}}, {}, D(2, 28)).value();
  EXPECT_EQ(a.closing_balance, 10000);
  EXPECT_EQ(b.closing_balance, 17500);
  EXPECT_EQ(CasegroupBalance({a, b}).value(), 27500);
  EXPECT_EQ(CasegroupBalance({}).value(), 0);
  EXPECT_EQ(CasegroupArrears({4000, 0, 1500}).value(), 5500);
}

// Issue 17, defect 5: sums of amounts are checked. Amounts the API takes
// are at most kMaxAmountPence, so these sums are exact; rows stored before
// the bound could overflow them, and that is an error naming the sum,
// never a wrapped balance.
constexpr Pence kMax = kMaxAmountPence;
constexpr Pence kHuge = std::numeric_limits<Pence>::max();

TEST(StatementTest, M7_6_AStatementOfManyLargestItemsSumsExactly) {
  // A weekly schedule of a whole year of £10m items, a £10m payment a week
  // for half of it: the running balance and the arrears are exact.
  std::vector<ScheduleItem> items;
  std::vector<Payment> payments;
  for (int n = 0; n < 52; ++n) {
    items.push_back({n + 1, n + 1, D(1, 1) + 7 * n, kMax, DD});
    if (n < 26) payments.push_back({D(1, 1) + 7 * n, kMax, DD});
  }
  const CivilDay today = D(12, 31);
  const Statement s = BuildStatement(items, payments, {}, today).value();
  ASSERT_EQ(s.lines.size(), 78u);
  EXPECT_EQ(s.lines[0].balance, kMax);
  EXPECT_EQ(s.lines[1].balance, 0);
  EXPECT_EQ(s.closing_balance, 26 * kMax);
  const Classification c = ClassifySchedule(items, payments, today, kTolerance).value();
  EXPECT_EQ(ArrearsBalance(c.items, today).value(), 26 * kMax);
  EXPECT_EQ(CasegroupBalance({s, s, s}).value(), 78 * kMax);
  EXPECT_EQ(CasegroupArrears({26 * kMax, 26 * kMax}).value(), 52 * kMax);
}

TEST(StatementTest, M7_6_SumsThatWouldOverflowAreRefusedNotWrapped) {
  struct Row {
    const char* what;
    absl::Status status;
  };
  const std::vector<ScheduleItem> owed = {{1, 1, D(1, 10), kHuge, DD}, {2, 2, D(2, 10), kHuge, DD}};
  const std::vector<Payment> two_huge = {{D(1, 10), kHuge, CARD}, {D(1, 11), kHuge, CARD}};
  const Statement big = BuildStatement({{1, 1, D(1, 10), kHuge, DD}}, {}, {}, D(1, 10)).value();
  const Row rows[] = {
      // The defect: two payments of 2^63-1 pence.
      {"two payments of 2^63-1 on the statement",
       BuildStatement({}, two_huge, {}, D(3, 1)).status()},
      {"two payments of 2^63-1 as unallocated credit",
       ClassifySchedule({}, two_huge, D(3, 1), kTolerance).status()},
      {"dues beyond 2^63-1",
       BuildStatement(owed, {}, {{"DEO_CHARGE", 5000, D(1, 10)}}, D(3, 1)).status()},
      {"arrears beyond 2^63-1",
       ArrearsBalance(ClassifySchedule(owed, {}, D(3, 1), kTolerance).value().items, D(3, 1))
           .status()},
      {"a casegroup's balance", CasegroupBalance({big, big}).status()},
      {"a casegroup's arrears", CasegroupArrears({kHuge, 1}).status()},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    EXPECT_EQ(r.status.code(), absl::StatusCode::kFailedPrecondition) << r.status;
    EXPECT_NE(r.status.message().find("overflows"), absl::string_view::npos) << r.status;
  }
}

}  // namespace
}  // namespace cms::domain
