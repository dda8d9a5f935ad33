// Pagination for every list RPC (AIP-158, W4.3), the one way they page:
// page_size is defaulted and
// clamped, and page tokens are opaque to callers. A token carries the
// cursor of the page's last row and a fingerprint of the request it
// continues (its message type and every field but page_size and
// page_token), so a token presented with other filters, or to another list
// RPC, is refused instead of silently paging through a different result
// set. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace cms {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

struct PageRequest {
  int64_t after_id = 0;  // keyset: rows past this id (0: from the start)
  int limit = kDefaultPageSize;
  // The token's cursor as text, for views whose keyset is more than an id
  // (the work views); "after:<id>" for the others.
  std::string cursor;
  // The request's fingerprint, which the next page's token carries.
  std::string filters;

  // The token of the page after one ending at `last_id` (or at `cursor`).
  std::string NextToken(int64_t last_id) const;
  std::string NextToken(absl::string_view cursor) const;
};

// Reads `request`'s page_size and page_token fields: page_size 0 is 100,
// above 1000 is 1000 (clamped, not refused: AIP-158), negative is
// INVALID_ARGUMENT naming page_size; a page_token this server did not return
// for the same request type and filters is INVALID_ARGUMENT naming
// page_token. With `id_cursor` false the cursor is left for the caller to
// parse (after_id stays 0).
absl::StatusOr<PageRequest> ParsePage(const google::protobuf::Message& request,
                                      bool id_cursor = true);

// INVALID_ARGUMENT naming page_token: not a token this server returned.
absl::Status InvalidPageToken();

// The request's fingerprint (hex): a stable hash of its full type name and
// its deterministic serialization with page_size and page_token cleared.
std::string FilterFingerprint(const google::protobuf::Message& request);

// Cursors for rows keyed by a unique string (staff ids, catalog codes):
// "key:<key>", for ParsePage(request, /*id_cursor=*/false) and NextToken.
std::string KeyCursor(absl::string_view key);
// The key of a KeyCursor; false for any other cursor.
bool ParseKeyCursor(absl::string_view cursor, std::string* key);

// Pages a list held in memory in a fixed order whose rows have unique string
// keys (the SR and letter catalogs): calls `add` for each row of the page
// and returns the next page's token, "" on the last page. A cursor naming
// no row (the catalog changed between pages) is INVALID_ARGUMENT naming
// page_token. `page` comes from ParsePage(request, /*id_cursor=*/false).
template <typename Rows, typename KeyOf, typename Add>
absl::StatusOr<std::string> PageInMemory(const PageRequest& page, const Rows& rows, KeyOf key_of,
                                         Add add) {
  auto it = rows.begin();
  if (!page.cursor.empty()) {
    std::string after;
    if (!ParseKeyCursor(page.cursor, &after)) return InvalidPageToken();
    while (it != rows.end() && key_of(*it) != after) ++it;
    if (it == rows.end()) return InvalidPageToken();
    ++it;
  }
  for (int n = 0; it != rows.end() && n < page.limit; ++it, ++n) add(*it);
  if (it == rows.end()) return std::string();
  return page.NextToken(KeyCursor(key_of(*std::prev(it))));
}

}  // namespace cms
