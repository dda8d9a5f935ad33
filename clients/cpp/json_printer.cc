#include "clients/cpp/json_printer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "clients/cpp/enum_names.h"
#include "google/protobuf/descriptor.h"

namespace cms::cmsctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// "", ".123", ".123456" or ".123456789": the proto JSON fraction groups.
std::string Fraction(int32_t nanos) {
  if (nanos == 0) return "";
  if (nanos % 1000000 == 0) return absl::StrFormat(".%03d", nanos / 1000000);
  if (nanos % 1000 == 0) return absl::StrFormat(".%06d", nanos / 1000);
  return absl::StrFormat(".%09d", nanos);
}

template <typename T>
std::string FloatText(T value) {
  if (std::isnan(value)) return "\"NaN\"";
  if (std::isinf(value)) return value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  char buffer[64];
  // Shortest text that reads back as the same value.
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (ec != std::errc()) return absl::StrCat(static_cast<double>(value));
  return std::string(buffer, end);
}

bool IsWrapper(const Descriptor* d) {
  return d->file()->package() == "google.protobuf" && d->field_count() == 1 &&
         d->field(0)->name() == "value" && !d->field(0)->is_repeated() &&
         d->full_name() != "google.protobuf.Value";
}

class JsonWriter {
 public:
  explicit JsonWriter(const JsonOptions& options) : indent_(std::max(0, options.indent)) {}

  std::string Take() { return std::move(out_); }

  void WriteMessage(const Message& message, int depth) {
    const Descriptor* d = message.GetDescriptor();
    const Reflection* r = message.GetReflection();
    const std::string& type = d->full_name();
    if (type == "google.protobuf.Timestamp") {
      out_ += JsonQuote(
          FormatTimestamp(r->GetInt64(message, d->field(0)), r->GetInt32(message, d->field(1))));
      return;
    }
    if (type == "google.protobuf.Duration") {
      out_ += JsonQuote(
          FormatDuration(r->GetInt64(message, d->field(0)), r->GetInt32(message, d->field(1))));
      return;
    }
    if (type == "google.protobuf.Any") {
      WriteAny(message, depth);
      return;
    }
    if (IsWrapper(d)) {
      WriteSingular(message, d->field(0), depth);
      return;
    }
    WriteObject(message, depth, /*type_url=*/nullptr);
  }

  void WriteArray(absl::Span<const Message* const> messages, int depth) {
    if (messages.empty()) {
      out_ += "[]";
      return;
    }
    out_ += '[';
    for (size_t i = 0; i < messages.size(); ++i) {
      if (i > 0) out_ += ',';
      Newline(depth + 1);
      WriteMessage(*messages[i], depth + 1);
    }
    Newline(depth);
    out_ += ']';
  }

 private:
  void Newline(int depth) {
    if (indent_ == 0) return;
    out_ += '\n';
    out_.append(static_cast<size_t>(depth) * indent_, ' ');
  }

  void Key(absl::string_view name) {
    out_ += JsonQuote(name);
    out_ += indent_ == 0 ? ":" : ": ";
  }

  static bool ShouldPrint(const Message& message, const FieldDescriptor* f) {
    if (f->is_repeated()) return true;
    if (f->has_presence()) return message.GetReflection()->HasField(message, f);
    return true;
  }

  // `type_url` non-null: an unpacked Any, whose "@type" comes first.
  void WriteObject(const Message& message, int depth, const std::string* type_url) {
    const Descriptor* d = message.GetDescriptor();
    std::vector<const FieldDescriptor*> fields;
    for (int i = 0; i < d->field_count(); ++i) {
      if (ShouldPrint(message, d->field(i))) fields.push_back(d->field(i));
    }
    if (fields.empty() && type_url == nullptr) {
      out_ += "{}";
      return;
    }
    out_ += '{';
    bool first = true;
    if (type_url != nullptr) {
      Newline(depth + 1);
      Key("@type");
      out_ += JsonQuote(*type_url);
      first = false;
    }
    for (const FieldDescriptor* f : fields) {
      if (!first) out_ += ',';
      first = false;
      Newline(depth + 1);
      Key(f->name());
      WriteField(message, f, depth + 1);
    }
    Newline(depth);
    out_ += '}';
  }

  void WriteAny(const Message& any, int depth) {
    const Descriptor* d = any.GetDescriptor();
    const Reflection* r = any.GetReflection();
    const std::string type_url = r->GetString(any, d->FindFieldByName("type_url"));
    const std::string value = r->GetString(any, d->FindFieldByName("value"));
    const std::string type_name = type_url.substr(type_url.rfind('/') + 1);
    const Descriptor* payload_type =
        google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
    if (payload_type != nullptr) {
      const Message* prototype =
          google::protobuf::MessageFactory::generated_factory()->GetPrototype(payload_type);
      if (prototype != nullptr) {
        std::unique_ptr<Message> payload(prototype->New());
        if (payload->ParseFromString(value)) {
          WriteObject(*payload, depth, &type_url);
          return;
        }
      }
    }
    out_ += '{';
    Newline(depth + 1);
    Key("@type");
    out_ += JsonQuote(type_url);
    out_ += ',';
    Newline(depth + 1);
    Key("value");
    out_ += JsonQuote(absl::Base64Escape(value));
    Newline(depth);
    out_ += '}';
  }

  void WriteField(const Message& message, const FieldDescriptor* f, int depth) {
    if (f->is_map()) {
      WriteMap(message, f, depth);
      return;
    }
    if (!f->is_repeated()) {
      WriteSingular(message, f, depth);
      return;
    }
    const int n = message.GetReflection()->FieldSize(message, f);
    if (n == 0) {
      out_ += "[]";
      return;
    }
    out_ += '[';
    for (int i = 0; i < n; ++i) {
      if (i > 0) out_ += ',';
      Newline(depth + 1);
      WriteElement(message, f, i, depth + 1);
    }
    Newline(depth);
    out_ += ']';
  }

  void WriteMap(const Message& message, const FieldDescriptor* f, int depth) {
    const Reflection* r = message.GetReflection();
    const int n = r->FieldSize(message, f);
    if (n == 0) {
      out_ += "{}";
      return;
    }
    // Map order through reflection is unspecified: sort by key for output
    // that diffs well.
    std::vector<std::pair<std::string, const Message*>> entries;
    const FieldDescriptor* key_field = f->message_type()->map_key();
    const FieldDescriptor* value_field = f->message_type()->map_value();
    for (int i = 0; i < n; ++i) {
      const Message& entry = r->GetRepeatedMessage(message, f, i);
      std::string key = ScalarText(entry, key_field);
      if (key_field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        key = entry.GetReflection()->GetString(entry, key_field);
      }
      entries.emplace_back(std::move(key), &entry);
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out_ += '{';
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out_ += ',';
      Newline(depth + 1);
      Key(entries[i].first);
      WriteSingular(*entries[i].second, value_field, depth + 1);
    }
    Newline(depth);
    out_ += '}';
  }

  // Text of a scalar map key: integers and bools unquoted.
  static std::string ScalarText(const Message& m, const FieldDescriptor* f) {
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return absl::StrCat(r->GetInt32(m, f));
      case FieldDescriptor::CPPTYPE_INT64:
        return absl::StrCat(r->GetInt64(m, f));
      case FieldDescriptor::CPPTYPE_UINT32:
        return absl::StrCat(r->GetUInt32(m, f));
      case FieldDescriptor::CPPTYPE_UINT64:
        return absl::StrCat(r->GetUInt64(m, f));
      case FieldDescriptor::CPPTYPE_BOOL:
        return r->GetBool(m, f) ? "true" : "false";
      default:
        return "";
    }
  }

  void WriteEnum(const google::protobuf::EnumDescriptor* type, int number) {
    const google::protobuf::EnumValueDescriptor* value = type->FindValueByNumber(number);
    if (value == nullptr) {
      out_ += absl::StrCat(number);  // a value newer than this build
    } else {
      out_ += JsonQuote(EnumShortName(value));
    }
  }

  void WriteString(const FieldDescriptor* f, const std::string& value) {
    if (f->type() == FieldDescriptor::TYPE_BYTES) {
      out_ += JsonQuote(absl::Base64Escape(value));
    } else {
      out_ += JsonQuote(value);
    }
  }

  void WriteSingular(const Message& m, const FieldDescriptor* f, int depth) {
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(&out_, r->GetInt32(m, f));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        absl::StrAppend(&out_, r->GetInt64(m, f));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        absl::StrAppend(&out_, r->GetUInt32(m, f));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        absl::StrAppend(&out_, r->GetUInt64(m, f));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        out_ += FloatText(r->GetDouble(m, f));
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        out_ += FloatText(r->GetFloat(m, f));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        out_ += r->GetBool(m, f) ? "true" : "false";
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        WriteEnum(f->enum_type(), r->GetEnumValue(m, f));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        WriteString(f, r->GetString(m, f));
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        WriteMessage(r->GetMessage(m, f), depth);
        break;
    }
  }

  void WriteElement(const Message& m, const FieldDescriptor* f, int i, int depth) {
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(&out_, r->GetRepeatedInt32(m, f, i));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        absl::StrAppend(&out_, r->GetRepeatedInt64(m, f, i));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        absl::StrAppend(&out_, r->GetRepeatedUInt32(m, f, i));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        absl::StrAppend(&out_, r->GetRepeatedUInt64(m, f, i));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        out_ += FloatText(r->GetRepeatedDouble(m, f, i));
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        out_ += FloatText(r->GetRepeatedFloat(m, f, i));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        out_ += r->GetRepeatedBool(m, f, i) ? "true" : "false";
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        WriteEnum(f->enum_type(), r->GetRepeatedEnumValue(m, f, i));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        WriteString(f, r->GetRepeatedString(m, f, i));
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        WriteMessage(r->GetRepeatedMessage(m, f, i), depth);
        break;
    }
  }

  const int indent_;
  std::string out_;
};

}  // namespace

std::string ToJson(const google::protobuf::Message& message, const JsonOptions& options) {
  JsonWriter writer(options);
  writer.WriteMessage(message, 0);
  return writer.Take();
}

std::string ToJsonArray(absl::Span<const google::protobuf::Message* const> messages,
                        const JsonOptions& options) {
  JsonWriter writer(options);
  writer.WriteArray(messages, 0);
  return writer.Take();
}

std::string JsonQuote(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string FormatTimestamp(int64_t seconds, int32_t nanos) {
  // Normalise first: an out-of-range nanos still names an instant.
  const absl::Time t = absl::FromUnixSeconds(seconds) + absl::Nanoseconds(nanos);
  const int64_t whole = absl::ToUnixSeconds(t);  // rounds toward the past
  const int32_t frac =
      static_cast<int32_t>((t - absl::FromUnixSeconds(whole)) / absl::Nanoseconds(1));
  return absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(whole), absl::UTCTimeZone()),
      Fraction(frac), "Z");
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  return FormatTimestamp(timestamp.seconds(), timestamp.nanos());
}

std::string FormatDuration(int64_t seconds, int32_t nanos) {
  const bool negative = seconds < 0 || nanos < 0;
  // Both parts share a sign in a valid Duration; uint64 keeps INT64_MIN sane.
  const uint64_t abs_seconds =
      seconds < 0 ? 0 - static_cast<uint64_t>(seconds) : static_cast<uint64_t>(seconds);
  const int64_t abs_nanos = nanos < 0 ? -static_cast<int64_t>(nanos) : nanos;
  return absl::StrCat(negative ? "-" : "", abs_seconds,
                      Fraction(static_cast<int32_t>(abs_nanos % 1000000000)), "s");
}

}  // namespace cms::cmsctl
