#include "absl/strings/string_view.h"
#include "server/base/etag.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/base/errors.h"

namespace cms {

std::string EtagOf(int64_t version) { return absl::StrCat("\"", version, "\""); }

absl::Status CheckEtag(absl::string_view given, absl::string_view current, absl::string_view field,
                       absl::string_view entity, absl::string_view id) {
  if (given.empty()) return InvalidField(std::string(field), "required for updates (X13.3)");
  absl::string_view digits = given;
  int64_t version = 0;
  if (!absl::ConsumePrefix(&digits, "\"") || !absl::ConsumeSuffix(&digits, "\"") ||
      !absl::SimpleAtoi(digits, &version)) {
    return InvalidField(std::string(field), "malformed etag; pass the value the server returned");
  }
  if (given != current) return StaleEtag(entity, id);
  return absl::OkStatus();
}

}  // namespace cms
