// Update masks (AIP-134, AIP-161): the one way an Update RPC applies the
// fields its caller named, so a caller changes one field without reading
// and sending back the others (and a client older than a field cannot wipe
// it). A use case resolves the request's mask against the resource's
// descriptor and its mutable fields before its transaction, then applies
// the resolved paths to the stored resource inside it, and validates the
// result. Pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace google::protobuf {
class Descriptor;
class FieldMask;
class Message;
}  // namespace google::protobuf

namespace cms {

// The paths an update changes, checked against the resource's descriptor.
//
// A path names a field of `resource` (snake_case, as in the proto), a field
// beneath a singular message field ("residential_address.postcode"), or an
// entry of a string-keyed map ("fields.<key>": the rest of the path is the
// key; a key that is not a plain word may be quoted, "fields.`MOPF
// Action`"). Nothing may follow a repeated field. A path is allowed when it
// is, or lies beneath, one of `mutable_paths` (top-level field names).
//
// An empty mask, or "*", stands for every mutable path: the whole mutable
// resource is replaced, which is what these RPCs did before they took a
// mask (AIP-134 would take only the populated fields; keeping full
// replacement keeps older callers' meaning).
//
// Each unknown or immutable path is INVALID_ARGUMENT naming
// "<mask_field>.paths[i]" with the path in its description.
absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(
    const google::protobuf::FieldMask& mask, const google::protobuf::Descriptor& resource,
    absl::Span<const absl::string_view> mutable_paths,
    absl::string_view mask_field = "update_mask");

// Copies the resolved `paths` from `patch` into `target` (same type): a
// named scalar takes the patch's value, a named message or repeated field is
// replaced whole (cleared when the patch leaves it unset: AIP-161), a named
// map entry is set, or removed when the patch has no such key. Fields not
// named keep the target's values.
void ApplyUpdateMask(absl::Span<const std::string> paths, const google::protobuf::Message& patch,
                     google::protobuf::Message* target);

// Whether `paths` change `field` (a top-level field name) or anything
// beneath it: which fields an update must validate.
bool MaskTouches(absl::Span<const std::string> paths, absl::string_view field);

}  // namespace cms
