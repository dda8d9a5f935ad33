// Short names for cms.v1 enum values, as cmsctl prints and accepts them.
// Every cms.v1 enum has a zero value FOO_UNSPECIFIED and prefixes the others
// with FOO_ (COUNTRY_GB, SERVICE_SEGMENT_OPTIONS, ROLE_TEAM_LEADER); the short
// name drops that prefix ("GB", "OPTIONS", "TEAM_LEADER").
//
// Thread-safety: all functions are pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace cms::cmsctl {

// The prefix the enum's values carry: the zero value's name less
// "UNSPECIFIED" ("COUNTRY_" for COUNTRY_UNSPECIFIED); empty when the zero
// value does not end in "_UNSPECIFIED".
std::string EnumPrefix(const google::protobuf::EnumDescriptor* type);

// COUNTRY_GB -> "GB"; the zero value -> "UNSPECIFIED".
std::string EnumShortName(const google::protobuf::EnumValueDescriptor* value);

// The short names of every value but the zero value, in declaration order.
std::vector<std::string> EnumShortNames(const google::protobuf::EnumDescriptor* type);

// Accepts the short or the full name, case-insensitively, with '-' or ' '
// allowed for '_' ("gb", "COUNTRY_GB", "team-leader"). The zero value is
// refused: a value the caller chose is never "unspecified". The error
// (INVALID_ARGUMENT) lists the accepted short names.
absl::StatusOr<int> ParseEnumNumber(const google::protobuf::EnumDescriptor* type,
                                    absl::string_view text);

template <typename E>
absl::StatusOr<E> ParseEnum(absl::string_view text) {
  absl::StatusOr<int> number = ParseEnumNumber(google::protobuf::GetEnumDescriptor<E>(), text);
  if (!number.ok()) return number.status();
  return static_cast<E>(*number);
}

}  // namespace cms::cmsctl
