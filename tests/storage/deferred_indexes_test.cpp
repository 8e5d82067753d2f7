// A bulk load's indexes built after its rows (storage/sqlite/deferred_indexes.h, SQLite's
// ImportWrites): what is dropped, what stays, and that every index comes back as it was — at the
// end of the load, or at the next migration when the load was interrupted. The schema is read
// from sqlite_master on a connection of the test's own.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>

#include "backends.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc {
namespace {

// Every index of `table` that has a CREATE statement, by name.
std::map<std::string, std::string> indexes_of(const std::string& path, const std::string& table) {
  std::map<std::string, std::string> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                               "tbl_name = ?1 AND sql IS NOT NULL",
                               -1, &q, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(q, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(q) == SQLITE_ROW)
    out[reinterpret_cast<const char*>(sqlite3_column_text(q, 0))] =
        reinterpret_cast<const char*>(sqlite3_column_text(q, 1));
  sqlite3_finalize(q);
  sqlite3_close(db);
  return out;
}

Opportunity opportunity(const Id& id) {
  Opportunity o;
  o.id = id;
  o.trace_id = "t-" + id;
  o.name = "Asha";
  o.number = "+919820022222";
  o.created_at = o.updated_at = Timestamp{std::chrono::milliseconds{1'700'000'000'000}};
  return o;
}

class DeferredIndexes : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open();
    migrated_ = indexes_of(path_, "opportunities");
  }
  std::unique_ptr<sqlite::SqliteStore> open() {
    auto store = sqlite::SqliteStore::open(path_);
    EXPECT_TRUE(store.ok()) << store.error().detail;
    EXPECT_TRUE((*store)->migrate().ok());
    return std::move(*store);
  }
  Result<int> defer() {
    int n = -1;
    Status s = store_->write([&](WriteTx& tx) -> Status {
      auto r = tx.defer_indexes(RecordKind::kOpportunity);
      if (!r) return r.error();
      n = *r;
      return ok_status();
    });
    if (!s) return s.error();
    return n;
  }
  Result<int> restore() {
    int n = -1;
    Status s = store_->write([&](WriteTx& tx) -> Status {
      auto r = tx.restore_indexes();
      if (!r) return r.error();
      n = *r;
      return ok_status();
    });
    if (!s) return s.error();
    return n;
  }

  storage_test::TempDir dir_{"deferred-indexes"};
  std::string path_ = (dir_.path() / "load.db").string();
  std::unique_ptr<sqlite::SqliteStore> store_;
  std::map<std::string, std::string> migrated_;  // the opportunities' indexes after migrating
};

TEST_F(DeferredIndexes, AnEmptyTableLosesOnlyItsIndexesThatEnforceNoRuleUntilRestored) {
  ASSERT_GT(migrated_.size(), 10u);
  auto dropped = defer();
  ASSERT_TRUE(dropped.ok()) << dropped.error().detail;
  const auto during = indexes_of(path_, "opportunities");
  EXPECT_EQ(static_cast<std::size_t>(*dropped), migrated_.size() - during.size());
  ASSERT_FALSE(during.empty());
  for (const auto& [name, sql] : during)
    EXPECT_TRUE(sql.starts_with("CREATE UNIQUE")) << name << " was kept: " << sql;
  // The rule of one open original per number and destination holds during the load.
  ASSERT_TRUE(store_
                  ->write([](WriteTx& tx) {
                    return tx.insert_opportunity(opportunity("65a1b2c3d4e5f60718293a01"));
                  })
                  .ok());
  Status second = store_->write(
      [](WriteTx& tx) { return tx.insert_opportunity(opportunity("65a1b2c3d4e5f60718293a02")); });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);

  auto built = restore();
  ASSERT_TRUE(built.ok()) << built.error().detail;
  EXPECT_EQ(*built, *dropped);
  EXPECT_EQ(indexes_of(path_, "opportunities"), migrated_);
  auto again = restore();  // nothing left to build
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_F(DeferredIndexes, ATableWithRowsKeepsItsIndexes) {
  ASSERT_TRUE(store_
                  ->write([](WriteTx& tx) {
                    return tx.insert_opportunity(opportunity("65a1b2c3d4e5f60718293a01"));
                  })
                  .ok());
  auto dropped = defer();
  ASSERT_TRUE(dropped.ok()) << dropped.error().detail;
  EXPECT_EQ(*dropped, 0);
  EXPECT_EQ(indexes_of(path_, "opportunities"), migrated_);
}

TEST_F(DeferredIndexes, TheNextMigrationBuildsWhatAnInterruptedLoadLeft) {
  auto dropped = defer();
  ASSERT_TRUE(dropped.ok()) << dropped.error().detail;
  ASSERT_GT(*dropped, 0);
  store_.reset();  // the import stopped here
  ASSERT_NE(indexes_of(path_, "opportunities"), migrated_);
  store_ = open();  // opening migrates
  EXPECT_EQ(indexes_of(path_, "opportunities"), migrated_);
  auto left = restore();
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, 0);
}

// With nothing deferred, migrating an up-to-date database takes no write lock, as before there
// were deferred indexes: a command started while another process writes (an import, a server)
// opens at once instead of waiting for that writer's transaction.
TEST_F(DeferredIndexes, OpeningWithNothingDeferredTakesNoWriteLock) {
  store_.reset();
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite::SqliteOptions opts;
  opts.busy_timeout_ms = 50;
  auto store = sqlite::SqliteStore::open(path_, opts);
  ASSERT_TRUE(store.ok()) << store.error().detail;
  auto migrated = (*store)->migrate();
  EXPECT_TRUE(migrated.ok()) << migrated.error().detail;
  sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
}

}  // namespace
}  // namespace leadproc
