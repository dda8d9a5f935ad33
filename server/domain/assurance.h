// AG11.2: Q&A checks, corrective actions and coaching: what a check must
// carry, its outcome, when a corrective action is overdue, and a team's
// coaching needs from the checks of its members' work. Pure and
// thread-safe.
//
// Decisions where the SPEC and the procedure are silent:
// - A check has exactly one result per criterion (CASH_VALUE_ACCURACY,
//   PROCEDURE_FOLLOWED, CLIENT_HANDLING), each PASS, FAIL or
//   NOT_APPLICABLE; a FAIL says why (its comment). Its outcome is FAIL when
//   any criterion failed, else PASS when any passed, else NOT_APPLICABLE.
// - A corrective action is overdue from the day after its due date while
//   it is not done.
// - Coaching counts the current checks (a superseded check was corrected,
//   so the correction counts instead) recorded in the period of the work of
//   each member of the team, and each member's corrective actions still
//   open, whenever they were set.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "cms/v1/assurance.pb.h"
#include "google/protobuf/repeated_field.h"

namespace cms::domain {

inline constexpr int kMaxCheckCommentLength = 2000;
inline constexpr int kMaxAssuranceTextLength = 4000;

// The criteria, in order.
const std::vector<cms::v1::AssuranceCriterion>& AssuranceCriteria();

// INVALID_ARGUMENT (rule AG11.2) naming each bad field of a check's
// results (`results`, `results[i].criterion|result|comment`) and comment:
// a criterion missing, unknown or given twice, a result missing, a FAIL
// without its comment, a comment too long.
absl::Status ValidateCheck(
    const google::protobuf::RepeatedPtrField<cms::v1::AssuranceCriterionResult>& results,
    const std::string& comment);

// The results in criterion order (as validated: one per criterion).
std::vector<cms::v1::AssuranceCriterionResult> InCriterionOrder(
    const google::protobuf::RepeatedPtrField<cms::v1::AssuranceCriterionResult>& results);

cms::v1::AssuranceResult CheckOutcome(
    const google::protobuf::RepeatedPtrField<cms::v1::AssuranceCriterionResult>& results);

bool IsCorrectiveActionOverdue(cms::v1::CorrectiveActionState state, absl::CivilDay due,
                               absl::CivilDay today);

// What coaching reads of a current check of a member's work.
struct CoachingCheck {
  std::string caseworker;
  std::vector<cms::v1::AssuranceCriterion> failed;  // the criteria it failed
};
// And of a corrective action about a member's work.
struct CoachingAction {
  std::string caseworker;
  cms::v1::CorrectiveActionState state = cms::v1::CORRECTIVE_ACTION_STATE_UNSPECIFIED;
  absl::CivilDay due;
};

// One entry per member (in the order given), each with every criterion:
// checks and failed checks, failures per criterion, open and overdue
// corrective actions (as of `today`). Checks and actions of anyone else
// are ignored.
std::vector<cms::v1::CaseworkerCoaching> AggregateCoaching(
    const std::vector<std::string>& members, const std::vector<CoachingCheck>& checks,
    const std::vector<CoachingAction>& actions, absl::CivilDay today);

}  // namespace cms::domain
