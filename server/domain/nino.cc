#include "server/domain/nino.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace cms::domain {

std::optional<std::string> NormaliseNino(absl::string_view nino) {
  std::string s;
  for (char c : nino) {
    if (c != ' ') s.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  if (s.size() != 9) return std::nullopt;
  auto is_letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (!is_letter(s[0]) || !is_letter(s[1])) return std::nullopt;
  if (absl::StrContains("DFIQUV", s[0]) || absl::StrContains("DFIOQUV", s[1])) return std::nullopt;
  constexpr std::array<absl::string_view, 7> kBannedPrefixes = {"BG", "GB", "KN", "NK",
                                                                "NT", "TN", "ZZ"};
  for (auto banned : kBannedPrefixes) {
    if (absl::StartsWith(s, banned)) return std::nullopt;
  }
  for (int i = 2; i < 8; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  if (s[8] < 'A' || s[8] > 'D') return std::nullopt;
  return s;
}

}  // namespace cms::domain
