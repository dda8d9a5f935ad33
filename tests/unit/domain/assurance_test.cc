// AG11.2: a Q&A check's results (one per criterion, a FAIL with its
// comment), its outcome, when a corrective action is overdue, and the
// coaching needs a team's checks add up to.
#include "server/domain/assurance.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "server/base/errors.h"

namespace cms::domain {
namespace {

using cms::v1::ASSURANCE_CRITERION_CASH_VALUE_ACCURACY;
using cms::v1::ASSURANCE_CRITERION_CLIENT_HANDLING;
using cms::v1::ASSURANCE_CRITERION_PROCEDURE_FOLLOWED;
using cms::v1::ASSURANCE_RESULT_FAIL;
using cms::v1::ASSURANCE_RESULT_NOT_APPLICABLE;
using cms::v1::ASSURANCE_RESULT_PASS;
using Results = google::protobuf::RepeatedPtrField<cms::v1::AssuranceCriterionResult>;

void Add(Results& r, cms::v1::AssuranceCriterion c, cms::v1::AssuranceResult result,
         const std::string& comment = "") {
  auto* x = r.Add();
  x->set_criterion(c);
  x->set_result(result);
  x->set_comment(comment);
}

Results AllPass() {
  Results r;
  Add(r, ASSURANCE_CRITERION_CASH_VALUE_ACCURACY, ASSURANCE_RESULT_PASS);
  Add(r, ASSURANCE_CRITERION_PROCEDURE_FOLLOWED, ASSURANCE_RESULT_PASS);
  Add(r, ASSURANCE_CRITERION_CLIENT_HANDLING, ASSURANCE_RESULT_NOT_APPLICABLE);
  return r;
}

std::vector<std::string> BadFields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : FieldErrorsOf(s)) out.push_back(e.field);
  return out;
}

TEST(AssuranceCheckTest, AG11_2_ACheckHasOneResultPerCriterionAndAFailSaysWhy) {
  struct Row {
    const char* what;
    std::function<void(Results&, std::string&)> set;
    std::vector<std::string> bad;  // empty: accepted
  } rows[] = {
      {"every criterion, no fail", [](auto&, auto&) {}, {}},
      {"a fail with its comment",
       [](Results& r, auto&) {
         r[1].set_result(ASSURANCE_RESULT_FAIL);
         r[1].set_comment("the MOPF was set up without the PP's consent");
       },
       {}},
      {"in any order", [](Results& r, auto&) { r.SwapElements(0, 2); }, {}},
      {"a criterion missing", [](Results& r, auto&) { r.RemoveLast(); }, {"results"}},
      {"nothing at all", [](Results& r, auto&) { r.Clear(); }, {"results", "results", "results"}},
      {"a criterion twice",
       [](Results& r, auto&) {
         Add(r, ASSURANCE_CRITERION_PROCEDURE_FOLLOWED, ASSURANCE_RESULT_PASS);
       },
       {"results[3].criterion"}},
      {"a duplicate in place of a missing one",
       [](Results& r, auto&) { r[2].set_criterion(ASSURANCE_CRITERION_CASH_VALUE_ACCURACY); },
       {"results[2].criterion", "results"}},
      {"a fail without a comment",
       [](Results& r, auto&) { r[0].set_result(ASSURANCE_RESULT_FAIL); },
       {"results[0].comment"}},
      {"a fail with a blank comment",
       [](Results& r, auto&) {
         r[0].set_result(ASSURANCE_RESULT_FAIL);
         r[0].set_comment("   ");
       },
       {"results[0].comment"}},
      {"no result",
       [](Results& r, auto&) { r[2].set_result(cms::v1::ASSURANCE_RESULT_UNSPECIFIED); },
       {"results[2].result"}},
      {"an unknown criterion",
       [](Results& r, auto&) {
         Add(r, cms::v1::ASSURANCE_CRITERION_UNSPECIFIED, ASSURANCE_RESULT_PASS);
       },
       {"results[3].criterion"}},
      {"a comment too long",
       [](Results& r, auto&) { r[0].set_comment(std::string(2001, 'x')); },
       {"results[0].comment"}},
      {"an overall comment too long",
       [](auto&, std::string& comment) { comment.assign(4001, 'x'); },
       {"comment"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.what);
    Results r = AllPass();
    std::string comment = "Checked against the SR's notes";
    row.set(r, comment);
    const absl::Status s = ValidateCheck(r, comment);
    EXPECT_EQ(BadFields(s), row.bad);
    if (!row.bad.empty()) {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(RuleOf(s), "AG11.2");
    }
  }
}

TEST(AssuranceCheckTest, AG11_2_AnyFailFailsTheCheck) {
  Results r = AllPass();
  EXPECT_EQ(CheckOutcome(r), ASSURANCE_RESULT_PASS);
  r[2].set_result(ASSURANCE_RESULT_FAIL);
  EXPECT_EQ(CheckOutcome(r), ASSURANCE_RESULT_FAIL);
  Results none;
  for (auto c : AssuranceCriteria()) Add(none, c, ASSURANCE_RESULT_NOT_APPLICABLE);
  EXPECT_EQ(CheckOutcome(none), ASSURANCE_RESULT_NOT_APPLICABLE);
  // Kept in criterion order whatever order they came in.
  r.SwapElements(0, 2);
  std::vector<cms::v1::AssuranceCriterion> order;
  for (const auto& x : InCriterionOrder(r)) order.push_back(x.criterion());
  EXPECT_EQ(order, AssuranceCriteria());
}

TEST(AssuranceCheckTest, AG11_2_AnOpenActionIsOverdueFromTheDayAfterItsDueDate) {
  const absl::CivilDay due(2027, 3, 31);
  EXPECT_FALSE(IsCorrectiveActionOverdue(cms::v1::CORRECTIVE_ACTION_STATE_OPEN, due, due));
  EXPECT_TRUE(IsCorrectiveActionOverdue(cms::v1::CORRECTIVE_ACTION_STATE_OPEN, due, due + 1));
  EXPECT_FALSE(IsCorrectiveActionOverdue(cms::v1::CORRECTIVE_ACTION_STATE_DONE, due, due + 30));
}

TEST(AssuranceCheckTest, AG11_2_CoachingCountsEachMembersFailedCriteriaAndOpenActions) {
  const absl::CivilDay today(2027, 4, 10);
  const std::vector<std::string> members = {"cw.a", "cw.b", "tl.a"};
  const std::vector<CoachingCheck> checks = {
      {"cw.a", {ASSURANCE_CRITERION_PROCEDURE_FOLLOWED}},
      {"cw.a", {ASSURANCE_CRITERION_PROCEDURE_FOLLOWED, ASSURANCE_CRITERION_CLIENT_HANDLING}},
      {"cw.a", {}},
      {"cw.b", {}},
      {"someone.else", {ASSURANCE_CRITERION_CASH_VALUE_ACCURACY}},  // not of the team
  };
  const std::vector<CoachingAction> actions = {
      {"cw.a", cms::v1::CORRECTIVE_ACTION_STATE_OPEN, absl::CivilDay(2027, 4, 9)},   // overdue
      {"cw.a", cms::v1::CORRECTIVE_ACTION_STATE_OPEN, absl::CivilDay(2027, 4, 10)},  // due today
      {"cw.a", cms::v1::CORRECTIVE_ACTION_STATE_DONE, absl::CivilDay(2027, 4, 1)},
      {"cw.b", cms::v1::CORRECTIVE_ACTION_STATE_OPEN, absl::CivilDay(2027, 1, 1)},  // overdue
  };
  auto out = AggregateCoaching(members, checks, actions, today);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].staff_id(), "cw.a");
  EXPECT_EQ(out[0].checks(), 3);
  EXPECT_EQ(out[0].failed_checks(), 2);
  ASSERT_EQ(out[0].failed_criteria_size(), 3);
  EXPECT_EQ(out[0].failed_criteria(0).criterion(), ASSURANCE_CRITERION_CASH_VALUE_ACCURACY);
  EXPECT_EQ(out[0].failed_criteria(0).failures(), 0);
  EXPECT_EQ(out[0].failed_criteria(1).criterion(), ASSURANCE_CRITERION_PROCEDURE_FOLLOWED);
  EXPECT_EQ(out[0].failed_criteria(1).failures(), 2);
  EXPECT_EQ(out[0].failed_criteria(2).failures(), 1);
  EXPECT_EQ(out[0].open_corrective_actions(), 2);
  EXPECT_EQ(out[0].overdue_corrective_actions(), 1);
  EXPECT_EQ(out[1].checks(), 1);
  EXPECT_EQ(out[1].failed_checks(), 0);
  EXPECT_EQ(out[1].open_corrective_actions(), 1);
  EXPECT_EQ(out[1].overdue_corrective_actions(), 1);
  // A member nothing was checked of is listed with zeros.
  EXPECT_EQ(out[2].staff_id(), "tl.a");
  EXPECT_EQ(out[2].checks(), 0);
  EXPECT_EQ(out[2].failed_criteria_size(), 3);
}

}  // namespace
}  // namespace cms::domain
