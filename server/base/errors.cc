#include "server/base/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace cms {
namespace {

constexpr absl::string_view kRulePayload = "type.cms/rule";
constexpr absl::string_view kReasonPayload = "type.cms/reason";
constexpr absl::string_view kFieldsPayload = "type.cms/fields";
constexpr absl::string_view kRetryDelayPayload = "type.cms/retry-delay-ms";

// Fields are stored one per line as "field\tdescription"; neither part may
// hold a newline or a tab, so they are flattened first.
std::string Flatten(absl::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return out;
}

std::string PayloadOf(const absl::Status& status, absl::string_view key) {
  auto payload = status.GetPayload(key);
  return payload ? std::string(*payload) : std::string();
}

}  // namespace

void FieldErrors::Add(std::string field, std::string description) {
  errors_.push_back({std::move(field), std::move(description)});
}

absl::Status FieldErrors::ToStatus(absl::string_view rule_id) const {
  if (errors_.empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  std::string encoded;
  for (const auto& e : errors_) {
    parts.push_back(absl::StrCat(e.field, ": ", e.description));
    absl::StrAppend(&encoded, Flatten(e.field), "\t", Flatten(e.description), "\n");
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  status.SetPayload(kFieldsPayload, absl::Cord(encoded));
  status = WithReason(std::move(status), "INVALID_FIELDS");
  return WithRule(std::move(status), rule_id);
}

absl::Status InvalidField(std::string field, std::string description, absl::string_view rule_id) {
  FieldErrors errors;
  errors.Add(std::move(field), std::move(description));
  return errors.ToStatus(rule_id);
}

absl::Status RuleViolation(absl::string_view rule_id, absl::string_view message) {
  return WithReason(
      WithRule(absl::FailedPreconditionError(absl::StrCat(rule_id, ": ", message)), rule_id),
      "RULE_VIOLATION");
}

absl::Status NotFound(absl::string_view entity, absl::string_view id) {
  return WithReason(absl::NotFoundError(absl::StrCat(entity, " ", id, " not found")), "NOT_FOUND");
}

absl::Status StaleEtag(absl::string_view entity, absl::string_view id) {
  return WithReason(
      WithRule(absl::AbortedError(absl::StrCat(entity, " ", id,
                                               " was changed by someone else; reload it and retry "
                                               "with its current etag")),
               "X13.3"),
      "STALE_ETAG");
}

absl::Status PermissionDenied(absl::string_view message, absl::string_view rule_id) {
  return WithReason(WithRule(absl::PermissionDeniedError(message), rule_id), "PERMISSION_DENIED");
}

absl::Status WithRule(absl::Status status, absl::string_view rule_id) {
  if (!status.ok() && !rule_id.empty()) status.SetPayload(kRulePayload, absl::Cord(rule_id));
  return status;
}

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  if (!status.ok() && !reason.empty()) status.SetPayload(kReasonPayload, absl::Cord(reason));
  return status;
}

std::string EchoInput(absl::string_view input, size_t max_chars) {
  std::string out;
  for (size_t i = 0; i < input.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(input[i]);
    std::string piece = c >= 0x20 && c < 0x7F ? std::string(1, static_cast<char>(c))
                                              : absl::StrFormat("\\x%02x", c);
    if (out.size() + piece.size() > max_chars) {
      out += "\u2026";
      break;
    }
    out += piece;
  }
  return out;
}

std::string RuleOf(const absl::Status& status) { return PayloadOf(status, kRulePayload); }
std::string ReasonOf(const absl::Status& status) { return PayloadOf(status, kReasonPayload); }

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  if (!status.ok()) {
    status.SetPayload(kRetryDelayPayload,
                      absl::Cord(absl::StrCat(absl::ToInt64Milliseconds(delay))));
  }
  return status;
}

std::optional<absl::Duration> RetryDelayOf(const absl::Status& status) {
  int64_t ms = 0;
  if (!absl::SimpleAtoi(PayloadOf(status, kRetryDelayPayload), &ms)) return std::nullopt;
  return absl::Milliseconds(ms);
}

std::vector<FieldError> FieldErrorsOf(const absl::Status& status) {
  std::vector<FieldError> out;
  for (absl::string_view line :
       absl::StrSplit(PayloadOf(status, kFieldsPayload), '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts = absl::StrSplit(line, absl::MaxSplits('\t', 1));
    out.push_back({parts.first, parts.second});
  }
  return out;
}

}  // namespace cms
