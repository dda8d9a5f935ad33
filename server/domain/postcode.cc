#include "server/domain/postcode.h"

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace cms::domain {
namespace {

bool IsLetter(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Outward codes: A9, A99, AA9, AA99, A9A, AA9A.
bool ValidOutward(absl::string_view o) {
  if (o.size() < 2 || o.size() > 4 || !IsLetter(o[0])) return false;
  size_t i = IsLetter(o[1]) ? 2 : 1;
  if (i >= o.size() || !IsDigit(o[i])) return false;
  ++i;
  if (i == o.size()) return true;
  if (i + 1 != o.size()) return false;
  return IsDigit(o[i]) || IsLetter(o[i]);
}

}  // namespace

std::optional<std::string> NormaliseUkPostcode(absl::string_view postcode) {
  std::string s;
  for (char c : postcode) {
    if (c != ' ') s.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  if (s == "GIR0AA") return std::string("GIR 0AA");
  if (s.size() < 5 || s.size() > 7) return std::nullopt;
  absl::string_view inward = absl::string_view(s).substr(s.size() - 3);
  absl::string_view outward = absl::string_view(s).substr(0, s.size() - 3);
  if (!IsDigit(inward[0]) || !IsLetter(inward[1]) || !IsLetter(inward[2])) return std::nullopt;
  if (!ValidOutward(outward)) return std::nullopt;
  return std::string(outward) + " " + std::string(inward);
}

std::string PostcodeArea(absl::string_view normalised_postcode) {
  std::string area;
  for (char c : normalised_postcode) {
    if (!IsLetter(c)) break;
    area.push_back(c);
  }
  return area;
}

cms::v1::Country RegionOf(absl::string_view pp_postcode, bool pp_outside_uk) {
  if (!pp_outside_uk && PostcodeArea(pp_postcode) == "BT") return cms::v1::COUNTRY_NI;
  return cms::v1::COUNTRY_GB;
}

}  // namespace cms::domain
