// DESIGN (scale): deadlocks (1213) and lock waits are retried by
// RunInTransaction, so two transactions that deadlock both commit; other
// errors roll everything back (X13.5: nothing half-written).
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "server/store/db.h"
#include "soci/soci.h"
#include "tests/integration/test_server.h"

namespace cms::store {
namespace {

class DbRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = cms::testing::CreateTestDatabase("retry");
    auto db = Db::Open({uri_, 4});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->RunOnConnection([](Tx& tx) {
                     return Guard([&] {
                       tx.session() << "CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL) "
                                       "ENGINE=InnoDB";
                       tx.session() << "INSERT INTO t VALUES (1, 0), (2, 0)";
                       return absl::OkStatus();
                     });
                   }).ok());
  }
  void TearDown() override {
    db_.reset();
    (void)DropDatabase(uri_);
  }
  int Value(int id) {
    int n = -1;
    EXPECT_TRUE(db_->RunReadOnly([&](Tx& tx) {
                     return Guard([&] {
                       tx.session() << "SELECT n FROM t WHERE id = :id", soci::use(id), soci::into(n);
                       return absl::OkStatus();
                     });
                   }).ok());
    return n;
  }
  std::string uri_;
  std::unique_ptr<Db> db_;
};

TEST_F(DbRetryTest, DeadlockedTransactionsAreRetriedAndBothCommit) {
  // Each transaction locks one row, waits until the other holds its row,
  // then asks for the other's row: InnoDB kills one with 1213.
  std::atomic<int> holding{0};
  std::atomic<int> attempts{0};
  auto crosswise = [&](int first, int second) {
    return db_->RunInTransaction([&](Tx& tx) {
      return Guard([&] {
        ++attempts;
        tx.session() << "UPDATE t SET n = n + 1 WHERE id = :id", soci::use(first);
        ++holding;
        for (int i = 0; i < 2000 && holding.load() < 2; ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        tx.session() << "UPDATE t SET n = n + 1 WHERE id = :id", soci::use(second);
        return absl::OkStatus();
      });
    });
  };
  absl::Status a, b;
  std::thread ta([&] { a = crosswise(1, 2); });
  std::thread tb([&] { b = crosswise(2, 1); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a.ok()) << a;
  EXPECT_TRUE(b.ok()) << b;
  EXPECT_GE(attempts.load(), 3) << "one transaction should have been retried";
  EXPECT_EQ(Value(1), 2);
  EXPECT_EQ(Value(2), 2);
}

TEST_F(DbRetryTest, AFailedTransactionWritesNothing) {
  absl::Status s = db_->RunInTransaction([&](Tx& tx) -> absl::Status {
    absl::Status update = Guard([&] {
      tx.session() << "UPDATE t SET n = 42 WHERE id = 1";
      return absl::OkStatus();
    });
    if (!update.ok()) return update;
    return absl::FailedPreconditionError("a rule refused after the first write");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Value(1), 0);
}

TEST_F(DbRetryTest, DuplicateKeyIsAlreadyExistsAndNotRetried) {
  int attempts = 0;
  absl::Status s = db_->RunInTransaction([&](Tx& tx) {
    ++attempts;
    return Guard([&] {
      tx.session() << "INSERT INTO t VALUES (1, 5)";
      return absl::OkStatus();
    });
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(attempts, 1);
}

}  // namespace
}  // namespace cms::store
