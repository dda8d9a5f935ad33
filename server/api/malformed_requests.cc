#include "server/api/malformed_requests.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"
#include "server/api/rpc.h"
#include "server/base/errors.h"
#include "server/base/log.h"

namespace cms::api {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;

// The last line protobuf logged on this thread: gRPC parses a request on the
// thread that then runs its interceptors, so the parse error is here.
thread_local std::string last_protobuf_error;

void ProtobufLog(google::protobuf::LogLevel level, const char* filename, int line,
                 const std::string& message) {
  if (level >= google::protobuf::LOGLEVEL_ERROR) last_protobuf_error = message;
  LogLine()
      .Str("event", "protobuf")
      .Int("level", static_cast<int>(level))
      .Str("where", absl::StrCat(filename, ":", line))
      .Str("message", EchoInput(message, 400))
      .Write();
}

// The field a parse error names ("String field 'cms.v1.CreateTeamRequest.name'
// contains invalid UTF-8 ..."): "name" when it is the request's own field,
// "<Message>.<field>" when nested; "request" when none is named.
std::string FieldOf(const std::string& error, absl::string_view request_type) {
  const size_t open = error.find('\'');
  const size_t close = open == std::string::npos ? open : error.find('\'', open + 1);
  if (close == std::string::npos) return "request";
  const std::string full = error.substr(open + 1, close - open - 1);
  const auto* field = google::protobuf::DescriptorPool::generated_pool()->FindFieldByName(full);
  if (field == nullptr) return "request";
  if (field->containing_type()->full_name() == request_type) return field->name();
  return absl::StrCat(field->containing_type()->name(), ".", field->name());
}

// "/cms.v1.BomService/CreateTeam" -> "cms.v1.CreateTeamRequest".
std::string RequestTypeOf(const std::string& method) {
  const size_t slash = method.rfind('/');
  if (method.size() < 2 || slash == std::string::npos || slash == 0) return "";
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      method.substr(1, slash - 1));
  const auto* rpc =
      service == nullptr ? nullptr : service->FindMethodByName(method.substr(slash + 1));
  return rpc == nullptr ? "" : rpc->input_type()->full_name();
}

class MalformedRequestInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit MalformedRequestInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method()), start_(absl::Now()) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      malformed_ = true;
      error_ = std::move(last_protobuf_error);
      last_protobuf_error.clear();
    }
    if (malformed_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Answer(methods);
    }
    methods->Proceed();
  }

 private:
  void Answer(InterceptorBatchMethods* methods) const {
    const absl::Status status = WithReason(
        InvalidField(FieldOf(error_, RequestTypeOf(method_)),
                     error_.find("UTF-8") != std::string::npos
                         ? "not valid UTF-8 (a string field must be UTF-8; bytes fields take "
                           "raw bytes)"
                         : "the request's bytes are not a message of its type"),
        "MALFORMED_REQUEST");
    methods->ModifySendStatus(ToGrpcStatus(status));
    LogLine()
        .Str("rpc", method_.size() > 1 ? method_.substr(1) : method_)
        .Str("code", absl::StatusCodeToString(status.code()))
        .Double("latency_ms", absl::ToDoubleMilliseconds(absl::Now() - start_))
        .Str("reason", "MALFORMED_REQUEST")
        .Str("error", EchoInput(error_, 200))
        .Write();
  }

  const std::string method_;
  const absl::Time start_;
  bool malformed_ = false;
  std::string error_;
};

}  // namespace

grpc::experimental::Interceptor* MalformedRequests::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new MalformedRequestInterceptor(info);
}

void RouteProtobufLogs() { google::protobuf::SetLogHandler(&ProtobufLog); }

}  // namespace cms::api
