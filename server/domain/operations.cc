#include "server/domain/operations.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

std::string RuleOrW46(const absl::Status& s) {
  std::string rule = RuleOf(s);
  return rule.empty() ? "W4.6" : rule;
}

}  // namespace

bool IsOperationRefusal(const absl::Status& error) {
  switch (error.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kPermissionDenied:
      return true;
    case absl::StatusCode::kAborted:
      // A stale etag is the caller's (the segment changed since they read
      // it); other ABORTEDs are transaction conflicts, retried.
      return ReasonOf(error) == "STALE_ETAG";
    default:
      return false;
  }
}

cms::v1::OperationError OperationErrorOf(const absl::Status& refusal) {
  cms::v1::OperationError e;
  e.set_code(static_cast<int32_t>(refusal.code()));
  e.set_message(std::string(refusal.message()));
  e.set_rule_id(RuleOrW46(refusal));
  return e;
}

cms::v1::OperationError OperationErrorAfterAttempts(const absl::Status& last_error, int attempts) {
  cms::v1::OperationError e;
  e.set_code(static_cast<int32_t>(last_error.code()));
  e.set_message(absl::StrCat("a batch failed ", attempts, attempts == 1 ? " time" : " times",
                             " and was given up; the last error: ", last_error.message()));
  e.set_rule_id(RuleOrW46(last_error));
  return e;
}

}  // namespace cms::domain
