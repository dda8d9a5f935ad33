#include "server/base/enum_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cms {
namespace {

// The zero value's suffix; what precedes its "UNSPECIFIED" is the prefix.
constexpr absl::string_view kZeroSuffix = "_UNSPECIFIED";

// `name` less `prefix`, when it has it and something is left.
absl::string_view Shorten(absl::string_view name, absl::string_view prefix) {
  if (!prefix.empty() && absl::StartsWith(name, prefix) && name.size() > prefix.size()) {
    return name.substr(prefix.size());
  }
  return name;
}

}  // namespace

absl::string_view EnumPrefix(const google::protobuf::EnumDescriptor* type) {
  const google::protobuf::EnumValueDescriptor* zero = type->FindValueByNumber(0);
  if (zero == nullptr) return "";
  // The descriptor pool owns the name for the life of the process.
  absl::string_view name = zero->name();
  if (!absl::EndsWith(name, kZeroSuffix)) return "";
  return name.substr(0, name.size() - kZeroSuffix.size() + 1);  // keeps the '_'
}

std::string EnumShortName(const google::protobuf::EnumValueDescriptor* value) {
  return std::string(Shorten(value->name(), EnumPrefix(value->type())));
}

std::string EnumShortName(const google::protobuf::EnumDescriptor* type, int number) {
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByNumber(number);
  return value == nullptr ? "UNKNOWN" : EnumShortName(value);
}

std::vector<std::string> EnumShortNames(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type->value(i);
    if (value->number() != 0) names.push_back(EnumShortName(value));
  }
  return names;
}

std::optional<int> ParseEnumName(const google::protobuf::EnumDescriptor* type,
                                 absl::string_view text) {
  std::string wanted = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  if (wanted.empty()) return std::nullopt;
  for (char& c : wanted) {
    if (c == '-' || c == ' ') c = '_';
  }
  const absl::string_view prefix = EnumPrefix(type);
  for (int i = 0; i < type->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type->value(i);
    if (value->number() == 0) continue;
    if (wanted == value->name() || wanted == Shorten(value->name(), prefix)) {
      return value->number();
    }
  }
  return std::nullopt;
}

absl::Status UnknownEnumName(const google::protobuf::EnumDescriptor* type, absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a ", type->name(),
                                                 "; expected one of ",
                                                 absl::StrJoin(EnumShortNames(type), ", ")));
}

}  // namespace cms
