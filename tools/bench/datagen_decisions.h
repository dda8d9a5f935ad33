// cms_datagen --decisions: fills business_decisions (migration 0020) for a
// book cms_datagen already generated, as the server would have recorded them
// had its staff made the book's decisions through it (app/decisions.h), for
// the Q&A sampling benchmark (cms_assurancebench). Not thread-safe: call once.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace cms::bench {

struct DecisionCounts {
  int64_t sr_resolutions = 0;
  int64_t approvals = 0;
  int64_t calculations = 0;
  int64_t arrears = 0;
  int64_t compliance = 0;
  int64_t Total() const { return sr_resolutions + approvals + calculations + arrears + compliance; }
};

// Generates the decisions into the (migrated) database at `uri` on
// `threads` loader connections; the book's business_decisions must be empty.
// Every value is derived from the book's ids, so a book always gets the same
// decisions. `now_us` caps every decision's time.
absl::StatusOr<DecisionCounts> GenerateDecisions(const std::string& uri, int threads,
                                                 int64_t now_us);

}  // namespace cms::bench
