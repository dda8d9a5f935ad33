// DESIGN §6: forward migrations from an empty database, recorded in
// schema_migrations; the server refuses a newer, dirty or pending schema.
#include "server/store/migrations.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "cms/v1/bom.pb.h"
#include "server/store/approval_repo.h"
#include "soci/soci.h"
#include "tests/integration/test_server.h"

namespace cms::store {
namespace {

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = cms::testing::CreateTestDatabase("mig");
    auto db = Db::Open({uri_, 2});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }
  void TearDown() override {
    db_.reset();
    (void)DropDatabase(uri_);
  }
  std::string uri_;
  std::unique_ptr<Db> db_;
};

TEST_F(MigrationsTest, UpFromEmptyThenNothingPending) {
  const auto& known = EmbeddedMigrations();
  ASSERT_FALSE(known.empty());
  auto before = ReadSchemaState(*db_, known);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->current_version, 0);
  EXPECT_EQ(before->pending.size(), known.size());
  EXPECT_EQ(CheckSchemaCurrent(*db_, known).code(), absl::StatusCode::kFailedPrecondition);

  auto ran = MigrateUp(*db_, known);
  ASSERT_TRUE(ran.ok()) << ran.status();
  EXPECT_EQ(*ran, static_cast<int>(known.size()));
  EXPECT_TRUE(CheckSchemaCurrent(*db_, known).ok());
  auto again = MigrateUp(*db_, known);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_F(MigrationsTest, DownThenUpAgain) {
  const auto& known = EmbeddedMigrations();
  ASSERT_TRUE(MigrateUp(*db_, known).ok());
  for (size_t i = 0; i < known.size(); ++i) {
    ASSERT_TRUE(MigrateDownOne(*db_, known).ok()) << "reverting step " << i;
  }
  EXPECT_EQ(ReadSchemaState(*db_, known)->current_version, 0);
  auto ran = MigrateUp(*db_, known);
  ASSERT_TRUE(ran.ok()) << ran.status();
  EXPECT_TRUE(CheckSchemaCurrent(*db_, known).ok());
}

TEST_F(MigrationsTest, BomChangeRequestsBecomeApprovalsAndBack) {
  // S1.5 / A6.3 (migration 0006): the BOM change requests of a database
  // made before them move into approvals with their history, and back down.
  const auto& known = EmbeddedMigrations();
  std::vector<Migration> before_0006;
  for (const Migration& m : known) {
    if (m.version < 6) before_0006.push_back(m);
  }
  ASSERT_TRUE(MigrateUp(*db_, before_0006).ok());
  cms::v1::BomChange change;
  change.mutable_create_team()->set_name("Team Migrated");
  change.mutable_create_team()->set_segment_id(7);
  const std::string proto = absl::Base64Escape(change.SerializeAsString());
  ASSERT_TRUE(db_->RunInTransaction([&](Tx& tx) -> absl::Status {
                   tx.session() << "INSERT INTO bom_change_requests (change_proto, reason, "
                                   "requested_by, request_us, status, decided_by, "
                                   "decision_comment, decision_us, version) VALUES "
                                   "(:p, 'more hands', 'tl.x', 1000, 'APPROVED', 'svc.y', 'ok', "
                                   "2000, 2), (:p2, 'later', 'sm.z', 3000, 'PENDING', NULL, NULL, "
                                   "NULL, 1)",
                       soci::use(proto), soci::use(proto);
                   return absl::OkStatus();
                 })
                  .ok());

  ASSERT_TRUE(MigrateUp(*db_, known).ok());
  std::vector<cms::v1::Approval> moved;
  ASSERT_TRUE(db_->RunInTransaction([&](Tx& tx) -> absl::Status {
                   auto rows = ListApprovalsOfKind(tx, cms::v1::APPROVAL_KIND_BOM_CHANGE,
                                                   cms::v1::APPROVAL_STATE_UNSPECIFIED, {0, 10});
                   if (rows.ok()) moved = *rows;
                   return rows.status();
                 })
                  .ok());
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved[0].state(), cms::v1::APPROVAL_STATE_APPROVED);
  EXPECT_EQ(moved[0].submitted_by(), "tl.x");
  EXPECT_EQ(moved[0].submit_comment(), "more hands");
  EXPECT_EQ(moved[0].decided_by(), "svc.y");
  EXPECT_EQ(moved[0].decision_comment(), "ok");
  EXPECT_EQ(moved[0].decide_time().nanos(), 2000 * 1000);
  EXPECT_EQ(moved[0].bom_change().ShortDebugString(), change.ShortDebugString());
  EXPECT_EQ(moved[0].decider_role(), cms::v1::ROLE_SERVICE_MANAGEMENT);
  EXPECT_EQ(moved[1].state(), cms::v1::APPROVAL_STATE_PENDING);
  EXPECT_EQ(moved[1].submitted_by(), "sm.z");
  EXPECT_FALSE(moved[1].has_decide_time());

  while (ReadSchemaState(*db_, known)->current_version >= 6) {
    ASSERT_TRUE(MigrateDownOne(*db_, known).ok());
  }
  long long pending = 0, approved = 0;
  ASSERT_TRUE(db_->RunInTransaction([&](Tx& tx) -> absl::Status {
                   tx.session() << "SELECT SUM(status = 'PENDING' AND version = 1), "
                                   "SUM(status = 'APPROVED' AND decided_by = 'svc.y' AND "
                                   "change_proto = :p) FROM bom_change_requests",
                       soci::use(proto), soci::into(pending), soci::into(approved);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(pending, 1);
  EXPECT_EQ(approved, 1);
}

TEST_F(MigrationsTest, RefusesASchemaNewerThanTheBinary) {
  const auto& known = EmbeddedMigrations();
  ASSERT_TRUE(MigrateUp(*db_, known).ok());
  // A newer binary ran migration N+1 here.
  std::vector<Migration> newer = known;
  newer.push_back({known.back().version + 1, "from_the_future",
                   "CREATE TABLE future_table (id INT PRIMARY KEY);", "DROP TABLE future_table;"});
  ASSERT_TRUE(MigrateUp(*db_, newer).ok());
  absl::Status s = CheckSchemaCurrent(*db_, known);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("newer"), absl::string_view::npos) << s;
  EXPECT_EQ(MigrateUp(*db_, known).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(MigrationsTest, RefusesPendingMigrations) {
  const auto& known = EmbeddedMigrations();
  std::vector<Migration> older(known.begin(), known.end() - 1);
  ASSERT_TRUE(MigrateUp(*db_, older).ok());
  absl::Status s = CheckSchemaCurrent(*db_, known);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("pending"), absl::string_view::npos) << s;
}

TEST_F(MigrationsTest, AFailedMigrationLeavesTheSchemaDirtyAndRefused) {
  const auto& known = EmbeddedMigrations();
  std::vector<Migration> broken = known;
  broken.push_back({known.back().version + 1, "broken",
                    "CREATE TABLE ok_part (id INT);\n"
                    "THIS IS NOT SQL;",
                    ""});
  EXPECT_FALSE(MigrateUp(*db_, broken).ok());
  auto state = ReadSchemaState(*db_, broken);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->dirty);
  EXPECT_EQ(CheckSchemaCurrent(*db_, broken).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(MigrateUp(*db_, broken).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SplitSqlStatementsTest, SplitsAtLineEndingSemicolonsAndSkipsComments) {
  auto stmts = SplitSqlStatements(
      "-- a comment; with a semicolon\nCREATE TABLE a (\n  x INT\n);\nINSERT INTO a VALUES (1);\n");
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_EQ(stmts[0], "CREATE TABLE a (\n  x INT\n)");
  EXPECT_EQ(stmts[1], "INSERT INTO a VALUES (1)");
}

}  // namespace
}  // namespace cms::store
