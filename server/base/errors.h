// Error values shared by every layer (X13.5). A status may carry the SPEC
// rule that refused a call, the bad fields of a request and a stable reason;
// the api layer turns them into a cms.v1.ErrorInfo status detail.
// All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cms {

struct FieldError {
  std::string field;
  std::string description;
  bool operator==(const FieldError&) const = default;
};

// Collects bad fields; ToStatus() is OK when none were added.
class FieldErrors {
 public:
  void Add(std::string field, std::string description);
  bool empty() const { return errors_.empty(); }
  // INVALID_ARGUMENT naming each field, with an optional rule id.
  absl::Status ToStatus(absl::string_view rule_id = "") const;

 private:
  std::vector<FieldError> errors_;
};

absl::Status InvalidField(std::string field, std::string description,
                          absl::string_view rule_id = "");
// FAILED_PRECONDITION naming the rule that refused.
absl::Status RuleViolation(absl::string_view rule_id, absl::string_view message);
absl::Status NotFound(absl::string_view entity, absl::string_view id);
// ABORTED: the caller's etag is not the entity's current version (X13.3).
absl::Status StaleEtag(absl::string_view entity, absl::string_view id);
absl::Status PermissionDenied(absl::string_view message, absl::string_view rule_id = "");

// Returns `status` with a rule id / reason attached (no-op on OK).
absl::Status WithRule(absl::Status status, absl::string_view rule_id);
absl::Status WithReason(absl::Status status, absl::string_view reason);
// Tells the caller how long to wait before trying again (a refusal for
// load); the api layer sends it as a google.rpc.RetryInfo.
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// Input echoed in an error message or log line, bounded: at most
// `max_chars` characters, printable ASCII kept and any other byte shown as
// \xNN, with "…" when cut. A caller's 10 KB header must not come back as a
// 10 KB trailer (nor a control character as a line break). Never pass a
// secret (client or identity tokens are not echoed at all).
inline constexpr size_t kMaxEchoChars = 48;
std::string EchoInput(absl::string_view input, size_t max_chars = kMaxEchoChars);

std::string RuleOf(const absl::Status& status);
std::string ReasonOf(const absl::Status& status);
// The delay WithRetryDelay set, or none.
std::optional<absl::Duration> RetryDelayOf(const absl::Status& status);
std::vector<FieldError> FieldErrorsOf(const absl::Status& status);

}  // namespace cms
