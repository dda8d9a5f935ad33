// The one JSON form of cms.v1 messages off the wire (issue 13): protobuf's
// canonical proto3 JSON mapping (google::protobuf::util::MessageToJsonString)
// keeping the proto field names, so
//   - fields are named as in the .proto (snake_case: "service_segment");
//   - enums print their full names ("COUNTRY_GB"), never short names;
//   - 64-bit integers print as strings ("id": "12");
//   - Timestamp is RFC 3339 UTC ("2025-01-01T00:00:00Z"), Duration "1.500s";
//   - fields at their default (0, "", false, UNSPECIFIED, empty lists) are
//     left out;
//   - the whole document is one line.
// The audit rows' before and after (app/commands.cc) and cmsctl's
// `--output json` print with it; the Node client reads messages in the same
// dialect (keepCase, longs and enums as strings) and Python's
// google.protobuf.json_format.Parse reads it back into the message.
//
// Pure and thread-safe.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

namespace cms {

// The options behind ProtoToJson, for a caller that needs them itself.
google::protobuf::util::JsonPrintOptions ProtoJsonOptions();

// Appends `message` as JSON to `out`. Fails (INVALID_ARGUMENT, say) only for
// what proto3 JSON cannot express: a Timestamp or Duration out of range, an
// Any whose type is not linked in; `out` may then hold part of a document.
absl::Status ProtoToJson(const google::protobuf::Message& message, std::string* out);

}  // namespace cms
