#include "clients/cpp/enum_names.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cms::cmsctl {
namespace {

constexpr absl::string_view kUnspecified = "UNSPECIFIED";

std::string Normalize(absl::string_view text) {
  std::string out = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  for (char& c : out) {
    if (c == '-' || c == ' ') c = '_';
  }
  return out;
}

}  // namespace

std::string EnumPrefix(const google::protobuf::EnumDescriptor* type) {
  const google::protobuf::EnumValueDescriptor* zero = type->FindValueByNumber(0);
  if (zero == nullptr) return "";
  const std::string& name = zero->name();
  if (name == kUnspecified || !absl::EndsWith(name, absl::StrCat("_", kUnspecified))) return "";
  return name.substr(0, name.size() - kUnspecified.size());
}

std::string EnumShortName(const google::protobuf::EnumValueDescriptor* value) {
  const std::string prefix = EnumPrefix(value->type());
  const std::string& name = value->name();
  if (!prefix.empty() && absl::StartsWith(name, prefix) && name.size() > prefix.size()) {
    return name.substr(prefix.size());
  }
  return name;
}

std::vector<std::string> EnumShortNames(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type->value(i);
    if (value->number() == 0) continue;
    names.push_back(EnumShortName(value));
  }
  return names;
}

absl::StatusOr<int> ParseEnumNumber(const google::protobuf::EnumDescriptor* type,
                                    absl::string_view text) {
  const std::string wanted = Normalize(text);
  if (!wanted.empty()) {
    for (int i = 0; i < type->value_count(); ++i) {
      const google::protobuf::EnumValueDescriptor* value = type->value(i);
      if (value->number() == 0) continue;
      if (wanted == value->name() || wanted == EnumShortName(value)) return value->number();
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a ", type->name(),
                                                 "; expected one of ",
                                                 absl::StrJoin(EnumShortNames(type), ", ")));
}

}  // namespace cms::cmsctl
