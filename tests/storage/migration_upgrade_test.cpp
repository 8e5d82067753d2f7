// Upgrading a database made by an older binary, on both adapters: the schema is built as it was
// before a migration (the earlier blocks of migrations(), applied by hand), data of that time is
// written, and the Store's migrate() then brings it up to date.
// - Migration 9 scopes idempotency keys to their caller: a record kept from before has no known
//   caller, so it moves to the scope '' that no caller has (it never replays to anyone), and the
//   same key is free for every caller.
// - A migration number left free below the highest applied one (two branches took 8 and 9) is
//   applied when a binary that has it runs.
// - Migrations 15 and 24 fill the columns they add from the documents stored before; 32 and 34
//   fill their columns and the open_counts rollup from the rows stored before; 37 each
//   opportunity's first contact from its follow-ups; 38 the open_counts rollup by stage; 39 each
//   duplicate's original; 41 the PSV/WEST stage, and the rollup by it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../api/pg_database.h"
#include "app/store.h"
#include "backends.h"
#include "contract_fixture.h"
#include "storage/postgres/migrations.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc::storage_test {
namespace {

constexpr int kScopedIdempotency = 9;

// One database of one adapter, reachable both raw (SQL as an older binary would have run it)
// and through a Store.
struct OldDatabase {
  std::function<void(const std::string& sql)> exec;          // fails the test on error
  std::function<std::string(const std::string& sql)> value;  // first column of the first row
  std::function<std::unique_ptr<Store>()> open_store;
  std::vector<std::pair<int, std::string>> migrations;  // this binary's: version, SQL; in order
};

// The adapter's migrations, as OldDatabase::migrations.
template <typename Migrations>
std::vector<std::pair<int, std::string>> listed(const Migrations& all) {
  std::vector<std::pair<int, std::string>> out;
  for (const auto& m : all) out.emplace_back(m.version, std::string(m.sql));
  return out;
}

// The store an adapter's open() gave, or nullptr (and a test failure).
template <typename Opened>
std::unique_ptr<Store> store_or_fail(Opened opened) {
  if (!opened) {
    ADD_FAILURE() << opened.error().detail;
    return nullptr;
  }
  return std::move(*opened);
}

struct UpgradeBackend {
  std::string name;
  std::function<OldDatabase()> make;
};

void PrintTo(const UpgradeBackend& b, std::ostream* os) {
  *os << b.name;
}

OldDatabase sqlite_database() {
  auto dir = std::make_shared<TempDir>("upgrade");
  const std::string path = (dir->path() / "leadproc.db").string();
  auto conn = sqlite::Connection::open(path, sqlite::Connection::Mode::kReadWrite, 5000);
  if (!conn) throw std::runtime_error(conn.error().detail);
  std::shared_ptr<sqlite::Connection> c = std::move(*conn);
  OldDatabase db;
  db.exec = [c, dir](const std::string& sql) {
    auto s = c->exec(sql);
    ASSERT_TRUE(s.ok()) << s.error().detail << "\n" << sql;
  };
  db.value = [c](const std::string& sql) {
    auto q = c->query(sql);
    if (!q) return "<" + q.error().detail + ">";
    auto row = q->step();
    if (!row || !*row) return std::string("<no row>");
    return std::to_string(q->int_at(0));
  };
  db.open_store = [dir, path] {
    return store_or_fail(sqlite::SqliteStore::open(path, sqlite::SqliteOptions{.readers = 1}));
  };
  db.migrations = listed(sqlite::migrations());
  return db;
}

OldDatabase postgres_database() {
  const std::string url = pgtest::fresh_database(std::getenv("LEADPROC_TEST_PG_URL"), "upgrade");
  OldDatabase db;
  db.exec = [url](const std::string& sql) {
    try {
      (void)pgtest::query_value(url, sql);
    } catch (const std::exception& e) {
      FAIL() << e.what() << "\n" << sql;
    }
  };
  db.value = [url](const std::string& sql) {
    try {
      return pgtest::query_value(url, sql);
    } catch (const std::exception& e) {
      return "<" + std::string(e.what()) + ">";
    }
  };
  db.open_store = [url] {
    return store_or_fail(postgres::PgStore::open(url, postgres::PgOptions{.pool_size = 2}));
  };
  db.migrations = listed(postgres::migrations());
  return db;
}

std::vector<UpgradeBackend> upgrade_backends() {
  std::vector<UpgradeBackend> out{{"SQLite", sqlite_database}};
  if (const char* url = std::getenv("LEADPROC_TEST_PG_URL"); url && *url)
    out.push_back({"PostgreSQL", postgres_database});
  return out;
}

class MigrationUpgrade : public ::testing::TestWithParam<UpgradeBackend> {
 protected:
  void SetUp() override {
    db_ = GetParam().make();
    db_.exec(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT "
        "NULL)");
  }
  // Applies this binary's migrations numbered below `version`, as an older binary did.
  void migrate_below(int version) {
    for (const auto& [v, sql] : db_.migrations) {
      if (v >= version) break;
      db_.exec(sql);
      db_.exec("INSERT INTO schema_migrations (version, applied_at) VALUES (" + std::to_string(v) +
               ", 0)");
    }
  }
  // Takes migration `version` back, as if the database were from before it: the opportunities'
  // `columns` it added dropped (the caller drops the indexes that name them first) and the
  // migration unrecorded, so that migrate() applies it again.
  void take_back(int version, std::initializer_list<const char*> columns) {
    for (const char* column : columns)
      ASSERT_NO_FATAL_FAILURE(
          db_.exec(std::string("ALTER TABLE opportunities DROP COLUMN ") + column));
    ASSERT_NO_FATAL_FAILURE(
        db_.exec("DELETE FROM schema_migrations WHERE version = " + std::to_string(version)));
  }
  // How many open opportunities `person` holds under `status` and `stage` in the open_counts
  // rollup, as text.
  std::string held(const std::string& person, const std::string& status, const std::string& stage) {
    return db_.value("SELECT COALESCE(SUM(n), 0) FROM open_counts WHERE person = '" + person +
                     "' AND status = '" + status + "' AND stage = '" + stage + "'");
  }
  // The `n`th opportunity of a rollup case (`tag`: the case's digit, so ids and numbers differ
  // between cases) with `status` and its holders.
  static Opportunity holders_row(char tag, int n, OpportunityStatus status, std::optional<Id> psv,
                                 std::optional<Id> west, std::optional<Id> owner) {
    Opportunity o;
    o.id = std::string("65a1b2c3d4e5f60718293c") + tag + std::to_string(n);
    o.trace_id = std::string("t-held-") + tag + std::to_string(n);
    o.name = "Held Before";
    o.number = "+9198200" + std::string(4, tag) + std::to_string(n);
    o.status = status;
    if (psv) o.assigned_psv = NamedRef{*psv, "Pia"};
    if (west) o.assigned_west = AssignedWest{*west, "Wes", std::nullopt, std::nullopt};
    o.opportunity_owner = owner;
    o.created_at = o.updated_at = at(1'700'000'000'000);
    return o;
  }
  std::unique_ptr<Store> migrated_store() {
    auto store = db_.open_store();
    if (!store) return nullptr;
    auto v = store->migrate();
    EXPECT_TRUE(v.ok()) << v.error().detail;
    if (v) {
      EXPECT_EQ(*v, db_.migrations.back().first);
    }
    return store;
  }
  Result<std::optional<IdempotencyRecord>> find(Store& store, const std::string& scope,
                                                const std::string& key) {
    std::optional<Result<std::optional<IdempotencyRecord>>> out;
    Status s = store.read([&](ReadTx& tx) -> Status {
      out.emplace(tx.find_idempotency(scope, key));
      return ok_status();
    });
    if (!s) return s.error();
    return std::move(*out);
  }

  OldDatabase db_;
};

TEST_P(MigrationUpgrade, UnscopedIdempotencyKeysReplayToNoCaller) {
  ASSERT_NO_FATAL_FAILURE(migrate_below(kScopedIdempotency));
  ASSERT_NO_FATAL_FAILURE(
      db_.exec("INSERT INTO idempotency_keys (key, request_hash, status, response_body, "
               "created_at) VALUES ('trace:t-old', 'h-old', 201, '{\"old\":true}', 1000)"));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);

  auto kept = find(*store, "", "trace:t-old");
  ASSERT_OK(kept);
  ASSERT_TRUE(kept->has_value()) << "the record from before was lost";
  EXPECT_EQ((*kept)->response_body, "{\"old\":true}");
  EXPECT_EQ((*kept)->request_hash, "h-old");
  EXPECT_EQ((*kept)->created_at, at(1000));
  for (const std::string scope : {"api-key:65a1b2c30000000000000001", "user:x"}) {
    auto seen = find(*store, scope, "trace:t-old");
    ASSERT_OK(seen);
    EXPECT_FALSE(seen->has_value()) << scope << " replays an unscoped record";
  }

  // The key is free for a caller now, without touching the record from before.
  const std::string scope = "api-key:65a1b2c30000000000000001";
  ASSERT_OK(store->write([&](WriteTx& tx) {
    return tx.save_idempotency(IdempotencyRecord{scope, "trace:t-old", "h", 201, "{}", at(2000)});
  }));
  auto mine = find(*store, scope, "trace:t-old");
  ASSERT_OK(mine);
  ASSERT_TRUE(mine->has_value());
  EXPECT_EQ((*mine)->response_body, "{}");
  kept = find(*store, "", "trace:t-old");
  ASSERT_OK(kept);
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->response_body, "{\"old\":true}");
}

// A database whose highest migration is newer than a free number below it (e.g. 9 applied by a
// binary without 8) gets the lower one when a binary that has it runs. Simulated with this
// binary's migrations: everything but one in the middle (re-applying migration 7 is harmless:
// it only drops indexes IF EXISTS) is recorded as applied.
TEST_P(MigrationUpgrade, AMigrationNumberLeftFreeIsAppliedLater) {
  ASSERT_NO_FATAL_FAILURE(migrate_below(db_.migrations.back().first + 1));
  ASSERT_NO_FATAL_FAILURE(db_.exec("DELETE FROM schema_migrations WHERE version = 7"));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(db_.value("SELECT count(*) FROM schema_migrations WHERE version = 7"), "1");
  // Migrating again finds nothing to do (7 is recorded once, as the primary key holds).
  auto again = store->migrate();
  ASSERT_OK(again);
  EXPECT_EQ(*again, db_.migrations.back().first);
  EXPECT_EQ(db_.value("SELECT count(*) FROM schema_migrations"),
            std::to_string(db_.migrations.size()));
}

// Migration 15 projects where each opportunity stands in the funnel (docs/reports.md): the
// opportunities stored before it get their columns from their documents. Simulated by taking a
// migrated database back: its columns dropped and the migration unrecorded.
TEST_P(MigrationUpgrade, FunnelColumnsAreFilledForOpportunitiesStoredBefore) {
  constexpr int kFunnel = 15;
  ASSERT_NO_FATAL_FAILURE(migrate_below(db_.migrations.back().first + 1));
  {
    auto store = migrated_store();
    ASSERT_NE(store, nullptr);
    Opportunity won;
    won.id = "65a1b2c3d4e5f60718293a4b";
    won.trace_id = "t-won";
    won.name = "Won Before";
    won.number = "+919820022222";
    won.destination = NamedRef{"65a1b2c3d4e5f60718293a00", "Goa"};
    won.status = OpportunityStatus::kWon;
    won.opportunity_owner = "65a1b2c3d4e5f60718293a01";
    won.attribution["campaignName"] = "winter";
    won.created_at = won.updated_at = at(1'700'000'000'000);
    Opportunity lost = won;
    lost.id = "65a1b2c3d4e5f60718293a4c";
    lost.trace_id = "t-lost";
    lost.status = OpportunityStatus::kLost;
    lost.attribution["utmCampaign"] = "summer";
    ASSERT_OK(store->write([&](WriteTx& tx) -> Status {
      if (auto s = tx.insert_opportunity(won); !s) return s;
      return tx.insert_opportunity(lost);
    }));
  }
  // SQLite's migration 30 and 40 indexes name the columns: a database before migration 15 had
  // neither.
  ASSERT_NO_FATAL_FAILURE(db_.exec("DROP INDEX IF EXISTS opportunities_funnel_cover"));
  ASSERT_NO_FATAL_FAILURE(db_.exec("DROP INDEX IF EXISTS opportunities_deals"));
  ASSERT_NO_FATAL_FAILURE(take_back(kFunnel, {"campaign", "funnel_step", "funnel_outcome"}));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);
  auto value = [&](const std::string& expression, const std::string& id) {
    return db_.value("SELECT " + expression + " FROM opportunities WHERE id = '" + id + "'");
  };
  EXPECT_EQ(value("funnel_step", "65a1b2c3d4e5f60718293a4b"), "4");  // won
  EXPECT_EQ(value("CASE WHEN funnel_outcome IS NULL THEN 1 ELSE 0 END", "65a1b2c3d4e5f60718293a4b"),
            "1");
  EXPECT_EQ(value("CASE WHEN campaign = 'winter' THEN 1 ELSE 0 END", "65a1b2c3d4e5f60718293a4b"),
            "1");
  EXPECT_EQ(value("funnel_step", "65a1b2c3d4e5f60718293a4c"), "3");  // qualified, then lost
  EXPECT_EQ(
      value("CASE WHEN funnel_outcome = 'lost' THEN 1 ELSE 0 END", "65a1b2c3d4e5f60718293a4c"),
      "1");
  EXPECT_EQ(value("CASE WHEN campaign = 'summer' THEN 1 ELSE 0 END", "65a1b2c3d4e5f60718293a4c"),
            "1");
}

// Migration 32 gives the stays stored before it their opportunity's platform, destination and
// campaign, and each opportunity its milestones from its stays: the first entry of a stay at or
// past contacted (step 2), qualified (3) and won (4), kept through a step back. One with no
// stay past capture has none.
TEST_P(MigrationUpgrade, StayFacetsAndMilestonesAreFilledForRowsStoredBefore) {
  constexpr int kStageFacets = 32;
  const std::string qualified = "65a1b2c3d4e5f60718293a5b";
  const std::string fresh = "65a1b2c3d4e5f60718293a5c";
  ASSERT_NO_FATAL_FAILURE(migrate_below(kStageFacets));
  // This binary's insert writes the first contact's columns (migration 37) and the original of a
  // duplicate (39) and the PSV/WEST stage (41), which an older binary's did not: they are there
  // only while it writes.
  const std::vector<std::string> later_columns{"first_contact_at", "first_contact_by",
                                               "duplicate_of", "filtration_stage"};
  for (const auto& column : later_columns)
    ASSERT_NO_FATAL_FAILURE(db_.exec("ALTER TABLE opportunities ADD COLUMN " + column + " TEXT"));
  {
    auto store = db_.open_store();
    ASSERT_NE(store, nullptr);
    Opportunity o;
    o.id = qualified;
    o.trace_id = "t-qualified";
    o.name = "Stayed Before";
    o.number = "+919820033333";
    o.destination = NamedRef{"65a1b2c3d4e5f60718293a00", "Goa"};
    o.lead_source.platform = Platform::kPaidAds;
    o.status = OpportunityStatus::kOpen;
    o.attribution["campaignName"] = "winter";
    o.created_at = o.updated_at = at(1'000);
    Opportunity f = o;
    f.id = fresh;
    f.trace_id = "t-fresh";
    f.number = "+919820044444";
    f.status = OpportunityStatus::kInPsv;
    ASSERT_OK(store->write([&](WriteTx& tx) -> Status {
      if (auto s = tx.insert_opportunity(o); !s) return s;
      return tx.insert_opportunity(f);
    }));
  }
  for (const auto& column : later_columns)
    ASSERT_NO_FATAL_FAILURE(db_.exec("ALTER TABLE opportunities DROP COLUMN " + column));
  // As an older binary wrote them: contacted at 2000, qualified at 3000, a step back to
  // contacted at 4000 and qualified again at 5000 (still there); the other still fresh.
  ASSERT_NO_FATAL_FAILURE(db_.exec(
      "INSERT INTO stage_periods (opp_id, stay_status, stay_stage, stay_person, stay_step, "
      "entered_at, left_at) VALUES ('" +
      qualified +
      "', 'InPsv', 'PSVFreshLead', NULL, 1, 1000, "
      "2000), ('" +
      qualified + "', 'InPsv', 'PSVFollowUp1', NULL, 2, 2000, 3000), ('" + qualified +
      "', 'Open', 'fresh_lead', NULL, 3, 3000, 4000), ('" + qualified +
      "', 'InPsv', 'PSVFollowUp1', NULL, 2, 4000, 5000), ('" + qualified +
      "', 'Open', 'fresh_lead', NULL, 3, 5000, NULL), ('" + fresh +
      "', 'InPsv', 'PSVFreshLead', NULL, 1, 1000, NULL)"));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(db_.value("SELECT COUNT(*) FROM stage_periods WHERE platform = 'paid_ads' AND "
                      "destination_key = '65a1b2c3d4e5f60718293a00' AND campaign = 'winter'"),
            "6");
  auto milestone = [&](const std::string& column, const std::string& id) {
    return db_.value("SELECT COALESCE(" + column + ", -1) FROM opportunities WHERE id = '" + id +
                     "'");
  };
  EXPECT_EQ(milestone("reached_contacted_at", qualified), "2000");
  EXPECT_EQ(milestone("reached_qualified_at", qualified), "3000");
  EXPECT_EQ(milestone("reached_won_at", qualified), "-1");
  for (const char* column : {"reached_contacted_at", "reached_qualified_at", "reached_won_at"})
    EXPECT_EQ(milestone(column, fresh), "-1") << column;
}

// Migration 34 fills the open_counts rollup (storage/sql/open_counts.h) from the opportunities
// stored before it: an open one once for each distinct person among its PSV agent, WEST agent and
// owner, under its status; a closed one not at all. Simulated by taking a migrated database back
// (the table and the migration's new indexes dropped, the migration unrecorded; it drops and
// makes again the indexes it widens).
TEST_P(MigrationUpgrade, OpenCountsAreFilledFromOpportunitiesStoredBefore) {
  constexpr int kOpenCounts = 34;
  const std::string psv = "65a1b2c3d4e5f60718293b01", west = "65a1b2c3d4e5f60718293b02",
                    sales = "65a1b2c3d4e5f60718293b03";
  ASSERT_NO_FATAL_FAILURE(migrate_below(db_.migrations.back().first + 1));
  {
    auto store = migrated_store();
    ASSERT_NE(store, nullptr);
    int n = 0;
    auto opp = [&](OpportunityStatus status, std::optional<Id> p, std::optional<Id> w,
                   std::optional<Id> owner) {
      Opportunity o;
      o.id = "65a1b2c3d4e5f60718293c0" + std::to_string(n);
      o.trace_id = "t-held-" + std::to_string(n);
      o.name = "Held Before";
      o.number = "+91982005555" + std::to_string(n++);
      o.status = status;
      if (p) o.assigned_psv = NamedRef{*p, "Pia"};
      if (w) o.assigned_west = AssignedWest{*w, "Wes", std::nullopt, std::nullopt};
      o.opportunity_owner = owner;
      o.created_at = o.updated_at = at(1'700'000'000'000);
      return o;
    };
    const std::vector<Opportunity> rows{
        opp(OpportunityStatus::kInPsv, psv, std::nullopt, std::nullopt),
        opp(OpportunityStatus::kInPsv, psv, west, std::nullopt),
        opp(OpportunityStatus::kOpen, psv, std::nullopt, sales),
        opp(OpportunityStatus::kOpen, std::nullopt, sales, sales),  // one person twice: once
        opp(OpportunityStatus::kWon, psv, std::nullopt, sales),     // closed: not held
    };
    ASSERT_OK(store->write([&](WriteTx& tx) -> Status {
      for (const auto& o : rows)
        if (auto s = tx.insert_opportunity(o); !s) return s;
      return ok_status();
    }));
  }
  ASSERT_NO_FATAL_FAILURE(db_.exec("DROP TABLE open_counts"));
  ASSERT_NO_FATAL_FAILURE(db_.exec("DROP INDEX followups_first_contact"));
  ASSERT_NO_FATAL_FAILURE(db_.exec("DROP INDEX opportunities_attempts"));
  ASSERT_NO_FATAL_FAILURE(take_back(kOpenCounts, {}));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);
  auto held = [&](const std::string& person, const std::string& status) {
    return db_.value("SELECT COALESCE(SUM(n), 0) FROM open_counts WHERE person = '" + person +
                     "' AND status = '" + status + "'");
  };
  EXPECT_EQ(held(psv, "InPSV"), "2");
  EXPECT_EQ(held(west, "InPSV"), "1");
  EXPECT_EQ(held(psv, "Open"), "1");
  EXPECT_EQ(held(sales, "Open"), "2");
  EXPECT_EQ(db_.value("SELECT COUNT(*) FROM open_counts"), "4");
  EXPECT_EQ(held(psv, "Won"), "0");
  EXPECT_EQ(held(sales, "Won"), "0");
}

// Migration 38 keys the open_counts rollup by stage too, filled from the opportunities stored
// before it: an open one once for each distinct person among its PSV agent, WEST agent and owner,
// under its status and its CRM stage while Open or Dormant (an Open one without one at followup),
// under no stage ("") otherwise; a closed one not at all. What it fills is what this binary's
// writes keep. Simulated by taking a migrated database back (the table as migration 34 made it,
// the migration unrecorded).
TEST_P(MigrationUpgrade, OpenCountsByStageAreFilledFromOpportunitiesStoredBefore) {
  constexpr int kOpenByStage = 38;
  const std::string psv = "65a1b2c3d4e5f60718293b11", west = "65a1b2c3d4e5f60718293b12",
                    sales = "65a1b2c3d4e5f60718293b13";
  ASSERT_NO_FATAL_FAILURE(migrate_below(db_.migrations.back().first + 1));
  // Each expectation, as kept by this binary's writes and as filled by the migration.
  auto expect_held = [&](const std::string& when) {
    SCOPED_TRACE(when);
    EXPECT_EQ(held(psv, "InPSV", ""), "2");
    EXPECT_EQ(held(west, "InPSV", ""), "1");
    EXPECT_EQ(held(psv, "Open", "fresh_lead"), "1");
    EXPECT_EQ(held(sales, "Open", "fresh_lead"), "1");
    EXPECT_EQ(held(sales, "Open", "followup"), "2");  // one at followup, one without a stage
    EXPECT_EQ(held(sales, "Open", "closed_for_future_followup"), "1");
    EXPECT_EQ(held(sales, "Dormant", "followup"), "1");
    EXPECT_EQ(held(psv, "Dormant", ""), "1");  // a duplicate that never entered the CRM
    EXPECT_EQ(db_.value("SELECT COUNT(*) FROM open_counts WHERE n <> 0"), "8");
    EXPECT_EQ(db_.value("SELECT COALESCE(SUM(n), 0) FROM open_counts"), "10");
  };
  {
    auto store = migrated_store();
    ASSERT_NE(store, nullptr);
    int n = 0;
    auto opp = [&](OpportunityStatus status, std::optional<CrmStage> stage, std::optional<Id> p,
                   std::optional<Id> w, std::optional<Id> owner) {
      Opportunity o = holders_row('1', n++, status, p, w, owner);
      if (stage) {
        o.crm_stage_meta.emplace();
        o.crm_stage_meta->stage = *stage;
      }
      return o;
    };
    using S = OpportunityStatus;
    using C = CrmStage;
    const std::vector<Opportunity> rows{
        opp(S::kInPsv, std::nullopt, psv, std::nullopt, std::nullopt),
        opp(S::kInPsv, std::nullopt, psv, west, std::nullopt),
        opp(S::kOpen, C::kFreshLead, psv, std::nullopt, sales),
        opp(S::kOpen, C::kFollowup, std::nullopt, sales, sales),  // one person twice: once
        opp(S::kOpen, std::nullopt, std::nullopt, std::nullopt, sales),
        opp(S::kOpen, C::kClosedForFutureFollowup, std::nullopt, std::nullopt, sales),
        opp(S::kDormant, C::kFollowup, std::nullopt, std::nullopt, sales),
        opp(S::kDormant, std::nullopt, psv, std::nullopt, std::nullopt),
        opp(S::kWon, C::kWon, psv, std::nullopt, sales),  // closed: not held
    };
    ASSERT_OK(store->write([&](WriteTx& tx) -> Status {
      for (const auto& o : rows)
        if (auto s = tx.insert_opportunity(o); !s) return s;
      return ok_status();
    }));
  }
  ASSERT_NO_FATAL_FAILURE(expect_held("kept by the writes"));
  ASSERT_NO_FATAL_FAILURE(db_.exec("DROP TABLE open_counts"));
  ASSERT_NO_FATAL_FAILURE(
      db_.exec("CREATE TABLE open_counts (person TEXT NOT NULL, status TEXT NOT NULL, "
               "n BIGINT NOT NULL, PRIMARY KEY (person, status))"));
  ASSERT_NO_FATAL_FAILURE(
      db_.exec("DELETE FROM schema_migrations WHERE version = " + std::to_string(kOpenByStage)));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);
  expect_held("filled by the migration");
}

// Migration 41 gives each InPSV or InWEST opportunity stored before it its PSV/WEST stage (from
// the document's filtrationStatus.stage) and fills the open_counts rollup again with it: an agent's
// open leads by their stage (none without one), CRM statuses by their CRM stage as before; a
// closed one not at all, nor the stage a qualified lead had in PSV. What it fills is what this
// binary's writes keep. Simulated by taking a migrated database back (the column dropped, the
// rollup emptied, the migration unrecorded).
TEST_P(MigrationUpgrade, OpenCountsByPsvWestStageAreFilledFromOpportunitiesStoredBefore) {
  constexpr int kFiltrationStage = 41;
  const std::string psv = "65a1b2c3d4e5f60718293b31", west = "65a1b2c3d4e5f60718293b32",
                    sales = "65a1b2c3d4e5f60718293b33";
  ASSERT_NO_FATAL_FAILURE(migrate_below(db_.migrations.back().first + 1));
  auto expect_held = [&](const std::string& when) {
    SCOPED_TRACE(when);
    EXPECT_EQ(held(psv, "InPSV", "PSVFollowUp1"), "2");
    EXPECT_EQ(held(psv, "InPSV", "PSVFreshLead"), "1");
    EXPECT_EQ(held(psv, "InPSV", ""), "1");  // no filtration status
    EXPECT_EQ(held(west, "InWEST", "WestFollowUp2"), "1");
    EXPECT_EQ(held(sales, "Open", "fresh_lead"), "1");
    EXPECT_EQ(held(psv, "Open", "fresh_lead"), "1");  // its PSV stage is past
    EXPECT_EQ(db_.value("SELECT COUNT(*) FROM open_counts WHERE n <> 0"), "6");
    EXPECT_EQ(db_.value("SELECT COALESCE(SUM(n), 0) FROM open_counts"), "7");
  };
  {
    auto store = migrated_store();
    ASSERT_NE(store, nullptr);
    int n = 0;
    auto opp = [&](OpportunityStatus status, std::optional<std::string> stage, std::optional<Id> p,
                   std::optional<Id> w, std::optional<Id> owner) {
      Opportunity o = holders_row('3', n++, status, p, w, owner);
      if (stage)
        o.filtration_status =
            FiltrationStatus{*stage, w ? FiltrationProcess::kWest : FiltrationProcess::kPsv, {}};
      if (status == OpportunityStatus::kOpen) {
        o.crm_stage_meta.emplace();
        o.crm_stage_meta->stage = CrmStage::kFreshLead;
      }
      return o;
    };
    using S = OpportunityStatus;
    const std::vector<Opportunity> rows{
        opp(S::kInPsv, "PSVFollowUp1", psv, std::nullopt, std::nullopt),
        opp(S::kInPsv, "PSVFollowUp1", psv, std::nullopt, std::nullopt),
        opp(S::kInPsv, "PSVFreshLead", psv, std::nullopt, std::nullopt),
        opp(S::kInPsv, std::nullopt, psv, std::nullopt, std::nullopt),
        opp(S::kInWest, "WestFollowUp2", std::nullopt, west, std::nullopt),
        opp(S::kOpen, "PSVQualified", psv, std::nullopt, sales),
        opp(S::kDisqualified, "PSVDisqualified", psv, std::nullopt, std::nullopt),  // closed
    };
    ASSERT_OK(store->write([&](WriteTx& tx) -> Status {
      for (const auto& o : rows)
        if (auto s = tx.insert_opportunity(o); !s) return s;
      return ok_status();
    }));
  }
  ASSERT_NO_FATAL_FAILURE(expect_held("kept by the writes"));
  ASSERT_NO_FATAL_FAILURE(db_.exec("DELETE FROM open_counts"));
  ASSERT_NO_FATAL_FAILURE(take_back(kFiltrationStage, {"filtration_stage"}));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);
  expect_held("filled by the migration");
}

// Migration 39 gives each duplicate stored before it its original (duplicate_of, from the
// document's duplicateOf), so that the people report counts the re-inquiries of a period for the
// people who hold their originals; every other row has none. Simulated by taking a migrated
// database back (the column dropped, with its index, and the migration unrecorded).
TEST_P(MigrationUpgrade, DuplicatesGetTheirOriginalsFromTheDocuments) {
  constexpr int kDuplicateOf = 39;
  const std::string psv = "65a1b2c3d4e5f60718293b21", original = "65a1b2c3d4e5f60718293c20",
                    duplicate = "65a1b2c3d4e5f60718293c21", other = "65a1b2c3d4e5f60718293c22";
  ASSERT_NO_FATAL_FAILURE(migrate_below(db_.migrations.back().first + 1));
  {
    auto store = migrated_store();
    ASSERT_NE(store, nullptr);
    auto opp = [&](const std::string& id, OpportunityStatus status) {
      Opportunity o;
      o.id = id;
      o.trace_id = "t-" + id;
      o.name = "Asked Again";
      o.number = "+919820077777";
      o.status = status;
      o.created_at = o.updated_at = at(1'700'000'000'000);
      return o;
    };
    Opportunity first = opp(original, OpportunityStatus::kInPsv);
    first.assigned_psv = NamedRef{psv, "Pia"};
    Opportunity again = opp(duplicate, OpportunityStatus::kDormant);
    again.is_duplicate = true;
    again.duplicate_of = original;
    again.created_at = again.updated_at = at(1'700'000'100'000);
    Opportunity unrelated = opp(other, OpportunityStatus::kInPsv);
    unrelated.number = "+919820077778";
    ASSERT_OK(store->write([&](WriteTx& tx) -> Status {
      for (const auto& o : {first, again, unrelated})
        if (auto s = tx.insert_opportunity(o); !s) return s;
      return ok_status();
    }));
  }
  ASSERT_NO_FATAL_FAILURE(db_.exec("DROP INDEX opportunities_duplicates"));
  ASSERT_NO_FATAL_FAILURE(take_back(kDuplicateOf, {"duplicate_of"}));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);
  // 1: the original's id, 0: none, 2: another (value() reads an integer).
  auto original_of = [&](const std::string& id) {
    return db_.value("SELECT CASE WHEN duplicate_of = '" + original +
                     "' THEN 1 WHEN duplicate_of IS NULL THEN 0 ELSE 2 END FROM opportunities "
                     "WHERE id = '" +
                     id + "'");
  };
  EXPECT_EQ(original_of(duplicate), "1");
  EXPECT_EQ(original_of(original), "0");
  EXPECT_EQ(original_of(other), "0");
  // The re-inquiry counts for the person who holds its original, within its creation time only.
  ASSERT_OK(store->read([&](ReadTx& tx) -> Status {
    auto counted = tx.count_reinquiries(at(1'700'000'100'000), at(1'700'000'100'001));
    EXPECT_TRUE(counted.ok());
    if (!counted) return counted.error();
    EXPECT_EQ(counted->size(), 1u);
    if (!counted->empty()) {
      EXPECT_EQ(counted->front().person, psv);
      EXPECT_EQ(counted->front().count, 1);
    }
    auto before = tx.count_reinquiries(at(1'700'000'000'000), at(1'700'000'100'000));
    if (!before) return before.error();
    EXPECT_TRUE(before->empty());
    return ok_status();
  }));
}

// Migration 37 keeps each opportunity's first contact on its row (the CRM entries' first-contact
// figures): those stored before it get the time and owner of their earliest completed
// first-contact follow-up; one with none completed (active, canceled, or another sub-stage) has
// none. Simulated by taking a migrated database back (the columns dropped, with the index that
// holds them, and the migration unrecorded).
TEST_P(MigrationUpgrade, FirstContactsAreFilledFromFollowUpsStoredBefore) {
  constexpr int kFirstContact = 37;
  ASSERT_NO_FATAL_FAILURE(migrate_below(db_.migrations.back().first + 1));
  const Id contacted = "65a1b2c3d4e5f60718293d01", waiting = "65a1b2c3d4e5f60718293d02";
  const Id alice = "65a1b2c3d4e5f60718293e01", bob = "65a1b2c3d4e5f60718293e02";
  const std::int64_t t0 = 1'700'000'000'000;
  {
    auto store = migrated_store();
    ASSERT_NE(store, nullptr);
    auto opp = [&](const Id& id, const std::string& number) {
      Opportunity o;
      o.id = id;
      o.trace_id = "t-" + id;
      o.name = "Entered Before";
      o.number = number;
      o.status = OpportunityStatus::kOpen;
      o.opportunity_owner = alice;
      o.crm_stage_meta.emplace();
      o.crm_stage_meta->crm_entry_at = at(t0);
      o.created_at = o.updated_at = at(t0);
      return o;
    };
    int n = 0;
    auto followup = [&](const Id& opp_id, const Id& owner, FollowUpStatus status,
                        FollowUpSubStage sub_stage, std::int64_t completed) {
      FollowUp f;
      f.id = "65a1b2c3d4e5f60718293f0" + std::to_string(n++);
      f.opp_id = opp_id;
      f.sub_stage = sub_stage;
      f.status = status;
      f.owner = owner;
      f.reminder_date = f.created_at = f.updated_at = at(t0);
      if (status == FollowUpStatus::kCompleted) f.completed_at = at(completed);
      return f;
    };
    ASSERT_OK(store->write([&](WriteTx& tx) -> Status {
      if (auto s = tx.insert_opportunity(opp(contacted, "+919820044441")); !s) return s;
      if (auto s = tx.insert_opportunity(opp(waiting, "+919820044442")); !s) return s;
      for (const auto& f :
           {followup(contacted, alice, FollowUpStatus::kCompleted, FollowUpSubStage::kFirstContact,
                     t0 + 9000),
            followup(contacted, bob, FollowUpStatus::kCompleted, FollowUpSubStage::kFirstContact,
                     t0 + 5000),  // the earliest: bob's
            followup(contacted, alice, FollowUpStatus::kCompleted,
                     FollowUpSubStage::kSecondFollowup, t0 + 1000),
            followup(waiting, alice, FollowUpStatus::kActive, FollowUpSubStage::kFirstContact, 0),
            followup(waiting, bob, FollowUpStatus::kCanceled, FollowUpSubStage::kFirstContact, 0)})
        if (auto s = tx.insert_followup(f); !s) return s;
      return ok_status();
    }));
  }
  ASSERT_NO_FATAL_FAILURE(db_.exec("DROP INDEX opportunities_crm_entry"));
  ASSERT_NO_FATAL_FAILURE(take_back(kFirstContact, {"first_contact_at", "first_contact_by"}));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);
  std::vector<CrmEntry> entries;
  ASSERT_OK(store->read([&](ReadTx& tx) -> Status {
    auto r = tx.list_crm_entries(at(t0), at(t0 + 1));
    if (!r) return r.error();
    entries = std::move(*r);
    return ok_status();
  }));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].opp_id, contacted);
  EXPECT_EQ(entries[0].first_contact_completed_at, at(t0 + 5000));
  EXPECT_EQ(entries[0].first_contact_owner, bob);
  EXPECT_EQ(entries[1].opp_id, waiting);
  EXPECT_FALSE(entries[1].first_contact_completed_at.has_value());
  EXPECT_FALSE(entries[1].first_contact_owner.has_value());
}

// Migration 24 keeps each opportunity's CRM stage and sub-stage in columns (the board's
// totals): those stored before it get them from their documents; one before the CRM phase has
// none. Simulated as above.
TEST_P(MigrationUpgrade, CrmStageColumnsAreFilledForOpportunitiesStoredBefore) {
  constexpr int kCrmStage = 24;
  ASSERT_NO_FATAL_FAILURE(migrate_below(db_.migrations.back().first + 1));
  const Id hot = "65a1b2c3d4e5f60718293a5b", fresh = "65a1b2c3d4e5f60718293a5c";
  {
    auto store = migrated_store();
    ASSERT_NE(store, nullptr);
    Opportunity crm;
    crm.id = hot;
    crm.trace_id = "t-hot";
    crm.name = "Hot Before";
    crm.number = "+919820033333";
    crm.status = OpportunityStatus::kOpen;
    crm.crm_stage_meta = CrmStageMeta{};
    crm.crm_stage_meta->stage = CrmStage::kFollowup;
    crm.crm_stage_meta->sub_stage = "HOT_LEAD";
    crm.created_at = crm.updated_at = at(1'700'000'000'000);
    Opportunity psv = crm;
    psv.id = fresh;
    psv.trace_id = "t-psv";
    psv.number = "+919820033334";
    psv.status = OpportunityStatus::kInPsv;
    psv.crm_stage_meta.reset();
    ASSERT_OK(store->write([&](WriteTx& tx) -> Status {
      if (auto s = tx.insert_opportunity(crm); !s) return s;
      return tx.insert_opportunity(psv);
    }));
  }
  ASSERT_NO_FATAL_FAILURE(take_back(kCrmStage, {"crm_stage", "crm_sub_stage"}));
  auto store = migrated_store();
  ASSERT_NE(store, nullptr);
  auto value = [&](const std::string& expression, const std::string& id) {
    return db_.value("SELECT " + expression + " FROM opportunities WHERE id = '" + id + "'");
  };
  // (value() reads an integer)
  EXPECT_EQ(
      value("CASE WHEN crm_stage = 'followup' AND crm_sub_stage = 'HOT_LEAD' THEN 1 ELSE 0 END",
            hot),
      "1");
  EXPECT_EQ(value("CASE WHEN crm_stage IS NULL AND crm_sub_stage IS NULL THEN 1 ELSE 0 END", fresh),
            "1");
  // And the board's count reads them.
  OpportunityFilter open;
  open.status = OpportunityStatus::kOpen;
  std::vector<StageCount> counted;
  ASSERT_OK(store->read([&](ReadTx& tx) -> Status {
    auto r = tx.count_opportunities_by_stage(open);
    if (!r) return r.error();
    counted = std::move(*r);
    return ok_status();
  }));
  ASSERT_EQ(counted.size(), 1u);
  EXPECT_EQ(counted[0].stage, CrmStage::kFollowup);
  EXPECT_EQ(counted[0].sub_stage, "HOT_LEAD");
  EXPECT_EQ(counted[0].count, 1);
}

INSTANTIATE_TEST_SUITE_P(Adapters, MigrationUpgrade, ::testing::ValuesIn(upgrade_backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc::storage_test
