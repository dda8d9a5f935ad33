// The one doorway every RPC handler goes through: authenticate the caller
// (X13.1), check the role matrix, run the use case, map absl::Status to
// grpc::Status with a cms.v1.ErrorInfo detail (X13.5), and log one
// structured line (method, actor, status code, latency). Thread-safe.
#pragma once

#include "absl/strings/string_view.h"
#include <functional>

#include "absl/status/status.h"
#include "grpcpp/grpcpp.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/auth/authenticator.h"

namespace cms::api {

// The single absl -> gRPC status mapping: same code, same message, and a
// `grpc-status-details-bin` payload (cms.v1.RpcStatus packing ErrorInfo).
grpc::Status ToGrpcStatus(const absl::Status& status);

class RpcRunner {
 public:
  RpcRunner(const auth::Authenticator& authenticator, app::Commands& commands)
      : authenticator_(authenticator), commands_(commands) {}

  grpc::Status Handle(grpc::ServerContext* context, absl::string_view service,
                      absl::string_view method,
                      const std::function<absl::Status(const app::Actor&)>& call);

 private:
  const auth::Authenticator& authenticator_;
  app::Commands& commands_;
};

}  // namespace cms::api

// Defines one RPC handler that authenticates, checks roles and runs `call`
// (an expression over `actor`, `req` and `resp`). Every handler in api/ is
// written with it, so no handler can skip a cross-cutting step.
#define CMS_RPC(Service, Method, Request, Response, call)                                   \
  grpc::Status Method(grpc::ServerContext* context, const cms::v1::Request* req,           \
                      cms::v1::Response* resp) override {                                  \
    return runner_.Handle(context, #Service, #Method,                                      \
                          [&](const ::cms::app::Actor& actor) -> absl::Status {            \
                            (void)actor;                                                   \
                            return call;                                                   \
                          });                                                              \
  }
