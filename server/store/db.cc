#include "server/store/db.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "server/base/call_scope.h"
#include "server/base/errors.h"
#include "server/base/log.h"
#include "server/base/status_macros.h"
#include "server/store/db_addresses.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"

namespace cms::store {
namespace {

constexpr absl::string_view kRetryablePayload = "type.cms/retryable";
constexpr absl::string_view kLostConnectionPayload = "type.cms/lost-connection";

absl::Status Retryable(absl::Status s) {
  s.SetPayload(kRetryablePayload, absl::Cord("1"));
  return s;
}

// The connection to the database is gone (or was never made): the statement
// may or may not have run, and this connection must be made again.
absl::Status LostConnection(absl::string_view what) {
  absl::Status s = absl::UnavailableError(absl::StrCat("database unavailable: ", what));
  s.SetPayload(kLostConnectionPayload, absl::Cord("1"));
  return s;
}

bool IsLostConnection(const absl::Status& s) {
  return s.GetPayload(kLostConnectionPayload).has_value();
}

absl::Status FromMysqlError(int err, const std::string& what) {
  switch (err) {
    case 1062:  // ER_DUP_ENTRY
      return WithReason(absl::AlreadyExistsError(what), "DUPLICATE_KEY");
    case 1213:  // ER_LOCK_DEADLOCK
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1020:  // ER_CHECKREAD (snapshot conflict)
      return Retryable(absl::AbortedError(absl::StrCat("transaction conflict: ", what)));
    case 1969:  // ER_STATEMENT_TIMEOUT: max_statement_time, a step below what
                // was left of the call; tried again while time is left, and
                // DEADLINE_EXCEEDED once it is not (Db::Run).
      return Retryable(absl::DeadlineExceededError(
          absl::StrCat("a statement ran out of the call's time and was stopped: ", what)));
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 1927:  // ER_CONNECTION_KILLED
    case 1053:  // ER_SERVER_SHUTDOWN
      return LostConnection(what);
    case 1290:  // ER_OPTION_PREVENTS_STATEMENT: --read-only. This connection
                // is on a replica, or on a primary fenced off by a failover:
                // nothing of the statement was done, and the connection must
                // be made again, on the server that is writable now (Connect).
      return LostConnection(absl::StrCat("the server is read-only: ", what));
    default:
      return absl::InternalError(absl::StrCat("database error ", err, ": ", what));
  }
}

// Guard without the call-scope check: for the statements that end or verify
// a transaction (ROLLBACK, reading a commit marker back), which must run
// even when the caller's time is up.
absl::Status GuardSql(const std::function<absl::Status()>& body) {
  try {
    return body();
  } catch (const soci::mysql_soci_error& e) {
    return FromMysqlError(e.err_num_, e.get_error_message());
  } catch (const soci::soci_error& e) {
    return absl::InternalError(absl::StrCat("database error: ", e.get_error_message()));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("store error: ", e.what()));
  }
}

MYSQL* Native(soci::session& sql) {
  return static_cast<soci::mysql_session_backend*>(sql.get_backend())->conn_;
}

// Sends `statements` as one multi-statement query, one round trip, and
// drains their results; the first failure stops the rest and is returned.
absl::Status ExecuteBatch(soci::session& sql, const std::vector<std::string>& statements) {
  MYSQL* conn = Native(sql);
  const std::string text = absl::StrJoin(statements, ";\n");
  if (mysql_real_query(conn, text.data(), text.size()) != 0) {
    return FromMysqlError(static_cast<int>(mysql_errno(conn)), mysql_error(conn));
  }
  for (;;) {
    if (MYSQL_RES* result = mysql_store_result(conn)) mysql_free_result(result);
    const int next = mysql_next_result(conn);
    if (next < 0) return absl::OkStatus();
    if (next > 0) return FromMysqlError(static_cast<int>(mysql_errno(conn)), mysql_error(conn));
  }
}

// The session settings every pooled connection runs with, after it opens and
// after each reconnect.
void Configure(soci::session& sql) {
  sql << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO'";
  sql << "SET NAMES utf8mb4";
  // Commands read the latest committed rows and lock what they change
  // (SELECT ... FOR UPDATE); read-only calls ask for a snapshot instead.
  sql << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
  // Batches (ExecuteBatch) are several statements in one query. Every value
  // in a statement is bound (SOCI escapes it) or quoted by Tx::Quote, so no
  // input can add a statement of its own.
  if (mysql_set_server_option(Native(sql), MYSQL_OPTION_MULTI_STATEMENTS_ON) != 0) {
    throw soci::soci_error(std::string("enabling multi-statements: ") + mysql_error(Native(sql)));
  }
}

// The time limit, in seconds, for the lock waits and each statement of a
// transaction that starts now: what is left of the call being served,
// rounded down to one of a few steps (so a connection's setting seldom
// changes, and each change is one more statement in the batch that starts
// the transaction), at least 1 s. 0: no call bounds the work (timers,
// start-up), and MariaDB's own defaults apply.
int TimeLimitSeconds() {
  const CallScope* scope = CallScope::Current();
  if (scope == nullptr) return 0;
  const double left = absl::ToDoubleSeconds(scope->deadline() - absl::Now());
  for (int step : {50, 30, 20, 10, 5, 3, 2}) {
    if (left >= step) return step;
  }
  return 1;
}

std::string TimeLimitSql(int seconds) {
  if (seconds == 0) {
    return "SET SESSION innodb_lock_wait_timeout = DEFAULT, max_statement_time = DEFAULT";
  }
  return absl::StrCat("SET SESSION innodb_lock_wait_timeout = ", seconds,
                      ", max_statement_time = ", seconds);
}

// Kills this connection from inside, as a network cut would (DbFaults).
void Cut(soci::session& sql) {
  MYSQL* conn = Native(sql);
  const std::string kill = absl::StrCat("KILL CONNECTION ", mysql_thread_id(conn));
  (void)mysql_real_query(conn, kill.data(), kill.size());
}

int64_t NewMarkerKey() {
  static std::mutex mu;
  static std::mt19937_64 rng(std::random_device{}() ^
                             static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
  std::lock_guard<std::mutex> lock(mu);
  return static_cast<int64_t>(rng() >> 1) | 1;  // positive, never 0
}

}  // namespace

// What Db knows of one pooled connection; touched only by its leaseholder.
struct Db::Slot {
  // This connection's row in commit_markers and the count of its
  // exactly-once commits so far (Tx::CommitExactlyOnce). The key is drawn
  // afresh for each server start, so replicas never share a row.
  int64_t marker_key = NewMarkerKey();
  int64_t commits = 0;
  // The outage epoch at which this connection was last known alive.
  uint64_t checked_epoch = 0;
  bool broken = false;
  // The session's lock-wait and statement limit (TimeLimitSeconds).
  int time_limit_s = 0;
  // @@server_id of the server this connection was made on: after a lost
  // COMMIT reply, whether a new connection reached the same server
  // (CommitApplied). Replication needs every server of a topology to have
  // its own id, so equal ids are one server.
  int64_t server_id = 0;
};

// A borrowed connection, given back to the pool when destroyed.
class Db::Lease {
 public:
  Lease(soci::connection_pool& pool, std::size_t pos, Slot& slot)
      : pool_(pool), pos_(pos), slot_(slot) {}
  ~Lease() { pool_.give_back(pos_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  soci::session& sql() { return pool_.at(pos_); }
  Slot& slot() { return slot_; }

 private:
  soci::connection_pool& pool_;
  std::size_t pos_;
  Slot& slot_;
};

std::string Tx::Quote(absl::string_view value) {
  std::string out(value.size() * 2 + 3, '\0');
  out[0] = '\'';
  const unsigned long n =
      mysql_real_escape_string(Native(session_), &out[1], value.data(), value.size());
  out[n + 1] = '\'';
  out.resize(n + 2);
  return out;
}

bool IsRetryable(const absl::Status& status) {
  return status.GetPayload(kRetryablePayload).has_value();
}

absl::Status TransactionConflict(absl::string_view what) {
  return Retryable(absl::AbortedError(absl::StrCat("transaction conflict: ", what)));
}

absl::Status Guard(const std::function<absl::Status()>& body) {
  if (absl::Status s = CheckCallScope(); !s.ok()) return s;
  return GuardSql(body);
}

Db::Db(DbOptions options) : options_(std::move(options)) {}
Db::~Db() = default;

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const DbOptions& options) {
  if (options.pool_size < 1) return absl::InvalidArgumentError("pool size must be at least 1");
  std::unique_ptr<Db> db(new Db(options));
  CMS_ASSIGN_OR_RETURN(db->addresses_, ConnectStrings(options.uri, options.hosts));
  db->pool_ = std::make_unique<soci::connection_pool>(options.pool_size);
  db->slots_.resize(options.pool_size);
  for (int i = 0; i < options.pool_size; ++i) {
    CMS_RETURN_IF_ERROR(db->Connect(db->pool_->at(i), db->slots_[i]));
    db->slots_[i].checked_epoch = db->outage_epoch_.load();
  }
  return db;
}

absl::Status Db::Connect(soci::session& sql, Slot& slot) {
  std::string why;
  for (std::size_t i : TryOrder(addresses_.size(), primary_.load())) {
    absl::Status s = GuardSql([&]() -> absl::Status {
      if (sql.get_backend() != nullptr) sql.close();
      sql.open(soci::mysql, addresses_[i]);
      Configure(sql);
      int read_only = 1;
      long long server_id = 0;
      sql << "SELECT @@global.read_only, @@global.server_id", soci::into(read_only),
          soci::into(server_id);
      if (RoleOf(read_only) == ServerRole::kReadOnly) {
        sql.close();
        return absl::FailedPreconditionError("read-only");
      }
      slot.server_id = server_id;
      return absl::OkStatus();
    });
    if (s.ok()) {
      primary_.store(i);
      slot.time_limit_s = 0;
      return s;
    }
    // The connect string may hold a password: name the address, not it.
    absl::StrAppend(&why, why.empty() ? "" : "; ",
                    options_.hosts.empty() ? "--db_uri" : options_.hosts[i], ": ", s.message());
  }
  return LostConnection(absl::StrCat("no writable database server (", why, ")"));
}

void Db::Broken(Slot& slot) {
  slot.broken = true;
  outage_epoch_.fetch_add(1);
}

absl::StatusOr<std::unique_ptr<Db::Lease>> Db::Borrow(bool ping) {
  std::size_t pos = 0;
  if (const CallScope* scope = CallScope::Current(); scope == nullptr) {
    pos = pool_->lease();
  } else {
    const int64_t wait_ms = std::clamp<int64_t>(
        absl::ToInt64Milliseconds(scope->deadline() - absl::Now()), 0, 24 * 3600 * 1000);
    if (!pool_->try_lease(pos, static_cast<int>(wait_ms))) {
      if (absl::Status s = CheckCallScope(); !s.ok()) return s;
      return absl::DeadlineExceededError(
          "no database connection came free before the call's deadline");
    }
  }
  auto lease = std::make_unique<Lease>(*pool_, pos, slots_[pos]);
  Slot& slot = lease->slot();
  const uint64_t epoch = outage_epoch_.load();
  if (!ping && !slot.broken && slot.checked_epoch == epoch) return lease;
  // Another connection was found dead since this one was last used (or this
  // one was): make sure of it before use, with one round trip, and make it
  // again if it is gone too, or if its server turned read-only (a failover
  // fenced it off: with a privileged user its writes would still go in).
  absl::Status revived = [&]() -> absl::Status {
    soci::session& sql = lease->sql();
    int read_only = 1;
    const bool usable = !slot.broken && sql.get_backend() != nullptr &&
                        GuardSql([&] {
                          sql << "SELECT @@global.read_only", soci::into(read_only);
                          return absl::OkStatus();
                        }).ok() &&
                        RoleOf(read_only) == ServerRole::kWritable;
    return usable ? absl::OkStatus() : Connect(sql, slot);
  }();
  if (!revived.ok()) {
    slot.broken = true;
    return IsLostConnection(revived) ? revived : LostConnection(revived.message());
  }
  slot.broken = false;
  slot.checked_epoch = epoch;
  return lease;
}

absl::StatusOr<bool> Db::CommitApplied(Lease& lease, int64_t n, unsigned long lost_thread) {
  // Read on a fresh connection. First make sure the lost session has ended:
  // a COMMIT cut off by the network may still be running on the server, and
  // reading the marker before it finishes would answer "not applied" for a
  // commit that then lands. Once that session is gone, its transaction has
  // either committed or rolled back. The database may itself be coming back,
  // so this keeps trying for a few seconds, past the call's deadline if need
  // be: answering "nothing committed" without knowing would be a lie. A
  // failover (the new connection is on another server) takes longer: the
  // call's own deadline, when later, bounds the wait instead.
  absl::Time give_up = absl::Now() + absl::Seconds(5);
  if (const CallScope* scope = CallScope::Current(); scope != nullptr) {
    give_up = std::max(give_up, scope->deadline());
  }
  const int64_t lost_server = lease.slot().server_id;
  absl::Status last;
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<bool> applied = absl::InternalError("unset");
    last = GuardSql([&]() -> absl::Status {
      CMS_RETURN_IF_ERROR(Connect(lease.sql(), lease.slot()));
      soci::session& sql = lease.sql();
      const long long lost = static_cast<long long>(lost_thread);
      // On another server (a failover: the lost session was on the old
      // primary) its thread id means nothing and is not killed. There the
      // marker tells what survived: the new primary holds every transaction
      // its replica received before it was promoted (tools/mariadb promote
      // applies the whole relay log first), and with semi-synchronous
      // replication waiting AFTER_SYNC no COMMIT is answered, nor seen by
      // anyone, before the replica has it. A commit that did not reach it
      // is not part of the surviving history, whatever the dead primary
      // wrote, so "not applied" is the truth and the re-run is right.
      const bool same_server = lease.slot().server_id == lost_server;
      if (same_server) {
        try {
          sql << "KILL CONNECTION " << lost;
        } catch (const soci::mysql_soci_error& e) {
          if (e.err_num_ != 1094) throw;  // ER_NO_SUCH_THREAD: already gone
        }
      }
      for (int i = 0; same_server; ++i) {
        int running = 0;
        sql << "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = :id",
            soci::use(lost), soci::into(running);
        if (running == 0) break;
        if (absl::Now() > give_up) return absl::DeadlineExceededError("lost session still ends");
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * (i + 1), 100)));
      }
      long long commits = 0;
      soci::indicator ind = soci::i_null;
      const long long key = lease.slot().marker_key;
      sql << "SELECT commits FROM commit_markers WHERE connection_key = :k", soci::use(key),
          soci::into(commits, ind);
      applied = ind == soci::i_ok && commits == n;
      return absl::OkStatus();
    });
    if (last.ok()) {
      lease.slot().broken = false;
      lease.slot().checked_epoch = outage_epoch_.load();
      // Rare and decisive for what the caller is told: one line each, so an
      // operator (and the failover drill) can count them.
      LogLine()
          .Str("event", "commit after a lost reply")
          .Bool("applied", applied.ok() && *applied)
          .Bool("same_server", lease.slot().server_id == lost_server)
          .Int("server_id", lease.slot().server_id)
          .Write();
      return applied;
    }
    if (absl::Now() > give_up) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(20 * attempt, 500)));
  }
  lease.slot().broken = true;
  return last;
}

absl::Status Db::Attempt(Mode mode, Lease& lease, const std::function<absl::Status(Tx&)>& fn,
                         bool* retry) {
  soci::session& sql = lease.sql();
  Slot& slot = lease.slot();
  Tx tx(sql);
  *retry = true;
  std::vector<std::string> begin;
  const int limit = TimeLimitSeconds();
  if (limit != slot.time_limit_s) begin.push_back(TimeLimitSql(limit));
  if (mode == Mode::kSnapshot) {
    begin.push_back("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    begin.push_back("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
  } else if (mode == Mode::kTransaction) {
    begin.push_back("START TRANSACTION");
  }
  absl::Status s =
      GuardSql([&] { return begin.empty() ? absl::OkStatus() : ExecuteBatch(sql, begin); });
  if (!s.ok()) return s;
  slot.time_limit_s = limit;
  const bool in_transaction = mode != Mode::kAutocommit;
  s = GuardSql([&] { return fn(tx); });
  // Nothing commits for a caller who has stopped waiting.
  if (s.ok()) s = CheckCallScope();
  if (s.ok() && !in_transaction) {
    // Outside a transaction nothing carries the queued statements: they go
    // on their own, as one batch. A reply lost here leaves them unknown, so
    // the read before them is not re-run.
    if (tx.at_commit_.empty()) return absl::OkStatus();
    s = GuardSql([&] { return ExecuteBatch(sql, tx.at_commit_); });
    if (IsLostConnection(s)) *retry = false;
    return s;
  }
  if (s.ok()) {
    int64_t n = 0;
    if (tx.exactly_once_ && mode == Mode::kTransaction) {
      // Counted even if the outcome stays unknown, so a later commit never
      // reuses a number that might already be in the row.
      n = ++slot.commits;
      tx.at_commit_.push_back(absl::StrCat(
          "INSERT INTO commit_markers (connection_key, commits, updated_us) VALUES (",
          slot.marker_key, ", ", n, ", ", absl::ToUnixMicros(absl::Now()),
          ") ON DUPLICATE KEY UPDATE commits = VALUES(commits), updated_us = VALUES(updated_us)"));
    }
    tx.at_commit_.push_back("COMMIT");
    DbFaults* faults = options_.faults.get();
    const unsigned long thread = mysql_thread_id(Native(sql));
    s = GuardSql([&] {
      if (faults != nullptr && faults->CutBeforeCommit()) Cut(sql);
      CMS_RETURN_IF_ERROR(ExecuteBatch(sql, tx.at_commit_));
      if (faults != nullptr && faults->CutAfterCommit()) {
        Cut(sql);
        return LostConnection("the reply to COMMIT was lost (injected)");
      }
      return absl::OkStatus();
    });
    if (s.ok()) return s;
    if (IsLostConnection(s)) {
      Broken(slot);
      if (n == 0) return s;  // re-run: the caller said that is harmless
      absl::StatusOr<bool> applied = CommitApplied(lease, n, thread);
      if (applied.ok()) return *applied ? absl::OkStatus() : s;
      *retry = false;
      return absl::UnavailableError(absl::StrCat(
          "the database connection was lost as the transaction committed, and whether it "
          "committed is not known (",
          applied.status().message(),
          "); a command sent with a request_id may be retried with the same id safely"));
    }
  }
  if (in_transaction && !IsLostConnection(s)) {
    (void)GuardSql([&] {
      sql << "ROLLBACK";
      return absl::OkStatus();
    });
  }
  return s;
}

absl::Status Db::Run(Mode mode, const std::function<absl::Status(Tx&)>& fn) {
  thread_local std::minstd_rand rng(std::random_device{}());
  absl::Status last;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (absl::Status s = CheckCallScope(); !s.ok()) return s;
    absl::StatusOr<std::unique_ptr<Lease>> lease = Borrow(/*ping=*/false);
    bool retry = true;
    if (!lease.ok()) {
      last = lease.status();
      if (!IsLostConnection(last)) return last;
    } else {
      last = Attempt(mode, **lease, fn, &retry);
      if (last.ok()) return last;
      // A connection lost before the COMMIT committed nothing: the server
      // rolled the transaction back when the connection went. One lost at
      // the COMMIT was marked there, before asking whether it committed.
      if (IsLostConnection(last) && !(*lease)->slot().broken) Broken((*lease)->slot());
      if (!retry || !(IsLostConnection(last) || IsRetryable(last))) return last;
    }
    std::uniform_int_distribution<int> jitter(1, 5 * attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
  }
  if (IsLostConnection(last)) return last;
  return absl::AbortedError(
      absl::StrCat("gave up after ", options_.max_attempts, " attempts: ", last.message()));
}

absl::Status Db::RunInTransaction(const std::function<absl::Status(Tx&)>& fn) {
  return Run(Mode::kTransaction, fn);
}

absl::Status Db::RunReadOnly(const std::function<absl::Status(Tx&)>& fn) {
  return Run(Mode::kSnapshot, fn);
}

absl::Status Db::RunLatest(const std::function<absl::Status(Tx&)>& fn) {
  return Run(Mode::kAutocommit, fn);
}

absl::Status Db::RunOnConnection(const std::function<absl::Status(Tx&)>& fn) {
  // Never re-run, so the connection is made sure of first (one ping): this
  // is for DDL and start-up, where a round trip is cheap.
  CMS_ASSIGN_OR_RETURN(std::unique_ptr<Lease> lease, Borrow(/*ping=*/true));
  soci::session& sql = lease->sql();
  Tx tx(sql);
  absl::Status s = GuardSql([&]() -> absl::Status {
    CMS_RETURN_IF_ERROR(fn(tx));
    return tx.at_commit_.empty() ? absl::OkStatus() : ExecuteBatch(sql, tx.at_commit_);
  });
  if (IsLostConnection(s)) Broken(lease->slot());
  return s;
}

absl::Status Db::PruneCommitMarkers(absl::Duration older_than) {
  const long long before = absl::ToUnixMicros(absl::Now() - older_than);
  return RunOnConnection([&](Tx& tx) {
    return Guard([&] {
      tx.session() << "DELETE FROM commit_markers WHERE updated_us < :b", soci::use(before);
      return absl::OkStatus();
    });
  });
}

}  // namespace cms::store

namespace cms::store {
namespace {

// Splits "db=NAME" out of a SOCI connect string.
absl::Status SplitDatabase(const std::string& uri, std::string* name, std::string* rest) {
  for (absl::string_view part : absl::StrSplit(uri, ' ', absl::SkipEmpty())) {
    if (absl::ConsumePrefix(&part, "db=") || absl::ConsumePrefix(&part, "dbname=")) {
      *name = std::string(part);
    } else {
      absl::StrAppend(rest, rest->empty() ? "" : " ", part);
    }
  }
  if (name->empty()) return absl::InvalidArgumentError("db_uri names no database (db=...)");
  for (char c : *name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return absl::InvalidArgumentError("database names are letters, digits and _");
    }
  }
  return absl::OkStatus();
}

constexpr char kCreateDatabase[] =
    "CREATE DATABASE IF NOT EXISTS `$DB` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";

// Runs `sql_template` ($DB: the uri's database) on the uri's server, outside
// any database. With `writable_only` a read-only server (a replica) is
// FAILED_PRECONDITION and nothing runs. INVALID_ARGUMENT for a bad uri.
absl::Status RunOnServer(const std::string& uri, const std::string& sql_template,
                         bool writable_only = false) {
  std::string name, rest;
  if (absl::Status s = SplitDatabase(uri, &name, &rest); !s.ok()) return s;
  return Guard([&]() -> absl::Status {
    soci::session sql(soci::mysql, rest);
    if (writable_only) {
      int read_only = 1;
      sql << "SELECT @@global.read_only", soci::into(read_only);
      if (RoleOf(read_only) == ServerRole::kReadOnly) {
        return absl::FailedPreconditionError("read-only");
      }
    }
    sql << absl::StrReplaceAll(sql_template, {{"$DB", name}});
    return absl::OkStatus();
  });
}

}  // namespace

absl::Status CreateDatabaseIfMissing(const std::string& uri) {
  return RunOnServer(uri, kCreateDatabase);
}

absl::Status CreateDatabaseIfMissing(const std::string& uri,
                                     const std::vector<std::string>& hosts) {
  if (hosts.empty()) return CreateDatabaseIfMissing(uri);
  CMS_ASSIGN_OR_RETURN(std::vector<std::string> uris, ConnectStrings(uri, hosts));
  std::string why;
  for (std::size_t i = 0; i < uris.size(); ++i) {
    absl::Status s = RunOnServer(uris[i], kCreateDatabase, /*writable_only=*/true);
    if (s.ok() || absl::IsInvalidArgument(s)) return s;
    absl::StrAppend(&why, why.empty() ? "" : "; ", hosts[i], ": ", s.message());
  }
  return absl::UnavailableError(absl::StrCat("no writable database server (", why, ")"));
}

absl::Status DropDatabase(const std::string& uri) {
  return RunOnServer(uri, "DROP DATABASE IF EXISTS `$DB`");
}

}  // namespace cms::store
