// Etags (X13.3): every mutable row has an integer `version`; its etag is the
// decimal version in quotes. Callers treat etags as opaque. Pure.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cms {

std::string EtagOf(int64_t version);

// The etag of the row's next version, for a caller that made exactly one
// version-bumping UPDATE and builds the new row instead of reading it back.
// `etag` is one this server made.
std::string NextEtag(absl::string_view etag);

// OK when `given` equals `current`; INVALID_ARGUMENT naming `field` when
// `given` is missing or malformed; ABORTED (StaleEtag) when out of date.
absl::Status CheckEtag(absl::string_view given, absl::string_view current, absl::string_view field,
                       absl::string_view entity, absl::string_view id);

}  // namespace cms
