// The one doorway every RPC handler goes through: turn away a peer address
// limited for too many refused calls, authenticate the caller (X13.1), check
// the role matrix, check the request's values (app/request_values.h), run the
// use case, map absl::Status to grpc::Status with
// AIP-193 error details (X13.5), count a refusal, and log one structured
// line through the one logger (method, peer, client, actor, status code,
// latency; for a refused call also the claimed user, bounded, and the rule).
// Thread-safe.
#pragma once

#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/auth/authenticator.h"
#include "server/auth/refusals.h"

namespace cms::api {

// The domain of every google.rpc.ErrorInfo the server sends (AIP-193).
inline constexpr absl::string_view kErrorDomain = "cms.v1";

// The single absl -> gRPC status mapping: same code, same message, and a
// `grpc-status-details-bin` payload: a google.rpc.Status whose details are,
// in order, the cms.v1.ErrorInfo (rule_id, reason, field_violations), a
// google.rpc.ErrorInfo (reason, domain "cms.v1", metadata["rule_id"] when a
// rule refused) and, for bad fields, a google.rpc.BadRequest with one
// FieldViolation per field.
grpc::Status ToGrpcStatus(const absl::Status& status);

class RpcRunner {
 public:
  RpcRunner(const auth::Authenticator& authenticator, app::Commands& commands,
            auth::RefusalTracker& refusals)
      : authenticator_(authenticator), commands_(commands), refusals_(refusals) {}

  grpc::Status Handle(grpc::ServerContext* context, absl::string_view service,
                      absl::string_view method, const google::protobuf::Message& request,
                      const std::function<absl::Status(const app::Actor&)>& call);

 private:
  const auth::Authenticator& authenticator_;
  app::Commands& commands_;
  auth::RefusalTracker& refusals_;
};

}  // namespace cms::api

// Defines one RPC handler that authenticates, checks roles and runs `call`
// (an expression over `actor`, `req` and `resp`). Every handler in api/ is
// written with it, so no handler can skip a cross-cutting step.
#define CMS_RPC(Service, Method, Request, Response, call)                        \
  grpc::Status Method(grpc::ServerContext* context, const cms::v1::Request* req, \
                      cms::v1::Response* resp) override {                        \
    return runner_.Handle(context, #Service, #Method, *req,                      \
                          [&](const ::cms::app::Actor& actor) -> absl::Status {  \
                            (void)actor;                                         \
                            return call;                                         \
                          });                                                    \
  }
