#include "absl/strings/string_view.h"
#include "server/api/rpc.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "cms/v1/common.pb.h"
#include "server/auth/permissions.h"
#include "server/base/errors.h"

namespace cms::api {
namespace {

absl::string_view Metadata(const grpc::ServerContext* ctx, absl::string_view key) {
  const auto& md = ctx->client_metadata();
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  if (it == md.end()) return {};
  return absl::string_view(it->second.data(), it->second.size());
}

// JSON-escapes the few characters a staff id or message could carry.
std::string Escape(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void LogRpc(absl::string_view service, absl::string_view method, const app::Actor& actor,
            absl::StatusCode code, absl::Duration latency) {
  std::string line = absl::StrFormat(
      "{\"ts\":\"%s\",\"rpc\":\"cms.v1.%s/%s\",\"actor\":\"%s\",\"client\":\"%s\","
      "\"code\":\"%s\",\"latency_ms\":%.3f}\n",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), service,
      method, Escape(actor.staff_id), Escape(actor.client), absl::StatusCodeToString(code),
      absl::ToDoubleMilliseconds(latency));
  std::fputs(line.c_str(), stderr);  // one write per line: lines never interleave
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  cms::v1::ErrorInfo info;
  info.set_rule_id(RuleOf(status));
  info.set_reason(ReasonOf(status));
  for (const FieldError& f : FieldErrorsOf(status)) {
    auto* v = info.add_field_violations();
    v->set_field(f.field);
    v->set_description(f.description);
  }
  cms::v1::RpcStatus detail;
  detail.set_code(static_cast<int>(status.code()));
  detail.set_message(std::string(status.message()));
  detail.add_details()->PackFrom(info);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      detail.SerializeAsString());
}

grpc::Status RpcRunner::Handle(grpc::ServerContext* context, absl::string_view service,
                               absl::string_view method,
                               const std::function<absl::Status(const app::Actor&)>& call) {
  const absl::Time start = absl::Now();
  app::Actor actor;
  absl::Status status = [&]() -> absl::Status {
    auto authenticated = authenticator_.Authenticate(Metadata(context, "authorization"),
                                                     Metadata(context, "x-cms-user"), commands_);
    if (!authenticated.ok()) return authenticated.status();
    actor = *std::move(authenticated);
    if (absl::Status s = auth::CheckRole(service, method, actor.role); !s.ok()) return s;
    if (context->IsCancelled()) return absl::CancelledError("the caller went away");
    return call(actor);
  }();
  LogRpc(service, method, actor, status.code(), absl::Now() - start);
  return ToGrpcStatus(status);
}

}  // namespace cms::api
