#include "clients/cpp/session.h"

#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/base/proto_json.h"

namespace cms::cmsctl {

Outcome RpcFailure(const grpc::Status& status) {
  return {kExitFailed, client::FormatRpcError(status) + "\n"};
}

Session::Session(client::Settings settings, OutputFormat output)
    : settings_(std::move(settings)),
      output_(output),
      channel_(client::MakeChannel(settings_)),
      bom_(v1::BomService::NewStub(channel_)),
      casegroups_(v1::CasegroupService::NewStub(channel_)),
      service_requests_(v1::ServiceRequestService::NewStub(channel_)),
      work_(v1::WorkService::NewStub(channel_)),
      letters_(v1::LetterService::NewStub(channel_)),
      approvals_(v1::ApprovalService::NewStub(channel_)),
      payments_(v1::PaymentService::NewStub(channel_)),
      compliance_(v1::ComplianceService::NewStub(channel_)),
      arrears_(v1::ArrearsService::NewStub(channel_)),
      foi_(v1::FoiService::NewStub(channel_)),
      mp_(v1::MpService::NewStub(channel_)),
      guidance_(v1::GuidanceService::NewStub(channel_)),
      assurance_(v1::AssuranceService::NewStub(channel_)),
      admin_(v1::AdminService::NewStub(channel_)) {}

Outcome Session::PrintOne(const google::protobuf::Message& message) {
  if (json()) return PrintJson(message);
  return PrintText(FormatKeyValues(message));
}

Outcome Session::PrintOrFail(const grpc::Status& status, const google::protobuf::Message& message) {
  if (!status.ok()) return RpcFailure(status);
  return PrintOne(message);
}

Outcome Session::PrintJson(const google::protobuf::Message& message) {
  std::string json;
  if (absl::Status s = ProtoToJson(message, &json); !s.ok()) {
    return {kExitFailed, absl::StrCat("error: the ", message.GetDescriptor()->full_name(),
                                      " answered has no JSON form: ", s.message(), "\n")};
  }
  json += '\n';
  return PrintText(json);
}

Outcome Session::PrintText(absl::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  return {};
}

}  // namespace cms::cmsctl
