// Short, stable names for the API's enums ("GB" for COUNTRY_GB): how enums
// are stored in the database and printed by cmsctl. The prefix is the name
// of the enum's zero value less "UNSPECIFIED". Pure and thread-safe.
#pragma once

#include "absl/strings/string_view.h"
#include <optional>
#include <string>

#include "google/protobuf/generated_enum_reflection.h"

namespace cms {

std::string EnumShortName(const google::protobuf::EnumDescriptor* type, int value);
// Accepts the short or the full name, case-insensitively; never the zero value.
std::optional<int> ParseEnumName(const google::protobuf::EnumDescriptor* type,
                                 absl::string_view name);

template <typename E>
std::string ShortName(E value) {
  return EnumShortName(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

template <typename E>
std::optional<E> ParseEnum(absl::string_view name) {
  auto v = ParseEnumName(google::protobuf::GetEnumDescriptor<E>(), name);
  if (!v) return std::nullopt;
  return static_cast<E>(*v);
}

}  // namespace cms
