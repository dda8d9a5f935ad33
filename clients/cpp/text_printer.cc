#include "clients/cpp/text_printer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "server/base/enum_names.h"
#include "server/base/proto_json.h"

namespace cms::cmsctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

size_t DisplayWidth(absl::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // skip continuation bytes
  }
  return n;
}

std::string Sanitize(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      absl::StrAppendFormat(&out, "\\x%02x", u);
    } else {
      out += c;
    }
  }
  return out;
}

bool ShouldPrint(const Message& message, const FieldDescriptor* f) {
  if (f->is_repeated()) return true;
  if (f->has_presence()) return message.GetReflection()->HasField(message, f);
  return true;
}

// Messages printed as one value rather than flattened into keys.
bool IsLeafMessage(const Descriptor* d) {
  const std::string& name = d->full_name();
  if (name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration" ||
      name == "google.protobuf.Any" || name == "cms.v1.Date") {
    return true;
  }
  return d->file()->package() == "google.protobuf" && d->field_count() == 1 &&
         d->field(0)->name() == "value";
}

// The single oneof every field of `d` belongs to, if any (cms.v1.BomChange).
const google::protobuf::OneofDescriptor* SoleOneof(const Descriptor* d) {
  if (d->field_count() == 0 || d->oneof_decl_count() != 1) return nullptr;
  const google::protobuf::OneofDescriptor* oneof = d->oneof_decl(0);
  if (oneof->field_count() != d->field_count()) return nullptr;
  return oneof;
}

std::string ScalarText(const Message& m, const FieldDescriptor* f, int index);

std::string MessageText(const Message& m) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  const std::string& name = d->full_name();
  // Timestamps and durations as protobuf's JSON has them (RFC 3339 UTC,
  // "1.500s"); the generated types, so TimeUtil can read them.
  if (name == "google.protobuf.Timestamp") {
    google::protobuf::Timestamp t;
    t.set_seconds(r->GetInt64(m, d->field(0)));
    t.set_nanos(r->GetInt32(m, d->field(1)));
    return google::protobuf::util::TimeUtil::ToString(t);
  }
  if (name == "google.protobuf.Duration") {
    google::protobuf::Duration t;
    t.set_seconds(r->GetInt64(m, d->field(0)));
    t.set_nanos(r->GetInt32(m, d->field(1)));
    return google::protobuf::util::TimeUtil::ToString(t);
  }
  if (name == "cms.v1.Date") {
    const int year = r->GetInt32(m, d->FindFieldByName("year"));
    const int month = r->GetInt32(m, d->FindFieldByName("month"));
    const int day = r->GetInt32(m, d->FindFieldByName("day"));
    if (year == 0 && month == 0 && day == 0) return "";
    return absl::StrFormat("%04d-%02d-%02d", year, month, day);
  }
  if (IsLeafMessage(d) && name != "google.protobuf.Any") return ScalarText(m, d->field(0), -1);
  if (const google::protobuf::OneofDescriptor* oneof = SoleOneof(d)) {
    const FieldDescriptor* set = r->GetOneofFieldDescriptor(m, oneof);
    return set == nullptr ? "" : set->name();
  }
  // Anything else (an Any, a message named whole by a column) as its JSON.
  std::string json;
  (void)ProtoToJson(m, &json);
  return Sanitize(json);
}

// One value of `f`: element `index` of a repeated field, or the singular
// value when index < 0.
std::string ScalarText(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      const google::protobuf::EnumValueDescriptor* v = f->enum_type()->FindValueByNumber(number);
      return v == nullptr ? absl::StrCat(number) : EnumShortName(v);
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string s = rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
      return f->type() == FieldDescriptor::TYPE_BYTES ? absl::Base64Escape(s) : Sanitize(s);
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (rep) return MessageText(r->GetRepeatedMessage(m, f, index));
      if (!r->HasField(m, f)) return "";
      return MessageText(r->GetMessage(m, f));
  }
  return "";
}

std::string ValueText(const Message& m, const FieldDescriptor* f) {
  if (!f->is_repeated()) return ScalarText(m, f, -1);
  std::vector<std::string> parts;
  const int n = m.GetReflection()->FieldSize(m, f);
  for (int i = 0; i < n; ++i) parts.push_back(ScalarText(m, f, i));
  return absl::StrJoin(parts, ",");
}

void Flatten(const Message& m, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>* lines) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!ShouldPrint(m, f)) continue;
    const std::string key = absl::StrCat(prefix, f->name());
    // A oneof-only message (cms.v1.BomChange) flattens to its set case too:
    // "change.create_segment.code".
    const bool nested = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_map() &&
                        !IsLeafMessage(f->message_type());
    if (nested && !f->is_repeated()) {
      Flatten(r->GetMessage(m, f), key + ".", lines);
    } else if (nested && r->FieldSize(m, f) > 0) {
      for (int j = 0; j < r->FieldSize(m, f); ++j) {
        Flatten(r->GetRepeatedMessage(m, f, j), absl::StrCat(key, "[", j, "]."), lines);
      }
    } else {
      lines->emplace_back(key, ValueText(m, f));
    }
  }
}

}  // namespace

std::string FieldText(const google::protobuf::Message& message, absl::string_view path) {
  const Message* m = &message;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (f == nullptr) return "";
    if (i + 1 == parts.size()) return ValueText(*m, f);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) return "";
    if (!m->GetReflection()->HasField(*m, f)) return "";
    m = &m->GetReflection()->GetMessage(*m, f);
  }
  return "";
}

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows,
                        const std::vector<size_t>& right_aligned) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);

  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < row.size() ? row[c] : "";
      if (c > 0) line += "  ";
      const size_t pad = widths[c] - std::min(widths[c], DisplayWidth(cell));
      if (std::find(right_aligned.begin(), right_aligned.end(), c) != right_aligned.end()) {
        line.append(pad, ' ');
        line += cell;
      } else {
        line += cell;
        line.append(pad, ' ');
      }
    }
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(line), "\n");
  };
  emit(header);
  for (const auto& row : rows) emit(row);
  return out;
}

std::string FormatMessageTable(absl::Span<const google::protobuf::Message* const> messages,
                               absl::Span<const std::string> columns) {
  std::vector<std::string> header;
  for (const std::string& column : columns) {
    std::string h = absl::AsciiStrToUpper(column);
    std::replace(h.begin(), h.end(), '.', '_');
    header.push_back(std::move(h));
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(messages.size());
  for (const Message* m : messages) {
    std::vector<std::string> row;
    for (const std::string& column : columns) row.push_back(FieldText(*m, column));
    rows.push_back(std::move(row));
  }
  return FormatTable(header, rows);
}

std::string FormatKeyValues(const google::protobuf::Message& message) {
  std::vector<std::pair<std::string, std::string>> lines;
  Flatten(message, "", &lines);
  return FormatKeyValueLines(lines);
}

std::string FormatKeyValueLines(const std::vector<std::pair<std::string, std::string>>& lines) {
  size_t width = 0;
  for (const auto& [key, value] : lines) width = std::max(width, key.size());
  std::string out;
  for (const auto& [key, value] : lines) {
    std::string line = absl::StrCat(key, ":", std::string(width - key.size() + 1, ' '), value);
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(line), "\n");
  }
  return out;
}

std::string FormatPounds(int64_t pence) {
  // Unsigned magnitude: -INT64_MIN does not fit an int64.
  const uint64_t magnitude =
      pence < 0 ? ~static_cast<uint64_t>(pence) + 1 : static_cast<uint64_t>(pence);
  return absl::StrFormat("%s%d.%02d", pence < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

}  // namespace cms::cmsctl
