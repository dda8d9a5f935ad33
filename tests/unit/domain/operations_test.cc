// W4.6: how a firing of a long-running bulk move ends (domain/operations.h):
// a refusal is the operation's answer, a fault is retried, and a firing the
// sweeper gave up on FAILS the operation naming the error's rule, else W4.6.
#include "server/domain/operations.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/base/errors.h"

namespace cms::domain {
namespace {

TEST(OperationsTest, RefusalsAreTheAnswerFaultsAreRetried) {
  // W4.6
  struct Row {
    std::string name;
    absl::Status error;
    bool refusal;
  };
  const std::vector<Row> rows = {
      {"a rule (S1.6: a team added meanwhile)", RuleViolation("S1.6", "has teams"), true},
      {"bad input", InvalidField("postcode_areas", "bad"), true},
      {"gone", absl::NotFoundError("no segment"), true},
      {"clash", absl::AlreadyExistsError("name taken"), true},
      {"denied", PermissionDenied("no"), true},
      {"stale etag (X13.3)", StaleEtag("segment", "4"), true},
      // store::TransactionConflict: ABORTED with no STALE_ETAG reason.
      {"deadlock", absl::AbortedError("transaction conflict: deadlock"), false},
      {"a statement failed", absl::InternalError("Table 'casegroup_moves' doesn't exist"), false},
      {"database away", absl::UnavailableError("connection lost"), false},
      {"deadline", absl::DeadlineExceededError("slow"), false},
  };
  for (const Row& r : rows) EXPECT_EQ(IsOperationRefusal(r.error), r.refusal) << r.name;
}

TEST(OperationsTest, TheErrorNamesItsRuleElseW46) {
  // W4.6
  cms::v1::OperationError refused = OperationErrorOf(RuleViolation("S1.6", "has teams"));
  EXPECT_EQ(refused.code(), static_cast<int>(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(refused.message(), "S1.6: has teams");  // as the synchronous call says it
  EXPECT_EQ(refused.rule_id(), "S1.6");
  EXPECT_EQ(OperationErrorOf(StaleEtag("segment", "4")).rule_id(), "X13.3");
  EXPECT_EQ(OperationErrorOf(absl::NotFoundError("gone")).rule_id(), "W4.6");
}

TEST(OperationsTest, AFiringGivenUpOnFailsTheOperationWithTheLastError) {
  // W4.6: bounded retries; the operation says how many and why.
  cms::v1::OperationError e =
      OperationErrorAfterAttempts(absl::InternalError("Table 'casegroup_moves' doesn't exist"), 5);
  EXPECT_EQ(e.code(), static_cast<int>(absl::StatusCode::kInternal));
  EXPECT_EQ(e.rule_id(), "W4.6");
  EXPECT_EQ(e.message(),
            "a batch failed 5 times and was given up; the last error: Table 'casegroup_moves' "
            "doesn't exist");
  EXPECT_EQ(OperationErrorAfterAttempts(WithRule(absl::InternalError("x"), "S1.6"), 1).rule_id(),
            "S1.6");
  EXPECT_NE(OperationErrorAfterAttempts(absl::InternalError("x"), 1).message().find("1 time "),
            std::string::npos);
}

}  // namespace
}  // namespace cms::domain
