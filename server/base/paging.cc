#include "server/base/paging.h"

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "server/base/errors.h"

namespace cms {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Bound tokens: base64("p1:<fingerprint>:<cursor>"). The version prefix lets
// a later format be told apart from this one.
constexpr absl::string_view kBoundPrefix = "p1:";
constexpr char kNotOurs[] = "not a token this server returned";

// FNV-1a, 64 bits: the fingerprint must be the same on every replica and
// across restarts (absl::Hash is seeded per process). It guards against a
// caller's mistake, not an attacker: a token grants nothing the caller's
// filters would not.
uint64_t Fnv1a(absl::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

absl::Status BadPageSize() { return InvalidField("page_size", "must not be negative"); }

int ClampedLimit(int32_t page_size) {
  if (page_size == 0) return kDefaultPageSize;
  return page_size > kMaxPageSize ? kMaxPageSize : page_size;
}

bool ParseIdCursor(absl::string_view cursor, int64_t* id) {
  return absl::ConsumePrefix(&cursor, "after:") && absl::SimpleAtoi(cursor, id) && *id >= 0;
}

std::string Seal(absl::string_view filters, absl::string_view cursor) {
  return absl::WebSafeBase64Escape(absl::StrCat(kBoundPrefix, filters, ":", cursor));
}

}  // namespace

std::string FilterFingerprint(const Message& request) {
  std::unique_ptr<Message> filters(request.New());
  filters->CopyFrom(request);
  const auto* descriptor = filters->GetDescriptor();
  for (absl::string_view name : {"page_size", "page_token"}) {
    if (const FieldDescriptor* f = descriptor->FindFieldByName(std::string(name))) {
      filters->GetReflection()->ClearField(filters.get(), f);
    }
  }
  // Deterministic: map entries sorted, so equal filters give equal bytes.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    filters->SerializeToCodedStream(&out);
  }
  return absl::StrFormat("%016x", Fnv1a(absl::StrCat(descriptor->full_name(), "\n", bytes)));
}

std::string PageRequest::NextToken(int64_t last_id) const {
  return NextToken(absl::StrCat("after:", last_id));
}

std::string PageRequest::NextToken(absl::string_view next_cursor) const {
  return Seal(filters, next_cursor);
}

absl::StatusOr<PageRequest> ParsePage(const Message& request, bool id_cursor) {
  const auto* descriptor = request.GetDescriptor();
  const auto* reflection = request.GetReflection();
  const FieldDescriptor* size_field = descriptor->FindFieldByName("page_size");
  const FieldDescriptor* token_field = descriptor->FindFieldByName("page_token");
  const int32_t page_size = size_field ? reflection->GetInt32(request, size_field) : 0;
  const std::string token = token_field ? reflection->GetString(request, token_field) : "";
  if (page_size < 0) return BadPageSize();
  PageRequest page;
  page.limit = ClampedLimit(page_size);
  page.filters = FilterFingerprint(request);
  if (token.empty()) return page;
  std::string decoded;
  absl::string_view rest;
  if (!absl::WebSafeBase64Unescape(token, &decoded)) return InvalidField("page_token", kNotOurs);
  rest = decoded;
  std::vector<absl::string_view> parts;
  if (absl::ConsumePrefix(&rest, kBoundPrefix)) {
    parts = absl::StrSplit(rest, absl::MaxSplits(':', 1));
  }
  if (parts.size() != 2) return InvalidField("page_token", kNotOurs);
  if (parts[0] != page.filters) {
    return InvalidField("page_token",
                        "was returned for other filters or another list; repeat the first "
                        "request's filters, or start again without a page_token");
  }
  page.cursor = std::string(parts[1]);
  if (id_cursor && !ParseIdCursor(page.cursor, &page.after_id)) {
    return InvalidField("page_token", kNotOurs);
  }
  return page;
}

std::string KeyCursor(absl::string_view key) { return absl::StrCat("key:", key); }

bool ParseKeyCursor(absl::string_view cursor, std::string* key) {
  if (!absl::ConsumePrefix(&cursor, "key:") || cursor.empty()) return false;
  *key = std::string(cursor);
  return true;
}

absl::Status InvalidPageToken() { return InvalidField("page_token", kNotOurs); }

}  // namespace cms
