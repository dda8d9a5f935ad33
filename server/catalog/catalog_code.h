// The codes that name catalog entries (SR types, letter templates): 1..64
// characters of A-Z, 0-9 and _, so they read the same in logs, SQL and
// URLs. Pure; thread-safe.
#pragma once

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace cms::catalog {

inline bool IsCatalogCode(absl::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

}  // namespace cms::catalog
