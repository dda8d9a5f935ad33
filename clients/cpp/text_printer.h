// Human-readable output for cmsctl (`--output table`, the default): lists as
// aligned columns under a header, one entity as aligned `key: value` lines.
// Values use the same forms as the JSON printer: enum short names, RFC 3339
// timestamps; cms.v1.Date prints as YYYY-MM-DD; a message that is only a
// oneof (cms.v1.BomChange) prints as the name of the set case; control
// characters in strings print escaped so one value never breaks a line.
//
// Thread-safety: all functions are pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace cms::cmsctl {

// The text of a field named by a dotted path ("status", "facts.pp_postcode");
// repeated values joined with ","; "" when a message on the path is unset or
// the path names no field.
std::string FieldText(const google::protobuf::Message& message, absl::string_view path);

// Columns padded to their widest cell (counted in UTF-8 code points), two
// spaces apart, no trailing spaces; one '\n'-terminated line per row, header
// first. Rows shorter than the header are padded with empty cells.
std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// A table of `messages` with one column per field path; the header is the
// path upper-cased ("service_segment" -> "SERVICE_SEGMENT").
std::string FormatMessageTable(absl::Span<const google::protobuf::Message* const> messages,
                               absl::Span<const std::string> columns);

template <typename M>
std::string FormatMessageTable(const google::protobuf::RepeatedPtrField<M>& messages,
                               absl::Span<const std::string> columns) {
  std::vector<const google::protobuf::Message*> pointers;
  pointers.reserve(messages.size());
  for (const M& m : messages) pointers.push_back(&m);
  return FormatMessageTable(pointers, columns);
}

// Every field that the JSON printer would print, one `key: value` line each
// with values aligned; nested messages flattened into dotted keys
// ("facts.pp_postcode"), repeated messages indexed ("staff[0].name").
std::string FormatKeyValues(const google::protobuf::Message& message);

}  // namespace cms::cmsctl
