#include "server/store/migrations.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "soci/soci.h"

namespace cms::store {
namespace {

absl::Status EnsureTable(Tx& tx) {
  return Guard([&] {
    tx.session() << "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INT NOT NULL PRIMARY KEY,"
                    " title VARCHAR(200) NOT NULL,"
                    " applied_us BIGINT NOT NULL,"
                    " dirty TINYINT NOT NULL) ENGINE=InnoDB";
    return absl::OkStatus();
  });
}

absl::Status RunScript(Tx& tx, const std::string& script) {
  return Guard([&] {
    for (const std::string& stmt : SplitSqlStatements(script)) tx.session() << stmt;
    return absl::OkStatus();
  });
}

}  // namespace

std::vector<std::string> SplitSqlStatements(const std::string& script) {
  std::vector<std::string> out;
  std::string current;
  for (absl::string_view line : absl::StrSplit(script, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || absl::StartsWith(trimmed, "--")) continue;
    absl::StrAppend(&current, current.empty() ? "" : "\n", line);
    if (absl::EndsWith(trimmed, ";")) {
      current = std::string(absl::StripAsciiWhitespace(current));
      current.pop_back();
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) out.push_back(current);
  return out;
}

absl::StatusOr<SchemaState> ReadSchemaState(Db& db, const std::vector<Migration>& known) {
  SchemaState state;
  std::vector<int> applied;
  CMS_RETURN_IF_ERROR(db.RunOnConnection([&](Tx& tx) -> absl::Status {
    CMS_RETURN_IF_ERROR(EnsureTable(tx));
    return Guard([&] {
      soci::rowset<soci::row> rows =
          tx.session().prepare << "SELECT version, dirty FROM schema_migrations ORDER BY version";
      for (const soci::row& r : rows) {
        applied.push_back(r.get<int>(0));
        if (r.get<int>(1) != 0) state.dirty = true;
      }
      return absl::OkStatus();
    });
  }));
  if (!applied.empty()) state.current_version = applied.back();
  for (const Migration& m : known) {
    if (std::find(applied.begin(), applied.end(), m.version) == applied.end()) {
      state.pending.push_back(m.version);
    }
  }
  return state;
}

absl::StatusOr<int> MigrateUp(Db& db, const std::vector<Migration>& known) {
  CMS_ASSIGN_OR_RETURN(SchemaState state, ReadSchemaState(db, known));
  if (state.dirty) {
    return absl::FailedPreconditionError(
        "schema_migrations has a dirty migration: a previous migration died half-way; repair "
        "the schema by hand, then clear the dirty flag");
  }
  const int latest_known = known.empty() ? 0 : known.back().version;
  if (state.current_version > latest_known) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", state.current_version,
                     " is newer than this binary knows (", latest_known, ")"));
  }
  int ran = 0;
  for (const Migration& m : known) {
    if (std::find(state.pending.begin(), state.pending.end(), m.version) == state.pending.end()) {
      continue;
    }
    const int64_t now_us = absl::ToUnixMicros(absl::Now());
    CMS_RETURN_IF_ERROR(db.RunOnConnection([&](Tx& tx) {
      return Guard([&] {
        tx.session() << "INSERT INTO schema_migrations (version, title, applied_us, dirty) "
                        "VALUES (:v, :t, :a, 1)",
            soci::use(m.version), soci::use(m.title), soci::use(now_us);
        return absl::OkStatus();
      });
    }));
    // DML in a migration commits with the clean mark; DDL commits implicitly.
    CMS_RETURN_IF_ERROR(db.RunInTransaction([&](Tx& tx) -> absl::Status {
      CMS_RETURN_IF_ERROR(RunScript(tx, m.up_sql));
      return Guard([&] {
        tx.session() << "UPDATE schema_migrations SET dirty = 0 WHERE version = :v",
            soci::use(m.version);
        return absl::OkStatus();
      });
    }));
    ++ran;
  }
  return ran;
}

absl::Status MigrateDownOne(Db& db, const std::vector<Migration>& known) {
  CMS_ASSIGN_OR_RETURN(SchemaState state, ReadSchemaState(db, known));
  if (state.current_version == 0) return absl::FailedPreconditionError("nothing to revert");
  auto it = std::find_if(known.begin(), known.end(),
                         [&](const Migration& m) { return m.version == state.current_version; });
  if (it == known.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("migration ", state.current_version, " is unknown to this binary"));
  }
  return db.RunInTransaction([&](Tx& tx) -> absl::Status {
    CMS_RETURN_IF_ERROR(RunScript(tx, it->down_sql));
    return Guard([&] {
      tx.session() << "DELETE FROM schema_migrations WHERE version = :v", soci::use(it->version);
      return absl::OkStatus();
    });
  });
}

absl::Status CheckSchemaCurrent(Db& db, const std::vector<Migration>& known) {
  CMS_ASSIGN_OR_RETURN(SchemaState state, ReadSchemaState(db, known));
  const int latest_known = known.empty() ? 0 : known.back().version;
  if (state.current_version > latest_known) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database schema version ", state.current_version, " is newer than this binary knows (",
        latest_known, "); run a newer cms_server"));
  }
  if (state.dirty) return absl::FailedPreconditionError("database schema is dirty");
  if (!state.pending.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("database has pending migrations (",
                                                      absl::StrJoin(state.pending, ", "),
                                                      "); run cms_server --migrate"));
  }
  return absl::OkStatus();
}

}  // namespace cms::store
