// The spec's Critical Query Patterns (and the opportunity list filters, and the whole ingestion
// transaction) must be served by indexes: a schema or adapter change must not silently turn one
// into a full table scan. Each case runs the real operation through the Store port of a fresh,
// migrated SQLite database while a trace hook records every statement the adapter runs (its
// exact SQL text, whatever file builds it); then EXPLAIN QUERY PLAN of each recorded statement
// must show no bare `SCAN <table>` (SEARCH, and SCAN ... USING [COVERING] INDEX, are fine) and,
// for the newest-first lists, no temporary B-tree for ORDER BY (which would read every match).
//
// The plans are those of the statements as prepared (unbound parameters), which is what the
// adapter's cached statements execute. docs/benchmarks.md has the timings at 1M rows.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json/parse.hpp>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "app/availabilities.h"
#include "app/destinations.h"
#include "app/ingest_lead.h"
#include "app/process_maps.h"
#include "app/users.h"
#include "backends.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc {
namespace {

// ---- recording every statement the adapter runs ----

std::mutex g_mu;
std::vector<std::string> g_statements;

int on_trace(unsigned type, void*, void* p, void*) {
  if (type != SQLITE_TRACE_STMT) return 0;
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(p));
  if (!sql) return 0;
  std::lock_guard lock(g_mu);
  g_statements.emplace_back(sql);
  return 0;
}

int install_trace(sqlite3* db, const char**, const void*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, &on_trace, nullptr);
  return SQLITE_OK;
}

// While alive, every connection this process opens records its statements in g_statements.
class StatementRecorder {
 public:
  StatementRecorder() { sqlite3_auto_extension(reinterpret_cast<void (*)()>(&install_trace)); }
  ~StatementRecorder() {
    sqlite3_cancel_auto_extension(reinterpret_cast<void (*)()>(&install_trace));
  }
  StatementRecorder(const StatementRecorder&) = delete;
  StatementRecorder& operator=(const StatementRecorder&) = delete;

  void clear() {
    std::lock_guard lock(g_mu);
    g_statements.clear();
  }
  // The recorded queries and updates (not BEGIN/COMMIT/ROLLBACK/PRAGMA), each once.
  std::vector<std::string> queries() {
    std::lock_guard lock(g_mu);
    std::vector<std::string> out;
    for (const auto& s : g_statements) {
      if (!(s.starts_with("SELECT") || s.starts_with("UPDATE") || s.starts_with("DELETE") ||
            s.starts_with("WITH")))
        continue;
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    return out;
  }
};

// ---- the database ----

class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (dir_.path() / "plan.db").string();
    auto store = sqlite::SqliteStore::open(path_);
    ASSERT_TRUE(store.ok()) << store.error().detail;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->migrate().ok());
    ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &explain_db_, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
  }
  void TearDown() override {
    sqlite3_close(explain_db_);
    store_.reset();
  }

  // EXPLAIN QUERY PLAN rows (the `detail` column) of `sql`.
  std::vector<std::string> plan(const std::string& sql) {
    std::vector<std::string> rows;
    sqlite3_stmt* st = nullptr;
    const std::string explain = "EXPLAIN QUERY PLAN " + sql;
    if (sqlite3_prepare_v2(explain_db_, explain.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot explain: " << sqlite3_errmsg(explain_db_) << "\n  " << sql;
      return rows;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
      rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)));
    sqlite3_finalize(st);
    return rows;
  }

  // A person's opportunities of any status: no index holds them in id order, so each assignee
  // column's ids are sorted, read from the index alone. The sort holds one person's ids (about
  // 2,000 at 1M rows, docs/benchmarks.md section 3), never rows, and no other filter's matches.
  static bool sorts_one_persons_ids(const std::string& previous_row) {
    for (const char* index :
         {"opportunities_assigned_psv", "opportunities_assigned_west", "opportunities_owner"})
      if (previous_row.starts_with(std::string("SEARCH opportunities USING COVERING INDEX ") +
                                   index + " "))
        return true;
    return false;
  }

  // Runs `operation`, then checks the plan of every statement it ran.
  void expect_indexed(const std::string& name, const std::function<void()>& operation,
                      bool newest_first_list = false) {
    recorder_.clear();
    operation();
    const auto queries = recorder_.queries();
    EXPECT_FALSE(queries.empty()) << name << ": ran no query";
    for (const auto& sql : queries) {
      const auto rows = plan(sql);
      std::string all;
      for (const auto& r : rows) all += "\n    " + r;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string& r = rows[i];
        // `SCAN (subquery-N)` reads a sub-select's own (bounded) result, not a table; `SCAN d
        // VIRTUAL TABLE` is json_each() walking one row's JSON value.
        const bool scan = r.starts_with("SCAN ") && r.find(" USING ") == std::string::npos &&
                          r != "SCAN CONSTANT ROW" && !r.starts_with("SCAN (") &&
                          r.find(" VIRTUAL TABLE") == std::string::npos;
        EXPECT_FALSE(scan) << name << ": a full table scan\n  " << sql << "\n  plan:" << all;
        if (newest_first_list && sql.find("ORDER BY id DESC") != std::string::npos &&
            !(i > 0 && sorts_one_persons_ids(rows[i - 1]))) {
          EXPECT_EQ(r.find("USE TEMP B-TREE FOR ORDER BY"), std::string::npos)
              << name << ": sorts every match instead of reading an index in order\n  " << sql
              << "\n  plan:" << all;
        }
      }
    }
  }

  template <typename F>
  void read(F&& body) {
    auto s = store_->read([&](ReadTx& tx) -> Status { return body(tx); });
    ASSERT_TRUE(s.ok()) << s.error().detail;
  }

  StatementRecorder recorder_;  // before the store: its connections must be traced
  storage_test::TempDir dir_{"plan"};
  std::string path_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  sqlite3* explain_db_ = nullptr;
};

const Id kSomeId = "65a1b2c3d4e5f60718293a4b";
const Id kOtherId = "65a1b2c3d4e5f60718293a4c";

template <typename T>
Status status_of(const Result<T>& r) {
  return r ? ok_status() : Status(r.error());
}

OpportunityFilter filter(std::function<void(OpportunityFilter&)> set) {
  OpportunityFilter f;
  set(f);
  return f;
}

// ---- the critical queries (spec "Critical Query Patterns") ----

TEST_F(QueryPlanTest, RoundRobinPickUsesIndexes) {
  expect_indexed("1. round-robin pick", [&] {
    (void)store_->write([&](WriteTx& tx) -> Status {
      (void)tx.pool_for_update(AvailabilityProcess::kPsv);
      (void)tx.streak_for_update(AvailabilityProcess::kPsv, kSomeId);
      (void)tx.count_assignment(kSomeId);
      (void)tx.save_streak(AvailabilityProcess::kPsv, kSomeId, Streak{kSomeId, 1});
      return Error::unavailable("roll back");
    });
  });
}

TEST_F(QueryPlanTest, SalesPersonsOpenOpportunitiesUseIndexes) {
  expect_indexed(
      "2. a sales person's open opportunities",
      [&] {
        read([&](ReadTx& tx) {
          return status_of(tx.list_opportunities(filter([](auto& f) {
                                                   f.status = OpportunityStatus::kOpen;
                                                   f.assignee = kSomeId;
                                                 }),
                                                 Page{std::nullopt, 20}));
        });
      },
      true);
}

TEST_F(QueryPlanTest, FollowUpsDueTodayUseIndexes) {
  const Timestamp day{std::chrono::milliseconds{1'790'000'000'000}};
  expect_indexed("3. follow-ups due today", [&] {
    read([&](ReadTx& tx) {
      return status_of(
          tx.list_due_followups(DueWindow{day, day + std::chrono::hours(24), std::nullopt, 200}));
    });
    read([&](ReadTx& tx) {
      return status_of(
          tx.list_due_followups(DueWindow{day, day + std::chrono::hours(24), kSomeId, 200}));
    });
  });
}

TEST_F(QueryPlanTest, PsvQueueUsesIndexes) {
  expect_indexed(
      "4. PSV queue",
      [&] {
        read([&](ReadTx& tx) {
          return status_of(tx.list_opportunities(filter([](auto& f) {
                                                   f.status = OpportunityStatus::kInPsv;
                                                   f.assignee = kSomeId;
                                                 }),
                                                 Page{kOtherId, 50}));
        });
      },
      true);
}

TEST_F(QueryPlanTest, UrlResolutionUsesIndexes) {
  expect_indexed("5. URL resolution", [&] {
    read([&](ReadTx& tx) {
      return status_of(tx.find_weburl("https://blog.example.com/goa-travel-guide"));
    });
  });
}

TEST_F(QueryPlanTest, ActivityTimelineUsesIndexes) {
  expect_indexed(
      "6. activity timeline",
      [&] {
        read([&](ReadTx& tx) {
          return status_of(tx.list_activities(kSomeId, Page{std::nullopt, 50}));
        });
        read([&](ReadTx& tx) {
          return status_of(tx.list_activities(kSomeId, Page{kOtherId, 50}));
        });
      },
      true);
}

// ---- the list endpoints' filters (GET /api/v1/opportunities) ----

// Each filter alone, and the pairs docs/benchmarks.md measures, newest first (with and without a
// cursor): each is read in id order from an index. By score, none may scan the table.
TEST_F(QueryPlanTest, OpportunityListFiltersUseIndexes) {
  auto week = [](OpportunityFilter& f) {
    f.created_from = Timestamp{std::chrono::milliseconds{1'700'000'000'000}};
    f.created_to = Timestamp{std::chrono::milliseconds{1'700'604'800'000}};
  };
  const std::vector<std::pair<std::string, std::function<void(OpportunityFilter&)>>> cases = {
      {"no filter", [](auto&) {}},
      {"status", [](auto& f) { f.status = OpportunityStatus::kOpen; }},
      {"filterationProcess", [](auto& f) { f.filteration_process = FiltrationProcess::kPsv; }},
      {"destination", [](auto& f) { f.destination_id = kSomeId; }},
      {"assignee", [](auto& f) { f.assignee = kSomeId; }},
      {"platform", [](auto& f) { f.platform = Platform::kInstagram; }},
      {"unassigned", [](auto& f) { f.unassigned = true; }},
      {"createdFrom/createdTo", week},
      {"createdFrom", [](auto& f) { f.created_from = Timestamp{std::chrono::hours(470'000)}; }},
      {"createdTo", [](auto& f) { f.created_to = Timestamp{std::chrono::hours(470'000)}; }},
      {"filterationProcess & status",
       [](auto& f) {
         f.filteration_process = FiltrationProcess::kPsv;
         f.status = OpportunityStatus::kInPsv;
       }},
      {"status & destination",
       [](auto& f) {
         f.status = OpportunityStatus::kWon;
         f.destination_id = kSomeId;
       }},
      {"status & platform",
       [](auto& f) {
         f.status = OpportunityStatus::kInPsv;
         f.platform = Platform::kDc;
       }},
      {"status & assignee & platform",
       [](auto& f) {
         f.status = OpportunityStatus::kOpen;
         f.assignee = kSomeId;
         f.platform = Platform::kInstagram;
       }},
      {"status & created",
       [&](auto& f) {
         f.status = OpportunityStatus::kOpen;
         week(f);
       }},
  };
  for (bool by_score : {false, true}) {
    for (const auto& [name, set] : cases) {
      for (const std::optional<Id>& cursor : {std::optional<Id>(), std::optional<Id>(kOtherId)}) {
        expect_indexed(
            "list " + name + (by_score ? " by score" : "") + (cursor ? " (next page)" : ""),
            [&] {
              read([&](ReadTx& tx) {
                auto f = filter(set);
                f.by_score = by_score;
                return status_of(tx.list_opportunities(f, Page{cursor, 50}));
              });
            },
            true);
      }
    }
  }
}

// ---- the ingestion transaction: every statement POST /api/v1/leads runs ----

TEST_F(QueryPlanTest, IngestionTransactionUsesIndexes) {
  PhoneNormalizer phones("IN");
  ObjectIdGenerator ids(0x1234567890, 1);
  AppContext ctx{*store_, phones, ids,
                 [] { return Timestamp{std::chrono::milliseconds{1'790'000'000'000}}; },
                 AppConfig{}};
  auto obj = [](std::string_view text) { return boost::json::parse(text).as_object(); };
  ASSERT_TRUE(create_destination(ctx, obj(R"({"name":"Goa","slugs":["goa"]})")).ok());
  ASSERT_TRUE(create_process_map(ctx, obj(R"({"process":"PSV","destinations":[
      {"name":"Goa","isActive":true,"loadShare":100}]})"))
                  .ok());
  auto user = create_user(
      ctx, obj(R"({"email":"p@example.com","firstName":"P","department":"PSV"})"), std::nullopt);
  ASSERT_TRUE(user.ok()) << user.error().detail;
  ASSERT_TRUE(
      create_availability(
          ctx,
          boost::json::object{{"personId", user->id}, {"process", "PSV"}, {"isAvailable", true}},
          std::nullopt)
          .ok());
  auto render = [](const Lead&, const Opportunity&, bool) { return std::string("{}"); };
  int n = 0;
  auto ingest = [&](std::optional<std::string> destination, std::optional<std::string> page,
                    bool idempotent) {
    LeadInput in;
    in.name = "Plan";
    in.number = "98100000" + std::to_string(10 + n++);
    in.destination = std::move(destination);
    in.page = std::move(page);
    IdempotencyInput idem;
    if (idempotent) idem = {"trace:plan-" + std::to_string(n), "h"};
    auto r = ingest_lead(ctx, in, idem, render);
    ASSERT_TRUE(r.ok()) << r.error().detail;
  };
  expect_indexed("ingestion (routed by name, new page URL, idempotency key)",
                 [&] { ingest("Goa", "https://blog.example.com/goa/beaches", true); });
  expect_indexed("ingestion (known page URL, slug)",
                 [&] { ingest(std::nullopt, "https://blog.example.com/goa/beaches", false); });
  expect_indexed("ingestion (duplicate)", [&] {
    LeadInput in;
    in.name = "Plan";
    in.number = "9810000010";  // the first lead's number and destination
    in.destination = "Goa";
    auto r = ingest_lead(ctx, in, IdempotencyInput{}, render);
    ASSERT_TRUE(r.ok()) << r.error().detail;
  });
  expect_indexed("ingestion (unknown destination)",
                 [&] { ingest("Nowhere", std::nullopt, false); });
}

}  // namespace
}  // namespace leadproc
