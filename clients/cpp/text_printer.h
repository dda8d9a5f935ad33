// Human-readable output for cmsctl (`--output table`, the default): lists as
// aligned columns under a header, one entity as aligned `key: value` lines.
// Enums show their short names ("GB", server/base/enum_names.h; JSON has the
// full ones); timestamps and durations print as protobuf's JSON has them
// (RFC 3339 UTC, "1.500s"); cms.v1.Date prints as YYYY-MM-DD; a message that
// is only a oneof (cms.v1.BomChange) prints as the name of the set case;
// any other message named whole prints as its JSON; control characters in
// strings print escaped so one value never breaks a line.
//
// Thread-safety: all functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
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
// Columns whose index is in `right_aligned` are padded on the left instead
// (amounts, so the pence line up).
std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows,
                        const std::vector<size_t>& right_aligned = {});

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

// Every field, one `key: value` line each with values aligned: singular
// fields without presence even at their default (so `team_id: 0` shows),
// others when set, repeated ones always; nested messages flattened into
// dotted keys ("facts.pp_postcode"), repeated messages indexed
// ("staff[0].name").
std::string FormatKeyValues(const google::protobuf::Message& message);

// `key: value` lines with the values aligned, in the given order; trailing
// spaces stripped (an empty value prints as "key:").
std::string FormatKeyValueLines(const std::vector<std::pair<std::string, std::string>>& lines);

// Whole pence as pounds with two decimals and no currency sign, as people
// read an amount: 21667 -> "216.67", 5 -> "0.05", -150 -> "-1.50",
// 0 -> "0.00". Exact for every int64 (no floating point).
std::string FormatPounds(int64_t pence);

}  // namespace cms::cmsctl
