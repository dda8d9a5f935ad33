#include "server/app/commands.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
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

void Command::Audit(absl::string_view entity_type, absl::string_view entity_id,
                    const google::protobuf::Message* before,
                    const google::protobuf::Message& after) {
  cms::v1::AuditEvent& e = audit_.emplace_back();
  e.set_actor(actor_.staff_id);
  e.set_client(actor_.client);
  e.set_rpc(rpc_);
  e.set_entity_type(std::string(entity_type));
  e.set_entity_id(std::string(entity_id));
  if (before != nullptr) e.set_before_json(ToJson(*before));
  e.set_after_json(ToJson(after));
}

absl::Status Command::FlushAudit() {
  absl::Status s = store::InsertAuditEvents(tx_, audit_, now_us());
  audit_.clear();
  return s;
}

absl::Status Commands::Run(const Actor& actor, absl::string_view rpc,
                           const google::protobuf::Message& request, absl::string_view request_id,
                           google::protobuf::Message* response,
                           const std::function<absl::Status(Command&)>& fn) {
  const std::string id(request_id);
  if (id.size() > 128) return InvalidField("request_id", "at most 128 characters");
  store::IdempotencyRecord mine;
  mine.method = std::string(rpc);
  if (!id.empty()) mine.request_bytes = Fingerprint(request);

  absl::Status status = db_.RunInTransaction([&](store::Tx& tx) -> absl::Status {
    response->Clear();
    CMS_ASSIGN_OR_RETURN(absl::Time now, clock_.Now(tx));
    Command command(tx, actor, rpc, now);
    CMS_RETURN_IF_ERROR(fn(command));
    CMS_RETURN_IF_ERROR(command.FlushAudit());
    if (id.empty()) return absl::OkStatus();
    mine.response_bytes = response->SerializeAsString();
    return store::InsertIdempotencyKey(tx, id, mine.method, mine, command.now_us());
  });
  if (status.ok() || id.empty()) return status;

  // The command failed or lost the race for its request id: if the id was
  // recorded by an earlier (or concurrent) run, replay that outcome.
  std::optional<store::IdempotencyRecord> first;
  CMS_RETURN_IF_ERROR(db_.RunOnConnection([&](store::Tx& tx) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(first, store::FindIdempotencyKey(tx, id));
    return absl::OkStatus();
  }));
  if (!first.has_value()) return status;
  if (first->method != mine.method || first->request_bytes != mine.request_bytes) {
    return InvalidField("request_id", "already used for a different request; use a new request id",
                        "X13.4");
  }
  response->Clear();
  if (!response->ParseFromString(first->response_bytes)) {
    return absl::InternalError("stored idempotent response is unreadable");
  }
  return absl::OkStatus();
}

absl::Status Commands::Read(const std::function<absl::Status(store::Tx&, absl::Time)>& fn) {
  return db_.RunReadOnly([&](store::Tx& tx) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(absl::Time now, clock_.Now(tx));
    return fn(tx, now);
  });
}

absl::Status Commands::ReadLatest(const std::function<absl::Status(store::Tx&, absl::Time)>& fn) {
  return db_.RunLatest([&](store::Tx& tx) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(absl::Time now, clock_.Now(tx));
    return fn(tx, now);
  });
}

}  // namespace cms::app
