// Migration 10 indexes the opportunities stored before it (docs/api-search.md "How it is
// indexed"): a SQLite database taken back to migration 7 with opportunities in it, migrated
// again, finds them by name, email and number.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "backends.h"
#include "domain/search_text.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc {
namespace {

// Runs `sql` on the SQLite file at `path` outside the store (to take its schema back).
void run_raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// The ids search_opportunities(f) answers from `store`.
std::vector<Id> found_in(Store& store, const SearchFilter& f) {
  std::vector<Id> ids;
  EXPECT_TRUE(store
                  .read([&](ReadTx& tx) -> Status {
                    auto r = tx.search_opportunities(f, Page{});
                    if (!r) return r.error();
                    for (const auto& o : *r) ids.push_back(o.id);
                    return ok_status();
                  })
                  .ok());
  return ids;
}

TEST(SearchBackfill, MigrationTenIndexesTheOpportunitiesStoredBeforeIt) {
  storage_test::TempDir dir("backfill");
  const std::string path = (dir.path() / "old.db").string();
  auto insert = [](const Id& id, std::string name, std::string number, std::string email) {
    Opportunity o;
    o.id = id;
    o.trace_id = "t-" + id;
    o.name = std::move(name);
    o.number = std::move(number);
    o.email = std::move(email);
    o.created_at = o.updated_at = Timestamp{std::chrono::milliseconds{1'700'000'000'000}};
    return o;
  };
  const Id first = "65a1b2c3d4e5f60718293a4b", second = "65a1b2c3d4e5f60718293a4c";
  {
    auto store = sqlite::SqliteStore::open(path);
    ASSERT_TRUE(store.ok()) << store.error().detail;
    ASSERT_TRUE((*store)->migrate().ok());
    ASSERT_TRUE((*store)
                    ->write([&](WriteTx& tx) -> Status {
                      if (auto s = tx.insert_opportunity(
                              insert(first, "Zoë Ångström", "+919820022222", "zoe@example.com"));
                          !s)
                        return s;
                      return tx.insert_opportunity(
                          insert(second, "आशा राव", "+919820033333", "asha@example.com"));
                    })
                    .ok());
  }
  // Back to the schema before migration 10, the rows kept.
  run_raw(path,
          "DROP TABLE opportunity_terms;"
          "ALTER TABLE opportunities DROP COLUMN search_terms;"
          "DELETE FROM schema_migrations WHERE version = 10;");
  auto store = sqlite::SqliteStore::open(path);
  ASSERT_TRUE(store.ok()) << store.error().detail;
  auto version = (*store)->migrate();
  ASSERT_TRUE(version.ok()) << version.error().detail;
  EXPECT_EQ(*version, sqlite::migrations().back().version);  // every later one applied too
  auto found = [&](const SearchFilter& f) { return found_in(**store, f); };
  SearchFilter by_name;
  by_name.terms = {"w:angstrom", "w:zoe"};
  EXPECT_EQ(found(by_name), std::vector<Id>{first});
  SearchFilter by_script;
  by_script.terms = {"w:राव"};
  EXPECT_EQ(found(by_script), std::vector<Id>{second});
  SearchFilter by_ending;
  by_ending.prefix = number_term("9820033333");
  EXPECT_EQ(found(by_ending), std::vector<Id>{second});
  SearchFilter by_email;
  by_email.terms = {"e:zoe@example.com"};
  EXPECT_EQ(found(by_email), std::vector<Id>{first});
}

// Migration 11 indexes the name words of each opportunity once more per person who has it
// (search_text.h person_term): an agent's own name search then finds the opportunities stored
// before it.
TEST(SearchBackfill, MigrationElevenIndexesTheWordsOfEachPersonsOwnOpportunities) {
  storage_test::TempDir dir("backfill11");
  const std::string path = (dir.path() / "old.db").string();
  const Id opp_id = "65a1b2c3d4e5f60718293a4d", agent = "65a1b2c3d4e5f60718293a4e";
  {
    auto store = sqlite::SqliteStore::open(path);
    ASSERT_TRUE(store.ok()) << store.error().detail;
    ASSERT_TRUE((*store)->migrate().ok());
    Opportunity o;
    o.id = opp_id;
    o.trace_id = "t-" + opp_id;
    o.name = "Asha Rao";
    o.number = "+919820044444";
    o.assigned_psv = NamedRef{agent, "Priya Shah"};
    o.created_at = o.updated_at = Timestamp{std::chrono::milliseconds{1'700'000'000'000}};
    ASSERT_TRUE((*store)->write([&](WriteTx& tx) { return tx.insert_opportunity(o); }).ok());
  }
  // Back to the index before migration 11: no person terms, the set without them.
  run_raw(path,
          "DELETE FROM opportunity_terms WHERE term LIKE 'p:%';"
          "UPDATE opportunities SET search_terms = '" +
              join_terms(search_terms("Asha Rao", "", "+919820044444")) +
              "';"
              "DELETE FROM schema_migrations WHERE version = 11;");
  auto store = sqlite::SqliteStore::open(path);
  ASSERT_TRUE(store.ok()) << store.error().detail;
  auto version = (*store)->migrate();
  ASSERT_TRUE(version.ok()) << version.error().detail;
  EXPECT_EQ(*version, sqlite::migrations().back().version);  // every later one applied too
  SearchFilter own;
  own.terms = {*person_term(agent, "w:asha")};
  own.visible_to = agent;
  const std::vector<Id> ids = found_in(**store, own);
  EXPECT_EQ(ids, std::vector<Id>{opp_id});
}

}  // namespace
}  // namespace leadproc
