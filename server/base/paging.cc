#include "absl/strings/string_view.h"
#include "server/base/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/base/errors.h"

namespace cms {

absl::StatusOr<PageRequest> ParsePage(int32_t page_size, absl::string_view page_token) {
  FieldErrors errors;
  PageRequest page;
  if (page_size < 0 || page_size > 1000) errors.Add("page_size", "must be 0..1000");
  if (page_size > 0) page.limit = page_size;
  if (!page_token.empty()) {
    std::string decoded;
    absl::string_view rest;
    bool ok = absl::WebSafeBase64Unescape(page_token, &decoded);
    rest = decoded;
    if (!ok || !absl::ConsumePrefix(&rest, "after:") || !absl::SimpleAtoi(rest, &page.after_id)) {
      errors.Add("page_token", "not a token this server returned");
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return page;
}

std::string PageToken(int64_t last_id) {
  return absl::WebSafeBase64Escape(absl::StrCat("after:", last_id));
}

}  // namespace cms
