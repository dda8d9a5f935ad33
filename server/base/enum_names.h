// Short, stable names for the API's enums ("GB" for COUNTRY_GB): how the
// server stores enums in the database and how cmsctl shows them in tables
// and reads them from flags. The one implementation: the server's layers
// reach it through cms_base, cmsctl links cms_base for it (issue 13).
//
// Every cms.v1 enum has a zero value FOO_UNSPECIFIED and prefixes the others
// with FOO_ (COUNTRY_GB, SERVICE_SEGMENT_OPTIONS, ROLE_TEAM_LEADER); the
// short name drops that prefix ("GB", "OPTIONS", "TEAM_LEADER"). JSON never
// uses short names: it has the full ones (base/proto_json.h).
//
// Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace cms {

// The prefix the enum's values carry: the zero value's name less
// "UNSPECIFIED" ("COUNTRY_" for COUNTRY_UNSPECIFIED); empty when the zero
// value does not end in "_UNSPECIFIED".
absl::string_view EnumPrefix(const google::protobuf::EnumDescriptor* type);

// COUNTRY_GB -> "GB"; the zero value -> "UNSPECIFIED".
std::string EnumShortName(const google::protobuf::EnumValueDescriptor* value);
// The same by number; "UNKNOWN" for a number the enum does not have.
std::string EnumShortName(const google::protobuf::EnumDescriptor* type, int number);

// The short names of every value but the zero value, in declaration order
// (for usage text and error messages).
std::vector<std::string> EnumShortNames(const google::protobuf::EnumDescriptor* type);

// Accepts the short or the full name, case-insensitively, surrounding
// spaces ignored, '-' or ' ' for '_' ("gb", "COUNTRY_GB", "team-leader").
// The zero value is never accepted: a value someone chose is never
// "unspecified". nullopt when nothing matches (no message is built: the
// store reads NULL columns as "" often).
std::optional<int> ParseEnumName(const google::protobuf::EnumDescriptor* type,
                                 absl::string_view text);

// INVALID_ARGUMENT for text that named no value of `type`, listing the
// accepted short names: "\"FR\" is not a Country; expected one of GB, NI".
absl::Status UnknownEnumName(const google::protobuf::EnumDescriptor* type, absl::string_view text);

template <typename E>
std::string ShortName(E value) {
  return EnumShortName(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

template <typename E>
std::optional<E> ParseEnum(absl::string_view text) {
  std::optional<int> v = ParseEnumName(google::protobuf::GetEnumDescriptor<E>(), text);
  if (!v) return std::nullopt;
  return static_cast<E>(*v);
}

// ParseEnum for text a person typed: the error says what would do.
template <typename E>
absl::StatusOr<E> ParseEnumOrError(absl::string_view text) {
  std::optional<E> v = ParseEnum<E>(text);
  if (!v) return UnknownEnumName(google::protobuf::GetEnumDescriptor<E>(), text);
  return *v;
}

}  // namespace cms
