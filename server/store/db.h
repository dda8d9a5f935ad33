// The database: a SOCI connection pool to MariaDB/MySQL and transactions.
// store/ is the only layer that includes SOCI; everything else holds a Tx&
// and calls repository functions. Thread-safe: any thread may call
// RunInTransaction; each call borrows one pooled connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

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

  // Makes this transaction's commit exactly-once across a lost reply
  // (RunInTransaction only). Without it a COMMIT whose reply never arrived
  // is re-run on the assumption that nothing committed; with it the commit
  // also writes this connection's commit count (commit_markers), and after a
  // lost reply Db reads the count back: applied, it answers OK with what
  // `fn` produced; not applied, it re-runs `fn`. Every mutating command asks
  // for it (app::Commands::Run); a transaction that may simply be re-run
  // (the timer sweeper's claim, which finds its timers already fired) need
  // not pay the extra row write.
  void CommitExactlyOnce() { exactly_once_ = true; }

 private:
  friend class Db;
  soci::session& session_;
  std::vector<std::string> at_commit_;
  bool exactly_once_ = false;
};

// Faults a test injects into the database layer (leveldb's fake Env): each
// hook is asked at one point of every RunInTransaction and, answering true,
// kills that connection there, as a network cut or a database crash would.
// Null in production.
class DbFaults {
 public:
  virtual ~DbFaults() = default;
  // Before the COMMIT is sent: nothing of the transaction commits.
  virtual bool CutBeforeCommit() { return false; }
  // After the COMMIT was applied, before its reply is read: the transaction
  // committed, and the server cannot know it.
  virtual bool CutAfterCommit() { return false; }
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
  // Tests only (see DbFaults).
  std::shared_ptr<DbFaults> faults;
  // The database's addresses, "host:port" each, when there is more than one
  // (a primary and its replicas): each takes the place of the host= and
  // port= of `uri`. Empty: `uri` alone. Either way Db uses only a server
  // that is writable (@@read_only = 0) and, on every reconnect, looks for it
  // again, the last one found first (db_addresses.h).
  std::vector<std::string> hosts;
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
  // returns OK, rolls back otherwise (nothing half-written, X13.5).
  // Retryable conflicts and a connection lost before the COMMIT are retried
  // with a short randomised backoff; `fn` must therefore be safe to re-run.
  // A lost COMMIT reply: see Tx::CommitExactlyOnce.
  //
  // Bounded by the call being served (base/call_scope.h): no attempt starts,
  // and nothing commits, once its caller's deadline passed or it went away
  // (DEADLINE_EXCEEDED / CANCELLED, rolled back); MariaDB's lock-wait and
  // statement timeouts are sized to what is left of it.
  absl::Status RunInTransaction(const std::function<absl::Status(Tx&)>& fn);
  // The same, for reads: one REPEATABLE READ snapshot, writes refused.
  absl::Status RunReadOnly(const std::function<absl::Status(Tx&)>& fn);
  // Reads in autocommit mode: each statement sees the latest committed rows
  // by itself. For reads whose answer is one statement (a page of a work
  // view, the caller's staff record), where a snapshot would only add two
  // round trips. `fn` is re-run on a lost connection, so it must only read.
  absl::Status RunLatest(const std::function<absl::Status(Tx&)>& fn);
  // Runs `fn` once on a connection outside any explicit transaction (DDL),
  // never re-run.
  absl::Status RunOnConnection(const std::function<absl::Status(Tx&)>& fn);

  // Deletes the commit_markers rows of connections gone for `older_than`
  // (each pooled connection of each server start has one row).
  absl::Status PruneCommitMarkers(absl::Duration older_than);

  int pool_size() const { return options_.pool_size; }

 private:
  struct Slot;
  class Lease;
  explicit Db(DbOptions options);
  enum class Mode { kTransaction, kSnapshot, kAutocommit };
  absl::Status Run(Mode mode, const std::function<absl::Status(Tx&)>& fn);
  // One attempt of Run on a leased connection; `*retry` says whether a
  // failure may be tried again.
  absl::Status Attempt(Mode mode, Lease& lease, const std::function<absl::Status(Tx&)>& fn,
                       bool* retry);
  // After a lost COMMIT reply on session `lost_thread`: was the lease's
  // exactly-once commit number `n` applied?
  absl::StatusOr<bool> CommitApplied(Lease& lease, int64_t n, unsigned long lost_thread);
  // A pooled connection, waiting no longer than the call being served. It is
  // pinged first (and made again if dead) when `ping`, or when a connection
  // was found dead since it was last known alive.
  absl::StatusOr<std::unique_ptr<Lease>> Borrow(bool ping);
  void Broken(Slot& slot);
  // (Re)makes a connection on the writable server: the last one found
  // first, then the other addresses in order (TryOrder). A read-only server
  // (a replica, or a primary fenced off in a failover) is passed over; none
  // writable is a lost connection.
  absl::Status Connect(soci::session& sql, Slot& slot);

  DbOptions options_;
  // One connect string per address (ConnectStrings), and the position of the
  // one last found writable; shared by every connection.
  std::vector<std::string> addresses_;
  std::atomic<std::size_t> primary_{0};
  std::unique_ptr<soci::connection_pool> pool_;
  std::vector<Slot> slots_;  // by pool position; touched only by its leaseholder
  // Bumped whenever a connection is found dead: every other connection is
  // then pinged before its next use, since what killed one (a database
  // restart, a failover, KILL) has usually killed them all.
  std::atomic<uint64_t> outage_epoch_{1};
};

// True for statuses RunInTransaction retries (deadlock, lock wait, snapshot).
bool IsRetryable(const absl::Status& status);
// A conflict the store detected itself, retried like a deadlock.
absl::Status TransactionConflict(absl::string_view what);

// Runs `body`, turning any SOCI/MySQL exception into a Status: duplicate key
// (1062) -> ALREADY_EXISTS with reason DUPLICATE_KEY; 1213/1205/1020 ->
// ABORTED, retryable; lost connection, or a read-only server (1290: a
// replica, or a primary demoted by a failover) -> UNAVAILABLE; a statement stopped by
// its time limit (1969) -> DEADLINE_EXCEEDED, retryable while the call has
// time left; others -> INTERNAL.
// Every repository function wraps its SQL in this; it first checks the call
// being served (base/call_scope.h), so no statement is sent for a caller
// whose deadline passed or who went away.
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
// The same on whichever of `hosts` (DbOptions::hosts) is writable.
absl::Status CreateDatabaseIfMissing(const std::string& uri, const std::vector<std::string>& hosts);
// Drops that database (tests clean up after themselves).
absl::Status DropDatabase(const std::string& uri);
}  // namespace cms::store
