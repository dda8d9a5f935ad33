#include "server/base/field_mask.h"

#include <algorithm>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/field_mask_util.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"

namespace cms {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr absl::string_view kAll = "*";

// A path walked down a descriptor: the fields it names, and, when it ends
// in a map entry, that entry's key.
struct Walked {
  std::vector<const FieldDescriptor*> fields;
  bool has_key = false;
  std::string key;
};

// Walks `path` from `d`; on failure says why in `why`.
bool Walk(const Descriptor* d, absl::string_view path, Walked* out, std::string* why) {
  absl::string_view rest = path;
  while (true) {
    const size_t dot = rest.find('.');
    const absl::string_view name = rest.substr(0, dot);
    const FieldDescriptor* f = d->FindFieldByName(std::string(name));
    if (f == nullptr) {
      *why = absl::StrCat("\"", EchoInput(path), "\": ", EchoInput(name), " is not a field of ",
                          d->name());
      return false;
    }
    out->fields.push_back(f);
    if (dot == absl::string_view::npos) return true;
    rest = rest.substr(dot + 1);
    if (f->is_map()) {
      // AIP-161: the rest is the key; a key that is not a plain word may be
      // quoted with backticks.
      absl::string_view key = rest;
      if (key.size() >= 2 && absl::StartsWith(key, "`") && absl::EndsWith(key, "`")) {
        key = key.substr(1, key.size() - 2);
      }
      if (f->message_type()->map_key()->cpp_type() != FieldDescriptor::CPPTYPE_STRING ||
          key.empty()) {
        *why = absl::StrCat("\"", EchoInput(path), "\": not a key of the map ", f->name());
        return false;
      }
      out->has_key = true;
      out->key = std::string(key);
      return true;
    }
    if (f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      *why = absl::StrCat("\"", EchoInput(path), "\": nothing may follow ", f->name(),
                          f->is_repeated() ? " (a repeated field)" : "");
      return false;
    }
    d = f->message_type();
  }
}

// The path as ResolveUpdateMask returns it: a map key always quoted, so
// ApplyUpdateMask reads it back whatever it holds.
std::string Canonical(const Walked& w) {
  std::string out;
  for (const FieldDescriptor* f : w.fields) {
    absl::StrAppend(&out, out.empty() ? "" : ".", f->name());
  }
  if (w.has_key) absl::StrAppend(&out, ".`", w.key, "`");
  return out;
}

// Sets (or, when `patch` has none, removes) the entry `key` of the map
// field `map` of `target`.
void ApplyMapEntry(const FieldDescriptor* map, const std::string& key, const Message& patch,
                   Message* target) {
  const FieldDescriptor* key_field = map->message_type()->map_key();
  const Reflection* tr = target->GetReflection();
  for (int i = tr->FieldSize(*target, map) - 1; i >= 0; --i) {
    const Message& entry = tr->GetRepeatedMessage(*target, map, i);
    if (entry.GetReflection()->GetString(entry, key_field) != key) continue;
    const int last = tr->FieldSize(*target, map) - 1;
    if (i != last) tr->SwapElements(target, map, i, last);
    tr->RemoveLast(target, map);
  }
  const Reflection* pr = patch.GetReflection();
  for (int i = 0; i < pr->FieldSize(patch, map); ++i) {
    const Message& entry = pr->GetRepeatedMessage(patch, map, i);
    if (entry.GetReflection()->GetString(entry, key_field) == key) {
      tr->AddMessage(target, map)->CopyFrom(entry);
      return;
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(
    const google::protobuf::FieldMask& mask, const Descriptor& resource,
    absl::Span<const absl::string_view> mutable_paths, absl::string_view mask_field) {
  bool all = mask.paths().empty();
  std::vector<std::string> paths;
  FieldErrors errors;
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (path == kAll) {
      all = true;
      continue;
    }
    const std::string field = absl::StrCat(mask_field, ".paths[", i, "]");
    Walked walked;
    std::string why;
    if (!Walk(&resource, path, &walked, &why)) {
      errors.Add(field, why);
      continue;
    }
    const std::string& top = walked.fields.front()->name();
    if (std::find(mutable_paths.begin(), mutable_paths.end(), top) == mutable_paths.end()) {
      errors.Add(field, absl::StrCat("\"", EchoInput(path), "\": ", top,
                                     " cannot be changed by this call"));
      continue;
    }
    paths.push_back(Canonical(walked));
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus());
  if (all) return std::vector<std::string>(mutable_paths.begin(), mutable_paths.end());
  return paths;
}

void ApplyUpdateMask(absl::Span<const std::string> paths, const Message& patch, Message* target) {
  google::protobuf::FieldMask plain;
  for (const std::string& path : paths) {
    Walked w;
    std::string why;
    if (!Walk(patch.GetDescriptor(), path, &w, &why)) continue;  // resolved paths always walk
    if (!w.has_key) {
      plain.add_paths(path);
      continue;
    }
    // Down to the message holding the map, in both.
    const Message* from = &patch;
    Message* to = target;
    for (size_t i = 0; i + 1 < w.fields.size(); ++i) {
      from = &from->GetReflection()->GetMessage(*from, w.fields[i]);
      to = to->GetReflection()->MutableMessage(to, w.fields[i]);
    }
    ApplyMapEntry(w.fields.back(), w.key, *from, to);
  }
  if (plain.paths().empty()) return;
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, plain, options, target);
}

bool MaskTouches(absl::Span<const std::string> paths, absl::string_view field) {
  for (const std::string& p : paths) {
    if (p == field ||
        (absl::StartsWith(p, field) && p.size() > field.size() && p[field.size()] == '.')) {
      return true;
    }
  }
  return false;
}

}  // namespace cms
