// The shape of every mutating use case: one transaction that loads, decides
// (domain), writes, and records audit rows (X13.2), made idempotent on the
// caller's request_id (X13.4). Reads run in a read-only snapshot.
// Thread-safe: Commands holds no per-call state.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cms/v1/admin.pb.h"
#include "google/protobuf/message.h"
#include "server/app/actor.h"
#include "server/app/clock.h"
#include "server/store/db.h"

namespace cms::app {

// One running command: its transaction, actor and business time.
class Command {
 public:
  Command(store::Tx& tx, const Actor& actor, absl::string_view rpc, absl::Time now)
      : tx_(tx), actor_(actor), rpc_(rpc), now_(now) {}

  store::Tx& tx() { return tx_; }
  const Actor& actor() const { return actor_; }
  absl::Time now() const { return now_; }
  int64_t now_us() const { return absl::ToUnixMicros(now_); }

  // Records one change (`before` is null for a create). Rows are buffered
  // and written in one statement when the command finishes (X13.2).
  //
  // Each row carries the record it belongs to, whose visibility decides who
  // may read it (X13.1; see AuditScopeOf in commands.cc): taken from `after`
  // (a Casegroup or Person itself, else its casegroup_id, case_id,
  // service_request_id or person_id field, or a note's subject). Pass
  // `scope` where `after` names none; a row with no scope is read only when
  // its entity type is one of the BOM's or the server's own.
  void Audit(absl::string_view entity_type, absl::string_view entity_id,
             const google::protobuf::Message* before, const google::protobuf::Message& after,
             const cms::v1::AuditEvent* scope = nullptr);
  absl::Status FlushAudit();

 private:
  std::vector<cms::v1::AuditEvent> audit_;
  store::Tx& tx_;
  const Actor& actor_;
  std::string rpc_;
  absl::Time now_;
};

// Audit rows of these entity types carry no record scope: the BOM, the
// business clock and the server's own housekeeping. Every other unscoped
// row is shown to nobody (X13.1 fails closed).
bool IsUnscopedAuditType(absl::string_view entity_type);

class Commands {
 public:
  Commands(store::Db& db, const BusinessClock& clock) : db_(db), clock_(clock) {}

  // Runs `fn` in one transaction. With a non-empty request_id, the first
  // successful run stores `response` in that transaction; a retry with the
  // same id and request returns the stored response, and a reuse of the id
  // for a different request is INVALID_ARGUMENT naming request_id.
  //
  // The happy path costs one INSERT: the id is recorded as the command
  // commits, and looked up only when the command fails (a retry usually
  // fails, e.g. on a unique key, or collides on the request id itself).
  absl::Status Run(const Actor& actor, absl::string_view rpc,
                   const google::protobuf::Message& request, absl::string_view request_id,
                   google::protobuf::Message* response,
                   const std::function<absl::Status(Command&)>& fn);

  // A read-only snapshot; `now` is the business time.
  absl::Status Read(const std::function<absl::Status(store::Tx&, absl::Time now)>& fn);
  // A read without a snapshot (store::Db::RunLatest): for answers that are
  // one statement, such as a page of a work view.
  absl::Status ReadLatest(const std::function<absl::Status(store::Tx&, absl::Time now)>& fn);

  const BusinessClock& clock() const { return clock_; }
  store::Db& db() { return db_; }

 private:
  store::Db& db_;
  const BusinessClock& clock_;
};

}  // namespace cms::app
