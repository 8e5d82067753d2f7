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

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "backends.h"
#include "query_plan_cases.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc {
namespace {

// recording every statement the adapter runs

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

// the database

class QueryPlanTest : public ::testing::Test {
 public:  // the cases of query_plan_cases.h call expect_indexed, read and store()
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
  Store& store() { return *store_; }

  StatementRecorder recorder_;  // before the store: its connections must be traced
  storage_test::TempDir dir_{"plan"};
  std::string path_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  sqlite3* explain_db_ = nullptr;
};

using plan_cases::filter;
using plan_cases::kOtherId;
using plan_cases::kSomeId;
using plan_cases::status_of;

// the cases (query_plan_cases.h)

TEST_F(QueryPlanTest, RoundRobinPickUsesIndexes) {
  plan_cases::round_robin_pick(*this);
}

TEST_F(QueryPlanTest, SalesPersonsOpenOpportunitiesUseIndexes) {
  plan_cases::sales_persons_open_opportunities(*this);
}

TEST_F(QueryPlanTest, FollowUpsDueTodayUseIndexes) {
  plan_cases::followups_due_today(*this);
}

TEST_F(QueryPlanTest, PsvQueueUsesIndexes) {
  plan_cases::psv_queue(*this);
}

TEST_F(QueryPlanTest, UrlResolutionUsesIndexes) {
  plan_cases::url_resolution(*this);
}

TEST_F(QueryPlanTest, ActivityTimelineUsesIndexes) {
  plan_cases::activity_timeline(*this);
}

TEST_F(QueryPlanTest, OpportunityListFiltersUseIndexes) {
  plan_cases::opportunity_list_filters(*this);
}

TEST_F(QueryPlanTest, IngestionTransactionUsesIndexes) {
  plan_cases::ingestion_transaction(*this);
}

TEST_F(QueryPlanTest, SearchUsesTheTermIndex) {
  plan_cases::search_queries(*this);
}

// The people report's open rows per person and status (migration 34): read from the open_counts
// rollup alone, never from the opportunities (counting the open rows took 0.2-0.4 s at 1M rows even
// from migration 30's partial indexes, docs/benchmarks.md sections 21, 23 and 24).
TEST_F(QueryPlanTest, HeldOpenCountReadsOnlyTheRollup) {
  recorder_.clear();
  read([](ReadTx& tx) -> Status {
    auto held = tx.count_held_open();
    if (!held) return held.error();
    return ok_status();
  });
  const auto queries = recorder_.queries();
  ASSERT_EQ(queries.size(), 1u);
  for (const auto& row : plan(queries[0]))
    EXPECT_EQ(row.find("opportunities"), std::string::npos)
        << "the count reads the opportunities\n  " << queries[0] << "\n  plan: " << row;
}

// The people report's overdue reminders and attempts per person (migration 34): each arm reads
// one covering index of only the active reminders or the PSV/WEST next attempts, never the
// table's rows (the attempts' arms read every InPSV/InWEST row before: 0.16 s of CPU at 1M rows,
// docs/benchmarks.md section 23).
TEST_F(QueryPlanTest, OverdueCountReadsOnlyCoveringIndexes) {
  recorder_.clear();
  read([](ReadTx& tx) -> Status {
    auto overdue = tx.count_overdue(
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    if (!overdue) return overdue.error();
    return ok_status();
  });
  const auto queries = recorder_.queries();
  ASSERT_EQ(queries.size(), 1u);
  int arms = 0;
  for (const auto& row : plan(queries[0])) {
    if (row.find(" followups ") == std::string::npos &&
        row.find(" opportunities ") == std::string::npos)
      continue;
    ++arms;
    EXPECT_TRUE(row.starts_with("SEARCH followups USING COVERING INDEX followups_owner_due") ||
                row.starts_with("SCAN followups USING COVERING INDEX followups_owner_due") ||
                row.starts_with("SEARCH opportunities USING COVERING INDEX opportunities_attempts"))
        << "an arm reads more than its index\n  " << queries[0] << "\n  plan: " << row;
  }
  EXPECT_EQ(arms, 3);  // the reminders, the PSV agents' attempts, the WEST agents'
}

// The people report's re-inquiries per person (migration 39): the period's duplicates from the
// partial index that holds each one's original, then each original by its primary key; no other
// row of the period is read (a duplicate is one lead in ten or fewer).
TEST_F(QueryPlanTest, ReinquiriesReadTheDuplicatesIndexAndTheOriginalsByKey) {
  recorder_.clear();
  read([](ReadTx& tx) -> Status {
    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    auto counted = tx.count_reinquiries(now - std::chrono::days(30), now);
    if (!counted) return counted.error();
    return ok_status();
  });
  const auto queries = recorder_.queries();
  ASSERT_EQ(queries.size(), 1u);
  const auto rows = plan(queries[0]);
  ASSERT_EQ(rows.size(), 2u) << queries[0];
  EXPECT_TRUE(rows[0].starts_with("SEARCH d USING COVERING INDEX opportunities_duplicates"))
      << queries[0] << "\n  plan: " << rows[0];
  EXPECT_TRUE(rows[1].starts_with("SEARCH o USING INDEX sqlite_autoindex_opportunities_1") ||
              rows[1].starts_with("SEARCH o USING INTEGER PRIMARY KEY") ||
              rows[1].find("(id=?)") != std::string::npos)
      << queries[0] << "\n  plan: " << rows[1];
}

// The revenue of a period's won leads (the people report): the won deals' partial index alone
// (migration 40), with every column read; not the period's every row and their table rows
// (17 ms p50 at 1M rows before, docs/benchmarks.md section 34).
TEST_F(QueryPlanTest, RevenueReadsOnlyTheWonDeals) {
  recorder_.clear();
  read([](ReadTx& tx) -> Status {
    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    OpportunityFilter f;
    f.created_from = now - std::chrono::days(30);
    f.created_to = now;
    f.kind = FunnelKind::kLead;
    f.reached = FunnelStep::kWon;
    auto sums = tx.sum_revenue(f);
    if (!sums) return sums.error();
    return ok_status();
  });
  const auto queries = recorder_.queries();
  ASSERT_EQ(queries.size(), 1u);
  const auto rows = plan(queries[0]);
  ASSERT_EQ(rows.size(), 1u) << queries[0];
  EXPECT_TRUE(rows[0].starts_with("SEARCH opportunities USING COVERING INDEX opportunities_deals"))
      << queries[0] << "\n  plan: " << rows[0];
}

// The CRM entries of a period with their first contacts (the people report's first-contact
// figures and the SLA report): one range of opportunities_crm_entry, which holds each entry's
// first contact (migration 37). No table row is read per entry (about 23,000 entries in 30 days
// at 1M rows), nor any follow-up: a search of followups_first_contact per entry was most of the
// people report's time on PostgreSQL (docs/benchmarks.md section 33).
TEST_F(QueryPlanTest, CrmEntriesReadOnlyCoveringIndexes) {
  recorder_.clear();
  read([](ReadTx& tx) -> Status {
    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    auto entries = tx.list_crm_entries(now - std::chrono::days(30), now);
    if (!entries) return entries.error();
    return ok_status();
  });
  const auto queries = recorder_.queries();
  ASSERT_EQ(queries.size(), 1u);
  int reads = 0;
  for (const auto& row : plan(queries[0])) {
    if (!row.starts_with("SEARCH") && !row.starts_with("SCAN")) continue;
    ++reads;
    EXPECT_TRUE(
        row.starts_with("SEARCH opportunities USING COVERING INDEX opportunities_crm_entry"))
        << "a read of table rows or follow-ups\n  " << queries[0] << "\n  plan: " << row;
  }
  EXPECT_EQ(reads, 1);
}

// The funnel's counts of a period (migration 30): the period's rows are one range of the covering
// index led by id, never the table's rows one by one (0.36-1.9 s at 1M rows before,
// docs/benchmarks.md section 21), read once however they are grouped (the by-agent count read
// it once per assignee column before), and never sorted: a temporary B-tree to group them was
// two thirds of a 30-day funnel's time at 1M rows (section 31).
TEST_F(QueryPlanTest, FunnelCountsReadTheCoveringIndex) {
  for (const FunnelGroup by : {FunnelGroup::kNone, FunnelGroup::kAgent, FunnelGroup::kPlatform}) {
    recorder_.clear();
    read([by](ReadTx& tx) -> Status {
      OpportunityFilter f;
      f.created_to =
          std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
      f.created_from = *f.created_to - std::chrono::days(30);
      auto counts = tx.count_funnel(f, by);
      if (!counts) return counts.error();
      return ok_status();
    });
    int reads = 0;
    for (const auto& sql : recorder_.queries()) {
      for (const auto& row : plan(sql)) {
        if (row.find(" opportunities ") == std::string::npos) continue;
        ++reads;
        EXPECT_TRUE(
            row.starts_with("SEARCH opportunities USING COVERING INDEX opportunities_funnel_cover"))
            << "the funnel reads the table\n  " << sql << "\n  plan: " << row;
      }
      for (const auto& row : plan(sql))
        EXPECT_EQ(row.find("TEMP B-TREE"), std::string::npos)
            << "the funnel sorts the period's rows\n  " << sql << "\n  plan: " << row;
    }
    EXPECT_EQ(reads, 1);
  }
}

// The time-in-stage report's reads (migration 32): the stays that left in a period are one range
// of stage_periods_left, which holds their opportunity's facets too; the milestones of a
// period's leads are one range of the funnel's covering index, which holds them. Neither reads
// a table row by row (0.8-1.3 s p99 at 1M rows before, docs/benchmarks.md section 21).
TEST_F(QueryPlanTest, TimeInStageReadsOneIndexRangeEach) {
  const Timestamp to =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const Timestamp from = to - std::chrono::days(30);
  for (const bool filtered : {false, true}) {
    recorder_.clear();
    read([&](ReadTx& tx) -> Status {
      OpportunityFilter f;
      if (filtered) {
        f.platform = Platform::kWebsite;
        f.campaign = "winter";
        f.assignee = "5f0000000000000000000001";  // the stays one person worked
      }
      TextTable texts;
      auto stays = tx.list_stage_stays(f, from, to, FunnelGroup::kAgent, texts);
      if (!stays) return stays.error();
      f.assignee.reset();
      f.created_from = from;
      f.created_to = to;
      f.kind = FunnelKind::kLead;
      auto milestones = tx.list_stage_milestones(f, FunnelGroup::kAgent, texts);
      if (!milestones) return milestones.error();
      return ok_status();
    });
    int reads = 0;
    for (const auto& sql : recorder_.queries()) {
      for (const auto& row : plan(sql)) {
        ++reads;
        const bool stays = sql.find("FROM stage_periods") != std::string::npos;
        // Filtered by platform, the milestones may read the platform's (platform, id) range
        // instead: narrower, and still no table scan.
        const std::string want =
            stays      ? "SEARCH stage_periods USING COVERING INDEX stage_periods_left"
            : filtered ? "SEARCH opportunities USING "
                       : "SEARCH opportunities USING COVERING INDEX opportunities_funnel_cover";
        EXPECT_TRUE(row.starts_with(want))
            << "a time-in-stage read is not one index range\n  " << sql << "\n  plan: " << row;
      }
    }
    EXPECT_EQ(reads, 2);
  }
}

// The webhook sender's claim (migration 33): a subscription's first due pending deliveries are
// read in event_seq order from the pending deliveries' index and the read stops at the batch. It
// used to read every pending delivery of the subscription and sort them: in a burst's backlog,
// tens of thousands of rows with their bodies at every claim, inside a write transaction that
// holds the SQLite writer intake needs (docs/benchmarks.md section 24).
TEST_F(QueryPlanTest, WebhookClaimReadsThePendingDeliveriesInOrder) {
  recorder_.clear();
  const Timestamp now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  (void)store().write([&](WriteTx& tx) -> Status {
    (void)tx.claim_webhook_deliveries(kSomeId, now, now, 20);
    return Error::unavailable("roll back");
  });
  int claims = 0;
  for (const auto& sql : recorder_.queries()) {
    if (!sql.starts_with("SELECT") || sql.find("FROM webhook_deliveries d") == std::string::npos)
      continue;
    ++claims;
    const auto rows = plan(sql);
    std::string all;
    for (const auto& r : rows) all += "\n    " + r;
    ASSERT_FALSE(rows.empty());
    EXPECT_TRUE(rows.front().starts_with("SEARCH d USING INDEX webhook_deliveries_pending"))
        << "the claim does not read the pending deliveries' index\n  " << sql << "\n  plan:" << all;
    for (const auto& r : rows) {
      EXPECT_EQ(r.find("TEMP B-TREE"), std::string::npos)
          << "the claim sorts every pending delivery\n  " << sql << "\n  plan:" << all;
      // The same opportunity's earlier pending deliveries: a seek, not a walk of every earlier
      // pending delivery.
      if (r.starts_with("SEARCH e ")) {
        EXPECT_TRUE(r.starts_with("SEARCH e USING INDEX webhook_deliveries_opp"))
            << sql << "\n  plan:" << all;
      }
    }
  }
  EXPECT_EQ(claims, 1);
}

// The conversion sender's claim (migration 35): a platform's first due pending conversions are
// read in event_seq order from the partial index of pending conversions, never all of them
// sorted (an ad platform down for hours leaves every conversion since pending).
TEST_F(QueryPlanTest, ConversionClaimReadsThePendingConversionsInOrder) {
  recorder_.clear();
  const Timestamp now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  (void)store().write([&](WriteTx& tx) -> Status {
    (void)tx.claim_conversions("meta", now, now, 20);
    return Error::unavailable("roll back");
  });
  int claims = 0;
  for (const auto& sql : recorder_.queries()) {
    if (!sql.starts_with("SELECT") || sql.find("FROM conversions c") == std::string::npos) continue;
    ++claims;
    const auto rows = plan(sql);
    std::string all;
    for (const auto& r : rows) all += "\n    " + r;
    ASSERT_FALSE(rows.empty());
    EXPECT_TRUE(rows.front().starts_with("SEARCH c USING INDEX conversions_pending"))
        << "the claim does not read the pending conversions' index\n  " << sql
        << "\n  plan:" << all;
    for (const auto& r : rows) {
      EXPECT_EQ(r.find("TEMP B-TREE"), std::string::npos)
          << "the claim sorts every pending conversion\n  " << sql << "\n  plan:" << all;
      // The same opportunity's earlier pending stages: a seek, not a walk of every one.
      if (r.starts_with("SEARCH e ")) {
        EXPECT_TRUE(r.starts_with("SEARCH e USING INDEX conversions_order"))
            << sql << "\n  plan:" << all;
      }
    }
  }
  EXPECT_EQ(claims, 1);
}

}  // namespace
}  // namespace leadproc
