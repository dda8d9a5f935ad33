// Issue 17, a second machine, at the database layer (store/db.h): given
// several addresses (DbOptions::hosts, --db_hosts), Db works only on the
// writable server, leaves a server that turned read-only (error 1290 on a
// write, or @@read_only seen when a connection is checked) for the one that
// is writable now, prefers the last primary when several are, and after a
// failover decides a lost COMMIT reply by the marker on the new primary.
//
// Two real MariaDB servers: the shared one (CMS_TEST_DB_URI), always
// writable, and a private one this test starts itself (tools/mariadb, its
// own datadir, server id 4242) and turns read-only and back. Never the shared
// one: other tests use it at the same time. The two do not replicate; the
// tests copy what replication would have delivered where it matters. The
// real pair, with semi-synchronous replication and a kill -9, is the drill
// (tools/cms failover-drill).
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/store/db.h"
#include "server/store/migrations.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "tests/integration/test_server.h"

namespace cms::store {
namespace {

// stdout of a shell command; empty when it failed.
std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
  return pclose(pipe) == 0 ? std::string(absl::StripAsciiWhitespace(out)) : std::string();
}

// "host:port" of a "user=root host=H port=P" connect string.
std::string HostPort(const std::string& uri) {
  std::string host, port;
  for (absl::string_view part : absl::StrSplit(uri, ' ', absl::SkipEmpty())) {
    if (absl::ConsumePrefix(&part, "host=")) host = std::string(part);
    if (absl::ConsumePrefix(&part, "port=")) port = std::string(part);
  }
  return absl::StrCat(host, ":", port);
}

void Admin(const std::string& server_uri, const std::string& statement) {
  soci::session sql(soci::mysql, server_uri);
  sql << statement;
}

int Count(const std::string& server_uri, const std::string& db, int id) {
  soci::session sql(soci::mysql, server_uri);
  int n = 0;
  sql << absl::StrCat("SELECT COUNT(*) FROM `", db, "`.w WHERE id = ", id), soci::into(n);
  return n;
}

// Runs `action` at the next cut after COMMIT (armed), and cuts there.
class FailoverAtCommit : public DbFaults {
 public:
  std::function<void()> action;
  std::atomic<bool> armed{false};
  bool CutAfterCommit() override {
    if (!armed.exchange(false)) return false;
    action();
    return true;
  }
};

class DbFailoverTest : public ::testing::Test {
 protected:
  // The private server, started once for the suite and stopped after it,
  // and on both servers a database of the same name, migrated once
  // (commit_markers), with the server's own user.
  static void SetUpTestSuite() {
    char dir[] = "/tmp/cms-failover-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    private_dir_ = dir;
    // A small buffer pool: it shares the machine with the shared server.
    private_ = Shell(absl::StrCat("CMS_DB_BUFFER_POOL=128M CMS_DB_ROLE_ARGS=--server-id=4242 ",
                                  CMS_SOURCE_DIR, "/tools/mariadb start ", dir));
    ASSERT_FALSE(private_.empty()) << "tools/mariadb could not start a second server";
    const std::string shared_db_uri = cms::testing::CreateTestDatabase("failover");
    for (absl::string_view part : absl::StrSplit(shared_db_uri, ' ', absl::SkipEmpty())) {
      if (absl::ConsumePrefix(&part, "db=")) db_ = std::string(part);
    }
    shared_ = std::getenv("CMS_TEST_DB_URI");
    user_ = absl::StrCat("fo_", db_.substr(db_.size() - 9));
    for (const std::string& server : {shared_, private_}) {
      const std::string uri = absl::StrCat(server, " db=", db_);
      ASSERT_TRUE(CreateDatabaseIfMissing(uri).ok());
      auto db = Db::Open({uri, 1});
      ASSERT_TRUE(db.ok()) << db.status();
      ASSERT_TRUE(MigrateUp(**db, EmbeddedMigrations()).ok());
      // The server's own user, as in production: without SUPER or READ_ONLY
      // ADMIN, so read_only stops its writes (1290).
      Admin(server, absl::StrCat("CREATE USER '", user_, "'@'127.0.0.1' IDENTIFIED BY 'pw'"));
      Admin(server, absl::StrCat("GRANT ALL ON `", db_, "`.* TO '", user_, "'@'127.0.0.1'"));
    }
    app_uri_ = absl::StrCat("db=", db_, " user=", user_, " password=pw");
  }
  static void TearDownTestSuite() {
    if (!db_.empty()) {
      for (const std::string& server : {shared_, private_}) {
        if (server.empty()) continue;
        Admin(server, absl::StrCat("DROP USER IF EXISTS '", user_, "'@'127.0.0.1'"));
        (void)DropDatabase(absl::StrCat(server, " db=", db_));
      }
    }
    if (!private_dir_.empty()) {
      Shell(absl::StrCat(CMS_SOURCE_DIR, "/tools/mariadb stop ", private_dir_, " && rm -rf ",
                         private_dir_));
    }
  }

  // Each test: both servers writable, a fresh table to write on each.
  void SetUp() override {
    ASSERT_FALSE(private_.empty());
    Admin(private_, "SET GLOBAL read_only = 0");
    for (const std::string& server : {shared_, private_}) {
      const std::string uri = absl::StrCat(server, " db=", db_);
      Admin(uri, "DROP TABLE IF EXISTS w");
      Admin(uri, "CREATE TABLE w (id INT PRIMARY KEY) ENGINE=InnoDB");
    }
  }

  void TearDown() override {
    db_handle_.reset();
    Admin(private_, "SET GLOBAL read_only = 0");
  }

  // A Db as cms_server opens one with --db_hosts=<private>,<shared>: the
  // private server listed first, so it is the primary while writable.
  Db& Open(int pool_size, std::shared_ptr<DbFaults> faults = nullptr, const std::string& uri = "") {
    auto db = Db::Open({.uri = uri.empty() ? app_uri_ : uri,
                        .pool_size = pool_size,
                        .faults = std::move(faults),
                        .hosts = {HostPort(private_), HostPort(shared_)}});
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) std::abort();
    db_handle_ = *std::move(db);
    return *db_handle_;
  }

  // One exactly-once insert of `id`, counting how often its body ran.
  absl::Status Insert(Db& db, int id, int* runs = nullptr) {
    return db.RunInTransaction([&](Tx& tx) {
      if (runs != nullptr) ++*runs;
      tx.CommitExactlyOnce();
      return Guard([&] {
        tx.session() << "INSERT INTO w (id) VALUES (:id)", soci::use(id);
        return absl::OkStatus();
      });
    });
  }

  int OnShared(int id) { return Count(shared_, db_, id); }
  int OnPrivate(int id) { return Count(private_, db_, id); }

  static inline std::string private_dir_;
  static inline std::string shared_, private_;  // root connect strings, no db=
  static inline std::string db_, user_, app_uri_;
  std::unique_ptr<Db> db_handle_;
};

TEST_F(DbFailoverTest, StartsOnTheWritableServerWhereverItIsListed) {
  // The private server, listed first, is a replica (read-only).
  Admin(private_, "SET GLOBAL read_only = 1");
  Db& db = Open(2);
  for (int id = 1; id <= 4; ++id) ASSERT_TRUE(Insert(db, id).ok());
  for (int id = 1; id <= 4; ++id) {
    EXPECT_EQ(OnShared(id), 1) << id;
    EXPECT_EQ(OnPrivate(id), 0) << id;
  }
}

TEST_F(DbFailoverTest, MovesToTheWritableServerWhenItsServerTurnsReadOnly) {
  Db& db = Open(2);
  ASSERT_TRUE(Insert(db, 1).ok());
  ASSERT_EQ(OnPrivate(1), 1) << "the first listed server, writable, is the primary";
  // A failover fences the old primary off: its writes now fail with 1290,
  // which is a lost connection to Db, so the command runs again on the
  // server that is writable now. Twice the pool: every connection moves.
  Admin(private_, "SET GLOBAL read_only = 1");
  for (int id = 2; id <= 5; ++id) {
    int runs = 0;
    absl::Status s = Insert(db, id, &runs);
    EXPECT_TRUE(s.ok()) << id << ": " << s;
    EXPECT_EQ(OnShared(id), 1) << id;
    EXPECT_EQ(OnPrivate(id), 0) << id;
  }
}

TEST_F(DbFailoverTest, PrefersTheLastPrimaryWhenBothAreWritable) {
  Db& db = Open(2);
  Admin(private_, "SET GLOBAL read_only = 1");
  ASSERT_TRUE(Insert(db, 1).ok());
  ASSERT_EQ(OnShared(1), 1);
  // The old primary comes back writable (it must not, in production, until
  // it is made a replica of the new one); the connections, cut, are made
  // again on the last primary, not on the first listed address.
  Admin(private_, "SET GLOBAL read_only = 0");
  ASSERT_GE(cms::testing::KillConnectionsTo(absl::StrCat(shared_, " db=", db_)), 1);
  for (int id = 2; id <= 5; ++id) {
    ASSERT_TRUE(Insert(db, id).ok()) << id;
    EXPECT_EQ(OnShared(id), 1) << id;
    EXPECT_EQ(OnPrivate(id), 0) << id;
  }
}

TEST_F(DbFailoverTest, AReadOnlyServerIsLeftEvenByAUserItDoesNotStop) {
  // root has READ_ONLY ADMIN: read_only does not stop its writes, so Db
  // must see it. After a lost connection every connection is checked
  // before its next use, and @@read_only is what it checks.
  Db& db = Open(2, nullptr, absl::StrCat("db=", db_, " user=root"));
  ASSERT_TRUE(Insert(db, 1).ok());
  ASSERT_EQ(OnPrivate(1), 1);
  Admin(private_, "SET GLOBAL read_only = 1");
  ASSERT_GE(cms::testing::KillConnectionsTo(absl::StrCat(private_, " db=", db_)), 1);
  for (int id = 2; id <= 5; ++id) {
    ASSERT_TRUE(Insert(db, id).ok()) << id;
    EXPECT_EQ(OnShared(id), 1) << id;
    EXPECT_EQ(OnPrivate(id), 0) << id;
  }
}

TEST_F(DbFailoverTest, ALostCommitReplyAfterAFailoverIsDecidedOnTheNewPrimary) {
  // The COMMIT lands on the old primary and its reply is lost as the
  // failover happens. The new primary holds the transaction if the replica
  // received it (semi-sync: every acknowledged commit was), and then the
  // command must not run again; if it did not, the transaction is not part
  // of the surviving history and the command runs again there. The lost
  // session's thread id means nothing on the new primary: it is not killed.
  struct Case {
    const char* name;
    bool replicated;
    int runs;
  };
  for (const Case& c : {Case{"the replica had received it", true, 1},
                        Case{"the replica never received it", false, 2}}) {
    SCOPED_TRACE(c.name);
    Admin(private_, "SET GLOBAL read_only = 0");
    auto faults = std::make_shared<FailoverAtCommit>();
    Db& db = Open(1, faults);
    const int id = c.replicated ? 10 : 20;
    faults->action = [&] {
      if (c.replicated) {  // what replication delivered: the whole transaction
        soci::session from(soci::mysql, absl::StrCat(private_, " db=", db_));
        soci::session to(soci::mysql, absl::StrCat(shared_, " db=", db_));
        long long key = 0, commits = 0, updated = 0;
        soci::statement rows =
            (from.prepare << "SELECT connection_key, commits, updated_us FROM commit_markers",
             soci::into(key), soci::into(commits), soci::into(updated));
        rows.execute();
        while (rows.fetch()) {
          to << "REPLACE INTO commit_markers VALUES (:k, :c, :u)", soci::use(key),
              soci::use(commits), soci::use(updated);
        }
        to << "INSERT INTO w (id) VALUES (:id)", soci::use(id);
      }
      Admin(private_, "SET GLOBAL read_only = 1");  // promoted elsewhere
    };
    faults->armed = true;
    int runs = 0;
    absl::Status s = Insert(db, id, &runs);
    EXPECT_TRUE(s.ok()) << s;
    EXPECT_EQ(runs, c.runs);
    EXPECT_EQ(OnShared(id), 1) << "on the new primary once";
    EXPECT_EQ(OnPrivate(id), 1) << "the old primary committed it before it was cut off";
    db_handle_.reset();
  }
}

}  // namespace
}  // namespace cms::store
