#include "server/store/db.h"

#include <chrono>
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
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"

namespace cms::store {
namespace {

constexpr absl::string_view kRetryablePayload = "type.cms/retryable";

absl::Status Retryable(absl::Status s) {
  s.SetPayload(kRetryablePayload, absl::Cord("1"));
  return s;
}

absl::Status FromMysqlError(int err, const std::string& what) {
  switch (err) {
    case 1062:  // ER_DUP_ENTRY
      return WithReason(absl::AlreadyExistsError(what), "DUPLICATE_KEY");
    case 1213:  // ER_LOCK_DEADLOCK
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1020:  // ER_CHECKREAD (snapshot conflict)
      return Retryable(absl::AbortedError(absl::StrCat("transaction conflict: ", what)));
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
      return absl::UnavailableError(absl::StrCat("database unavailable: ", what));
    default:
      return absl::InternalError(absl::StrCat("database error ", err, ": ", what));
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

// Outside a transaction there is no COMMIT to carry the queued statements
// (Tx::AtCommit): they go on their own, as one batch, once `fn` succeeded.
absl::Status SendQueued(soci::session& sql, const std::vector<std::string>& queued) {
  return queued.empty() ? absl::OkStatus() : ExecuteBatch(sql, queued);
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

void Reconnect(soci::session& sql) {
  sql.reconnect();
  Configure(sql);
}

}  // namespace

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

Db::Db(DbOptions options) : options_(std::move(options)) {}
Db::~Db() = default;

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const DbOptions& options) {
  if (options.pool_size < 1) return absl::InvalidArgumentError("pool size must be at least 1");
  std::unique_ptr<Db> db(new Db(options));
  db->pool_ = std::make_unique<soci::connection_pool>(options.pool_size);
  for (int i = 0; i < options.pool_size; ++i) {
    absl::Status s = Guard([&] {
      soci::session& sql = db->pool_->at(i);
      sql.open(soci::mysql, options.uri);
      Configure(sql);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
  }
  return db;
}

absl::Status Db::Run(Mode mode, const std::function<absl::Status(Tx&)>& fn) {
  thread_local std::minstd_rand rng(std::random_device{}());
  absl::Status last;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    soci::session sql(*pool_);
    Tx tx(sql);
    bool open = false;
    last = Guard([&]() -> absl::Status {
      if (sql.get_backend() == nullptr) Reconnect(sql);
      if (mode == Mode::kAutocommit) {
        CMS_RETURN_IF_ERROR(fn(tx));
        return SendQueued(sql, tx.at_commit_);
      }
      if (mode == Mode::kSnapshot) {
        CMS_RETURN_IF_ERROR(
            ExecuteBatch(sql, {"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                               "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"}));
      } else {
        sql << "START TRANSACTION";
      }
      open = true;
      CMS_RETURN_IF_ERROR(fn(tx));
      tx.at_commit_.push_back("COMMIT");
      CMS_RETURN_IF_ERROR(ExecuteBatch(sql, tx.at_commit_));
      open = false;
      return absl::OkStatus();
    });
    if (open) {
      (void)Guard([&] {
        sql << "ROLLBACK";
        return absl::OkStatus();
      });
    }
    if (absl::IsUnavailable(last)) {
      // The pooled connection died (server restart, idle timeout): reconnect
      // it and retry once more; nothing was committed.
      (void)Guard([&] {
        Reconnect(sql);
        return absl::OkStatus();
      });
    } else if (!IsRetryable(last)) {
      return last;
    }
    std::uniform_int_distribution<int> jitter(1, 5 * attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
  }
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
  soci::session sql(*pool_);
  Tx tx(sql);
  return Guard([&]() -> absl::Status {
    CMS_RETURN_IF_ERROR(fn(tx));
    return SendQueued(sql, tx.at_commit_);
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

absl::Status RunOnServer(const std::string& uri, const std::string& sql_template) {
  std::string name, rest;
  if (absl::Status s = SplitDatabase(uri, &name, &rest); !s.ok()) return s;
  return Guard([&] {
    soci::session sql(soci::mysql, rest);
    sql << absl::StrReplaceAll(sql_template, {{"$DB", name}});
    return absl::OkStatus();
  });
}

}  // namespace

absl::Status CreateDatabaseIfMissing(const std::string& uri) {
  return RunOnServer(
      uri, "CREATE DATABASE IF NOT EXISTS `$DB` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
}

absl::Status DropDatabase(const std::string& uri) {
  return RunOnServer(uri, "DROP DATABASE IF EXISTS `$DB`");
}

}  // namespace cms::store
