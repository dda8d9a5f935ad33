// S5.8–S5.12: the checks of a recorded outcome, the extension date rule,
// and the early-end proposal, as tables.
#include "server/domain/compliance_decisions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cms::domain {
namespace {

using cms::v1::ComplianceAction;
using cms::v1::ComplianceReason;
using cms::v1::UnlikelyToPayStatus;

constexpr auto PASS = cms::v1::COMPLIANCE_ACTION_PASS;
constexpr auto FAIL = cms::v1::COMPLIANCE_ACTION_FAIL;
constexpr auto EARLY = cms::v1::COMPLIANCE_ACTION_ENDED_EARLY;
constexpr auto ALL = cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED;
constexpr auto DEFAULT = cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT;
constexpr auto UTP_PASS = cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE;
constexpr auto UTP_FAIL = cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY;

std::string Fields(const std::vector<FieldProblem>& problems) {
  std::string out;
  for (const auto& [field, why] : problems) out += (out.empty() ? "" : ",") + field;
  return out;
}

TEST(ComplianceDecisionsTest, S5_8_S5_10_RecordedOutcomeChecks) {
  struct Row {
    ComplianceAction action;
    ComplianceReason reason;
    UnlikelyToPayStatus utp;
    std::string dp;
    bool ended_early;
    std::string bad;  // the fields refused, in order
  } rows[] = {
      {PASS, ALL, UTP_PASS, "", false, ""},
      {PASS, ALL, UTP_FAIL, "wilful refusal", false, ""},  // pass the trial, fail UTP
      {FAIL, DEFAULT, UTP_FAIL, "missed twice", false, ""},
      {EARLY, ALL, UTP_PASS, "", true, ""},
      {FAIL, DEFAULT, UTP_FAIL, "x", true, ""},
      {PASS, DEFAULT, UTP_PASS, "", false, "reason"},      // PASS goes with ALL
      {FAIL, ALL, UTP_FAIL, "x", false, "reason"},         // FAIL goes with DEFAULT
      {FAIL, DEFAULT, UTP_PASS, "", false, "utp_status"},  // a FAIL fails UTP
      {PASS, ALL, UTP_FAIL, "", false, "dp_rejected_reason"},
      {PASS, ALL, UTP_PASS, "", true, "action"},    // early end: no PASS
      {EARLY, ALL, UTP_PASS, "", false, "action"},  // scheduled end: no ENDED_EARLY
      {cms::v1::COMPLIANCE_ACTION_UNSPECIFIED, cms::v1::COMPLIANCE_REASON_UNSPECIFIED,
       cms::v1::UNLIKELY_TO_PAY_STATUS_UNSPECIFIED, "", false, "action,reason,utp_status"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(testing::Message()
                 << r.action << " " << r.reason << " " << r.utp << " early " << r.ended_early);
    EXPECT_EQ(Fields(OutcomeProblems(r.action, r.reason, r.utp, r.dp, r.ended_early)), r.bad);
  }
}

TEST(ComplianceDecisionsTest, AddMonthsKeepsTheDayOrTheMonthsLastDay) {
  EXPECT_EQ(AddMonths(absl::CivilDay(2027, 7, 17), 2), absl::CivilDay(2027, 9, 17));
  EXPECT_EQ(AddMonths(absl::CivilDay(2027, 1, 31), 1), absl::CivilDay(2027, 2, 28));
  EXPECT_EQ(AddMonths(absl::CivilDay(2028, 1, 31), 1), absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(AddMonths(absl::CivilDay(2027, 11, 30), 3), absl::CivilDay(2028, 2, 29));
}

TEST(ComplianceDecisionsTest, S5_11_ExtensionsAreWholeMonthsAndNeverPastTheAnnualReview) {
  const absl::CivilDay end(2027, 7, 17);
  const absl::CivilDay review(2028, 1, 4);
  struct Row {
    absl::CivilDay proposed;
    std::optional<absl::CivilDay> review;
    int months;  // 0: refused
    std::string says;
  } rows[] = {
      {absl::CivilDay(2027, 8, 17), review, 1, ""},
      {absl::CivilDay(2027, 12, 17), review, 5, ""},
      {absl::CivilDay(2027, 8, 20), review, 0, "whole calendar months"},
      {absl::CivilDay(2027, 7, 17), review, 0, "after the current end date"},
      {absl::CivilDay(2027, 6, 17), review, 0, "after the current end date"},
      {absl::CivilDay(2028, 1, 17), review, 0, "annual review"},
      {absl::CivilDay(2028, 1, 17), std::nullopt, 6, ""},  // no review date known
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(absl::FormatCivilTime(r.proposed));
    const ExtensionCheck check = CheckExtension(end, r.proposed, r.review);
    EXPECT_EQ(check.months, r.months);
    if (r.says.empty()) {
      EXPECT_TRUE(check.problem.empty()) << check.problem;
    } else {
      EXPECT_NE(check.problem.find(r.says), std::string::npos) << check.problem;
      EXPECT_NE(check.problem.find("S5.11"), std::string::npos);
    }
  }
  // 31 January + 1 month is the last day of February.
  EXPECT_EQ(CheckExtension(absl::CivilDay(2027, 1, 31), absl::CivilDay(2027, 2, 28), {}).months, 1);
}

cms::v1::ScheduleItem Item(absl::CivilDay due, bool paid) {
  cms::v1::ScheduleItem i;
  i.set_id(due.day());
  i.mutable_due_date()->set_year(static_cast<int32_t>(due.year()));
  i.mutable_due_date()->set_month(due.month());
  i.mutable_due_date()->set_day(due.day());
  i.set_expected_method(cms::v1::PAYMENT_METHOD_DD);
  i.set_expected_pence(5000);
  i.set_paid_pence(paid ? 5000 : 0);
  i.set_in_full(paid);
  i.set_on_time(paid);
  i.set_agreed_method(paid);
  i.set_status(paid ? cms::v1::ITEM_STATUS_PAID : cms::v1::ITEM_STATUS_MISSED);
  return i;
}

TEST(ComplianceDecisionsTest, S5_12_TheEarlyEndTable) {
  const absl::CivilDay start(2027, 1, 11), day(2027, 3, 20);
  const std::vector<cms::v1::ScheduleItem> paid = {Item(start, true),
                                                   Item(absl::CivilDay(2027, 2, 11), true),
                                                   Item(absl::CivilDay(2027, 3, 11), true)};
  std::vector<cms::v1::ScheduleItem> missed = paid;
  missed[1] = Item(absl::CivilDay(2027, 2, 11), false);
  struct Row {
    cms::v1::EarlyEndReason reason;
    bool all_paid;
    ComplianceAction action;
    ComplianceReason why;
  } rows[] = {
      {cms::v1::EARLY_END_REASON_CHANGE_TO_DIRECT_PAY, false, EARLY, ALL},  // RP asks
      {cms::v1::EARLY_END_REASON_MISSED_PAYMENTS, true, FAIL, DEFAULT},
      {cms::v1::EARLY_END_REASON_ON_BENEFIT_CHANGE, true, EARLY, ALL},
      {cms::v1::EARLY_END_REASON_ON_BENEFIT_CHANGE, false, FAIL, DEFAULT},
      {cms::v1::EARLY_END_REASON_PAYING_PARENT_NIL_ASSESSED, true, EARLY, ALL},
      {cms::v1::EARLY_END_REASON_PAYING_PARENT_NIL_ASSESSED, false, FAIL, DEFAULT},
      {cms::v1::EARLY_END_REASON_CASE_CLOSED, true, EARLY, ALL},
      {cms::v1::EARLY_END_REASON_CHANGE_OF_CIRCUMSTANCE, false, FAIL, DEFAULT},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(testing::Message() << r.reason << " all paid " << r.all_paid);
    const cms::v1::ProposedOutcome p =
        ProposeEarlyEnd(r.reason, r.all_paid ? paid : missed, start, day);
    EXPECT_EQ(p.action(), r.action);
    EXPECT_EQ(p.reason(), r.why);
    EXPECT_NE(p.explanation().find("S5.12"), std::string::npos);
  }
}

}  // namespace
}  // namespace cms::domain
