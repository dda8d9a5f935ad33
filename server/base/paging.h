// Keyset pagination for list RPCs: page tokens are opaque to callers and
// carry the last id returned. Pure and thread-safe.
#pragma once

#include "absl/strings/string_view.h"
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace cms {

struct PageRequest {
  int64_t after_id = 0;  // return rows with id > after_id
  int limit = 100;
};

// Validates page_size (0 -> default 100, max 1000) and page_token, naming
// the bad field.
absl::StatusOr<PageRequest> ParsePage(int32_t page_size, absl::string_view page_token);
std::string PageToken(int64_t last_id);

}  // namespace cms
