#include "server/store/audit_repo.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "server/store/row_util.h"

namespace cms::store {
namespace {

// Ids are numbers the server made, never caller text: written as literals.
std::string IdOrNull(int64_t id) { return id == 0 ? "NULL" : absl::StrCat(id); }

}  // namespace

absl::Status InsertAuditEvents(Tx& tx, const std::vector<cms::v1::AuditEvent>& events,
                               int64_t event_us) {
  if (events.empty()) return absl::OkStatus();
  return Guard([&] {
    std::string sql =
        "INSERT INTO audit_events (event_us, actor, client, rpc, entity_type, entity_id, "
        "before_json, after_json, casegroup_id, case_id, sr_id, person_id) VALUES ";
    for (size_t i = 0; i < events.size(); ++i) {
      const auto& e = events[i];
      absl::StrAppend(&sql, i == 0 ? "(" : ", (", event_us, ", ", tx.Quote(e.actor()), ", ",
                      tx.Quote(e.client()), ", ", tx.Quote(e.rpc()), ", ",
                      tx.Quote(e.entity_type()), ", ", tx.Quote(e.entity_id()), ", ",
                      tx.Quote(e.before_json()), ", ", tx.Quote(e.after_json()), ", ",
                      IdOrNull(e.casegroup_id()), ", ", IdOrNull(e.case_id()), ", ",
                      IdOrNull(e.service_request_id()), ", ", IdOrNull(e.person_id()), ")");
    }
    tx.AtCommit(std::move(sql));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<cms::v1::AuditEvent>> ListAuditEvents(Tx& tx,
                                                                 const std::string& entity_type,
                                                                 const std::string& entity_id,
                                                                 const std::string& actor,
                                                                 const PageRequest& page) {
  using Events = std::vector<cms::v1::AuditEvent>;
  return GuardOr<Events>([&]() -> absl::StatusOr<Events> {
    long long before = page.after_id == 0 ? std::numeric_limits<long long>::max() : page.after_id;
    int limit = page.limit;
    Events out;
    const char* cols =
        "SELECT id, event_us, actor, client, rpc, entity_type, entity_id, before_json, "
        "after_json, casegroup_id, case_id, sr_id, person_id FROM audit_events WHERE ";
    soci::rowset<soci::row> rows =
        actor.empty()
            ? (tx.session().prepare << std::string(cols) +
                                           "entity_type = :t AND entity_id = :i AND id < :b "
                                           "ORDER BY id DESC LIMIT :l",
               soci::use(entity_type), soci::use(entity_id), soci::use(before), soci::use(limit))
            : (tx.session().prepare
                   << std::string(cols) + "actor = :a AND id < :b ORDER BY id DESC LIMIT :l",
               soci::use(actor), soci::use(before), soci::use(limit));
    for (const soci::row& r : rows) {
      cms::v1::AuditEvent e;
      e.set_id(I64(r, "id"));
      SetTimestamp(I64(r, "event_us"), e.mutable_event_time());
      e.set_actor(Str(r, "actor"));
      e.set_client(Str(r, "client"));
      e.set_rpc(Str(r, "rpc"));
      e.set_entity_type(Str(r, "entity_type"));
      e.set_entity_id(Str(r, "entity_id"));
      e.set_before_json(Str(r, "before_json"));
      e.set_after_json(Str(r, "after_json"));
      e.set_casegroup_id(I64(r, "casegroup_id"));
      e.set_case_id(I64(r, "case_id"));
      e.set_service_request_id(I64(r, "sr_id"));
      e.set_person_id(I64(r, "person_id"));
      out.push_back(std::move(e));
    }
    return out;
  });
}

absl::StatusOr<std::vector<std::string>> LatestSnapshots(Tx& tx, const std::string& entity_type,
                                                         int64_t as_of_us) {
  using Out = std::vector<std::string>;
  return GuardOr<Out>([&]() -> absl::StatusOr<Out> {
    Out out;
    soci::rowset<soci::row> rows =
        (tx.session().prepare
             << "SELECT a.after_json FROM audit_events a JOIN (SELECT entity_id, MAX(id) AS id "
                "FROM audit_events WHERE entity_type = :t1 AND event_us <= :at GROUP BY "
                "entity_id) latest ON a.id = latest.id ORDER BY a.id",
         soci::use(entity_type), soci::use(as_of_us));
    for (const soci::row& r : rows) out.push_back(Str(r, "after_json"));
    return out;
  });
}

}  // namespace cms::store
