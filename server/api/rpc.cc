#include "server/api/rpc.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cms/v1/common.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/app/request_values.h"
#include "server/auth/permissions.h"
#include "server/base/call_scope.h"
#include "server/base/errors.h"
#include "server/base/log.h"

namespace cms::api {
namespace {

absl::string_view Metadata(const grpc::ServerContextBase* ctx, absl::string_view key) {
  const auto& md = ctx->client_metadata();
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  if (it == md.end()) return {};
  return absl::string_view(it->second.data(), it->second.size());
}

// The subject common name of the peer's verified client certificate (mTLS);
// empty when the connection has none.
std::string CertificateClient(const grpc::ServerContextBase* ctx) {
  std::shared_ptr<const grpc::AuthContext> auth = ctx->auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return "";
  std::vector<grpc::string_ref> cn = auth->FindPropertyValues("x509_common_name");
  if (cn.empty()) return "";
  return std::string(cn.front().data(), cn.front().size());
}

// What one status may carry, so every client can read it (found by the gRPC
// fuzzer, tests/e2e/fuzz). gRPC clients refuse response metadata beyond
// 8 KiB by default (grpc.max_metadata_size), and a status rides in the
// trailer twice: as grpc-message (percent-encoded: up to 3 bytes per byte)
// and in grpc-status-details-bin (base64 of the google.rpc.Status, which
// holds the message again and each bad field twice). A NotFound echoing a
// 300 KB id, or 1,000 bad items of a repeated field, reached the caller as
// RESOURCE_EXHAUSTED "received initial metadata size exceeds limit" with no
// detail at all. With these bounds the trailer stays under about 6 KiB.
constexpr size_t kMaxMessageBytes = 400;
constexpr size_t kMaxViolations = 20;
constexpr size_t kMaxViolationBytes = 1200;     // fields and descriptions, summed
constexpr size_t kMaxViolationPartBytes = 600;  // one field or one description

// `s` cut to at most `max` bytes on a UTF-8 character boundary (a proto
// string must stay UTF-8), ending "…" when cut.
std::string CutUtf8(absl::string_view s, size_t max) {
  constexpr absl::string_view kEllipsis = "\u2026";
  if (s.size() <= max) return std::string(s);
  size_t end = max - kEllipsis.size();
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(s.substr(0, end), kEllipsis);
}

// The first bad fields that fit the bounds above (always at least one),
// each cut to kMaxViolationPartBytes; `dropped` counts the others.
std::vector<FieldError> BoundedFieldErrors(std::vector<FieldError> fields, size_t& dropped) {
  size_t kept = 0;
  size_t bytes = 0;
  for (; kept < fields.size() && kept < kMaxViolations; ++kept) {
    FieldError& f = fields[kept];
    f.field = CutUtf8(f.field, kMaxViolationPartBytes);
    f.description = CutUtf8(f.description, kMaxViolationPartBytes);
    bytes += f.field.size() + f.description.size();
    if (kept > 0 && bytes > kMaxViolationBytes) break;
  }
  dropped = fields.size() - kept;
  fields.resize(kept);
  return fields;
}

bool IsRefusal(absl::StatusCode code) {
  return code == absl::StatusCode::kUnauthenticated || code == absl::StatusCode::kPermissionDenied;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const std::string rule_id = RuleOf(status);
  const std::string reason = ReasonOf(status);
  size_t dropped = 0;
  const std::vector<FieldError> fields = BoundedFieldErrors(FieldErrorsOf(status), dropped);
  std::string message = CutUtf8(status.message(), kMaxMessageBytes);
  if (dropped > 0) absl::StrAppend(&message, " (", dropped, " more bad fields not listed)");
  // AIP-193: a google.rpc.Status, so generic gRPC tools decode it. details[0]
  // stays the cms.v1.ErrorInfo it always was, so clients built before the
  // google.rpc details still find everything where they looked.
  google::rpc::Status detail;
  detail.set_code(static_cast<int>(status.code()));
  detail.set_message(message);

  cms::v1::ErrorInfo info;
  info.set_rule_id(rule_id);
  info.set_reason(reason);
  for (const FieldError& f : fields) {
    auto* v = info.add_field_violations();
    v->set_field(f.field);
    v->set_description(f.description);
  }
  detail.add_details()->PackFrom(info);

  // AIP-193 asks every error for an ErrorInfo with a reason (UPPER_SNAKE)
  // and a domain; a status made without one gets its code's name.
  google::rpc::ErrorInfo google_info;
  google_info.set_reason(reason.empty() ? absl::StatusCodeToString(status.code()) : reason);
  google_info.set_domain(std::string(kErrorDomain));
  if (!rule_id.empty()) (*google_info.mutable_metadata())["rule_id"] = rule_id;
  detail.add_details()->PackFrom(google_info);

  if (!fields.empty()) {
    google::rpc::BadRequest bad_request;
    for (const FieldError& f : fields) {
      auto* v = bad_request.add_field_violations();
      v->set_field(f.field);
      v->set_description(f.description);
    }
    detail.add_details()->PackFrom(bad_request);
  }
  if (std::optional<absl::Duration> delay = RetryDelayOf(status)) {
    google::rpc::RetryInfo retry;
    const int64_t ms = absl::ToInt64Milliseconds(*delay);
    retry.mutable_retry_delay()->set_seconds(ms / 1000);
    retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(ms % 1000) * 1000000);
    detail.add_details()->PackFrom(retry);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::move(message),
                      detail.SerializeAsString());
}

grpc::ServerUnaryReactor* RpcRunner::Dispatch(grpc::CallbackServerContext* context,
                                              absl::string_view service, absl::string_view method,
                                              const google::protobuf::Message& request,
                                              std::function<absl::Status(const app::Actor&)> call) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time queued = absl::Now();
  const bool admitted = admission_.Submit(
      [this, context, reactor, service, method, &request, queued, call = std::move(call)] {
        reactor->Finish(Handle(context, service, method, request, call, queued));
      });
  if (admitted) return reactor;
  // Refused before anything ran: no identity is read, no database touched.
  const absl::Status full =
      WithRetryDelay(WithReason(absl::ResourceExhaustedError(absl::StrCat(
                                    "the server is at capacity (", admission_.options().queue_limit,
                                    " calls waiting); retry shortly")),
                                "OVERLOADED"),
                     kOverloadRetryAfter);
  context->AddTrailingMetadata("grpc-retry-pushback-ms",
                               absl::StrCat(absl::ToInt64Milliseconds(kOverloadRetryAfter)));
  LogLine()
      .Str("rpc", absl::StrCat("cms.v1.", service, "/", method))
      .Str("peer", context->peer())
      .Str("code", absl::StatusCodeToString(full.code()))
      .Str("reason", ReasonOf(full))
      .Double("latency_ms", absl::ToDoubleMilliseconds(absl::Now() - queued))
      .Write();
  reactor->Finish(ToGrpcStatus(full));
  return reactor;
}

grpc::Status RpcRunner::Handle(grpc::ServerContextBase* context, absl::string_view service,
                               absl::string_view method, const google::protobuf::Message& request,
                               const std::function<absl::Status(const app::Actor&)>& call,
                               absl::Time queued) {
  const absl::Time start = absl::Now();
  const std::string peer = context->peer();
  const std::string address = auth::PeerAddress(peer);
  app::Actor actor;
  auth::Claimed claimed;
  // For the trace of a call refused before authentication (rate limited).
  claimed.user = std::string(Metadata(context, "x-cms-user"));
  bool identity_refusal = false;
  // The caller's deadline, or the server's own limit when it set none (or a
  // later one): the database work of this call stops there and rolls back.
  const absl::Time deadline = std::min(absl::FromChrono(context->deadline()), queued + max_call_);
  const CallScope scope(deadline, [context] { return context->IsCancelled(); });
  absl::Status status = [&]() -> absl::Status {
    // A call whose caller gave up while it waited for a worker is not run.
    if (absl::Status s = scope.Check(start); !s.ok()) return s;
    // A limited address is answered before anything reaches the database.
    if (absl::Status admitted = refusals_.Admit(address, start); !admitted.ok()) {
      return admitted;
    }
    const std::string certificate_client = CertificateClient(context);
    auth::CallCredentials credentials{
        .authorization = Metadata(context, "authorization"),
        .user = Metadata(context, "x-cms-user"),
        .identity = Metadata(context, "x-cms-identity"),
        .certificate_client = certificate_client,
    };
    auto authenticated = authenticator_.Authenticate(credentials, commands_, &claimed);
    if (!authenticated.ok()) {
      identity_refusal = true;
      return authenticated.status();
    }
    actor = *std::move(authenticated);
    if (absl::Status s = auth::CheckRole(service, method, actor.role); !s.ok()) return s;
    if (absl::Status s = app::CheckRequestValues(request); !s.ok()) return s;
    if (context->IsCancelled()) return absl::CancelledError("the caller went away");
    return call(actor);
  }();
  const bool refused = IsRefusal(status.code());
  if (refused) refusals_.Refused(address, status.code(), identity_refusal, start);

  LogLine line;
  line.Str("rpc", absl::StrCat("cms.v1.", service, "/", method))
      .Str("peer", peer)
      .Str("client", claimed.client)
      .Str("actor", actor.staff_id)
      .Str("code", absl::StatusCodeToString(status.code()))
      .Double("latency_ms", absl::ToDoubleMilliseconds(absl::Now() - queued))
      .Double("queued_ms", absl::ToDoubleMilliseconds(start - queued));
  if (refused || status.code() == absl::StatusCode::kResourceExhausted) {
    // Traced refusals: who it claimed to be (bounded; never a token) and why.
    line.Str("user", EchoInput(claimed.user))
        .Str("rule", RuleOf(status))
        .Str("reason", ReasonOf(status));
  }
  line.Write();
  return ToGrpcStatus(status);
}

}  // namespace cms::api
