#include "server/domain/assurance.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"

namespace cms::domain {

using cms::v1::AssuranceCriterion;
using cms::v1::AssuranceCriterionResult;

const std::vector<AssuranceCriterion>& AssuranceCriteria() {
  static const auto* criteria =
      new std::vector<AssuranceCriterion>{cms::v1::ASSURANCE_CRITERION_CASH_VALUE_ACCURACY,
                                          cms::v1::ASSURANCE_CRITERION_PROCEDURE_FOLLOWED,
                                          cms::v1::ASSURANCE_CRITERION_CLIENT_HANDLING};
  return *criteria;
}

absl::Status ValidateCheck(
    const google::protobuf::RepeatedPtrField<AssuranceCriterionResult>& results,
    const std::string& comment) {
  FieldErrors errors;
  std::map<int, int> seen;  // criterion -> first index
  for (int i = 0; i < results.size(); ++i) {
    const AssuranceCriterionResult& r = results[i];
    const std::string at = absl::StrCat("results[", i, "]");
    if (r.criterion() == cms::v1::ASSURANCE_CRITERION_UNSPECIFIED ||
        !cms::v1::AssuranceCriterion_IsValid(r.criterion())) {
      errors.Add(absl::StrCat(at, ".criterion"),
                 "CASH_VALUE_ACCURACY, PROCEDURE_FOLLOWED or CLIENT_HANDLING");
    } else if (!seen.emplace(r.criterion(), i).second) {
      errors.Add(absl::StrCat(at, ".criterion"),
                 absl::StrCat(ShortName(r.criterion()), " is given twice: one result each"));
    }
    if (r.result() == cms::v1::ASSURANCE_RESULT_UNSPECIFIED ||
        !cms::v1::AssuranceResult_IsValid(r.result())) {
      errors.Add(absl::StrCat(at, ".result"), "PASS, FAIL or NOT_APPLICABLE");
    }
    if (r.result() == cms::v1::ASSURANCE_RESULT_FAIL &&
        absl::StripAsciiWhitespace(r.comment()).empty()) {
      errors.Add(absl::StrCat(at, ".comment"), "required for a FAIL: say what was wrong");
    }
    if (r.comment().size() > kMaxCheckCommentLength) {
      errors.Add(absl::StrCat(at, ".comment"),
                 absl::StrCat("at most ", kMaxCheckCommentLength, " characters"));
    }
  }
  for (AssuranceCriterion c : AssuranceCriteria()) {
    if (!seen.contains(c)) {
      errors.Add("results", absl::StrCat(ShortName(c), " is missing: one result per criterion"));
    }
  }
  if (comment.size() > kMaxAssuranceTextLength) {
    errors.Add("comment", absl::StrCat("at most ", kMaxAssuranceTextLength, " characters"));
  }
  return errors.ToStatus("AG11.2");
}

std::vector<AssuranceCriterionResult> InCriterionOrder(
    const google::protobuf::RepeatedPtrField<AssuranceCriterionResult>& results) {
  std::vector<AssuranceCriterionResult> out(results.begin(), results.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const AssuranceCriterionResult& a, const AssuranceCriterionResult& b) {
                     return a.criterion() < b.criterion();
                   });
  return out;
}

cms::v1::AssuranceResult CheckOutcome(
    const google::protobuf::RepeatedPtrField<AssuranceCriterionResult>& results) {
  bool passed = false;
  for (const AssuranceCriterionResult& r : results) {
    if (r.result() == cms::v1::ASSURANCE_RESULT_FAIL) return cms::v1::ASSURANCE_RESULT_FAIL;
    if (r.result() == cms::v1::ASSURANCE_RESULT_PASS) passed = true;
  }
  return passed ? cms::v1::ASSURANCE_RESULT_PASS : cms::v1::ASSURANCE_RESULT_NOT_APPLICABLE;
}

bool IsCorrectiveActionOverdue(cms::v1::CorrectiveActionState state, absl::CivilDay due,
                               absl::CivilDay today) {
  return state == cms::v1::CORRECTIVE_ACTION_STATE_OPEN && today > due;
}

std::vector<cms::v1::CaseworkerCoaching> AggregateCoaching(
    const std::vector<std::string>& members, const std::vector<CoachingCheck>& checks,
    const std::vector<CoachingAction>& actions, absl::CivilDay today) {
  std::vector<cms::v1::CaseworkerCoaching> out;
  std::map<std::string, size_t> index;
  for (const std::string& m : members) {
    if (!index.emplace(m, out.size()).second) continue;
    cms::v1::CaseworkerCoaching& c = out.emplace_back();
    c.set_staff_id(m);
    for (AssuranceCriterion criterion : AssuranceCriteria()) {
      c.add_failed_criteria()->set_criterion(criterion);
    }
  }
  for (const CoachingCheck& check : checks) {
    auto it = index.find(check.caseworker);
    if (it == index.end()) continue;
    cms::v1::CaseworkerCoaching& c = out[it->second];
    c.set_checks(c.checks() + 1);
    if (!check.failed.empty()) c.set_failed_checks(c.failed_checks() + 1);
    for (AssuranceCriterion f : check.failed) {
      for (cms::v1::CriterionFailures& cf : *c.mutable_failed_criteria()) {
        if (cf.criterion() == f) cf.set_failures(cf.failures() + 1);
      }
    }
  }
  for (const CoachingAction& a : actions) {
    auto it = index.find(a.caseworker);
    if (it == index.end() || a.state != cms::v1::CORRECTIVE_ACTION_STATE_OPEN) continue;
    cms::v1::CaseworkerCoaching& c = out[it->second];
    c.set_open_corrective_actions(c.open_corrective_actions() + 1);
    if (IsCorrectiveActionOverdue(a.state, a.due, today)) {
      c.set_overdue_corrective_actions(c.overdue_corrective_actions() + 1);
    }
  }
  return out;
}

}  // namespace cms::domain
