// S1.3: a segment's system name is derived, never typed. Pure, thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/common.pb.h"

namespace cms::domain {

// The five-letter-or-fewer abbreviation of a service segment in system names
// (OPTIONS -> "OPPTS" as in the reference; the rest follow the same style).
absl::string_view ServiceSegmentAbbreviation(cms::v1::ServiceSegment segment);

// FS_<country>_<abbreviation>_<initials>_<CODE>, upper case, where <initials>
// are the first letters of the description's first three words (words are
// runs of letters and digits) and <CODE> is the code upper-cased.
//   (GB, OPTIONS, "Options Agents", "Agents") -> "FS_GB_OPPTS_OA_AGENTS"
// INVALID_ARGUMENT naming `country`, `service_segment`, `description` or
// `code` when one is unusable: description 1..100 characters with at least
// one letter or digit, code 1..20 letters or digits.
absl::StatusOr<std::string> DeriveSystemName(cms::v1::Country country,
                                             cms::v1::ServiceSegment segment,
                                             absl::string_view description, absl::string_view code);

}  // namespace cms::domain
