#include "server/base/proto_json.h"

#include "absl/strings/string_view.h"

namespace cms {

google::protobuf::util::JsonPrintOptions ProtoJsonOptions() {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  return options;
}

absl::Status ProtoToJson(const google::protobuf::Message& message, std::string* out) {
  const google::protobuf::util::Status status =
      google::protobuf::util::MessageToJsonString(message, out, ProtoJsonOptions());
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.code()),
                      absl::string_view(status.message().data(), status.message().size()));
}

}  // namespace cms
