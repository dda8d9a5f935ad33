// Forward schema migrations (DESIGN §6). migrations/NNNN_title.up.sql and
// .down.sql are compiled into the binary (EmbeddedMigrations), applied in
// order by `cms_server --migrate` and recorded in `schema_migrations`.
//
// MariaDB commits DDL implicitly, so a migration cannot be rolled back as a
// whole: each one is marked dirty before it runs and clean after, and a
// dirty schema (a migration that died half-way) refuses to start until an
// operator repairs it. Thread-compatible; run from one process at a time.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/db.h"

namespace cms::store {

struct Migration {
  int version;
  std::string title;
  std::string up_sql;
  std::string down_sql;
};

// Every migration this binary knows, ascending by version.
const std::vector<Migration>& EmbeddedMigrations();

struct SchemaState {
  int current_version = 0;  // highest applied version, 0 for an empty database
  bool dirty = false;
  std::vector<int> pending;  // known versions not yet applied
};

absl::StatusOr<SchemaState> ReadSchemaState(Db& db, const std::vector<Migration>& known);

// Applies every pending migration in order; returns how many ran.
absl::StatusOr<int> MigrateUp(Db& db, const std::vector<Migration>& known);

// Reverts the latest applied migration with its down script.
absl::Status MigrateDownOne(Db& db, const std::vector<Migration>& known);

// FAILED_PRECONDITION when the database is newer than `known`, dirty, or has
// pending migrations: the server must not start on such a schema.
absl::Status CheckSchemaCurrent(Db& db, const std::vector<Migration>& known);

// Splits a script into statements: a statement ends at a line ending in ';'.
// Lines starting with "--" are comments.
std::vector<std::string> SplitSqlStatements(const std::string& script);

}  // namespace cms::store
