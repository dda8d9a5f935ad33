#include "absl/strings/string_view.h"
#include "server/app/commands.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/store/audit_repo.h"
#include "server/store/idempotency_repo.h"

namespace cms::app {
namespace {

std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

// The request as compared on replay: request_id itself is left out.
std::string Fingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const auto* field = copy->GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  std::string bytes;
  copy->SerializeToString(&bytes);
  return bytes;
}

}  // namespace

absl::Status Command::Audit(absl::string_view entity_type, absl::string_view entity_id,
                            const google::protobuf::Message* before,
                            const google::protobuf::Message& after) {
  cms::v1::AuditEvent e;
  e.set_actor(actor_.staff_id);
  e.set_client(actor_.client);
  e.set_rpc(rpc_);
  e.set_entity_type(std::string(entity_type));
  e.set_entity_id(std::string(entity_id));
  if (before != nullptr) e.set_before_json(ToJson(*before));
  e.set_after_json(ToJson(after));
  return store::InsertAuditEvent(tx_, e, now_us());
}

absl::Status Commands::Run(const Actor& actor, absl::string_view rpc,
                           const google::protobuf::Message& request, absl::string_view request_id,
                           google::protobuf::Message* response,
                           const std::function<absl::Status(Command&)>& fn) {
  const std::string id(request_id);
  if (id.size() > 128) return InvalidField("request_id", "at most 128 characters");
  const std::string fingerprint = id.empty() ? std::string() : Fingerprint(request);
  const std::string method(rpc);

  // Two passes at most: a concurrent first run of the same request id makes
  // our claim fail with a duplicate key once it commits; we then replay.
  for (int pass = 0; pass < 2; ++pass) {
    bool lost_claim = false;
    absl::Status s = db_.RunInTransaction([&](store::Tx& tx) -> absl::Status {
      response->Clear();
      CMS_ASSIGN_OR_RETURN(absl::Time now, clock_.Now(tx));
      if (!id.empty()) {
        CMS_ASSIGN_OR_RETURN(auto existing, store::FindIdempotencyKey(tx, id));
        if (existing.has_value()) {
          if (existing->method != method || existing->request_bytes != fingerprint) {
            return InvalidField("request_id",
                                "already used for a different request; use a new request id",
                                "X13.4");
          }
          if (!response->ParseFromString(existing->response_bytes)) {
            return absl::InternalError("stored idempotent response is unreadable");
          }
          return absl::OkStatus();
        }
        absl::Status claim = store::ClaimIdempotencyKey(tx, id, method, fingerprint,
                                                        absl::ToUnixMicros(now));
        if (absl::IsAlreadyExists(claim)) {
          lost_claim = true;
          return claim;
        }
        CMS_RETURN_IF_ERROR(claim);
      }
      Command command(tx, actor, rpc, now);
      CMS_RETURN_IF_ERROR(fn(command));
      if (!id.empty()) {
        CMS_RETURN_IF_ERROR(store::StoreIdempotentResponse(tx, id, response->SerializeAsString()));
      }
      return absl::OkStatus();
    });
    if (lost_claim) continue;
    return s;
  }
  return absl::AbortedError("request id is being processed concurrently; retry");
}

absl::Status Commands::Read(const std::function<absl::Status(store::Tx&, absl::Time)>& fn) {
  return db_.RunReadOnly([&](store::Tx& tx) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(absl::Time now, clock_.Now(tx));
    return fn(tx, now);
  });
}

}  // namespace cms::app
