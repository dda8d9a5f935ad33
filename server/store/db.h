// The database: a SOCI connection pool to MariaDB/MySQL and transactions.
// store/ is the only layer that includes SOCI; everything else holds a Tx&
// and calls repository functions. Thread-safe: any thread may call
// RunInTransaction; each call borrows one pooled connection.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace cms::store {

// An open transaction on one connection. Valid only inside the callback given
// to RunInTransaction; repository functions take it as their first argument.
class Tx {
 public:
  explicit Tx(soci::session& session) : session_(session) {}
  soci::session& session() { return session_; }

  // Queues a statement to go with the COMMIT, in the same round trip
  // (Db::Run): for writes nothing later in the transaction reads, such as
  // the audit rows and the idempotency key. Its failure (a duplicate key,
  // say) fails the commit, and the transaction rolls back. The text is sent
  // as it is: quote every value in it with Quote().
  void AtCommit(std::string sql) { at_commit_.push_back(std::move(sql)); }
  // `value` as an SQL string literal, quoted and escaped for this connection.
  std::string Quote(absl::string_view value);

 private:
  friend class Db;
  soci::session& session_;
  std::vector<std::string> at_commit_;
};

// When a repository write is sent: at once, or with the COMMIT
// (Tx::AtCommit), when nothing later in the transaction reads what it
// changes and one round trip less matters (the hottest commands).
enum class Sending { kNow, kWithCommit };

struct DbOptions {
  // SOCI MySQL connect string, e.g. "db=cms user=root host=127.0.0.1 port=3307"
  // or "db=cms user=root unix_socket=/path/mysql.sock".
  std::string uri;
  int pool_size = 8;
  // Attempts for a transaction that hits a deadlock (1213), lock-wait
  // timeout (1205) or snapshot conflict (1020) before ABORTED is returned.
  int max_attempts = 8;
};

class Db {
 public:
  static absl::StatusOr<std::unique_ptr<Db>> Open(const DbOptions& options);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs `fn` in one READ COMMITTED transaction: every read sees the latest
  // committed rows, and read-modify-write code locks what it reads (SELECT
  // ... FOR UPDATE) so no update is lost (DESIGN: scale). Commits when `fn`
  // returns OK, rolls back otherwise (nothing half-written, X13.5). Retryable conflicts are retried
  // with a short randomised backoff; `fn` must therefore be safe to re-run.
  absl::Status RunInTransaction(const std::function<absl::Status(Tx&)>& fn);
  // The same, for reads: one REPEATABLE READ snapshot, writes refused.
  absl::Status RunReadOnly(const std::function<absl::Status(Tx&)>& fn);
  // Reads in autocommit mode: each statement sees the latest committed rows
  // by itself. For reads whose answer is one statement (a page of a work
  // view), where a snapshot would only add two round trips.
  absl::Status RunLatest(const std::function<absl::Status(Tx&)>& fn);
  // Runs `fn` on a connection outside any explicit transaction (DDL).
  absl::Status RunOnConnection(const std::function<absl::Status(Tx&)>& fn);

  int pool_size() const { return options_.pool_size; }

 private:
  explicit Db(DbOptions options);
  enum class Mode { kTransaction, kSnapshot, kAutocommit };
  absl::Status Run(Mode mode, const std::function<absl::Status(Tx&)>& fn);

  DbOptions options_;
  std::unique_ptr<soci::connection_pool> pool_;
};

// True for statuses RunInTransaction retries (deadlock, lock wait, snapshot).
bool IsRetryable(const absl::Status& status);
// A conflict the store detected itself, retried like a deadlock.
absl::Status TransactionConflict(absl::string_view what);

// Runs `body`, turning any SOCI/MySQL exception into a Status: duplicate key
// (1062) -> ALREADY_EXISTS with reason DUPLICATE_KEY; 1213/1205/1020 ->
// ABORTED, retryable; lost connection -> UNAVAILABLE; others -> INTERNAL.
// Every repository function wraps its SQL in this.
absl::Status Guard(const std::function<absl::Status()>& body);

template <typename T, typename F>
absl::StatusOr<T> GuardOr(F&& body) {
  absl::StatusOr<T> out = absl::InternalError("unset");
  absl::Status s = Guard([&]() -> absl::Status {
    out = body();
    return out.status();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace cms::store

namespace cms::store {
// Creates the database named by `db=` in the connect string when missing
// (utf8mb4). For development and tests (--create_database).
absl::Status CreateDatabaseIfMissing(const std::string& uri);
// Drops that database (tests clean up after themselves).
absl::Status DropDatabase(const std::string& uri);
}  // namespace cms::store
