#include "absl/strings/string_view.h"
#include "server/domain/enum_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"

namespace cms {
namespace {

absl::string_view PrefixOf(const google::protobuf::EnumDescriptor* type) {
  absl::string_view zero = type->value(0)->name();
  absl::ConsumeSuffix(&zero, "UNSPECIFIED");
  return zero;
}

}  // namespace

std::string EnumShortName(const google::protobuf::EnumDescriptor* type, int value) {
  const auto* v = type->FindValueByNumber(value);
  if (v == nullptr) return "UNKNOWN";
  absl::string_view name = v->name();
  absl::ConsumePrefix(&name, PrefixOf(type));
  return std::string(name);
}

std::optional<int> ParseEnumName(const google::protobuf::EnumDescriptor* type,
                                 absl::string_view name) {
  std::string upper = absl::AsciiStrToUpper(name);
  absl::string_view prefix = PrefixOf(type);
  for (int i = 1; i < type->value_count(); ++i) {
    const auto* v = type->value(i);
    absl::string_view full = v->name();
    absl::string_view shortname = full;
    absl::ConsumePrefix(&shortname, prefix);
    if (upper == full || upper == shortname) return v->number();
  }
  return std::nullopt;
}

}  // namespace cms
