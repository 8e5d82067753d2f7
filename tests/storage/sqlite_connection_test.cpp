// Connection (storage/sqlite/connection.h): after SQLite abandons a transaction by itself (here
// SQLITE_FULL), a statement must not run on its own, committed outside the transaction its
// caller believes it is in.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "backends.h"
#include "storage/sqlite/connection.h"

namespace leadproc::sqlite {
namespace {

class SqliteConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Connection::open((dir_.path() / "c.db").string(), Connection::Mode::kReadWrite, 1000);
    ASSERT_TRUE(c) << c.error().detail;
    conn_ = std::move(*c);
    ASSERT_TRUE(conn_->exec("PRAGMA journal_mode=WAL; CREATE TABLE t(x)"));
    // Room for one more page: the second insert below does not fit (SQLITE_FULL), and SQLite
    // then rolls back the whole transaction.
    ASSERT_TRUE(conn_->exec("PRAGMA max_page_count=3"));
  }

  // Begins, inserts a row that fits, then one that does not. True iff SQLite dropped the
  // transaction, as it does for SQLITE_FULL.
  bool begin_and_overflow() {
    EXPECT_TRUE(conn_->exec("BEGIN IMMEDIATE"));
    EXPECT_TRUE(conn_->exec("INSERT INTO t VALUES (randomblob(2000))"));
    auto full = conn_->exec("INSERT INTO t VALUES (randomblob(200000))");
    EXPECT_FALSE(full);
    return !conn_->in_transaction();
  }

  std::int64_t rows() {
    auto q = conn_->query("SELECT count(*) FROM t");
    EXPECT_TRUE(q);
    EXPECT_TRUE(q->step().ok());
    return q->int_at(0);
  }

  storage_test::TempDir dir_{"connection"};
  std::unique_ptr<Connection> conn_;
};

// The hazard itself, so that the next case means something: SQLite runs the next statement in
// autocommit mode.
TEST_F(SqliteConnectionTest, WithoutTheGuardTheNextStatementCommitsOnItsOwn) {
  ASSERT_TRUE(begin_and_overflow());
  auto q = conn_->query("INSERT INTO t VALUES (1)");
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->run());
  EXPECT_EQ(rows(), 1);
}

TEST_F(SqliteConnectionTest, WithTheGuardNoStatementRunsOutsideTheTransaction) {
  conn_->set_transaction_required(true);
  ASSERT_TRUE(begin_and_overflow());
  auto q = conn_->query("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, ErrorCode::kUnavailable);
  conn_->set_transaction_required(false);
  EXPECT_EQ(rows(), 0) << "nothing of the abandoned transaction, and nothing after it";
}

}  // namespace
}  // namespace leadproc::sqlite
