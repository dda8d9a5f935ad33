// DESIGN (scale): deadlocks (1213) and lock waits are retried by
// RunInTransaction, so two transactions that deadlock both commit; other
// errors roll everything back (X13.5: nothing half-written), including a
// statement queued to go with the COMMIT (Tx::AtCommit). A connection that
// dies is reconnected with its session settings.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

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
                   })
                    .ok());
  }
  void TearDown() override {
    db_.reset();
    (void)DropDatabase(uri_);
  }
  int Value(int id) {
    int n = -1;
    EXPECT_TRUE(db_->RunReadOnly([&](Tx& tx) {
                     return Guard([&] {
                       tx.session() << "SELECT n FROM t WHERE id = :id", soci::use(id),
                           soci::into(n);
                       return absl::OkStatus();
                     });
                   })
                    .ok());
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

absl::Status Exec(Tx& tx, const std::string& sql) {
  return Guard([&] {
    tx.session() << sql;
    return absl::OkStatus();
  });
}

TEST_F(DbRetryTest, StatementsQueuedForTheCommitCommitWithIt) {
  ASSERT_TRUE(db_->RunInTransaction([&](Tx& tx) {
                   tx.AtCommit("UPDATE t SET n = 7 WHERE id = 2");
                   tx.AtCommit("UPDATE t SET n = n + 1 WHERE id = 2");
                   return Exec(tx, "UPDATE t SET n = 5 WHERE id = 1");
                 })
                  .ok());
  EXPECT_EQ(Value(1), 5);
  EXPECT_EQ(Value(2), 8);
}

TEST_F(DbRetryTest, AFailingQueuedStatementRollsBackTheWholeTransaction) {
  // X13.4 relies on this: a request id recorded first by another call
  // fails the commit, and nothing of the losing call remains.
  for (int i = 0; i < 6; ++i) {  // more than the pool: every connection stays usable
    absl::Status s = db_->RunInTransaction([&](Tx& tx) {
      tx.AtCommit("UPDATE t SET n = 3 WHERE id = 2");
      tx.AtCommit("INSERT INTO t VALUES (1, 0)");  // duplicate key
      tx.AtCommit("UPDATE t SET n = 4 WHERE id = 2");
      return Exec(tx, "UPDATE t SET n = 9 WHERE id = 1");
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
    EXPECT_EQ(Value(1), 0);
    EXPECT_EQ(Value(2), 0);
  }
}

TEST_F(DbRetryTest, QuoteKeepsAnyTextLiteral) {
  ASSERT_TRUE(db_->RunOnConnection([](Tx& tx) {
                   return Exec(tx, "CREATE TABLE q (id INT PRIMARY KEY, v BLOB NOT NULL)");
                 })
                  .ok());
  const std::string nasty =
      std::string("it's \\ a \"test\";\n\0 x'); DROP TABLE t; -- ") + "\xc3\xa9\xff";
  ASSERT_TRUE(db_->RunInTransaction([&](Tx& tx) {
                   tx.AtCommit("INSERT INTO q VALUES (1, " + tx.Quote(nasty) + ")");
                   tx.AtCommit("INSERT INTO q VALUES (2, " + tx.Quote("") + ")");
                   return absl::OkStatus();
                 })
                  .ok());
  std::string one = "unset", two = "unset";
  ASSERT_TRUE(db_->RunReadOnly([&](Tx& tx) {
                   return Guard([&] {
                     tx.session() << "SELECT v FROM q WHERE id = 1", soci::into(one);
                     tx.session() << "SELECT v FROM q WHERE id = 2", soci::into(two);
                     return absl::OkStatus();
                   });
                 })
                  .ok());
  EXPECT_EQ(one, nasty);
  EXPECT_EQ(two, "");
  EXPECT_EQ(Value(1), 0) << "table t survived";
}

TEST_F(DbRetryTest, AReconnectedConnectionKeepsItsSessionSettings) {
  auto single = Db::Open({uri_, 1});
  ASSERT_TRUE(single.ok()) << single.status();
  long long id = 0;
  ASSERT_TRUE((*single)
                  ->RunOnConnection([&](Tx& tx) {
                    return Guard([&] {
                      tx.session() << "SELECT CONNECTION_ID()", soci::into(id);
                      return absl::OkStatus();
                    });
                  })
                  .ok());
  ASSERT_TRUE(db_->RunOnConnection(
                     [&](Tx& tx) { return Exec(tx, "KILL CONNECTION " + std::to_string(id)); })
                  .ok());
  std::string isolation;
  long long again = 0;
  absl::Status s = (*single)->RunInTransaction([&](Tx& tx) {
    tx.AtCommit("UPDATE t SET n = 11 WHERE id = 1");  // needs multi-statements
    return Guard([&] {
      tx.session() << "SELECT @@tx_isolation, CONNECTION_ID()", soci::into(isolation),
          soci::into(again);
      return absl::OkStatus();
    });
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_NE(again, id) << "the killed connection was replaced";
  EXPECT_EQ(isolation, "READ-COMMITTED");
  EXPECT_EQ(Value(1), 11);
}

}  // namespace
}  // namespace cms::store
