#include "server/app/commands.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cms/v1/service_request.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/base/errors.h"
#include "server/base/proto_json.h"
#include "server/base/status_macros.h"
#include "server/store/audit_repo.h"
#include "server/store/idempotency_repo.h"

namespace cms::app {
namespace {

// The audit row's form of a message: the one JSON dialect (base/proto_json.h),
// which `cmsctl --output json` prints too.
std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  (void)ProtoToJson(m, &out);
  return out;
}

// The request as compared on replay: request_id itself is left out. The
// bytes are deterministic (map entries sorted by key): protobuf's default
// serialization leaves map order unspecified, so a genuine retry of a
// request with map fields could otherwise look like a different request
// (X13.4).
std::string Fingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const auto* field = copy->GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&out);
  }
  return bytes;
}

// Whose request ids a key belongs to (X13.1, X13.4): the client application
// and the staff member it acts for. Another caller's id is a new request.
std::string CallerOf(const Actor& actor) { return absl::StrCat(actor.client, "/", actor.staff_id); }

int64_t Int64Field(const google::protobuf::Message& m, absl::string_view name) {
  const auto* f = m.GetDescriptor()->FindFieldByName(std::string(name));
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
    return 0;
  }
  return m.GetReflection()->GetInt64(m, f);
}

// The record an audited entity belongs to (see Command::Audit).
void DeriveScope(const google::protobuf::Message& after, cms::v1::AuditEvent& e) {
  const std::string& type = after.GetDescriptor()->full_name();
  if (type == "cms.v1.Casegroup") return e.set_casegroup_id(Int64Field(after, "id"));
  if (type == "cms.v1.Person") return e.set_person_id(Int64Field(after, "id"));
  if (type == "cms.v1.Note") {
    const auto& note = static_cast<const cms::v1::Note&>(after);
    switch (note.subject()) {
      case cms::v1::NOTE_SUBJECT_SERVICE_REQUEST:
        return e.set_service_request_id(note.subject_id());
      case cms::v1::NOTE_SUBJECT_CASE:
        return e.set_case_id(note.subject_id());
      case cms::v1::NOTE_SUBJECT_PERSON:
        return e.set_person_id(note.subject_id());
      default:
        return;
    }
  }
  if (int64_t id = Int64Field(after, "casegroup_id"); id != 0) return e.set_casegroup_id(id);
  if (int64_t id = Int64Field(after, "case_id"); id != 0) return e.set_case_id(id);
  if (int64_t id = Int64Field(after, "service_request_id"); id != 0) {
    return e.set_service_request_id(id);
  }
  if (int64_t id = Int64Field(after, "person_id"); id != 0) return e.set_person_id(id);
}

}  // namespace

bool IsUnscopedAuditType(absl::string_view entity_type) {
  // An approval without a scope is a BOM change request (S1.5); an SR
  // step's approval names its SR.
  // A special client records private request to A&G and its answers
  // carry no client record by design (AG11.1): they are read, like the
  // BOM's rows, by those who read the audit trail. So are FOI requests
  // (AG11.3) and MP enquiries (AG11.4), which belong to no casegroup and
  // which the audit trail's readers (service management, auditors) read
  // through their own services too.
  for (absl::string_view t :
       {"segment", "team", "staff", "approval", "clock", "timer_probe", "hmrc_fake",
        "legacy_csa_fake", "operation", "private_guidance_request", "guidance_answer",
        "foi_request", "mp_enquiry"}) {
    if (entity_type == t) return true;
  }
  return false;
}

void Command::Audit(absl::string_view entity_type, absl::string_view entity_id,
                    const google::protobuf::Message* before, const google::protobuf::Message& after,
                    const cms::v1::AuditEvent* scope) {
  cms::v1::AuditEvent& e = audit_.emplace_back();
  if (scope != nullptr) {
    e.set_casegroup_id(scope->casegroup_id());
    e.set_case_id(scope->case_id());
    e.set_service_request_id(scope->service_request_id());
    e.set_person_id(scope->person_id());
  } else {
    DeriveScope(after, e);
  }
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
  const std::string caller = CallerOf(actor);
  store::IdempotencyRecord mine;
  mine.method = std::string(rpc);
  if (!id.empty()) mine.request_bytes = Fingerprint(request);

  absl::Status status = db_.RunInTransaction([&](store::Tx& tx) -> absl::Status {
    // A command runs once even when the reply to its COMMIT is lost, with a
    // request id or without one (store/db.h).
    tx.CommitExactlyOnce();
    response->Clear();
    CMS_ASSIGN_OR_RETURN(absl::Time now, clock_.Now(tx));
    Command command(tx, actor, rpc, now);
    CMS_RETURN_IF_ERROR(fn(command));
    CMS_RETURN_IF_ERROR(command.FlushAudit());
    if (id.empty()) return absl::OkStatus();
    mine.response_bytes = response->SerializeAsString();
    return store::InsertIdempotencyKey(tx, caller, id, mine.method, mine, command.now_us());
  });
  if (status.ok() || id.empty()) return status;

  // The command failed or lost the race for its request id: if the id was
  // recorded by an earlier (or concurrent) run, replay that outcome.
  std::optional<store::IdempotencyRecord> first;
  CMS_RETURN_IF_ERROR(db_.RunLatest([&](store::Tx& tx) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(first, store::FindIdempotencyKey(tx, caller, id));
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
