// A reflective protobuf -> JSON printer for cmsctl's `--output json`.
//
// It differs from google::protobuf::util::MessageToJsonString on purpose, so
// scripts get the names people type:
//   - field names are the proto field names (snake_case), in declaration order;
//   - enum values print as short names ("GB", not "COUNTRY_GB"; see
//     enum_names.h); an unknown number prints as a JSON number;
//   - 64-bit integers print as JSON numbers, not strings;
//   - every singular field without presence prints, default or not (so a
//     script can rely on `team_id` being there); fields with presence
//     (message fields, oneof members, proto3 `optional`) print only when set;
//     repeated fields always print, as arrays (maps as objects);
//   - google.protobuf.Timestamp prints as an RFC 3339 UTC string
//     ("2025-01-02T03:04:05Z", fractional seconds only when non-zero),
//     Duration as "1.500s", wrapper types as their value, Any as an object
//     with "@type" (its payload's fields when the type is linked in, else
//     base64 "value"); bytes as base64; NaN/Infinity as strings;
//   - other nested messages print as objects.
//
// Thread-safety: all functions are pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"

namespace cms::cmsctl {

struct JsonOptions {
  // Spaces per nesting level; 0 prints the whole document on one line.
  int indent = 2;
};

// One message as a JSON object (no trailing newline).
std::string ToJson(const google::protobuf::Message& message, const JsonOptions& options = {});

// Messages as a JSON array of objects (no trailing newline).
std::string ToJsonArray(absl::Span<const google::protobuf::Message* const> messages,
                        const JsonOptions& options = {});

template <typename M>
std::string ToJsonArray(const google::protobuf::RepeatedPtrField<M>& messages,
                        const JsonOptions& options = {}) {
  std::vector<const google::protobuf::Message*> pointers;
  pointers.reserve(messages.size());
  for (const M& m : messages) pointers.push_back(&m);
  return ToJsonArray(pointers, options);
}

// `text` as a JSON string literal, quotes included: '"', '\\' and control
// characters escaped (\n \t \r \b \f, others \u00XX); other bytes, UTF-8
// included, pass through.
std::string JsonQuote(absl::string_view text);

// RFC 3339 in UTC with a "Z" suffix; fractional seconds only when non-zero.
std::string FormatTimestamp(int64_t seconds, int32_t nanos);
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// Duration in the proto JSON form: "3s", "1.500s", "-0.000001s".
std::string FormatDuration(int64_t seconds, int32_t nanos);

}  // namespace cms::cmsctl
