// Versions and etags of records (X13.3): the version a record starts at,
// and whether a change must name the version it read. Every mutable row has
// an integer `version`, bumped by each change; its etag is
// base/etag.h's EtagOf(version). Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - A row is written at version 1 (kFirstVersion): the store inserts it so,
//   and a use case that builds the inserted row instead of reading it back
//   gives it that etag.
// - A record kept as a version counter apart from its rows (a casegroup's
//   MOPF, a case's MOPT, the employment flag: `money_versions`) is at
//   version 0 (kNeverSetVersion) until it is first set up. That first set-up
//   may come without an etag, since the caller has none to give; an etag
//   given then must still match ("0").
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cms::domain {

inline constexpr int64_t kFirstVersion = 1;
inline constexpr int64_t kNeverSetVersion = 0;

// X13.3: OK when `given_etag` names `current_version`, or when it is empty
// and nothing has been set up yet (kNeverSetVersion); otherwise
// INVALID_ARGUMENT naming `etag` (missing or malformed) or ABORTED
// (STALE_ETAG) naming `entity` `id`.
absl::Status CheckChangeVersion(absl::string_view given_etag, int64_t current_version,
                                absl::string_view entity, absl::string_view id);

}  // namespace cms::domain
