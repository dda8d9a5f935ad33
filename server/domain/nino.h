// National insurance number rules (C2.1). Pure and thread-safe.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace cms::domain {

// Upper-cases and strips spaces, then validates HMRC's format: two prefix
// letters (first not D F I Q U V; second not D F I O Q U V; not BG GB KN NK
// NT TN ZZ), six digits, suffix A–D. Returns the normalised NINO
// ("AB123456C") or nullopt when invalid.
std::optional<std::string> NormaliseNino(absl::string_view nino);

}  // namespace cms::domain
