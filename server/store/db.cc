#include "server/store/db.h"

#include <chrono>
#include <random>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "server/base/errors.h"
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

}  // namespace

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
      sql << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO'";
      sql << "SET NAMES utf8mb4";
      // Commands read the latest committed rows and lock what they change
      // (SELECT ... FOR UPDATE); read-only calls ask for a snapshot instead.
      sql << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
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
      if (sql.get_backend() == nullptr) sql.reconnect();
      if (mode == Mode::kAutocommit) return fn(tx);
      if (mode == Mode::kSnapshot) {
        sql << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
        sql << "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";
      } else {
        sql << "START TRANSACTION";
      }
      open = true;
      absl::Status s = fn(tx);
      if (s.ok()) {
        sql << "COMMIT";
        open = false;
      }
      return s;
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
        sql.reconnect();
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
  return Guard([&] { return fn(tx); });
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
