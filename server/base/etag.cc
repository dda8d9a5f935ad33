#include "server/base/etag.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "server/base/errors.h"

namespace cms {

namespace {

bool ParseEtag(absl::string_view etag, int64_t* version) {
  return absl::ConsumePrefix(&etag, "\"") && absl::ConsumeSuffix(&etag, "\"") &&
         absl::SimpleAtoi(etag, version);
}

}  // namespace

std::string EtagOf(int64_t version) { return absl::StrCat("\"", version, "\""); }

std::string NextEtag(absl::string_view etag) {
  int64_t version = 0;
  (void)ParseEtag(etag, &version);
  return EtagOf(version + 1);
}

absl::Status CheckEtag(absl::string_view given, absl::string_view current, absl::string_view field,
                       absl::string_view entity, absl::string_view id) {
  if (given.empty()) return InvalidField(std::string(field), "required for updates (X13.3)");
  int64_t version = 0;
  if (!ParseEtag(given, &version)) {
    return InvalidField(std::string(field), "malformed etag; pass the value the server returned");
  }
  if (given != current) return StaleEtag(entity, id);
  return absl::OkStatus();
}

}  // namespace cms
