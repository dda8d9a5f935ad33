// The one doorway every RPC handler goes through: admit the call into the
// bounded queue (api/admission.h), bound its work by
// its deadline (base/call_scope.h), turn away a peer address
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
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "server/api/admission.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/auth/authenticator.h"
#include "server/auth/refusals.h"

namespace cms::api {

// The domain of every google.rpc.ErrorInfo the server sends (AIP-193).
inline constexpr absl::string_view kErrorDomain = "cms.v1";

// The single absl -> gRPC status mapping: same code, same message (cut to
// 400 bytes, and at most 20 bad fields listed, so the trailer stays within
// what every gRPC client accepts: 8 KiB), and a
// `grpc-status-details-bin` payload: a google.rpc.Status whose details are,
// in order, the cms.v1.ErrorInfo (rule_id, reason, field_violations), a
// google.rpc.ErrorInfo (reason, domain "cms.v1", metadata["rule_id"] when a
// rule refused) and, for bad fields, a google.rpc.BadRequest with one
// FieldViolation per field; and, for a refusal under load, a
// google.rpc.RetryInfo with how long to wait.
grpc::Status ToGrpcStatus(const absl::Status& status);

class RpcRunner {
 public:
  // `max_call` bounds every call whose client set no deadline, or a later
  // one: the server's own limit on the work one call may cause.
  RpcRunner(const auth::Authenticator& authenticator, app::Commands& commands,
            auth::RefusalTracker& refusals, Admission& admission, absl::Duration max_call)
      : authenticator_(authenticator),
        commands_(commands),
        refusals_(refusals),
        admission_(admission),
        max_call_(max_call) {}

  // Queues the call for a worker (api/admission.h), which runs Handle and
  // finishes it; a call finding the queue full is answered at once,
  // RESOURCE_EXHAUSTED with a retry hint (google.rpc.RetryInfo and gRPC's
  // grpc-retry-pushback-ms). `service` and `method` are string literals.
  grpc::ServerUnaryReactor* Dispatch(grpc::CallbackServerContext* context,
                                     absl::string_view service, absl::string_view method,
                                     const google::protobuf::Message& request,
                                     std::function<absl::Status(const app::Actor&)> call);

  // Runs one call on this thread; `queued` is when it arrived.
  grpc::Status Handle(grpc::ServerContextBase* context, absl::string_view service,
                      absl::string_view method, const google::protobuf::Message& request,
                      const std::function<absl::Status(const app::Actor&)>& call,
                      absl::Time queued);

  // How long a refused caller is told to wait before trying again.
  static constexpr absl::Duration kOverloadRetryAfter = absl::Milliseconds(500);

 private:
  const auth::Authenticator& authenticator_;
  app::Commands& commands_;
  auth::RefusalTracker& refusals_;
  Admission& admission_;
  absl::Duration max_call_;
};

}  // namespace cms::api

// Defines one RPC handler that authenticates, checks roles and runs `call`
// (an expression over `actor`, `req` and `resp`). Every handler in api/ is
// written with it, so no handler can skip a cross-cutting step.
#define CMS_RPC(Service, Method, Request, Response, call)                                       \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,                        \
                                   const cms::v1::Request* req, cms::v1::Response* resp)        \
      override {                                                                                \
    return runner_.Dispatch(context, #Service, #Method, *req,                                   \
                            [this, req, resp](const ::cms::app::Actor& actor) -> absl::Status { \
                              (void)actor;                                                      \
                              (void)req;                                                        \
                              (void)resp;                                                       \
                              return call;                                                      \
                            });                                                                 \
  }
