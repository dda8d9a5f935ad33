#include "server/domain/versions.h"

#include "server/base/etag.h"

namespace cms::domain {

absl::Status CheckChangeVersion(absl::string_view given_etag, int64_t current_version,
                                absl::string_view entity, absl::string_view id) {
  // The first set-up: there was no version to read, so no etag to give.
  if (current_version == kNeverSetVersion && given_etag.empty()) return absl::OkStatus();
  return CheckEtag(given_etag, EtagOf(current_version), "etag", entity, id);
}

}  // namespace cms::domain
