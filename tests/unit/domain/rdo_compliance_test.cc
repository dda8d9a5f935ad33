// AR10.6: RDO compliance (the 90% boundary, negotiate, LO path, compliant)
// and the RDO review at the third scheduled payment + 5 working days.
#include "server/domain/rdo_compliance.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/catalog/bank_holidays.h"

namespace cms::domain {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// A decided monthly RDO receipt of £100.00 expected, due on the 1st of
// month `m` of 2027.
RdoReceipt Paid(int m, Pence received = 10000) {
  return {.due = D(2027, m, 1), .expected = 10000, .received = received, .decided = true};
}
RdoReceipt Short(int m, Pence received = 8999) { return Paid(m, received); }
RdoReceipt Pending(int m) { return {.due = D(2027, m, 1), .expected = 10000, .received = 0}; }

const char* Name(RdoDecision d) {
  switch (d) {
    case RdoDecision::kMonitoring:
      return "monitoring";
    case RdoDecision::kNegotiate:
      return "negotiate";
    case RdoDecision::kLiabilityOrder:
      return "LO";
    case RdoDecision::kCompliant:
      return "compliant";
  }
  return "?";
}

TEST(RdoComplianceTest, AR10_6_NinetyPercentIsNotAShortfall) {
  struct Row {
    Pence expected, received;
    bool shortfall;
  } rows[] = {
      {10000, 8999, true},                                            // 89.99%
      {10000, 9000, false},                                           // exactly 90%
      {10000, 9001, false}, {10000, 0, true}, {10000, 12000, false},  // overpaid
      {3333, 2999, true},                                             // 89.98%
      {3333, 3000, false},                                            // 90.009%
      {0, 0, false},                                                  // nothing expected
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(testing::Message() << r.received << " of " << r.expected);
    EXPECT_EQ(IsRdoShortfall(r.expected, r.received), r.shortfall);
  }
}

TEST(RdoComplianceTest, AR10_6_TheComplianceTable) {
  struct Row {
    const char* what;
    std::vector<RdoReceipt> receipts;
    bool negotiation_failed;
    RdoDecision decision;
    int full, shortfalls;
    std::string reason;
  } rows[] = {
      {"nothing decided yet",
       {Pending(1)},
       false,
       RdoDecision::kMonitoring,
       0,
       0,
       "0 of 3 full RDO payments so far and no shortfall: DOT monitors (AR10.6)"},
      {"two full",
       {Paid(1), Paid(2), Pending(3)},
       false,
       RdoDecision::kMonitoring,
       2,
       0,
       "2 of 3 full RDO payments so far and no shortfall: DOT monitors (AR10.6)"},
      {"third full payment",
       {Paid(1), Paid(2), Paid(3), Short(4)},
       false,
       RdoDecision::kCompliant,
       3,
       0,
       "the third full RDO payment (£100.00 of £100.00 due 2027-03-01): the case returns to "
       "MAINTENANCE (AR10.6)"},
      {"90% counts as full",
       {Paid(1, 9000), Paid(2, 9000), Paid(3, 9000)},
       false,
       RdoDecision::kCompliant,
       3,
       0,
       "the third full RDO payment (£90.00 of £100.00 due 2027-03-01): the case returns to "
       "MAINTENANCE (AR10.6)"},
      {"first shortfall",
       {Paid(1), Short(2)},
       false,
       RdoDecision::kNegotiate,
       1,
       1,
       "the first RDO payment below 90% (£89.99 of £100.00 due 2027-02-01): negotiate the "
       "shortfall with the PP (AR10.6)"},
      {"first shortfall, then one full",
       {Short(1), Paid(2)},
       false,
       RdoDecision::kNegotiate,
       1,
       1,
       "the first RDO payment below 90% (£89.99 of £100.00 due 2027-01-01): negotiate the "
       "shortfall with the PP (AR10.6)"},
      {"shortfall, negotiation failed",
       {Paid(1), Short(2)},
       true,
       RdoDecision::kLiabilityOrder,
       1,
       1,
       "the negotiation of the RDO shortfall (£89.99 of £100.00 due 2027-02-01) failed: the "
       "liability order path (AR10.6)"},
      {"second shortfall",
       {Short(1, 0), Paid(2), Short(3, 5000), Paid(4)},
       false,
       RdoDecision::kLiabilityOrder,
       1,
       2,
       "a second RDO payment below 90% (£50.00 of £100.00 due 2027-03-01; the first £0.00 of "
       "£100.00 due 2027-01-01): the liability order path (AR10.6)"},
      {"a shortfall, then three full",
       {Short(1), Paid(2), Paid(3), Paid(4)},
       false,
       RdoDecision::kCompliant,
       3,
       1,
       "the third full RDO payment (£100.00 of £100.00 due 2027-04-01): the case returns to "
       "MAINTENANCE (AR10.6)"},
      {"failed negotiation without a shortfall is ignored",
       {Paid(1)},
       true,
       RdoDecision::kMonitoring,
       1,
       0,
       "1 of 3 full RDO payments so far and no shortfall: DOT monitors (AR10.6)"},
      {"undecided receipts are skipped",
       {Paid(1), Pending(2), Paid(3)},
       false,
       RdoDecision::kMonitoring,
       2,
       0,
       "2 of 3 full RDO payments so far and no shortfall: DOT monitors (AR10.6)"},
      {"LSDO paid in full",
       {{.due = D(2027, 5, 1),
         .expected = 80000,
         .received = 80000,
         .decided = true,
         .lump_sum = true}},
       false,
       RdoDecision::kCompliant,
       0,
       0,
       "the LSDO was paid in full (£800.00 of £800.00 due 2027-05-01): the case returns to "
       "MAINTENANCE (AR10.6)"},
      {"LSDO short",
       {{.due = D(2027, 5, 1),
         .expected = 80000,
         .received = 40000,
         .decided = true,
         .lump_sum = true}},
       false,
       RdoDecision::kNegotiate,
       0,
       1,
       "the first LSDO payment below 90% (£400.00 of £800.00 due 2027-05-01): negotiate the "
       "shortfall with the PP (AR10.6)"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    const RdoCompliance c = AssessRdoCompliance(r.receipts, r.negotiation_failed);
    EXPECT_STREQ(Name(c.decision), Name(r.decision));
    EXPECT_EQ(c.full_payments, r.full);
    EXPECT_EQ(c.shortfalls, r.shortfalls);
    EXPECT_EQ(c.reason, r.reason);
  }
}

TEST(RdoComplianceTest, AR10_6_ReviewAtTheThirdPaymentPlusFiveWorkingDays) {
  auto calendar = catalog::LoadBankHolidays(catalog::EmbeddedBankHolidayFiles());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  struct Row {
    absl::CivilDay third_due;
    Jurisdiction j;
    absl::CivilDay review;
  } rows[] = {
      {D(2027, 3, 1), Jurisdiction::kEnglandAndWales, D(2027, 3, 8)},
      // Good Friday 26 March and Easter Monday 29 March 2027.
      {D(2027, 3, 24), Jurisdiction::kEnglandAndWales, D(2027, 4, 2)},
      {D(2027, 3, 24), Jurisdiction::kScotland, D(2027, 4, 1)},
      {D(2026, 12, 24), Jurisdiction::kNorthernIreland, D(2027, 1, 5)},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(absl::FormatCivilTime(r.third_due));
    auto review = RdoReviewDate(r.third_due, r.j, *calendar);
    ASSERT_TRUE(review.ok()) << review.status();
    EXPECT_EQ(*review, r.review);
  }
  EXPECT_EQ(RdoReviewDate(D(2030, 12, 30), Jurisdiction::kScotland, *calendar).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(RdoComplianceTest, AR10_6_TheNightlyCheckJudgesEachPaymentOnItsReceipts) {
  // Set up Tuesday 19 January 2027; £100 a week from Friday the 22nd.
  const RdoSchedule rdo{absl::CivilDay(2027, 1, 19), absl::CivilDay(2027, 1, 22),
                        Frequency::kWeekly};
  EXPECT_EQ(RdoPaymentDue(rdo, 0), absl::CivilDay(2027, 1, 22));
  EXPECT_EQ(RdoPaymentDue(rdo, 2), absl::CivilDay(2027, 2, 5));
  EXPECT_EQ(RdoPaymentIndex(rdo, absl::CivilDay(2027, 1, 22)), 0);
  EXPECT_EQ(RdoPaymentIndex(rdo, absl::CivilDay(2027, 2, 5)), 2);
  EXPECT_EQ(RdoPaymentIndex(rdo, absl::CivilDay(2027, 1, 23)), -1);
  EXPECT_EQ(RdoPaymentIndex(rdo, absl::CivilDay(2027, 1, 1)), -1);
  struct Row {
    int n;
    int tolerance;
    absl::CivilDay from, to, judged;
  } rows[] = {
      // The first: from the set-up to its due date (+ the tolerance).
      {0, 0, absl::CivilDay(2027, 1, 19), absl::CivilDay(2027, 1, 22), absl::CivilDay(2027, 1, 23)},
      {0, 3, absl::CivilDay(2027, 1, 19), absl::CivilDay(2027, 1, 25), absl::CivilDay(2027, 1, 26)},
      // Later ones: after the previous window, so no receipt counts twice.
      {1, 0, absl::CivilDay(2027, 1, 23), absl::CivilDay(2027, 1, 29), absl::CivilDay(2027, 1, 30)},
      {1, 3, absl::CivilDay(2027, 1, 26), absl::CivilDay(2027, 2, 1), absl::CivilDay(2027, 2, 2)},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(testing::Message() << r.n << " tolerance " << r.tolerance);
    const DayRange w = RdoReceiptWindow(rdo, r.n, r.tolerance);
    EXPECT_EQ(w.from, r.from);
    EXPECT_EQ(w.to, r.to);
    EXPECT_EQ(RdoJudgedOn(rdo, r.n, r.tolerance), r.judged);
  }
  // Set up after the first payment's day (DOT reports late): the window
  // still ends on it and is never inverted.
  const RdoSchedule late{absl::CivilDay(2027, 1, 25), absl::CivilDay(2027, 1, 22),
                         Frequency::kWeekly};
  EXPECT_EQ(RdoReceiptWindow(late, 0, 0).from, absl::CivilDay(2027, 1, 22));
}

}  // namespace
}  // namespace cms::domain
