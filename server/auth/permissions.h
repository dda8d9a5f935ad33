// The role matrix (S1.4, S1.5, X13.1): which roles may call each RPC.
// Data-dependent rules (special client records visibility) live in the use
// cases. Unknown methods are denied (fail closed). Pure and thread-safe.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cms/v1/bom.pb.h"

namespace cms::auth {

// `method` is the short RPC name, e.g. "CreateSegment".
absl::Status CheckRole(absl::string_view service, absl::string_view method, cms::v1::Role role);

}  // namespace cms::auth
