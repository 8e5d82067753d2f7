// The PostgreSQL side of query_plan_test.cpp: the spec's Critical Query Patterns, the opportunity
// list filters and the whole ingestion transaction must be served by indexes. Each case runs the
// real operation through the Store port of a fresh, migrated PostgreSQL database (a schema of its
// own, as backends.cpp makes them) while PgOptions::statement_observer records every statement
// the adapter sends, with its bound values. Each recorded statement is then prepared on a
// connection of the test's own, as the adapter prepares it (parameter types left to the server),
// and explained with its values, both as the custom plan (the first executions of a prepared
// statement) and as the generic plan (what the adapter's cached statements run once the plan
// cache prefers it; SQLite's test explains its statements unbound too):
//
// - with enable_seqscan = off, so that a `Seq Scan on <table>` means that no index can serve the
//   statement (the tables are empty: with sequential scans allowed the planner would rightly
//   prefer them, and the plan would say nothing about the indexes);
// - for the newest-first lists (the statements with `ORDER BY id DESC`) also with enable_sort =
//   off, so that a Sort node means that no index delivers that order and every match is sorted.
//
// Without sequential scans, where no index serves a condition PostgreSQL reads a whole index
// instead of the table: any index in the order asked for (the primary key, for `ORDER BY id`),
// or one that has the column in a later position. That is as bad and shows no Seq Scan, so a
// whole index read fails too (whole_index_read()). For the newest-first lists, an index read
// whole in id order means that no index serving the filter holds that order (what SQLite shows
// as a temporary B-tree for ORDER BY). Elsewhere an ordered whole read may just be the cheapest
// plan on empty tables while another index serves the filter, so the statement is explained again
// without index scans: the bitmap scans that remain need an index condition, and it fails only
// if none serves the filter there either.
//
// The cases mirror query_plan_test.cpp's, with the same names, so the two files read side by
// side; the last case shows that the checks catch an index that is gone. The suite skips unless
// LEADPROC_TEST_PG_URL names a server (ctest: storage_pg).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../api/pg_database.h"
#include "query_plan_cases.h"
#include "storage/postgres/pg_store.h"

namespace leadproc {
namespace {

// recording every statement the adapter runs

using Values = std::vector<std::optional<std::string>>;

struct Statement {
  std::string sql;
  Values values;
  bool operator==(const Statement&) const = default;
};

// Collects what PgOptions::statement_observer sees (from any of the pool's connections).
class StatementRecorder {
 public:
  postgres::StatementObserver observer() {
    return [this](std::string_view sql, const Values& values) {
      std::lock_guard lock(mu_);
      statements_.push_back(Statement{std::string(sql), values});
    };
  }
  void clear() {
    std::lock_guard lock(mu_);
    statements_.clear();
  }
  // The recorded queries and updates, each (text and values) once: not BEGIN/COMMIT/ROLLBACK/
  // SET, nor the advisory locks (`SELECT pg_advisory_xact_lock(...)`, which read no table), as
  // the SQLite test leaves out BEGIN and PRAGMA.
  std::vector<Statement> queries() {
    std::lock_guard lock(mu_);
    std::vector<Statement> out;
    for (const auto& s : statements_) {
      const std::string_view sql = s.sql;
      if (!(sql.starts_with("SELECT") || sql.starts_with("UPDATE") || sql.starts_with("DELETE") ||
            sql.starts_with("WITH")))
        continue;
      if (sql.starts_with("SELECT pg_advisory_") || sql.starts_with("SELECT pg_try_advisory_"))
        continue;
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<Statement> statements_;  // guarded by mu_
};

// explaining on a connection of its own

using pgtest::ConnPtr;
using pgtest::ResultPtr;

// One node of an EXPLAIN (COSTS OFF) text plan: its line and the property lines under it.
struct PlanNode {
  std::size_t depth = 0;  // the column of its "->" (0 for the top node)
  std::string name;       // "Seq Scan on opportunities", "Sort", "Index Scan Backward using ..."
  std::vector<std::string> properties;  // "Index Cond: ...", "Filter: ...", "Sort Key: ..."
};

std::vector<PlanNode> parse_plan(const std::vector<std::string>& lines) {
  std::vector<PlanNode> nodes;
  for (const auto& line : lines) {
    const auto arrow = line.find("->  ");
    if (nodes.empty() || arrow != std::string::npos) {
      PlanNode n;
      n.depth = arrow == std::string::npos ? 0 : arrow;
      n.name = line.substr(arrow == std::string::npos ? 0 : arrow + 4);
      nodes.push_back(std::move(n));
    } else {
      const auto text = line.find_first_not_of(' ');
      nodes.back().properties.push_back(text == std::string::npos ? "" : line.substr(text));
    }
  }
  return nodes;
}

bool has_property(const PlanNode& n, std::string_view prefix) {
  return std::any_of(n.properties.begin(), n.properties.end(),
                     [&](const std::string& p) { return p.starts_with(prefix); });
}

// The nodes below nodes[i] (up to the next node at its depth or above).
std::vector<const PlanNode*> subtree(const std::vector<PlanNode>& nodes, std::size_t i) {
  std::vector<const PlanNode*> out;
  for (std::size_t j = i + 1; j < nodes.size() && nodes[j].depth > nodes[i].depth; ++j)
    out.push_back(&nodes[j]);
  return out;
}

// The table a scan node reads ("Index Scan using i on opportunities o1" -> "opportunities").
std::string table_of(const std::string& node) {
  const auto on = node.find(" on ");
  if (on == std::string::npos) return {};
  const auto begin = on + 4;
  return node.substr(begin, node.find(' ', begin) - begin);
}

// The index a scan node reads ("" if none): "Index [Only] Scan [Backward] using <index> on ...",
// "Bitmap Index Scan on <index>".
std::string index_of(const std::string& node) {
  if (node.starts_with("Bitmap Index Scan on ")) return node.substr(21);
  if (!node.starts_with("Index ")) return {};
  const auto using_at = node.find(" using ");
  if (using_at == std::string::npos) return {};
  const auto begin = using_at + 7;
  return node.substr(begin, node.find(' ', begin) - begin);
}

bool identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// True iff `expr` ("opp_id", "lower(name)") occurs in `text` as a whole, with or without a
// relation qualifier ("d.name").
bool mentions(const std::string& text, const std::string& expr) {
  std::string unqualified;  // `text` without "alias." qualifiers
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::size_t j = i;
    while (j < text.size() && identifier_char(text[j])) ++j;
    const bool qualifier =
        j > i && j < text.size() && text[j] == '.' && (i == 0 || !identifier_char(text[i - 1]));
    if (qualifier) {
      i = j;  // skip "alias."
      continue;
    }
    unqualified += text[i];
  }
  for (auto at = unqualified.find(expr); at != std::string::npos;
       at = unqualified.find(expr, at + 1)) {
    const auto end = at + expr.size();
    const bool starts =
        at == 0 || !identifier_char(expr.front()) || !identifier_char(unqualified[at - 1]);
    const bool ends = end == unqualified.size() || !identifier_char(expr.back()) ||
                      !identifier_char(unqualified[end]);
    if (starts && ends) return true;
  }
  return false;
}

// the database

class QueryPlanPostgreSQLTest : public ::testing::Test {
 public:  // the cases of query_plan_cases.h call expect_indexed, read and store()
  void SetUp() override {
    const char* server = std::getenv("LEADPROC_TEST_PG_URL");
    if (server == nullptr || *server == '\0') GTEST_SKIP() << "LEADPROC_TEST_PG_URL is not set";
    url_ = pgtest::fresh_database(server, "plan");
    auto store = postgres::PgStore::open(
        url_, postgres::PgOptions{.pool_size = 2, .statement_observer = recorder_.observer()});
    ASSERT_TRUE(store.ok()) << store.error().detail;
    store_ = std::move(*store);
    auto v = store_->migrate();
    ASSERT_TRUE(v.ok()) << v.error().detail;
    explain_db_.reset(PQconnectdb(url_.c_str()));
    ASSERT_EQ(PQstatus(explain_db_.get()), CONNECTION_OK) << PQerrorMessage(explain_db_.get());
    ASSERT_TRUE(run("SET enable_seqscan = off"));
  }
  // The database is not dropped: the test server is thrown away after the run.
  void TearDown() override { store_.reset(); }

  // Runs a statement without result rows on the explaining connection.
  bool run(const std::string& sql) {
    ResultPtr r(PQexec(explain_db_.get(), sql.c_str()));
    if (PQresultStatus(r.get()) == PGRES_COMMAND_OK) return true;
    ADD_FAILURE() << sql << ": " << PQerrorMessage(explain_db_.get());
    return false;
  }

  // The planner's choices besides enable_seqscan = off (set once, in SetUp).
  void planner(bool sort, bool index_scans) {
    run(sort ? "SET enable_sort = on" : "SET enable_sort = off");
    run(index_scans ? "SET enable_indexscan = on" : "SET enable_indexscan = off");
    run(index_scans ? "SET enable_indexonlyscan = on" : "SET enable_indexonlyscan = off");
  }

  // The lines of EXPLAIN (COSTS OFF) of `s` under plan_cache_mode `mode` (force_custom_plan or
  // force_generic_plan), prepared as the adapter prepares it (no parameter types given), with
  // its values as literals of EXECUTE. On failure, `error` says why.
  std::vector<std::string> plan(const Statement& s, std::string_view mode, std::string& error) {
    std::vector<std::string> lines;
    PGconn* c = explain_db_.get();
    ResultPtr prepared(PQprepare(c, "plan", s.sql.c_str(), 0, nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      error = std::string("cannot prepare: ") + PQerrorMessage(c);
      return lines;
    }
    std::string explain = "EXPLAIN (COSTS OFF) EXECUTE plan";
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      explain += i == 0 ? "(" : ", ";
      std::unique_ptr<char, decltype(&PQfreemem)> literal(
          s.values[i] ? PQescapeLiteral(c, s.values[i]->data(), s.values[i]->size()) : nullptr,
          &PQfreemem);
      explain += literal ? literal.get() : "NULL";
    }
    if (!s.values.empty()) explain += ")";
    if (run("SET plan_cache_mode = " + std::string(mode))) {
      ResultPtr r(PQexec(c, explain.c_str()));
      if (PQresultStatus(r.get()) == PGRES_TUPLES_OK) {
        for (int i = 0; i < PQntuples(r.get()); ++i) lines.emplace_back(PQgetvalue(r.get(), i, 0));
      } else {
        error = std::string("cannot explain: ") + PQerrorMessage(c);
      }
    }
    run("DEALLOCATE plan");
    return lines;
  }

  // The leading key of `index` as pg_get_indexdef() prints it ("person_id", "lower(email)").
  const std::string& leading_key(const std::string& index) {
    auto it = leading_keys_.find(index);
    if (it != leading_keys_.end()) return it->second;
    const char* values[] = {index.c_str()};
    ResultPtr r(PQexecParams(explain_db_.get(),
                             "SELECT pg_get_indexdef(to_regclass($1)::oid, 1, true)", 1, nullptr,
                             values, nullptr, nullptr, 0));
    std::string key;
    if (PQresultStatus(r.get()) == PGRES_TUPLES_OK && PQntuples(r.get()) == 1)
      key = PQgetvalue(r.get(), 0, 0);
    if (key.empty()) ADD_FAILURE() << "no leading key for index " << index;
    return leading_keys_.emplace(index, key).first->second;
  }

  // Why the index scan `n` reads all of its index ("" if it does not, or is no index scan): an
  // Index Cond that does not constrain the index's leading key (a B-tree takes conditions on any
  // of its columns, but then reads all of it: availabilities_person (person_id, deleted) for
  // `NOT deleted` alone), or, for an index read in order, no Index Cond but a Filter (it reads
  // the index from one end and drops what does not match, so it may read every row before it
  // has the `limit` it wants). An index scan with neither (the unfiltered list, a partial index
  // whose predicate is the filter) reads only what it returns. Joins are not judged: with sorts
  // off, the assignee list without a status reads the primary key in id order and keeps what is
  // among the person's ids (three index lookups); with sorts on, the planner sorts those ids'
  // rows instead, as the adapter intends ("gathered whole") and SQLite does.
  std::string whole_index_read(const PlanNode& n) {
    const std::string index = index_of(n.name);
    if (index.empty()) return {};
    for (const auto& p : n.properties) {
      if (!p.starts_with("Index Cond:")) continue;
      const std::string& key = leading_key(index);
      if (key.empty() || mentions(p, key)) return {};
      return "a whole index read (" + n.name + ": " + p + " does not constrain its leading key " +
             key + ")";
    }
    if (!n.name.starts_with("Bitmap") && has_property(n, "Filter:"))
      return "a whole index read (" + n.name + " without an Index Cond, filtered)";
    return {};
  }

  // A person's opportunities of any status (query_plan_test.cpp's sorts_one_persons_ids): no
  // index holds them in id order, so with sorts off PostgreSQL walks the primary key instead.
  // With sorts on, the plan is fine if it reads tables only by index conditions and each Sort
  // either has a Limit below it or sorts one assignee column's ids, read from its index alone.
  bool sorts_only_one_persons_ids(const Statement& s, std::string_view mode) {
    planner(/*sort=*/true, /*index_scans=*/true);
    std::string error;
    const auto nodes = parse_plan(plan(s, mode, error));
    if (!error.empty()) return false;
    bool sorts_ids = false;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const PlanNode& n = nodes[i];
      if (n.name.starts_with("Seq Scan on ") || !whole_index_read(n).empty()) return false;
      if (n.name != "Sort" && n.name != "Incremental Sort") continue;
      const auto below = subtree(nodes, i);
      if (std::any_of(below.begin(), below.end(),
                      [](const PlanNode* m) { return m->name == "Limit"; }))
        continue;
      for (const PlanNode* m : below) {
        if (m->name == "Sort" || m->name == "Incremental Sort") continue;
        const bool person_ids =
            (m->name.starts_with("Index Only Scan using opportunities_assigned_psv ") ||
             m->name.starts_with("Index Only Scan using opportunities_assigned_west ") ||
             m->name.starts_with("Index Only Scan using opportunities_owner ")) &&
            has_property(*m, "Index Cond:");
        if (!person_ids) return false;
      }
      sorts_ids = true;
    }
    return sorts_ids;
  }

  // The one statement `operation` runs, and its plan in each plan_cache_mode, each plan as one
  // text (a line per node after "\n    ") that a check searches and prints.
  std::vector<std::pair<std::string, std::string>> both_plans(
      const std::function<void()>& operation) {
    recorder_.clear();
    operation();
    const auto queries = recorder_.queries();
    EXPECT_EQ(queries.size(), 1u);
    std::vector<std::pair<std::string, std::string>> out;
    if (queries.size() != 1) return out;
    for (std::string_view mode : {"force_custom_plan", "force_generic_plan"}) {
      std::string error;
      const auto lines = plan(queries.front(), mode, error);
      EXPECT_TRUE(error.empty()) << error;
      std::string whole = std::string(mode) + ":\n  " + queries.front().sql;
      for (const auto& l : lines) whole += "\n    " + l;
      out.emplace_back(std::string(mode), std::move(whole));
    }
    return out;
  }

  // What is wrong with the plans of the statements `operation` runs: one message per problem,
  // with the statement, its values and the whole plan; none if indexes serve every statement.
  std::vector<std::string> plan_problems(const std::string& name,
                                         const std::function<void()>& operation,
                                         bool newest_first_list = false) {
    std::vector<std::string> problems;
    recorder_.clear();
    operation();
    const auto queries = recorder_.queries();
    if (queries.empty()) problems.push_back(name + ": ran no query");
    for (const auto& s : queries) {
      const bool in_order =
          newest_first_list && s.sql.find("ORDER BY id DESC") != std::string::npos;
      std::string values;
      for (const auto& v : s.values) values += (values.empty() ? "" : ", ") + v.value_or("NULL");
      for (std::string_view mode : {"force_custom_plan", "force_generic_plan"}) {
        auto explained = [&](std::string_view label, const std::vector<std::string>& lines) {
          std::string out = "\n  " + s.sql + "\n  values: " + values + "\n  " + std::string(mode) +
                            " plan" + std::string(label) + ":";
          for (const auto& l : lines) out += "\n    " + l;
          return out;
        };
        std::string error;
        if (in_order && sorts_only_one_persons_ids(s, mode)) continue;
        planner(/*sort=*/!in_order, /*index_scans=*/true);
        const auto lines = plan(s, mode, error);
        const std::string where = explained("", lines);
        if (!error.empty()) {
          problems.push_back(name + ": " + error + where);
          continue;
        }
        const auto nodes = parse_plan(lines);
        std::vector<std::string> ordered_reads;  // tables read whole in an index's order
        for (std::size_t i = 0; i < nodes.size(); ++i) {
          const PlanNode& n = nodes[i];
          if (n.name.starts_with("Seq Scan on "))
            problems.push_back(name + ": a full table scan (" + n.name + ")" + where);
          if (in_order && (n.name == "Sort" || n.name == "Incremental Sort")) {
            // A Limit below the Sort bounds what it sorts (as the newest `limit` of each
            // assignee column would be, each read in order from its index).
            const auto below = subtree(nodes, i);
            if (std::none_of(below.begin(), below.end(),
                             [](const PlanNode* m) { return m->name == "Limit"; }))
              problems.push_back(name + ": sorts every match instead of reading an index in order" +
                                 where);
          }
          const std::string whole = whole_index_read(n);
          if (whole.empty()) continue;
          if (in_order || n.name.starts_with("Bitmap")) {
            // A bitmap scan is never chosen for an order: no index serves its condition better.
            // With sorts off, an index read whole in id order means that no index serving the
            // filter holds that order: what SQLite shows as a temporary B-tree for ORDER BY.
            problems.push_back(name + ": " + whole + where);
          } else {
            ordered_reads.push_back(table_of(n.name));
          }
        }
        if (ordered_reads.empty()) continue;
        // Elsewhere the planner may read an index whole in the order asked for because that is
        // cheapest on empty tables, although another index serves the filter. Whether one does
        // is what the plan shows without index scans: bitmap scans need a condition (or a
        // partial index's predicate) an index serves, so a Seq Scan there means that none does.
        planner(/*sort=*/true, /*index_scans=*/false);
        const auto bitmap_lines = plan(s, mode, error);
        if (!error.empty()) problems.push_back(name + ": " + error + where);
        std::string table;  // read by the scan `n` (a Bitmap Index Scan: by its heap scan above)
        for (const auto& n : parse_plan(bitmap_lines)) {
          if (!n.name.starts_with("Bitmap Index Scan") && !table_of(n.name).empty())
            table = table_of(n.name);
          if (std::find(ordered_reads.begin(), ordered_reads.end(), table) == ordered_reads.end())
            continue;
          std::string why = n.name.starts_with("Seq Scan on ")
                                ? "a full table scan (" + n.name + ")"
                                : whole_index_read(n);
          if (!why.empty())
            problems.push_back(name + ": no index serves the filter; without index scans, " + why +
                               where + explained(" without index scans", bitmap_lines));
        }
      }
    }
    return problems;
  }

  // Runs `operation`, then checks the plan of every statement it ran.
  void expect_indexed(const std::string& name, const std::function<void()>& operation,
                      bool newest_first_list = false) {
    for (const auto& p : plan_problems(name, operation, newest_first_list)) ADD_FAILURE() << p;
  }

  template <typename F>
  void read(F&& body) {
    auto s = store_->read([&](ReadTx& tx) -> Status { return body(tx); });
    ASSERT_TRUE(s.ok()) << s.error().detail;
  }
  Store& store() { return *store_; }

  StatementRecorder recorder_;  // before the store, which calls it
  std::string url_;
  std::unique_ptr<Store> store_;
  ConnPtr explain_db_;
  std::map<std::string, std::string> leading_keys_;  // index -> leading_key()
};

using plan_cases::filter;
using plan_cases::kOtherId;
using plan_cases::kSomeId;
using plan_cases::status_of;

// the cases (query_plan_cases.h)

TEST_F(QueryPlanPostgreSQLTest, RoundRobinPickUsesIndexes) {
  plan_cases::round_robin_pick(*this);
}

TEST_F(QueryPlanPostgreSQLTest, SalesPersonsOpenOpportunitiesUseIndexes) {
  plan_cases::sales_persons_open_opportunities(*this);
}

TEST_F(QueryPlanPostgreSQLTest, FollowUpsDueTodayUseIndexes) {
  plan_cases::followups_due_today(*this);
}

TEST_F(QueryPlanPostgreSQLTest, PsvQueueUsesIndexes) {
  plan_cases::psv_queue(*this);
}

TEST_F(QueryPlanPostgreSQLTest, UrlResolutionUsesIndexes) {
  plan_cases::url_resolution(*this);
}

TEST_F(QueryPlanPostgreSQLTest, ActivityTimelineUsesIndexes) {
  plan_cases::activity_timeline(*this);
}

TEST_F(QueryPlanPostgreSQLTest, OpportunityListFiltersUseIndexes) {
  plan_cases::opportunity_list_filters(*this);
}

TEST_F(QueryPlanPostgreSQLTest, IngestionTransactionUsesIndexes) {
  plan_cases::ingestion_transaction(*this);
}

TEST_F(QueryPlanPostgreSQLTest, SearchUsesTheTermIndex) {
  plan_cases::search_queries(*this);
}

// A count or sum over one person's rows of a period (the work list's tab counts for a sales
// person, the funnel, revenue and time in stage of one person) is no join, in either plan: the
// generic plan, made without the values, estimated the period's id range at a row or so and ran
// the join of the period's rows to the person's ids as a nested loop over every row of the
// period (0.3-0.7 s at 50,000 rows instead of 0.2 ms; docs/benchmarks.md section 29).
TEST_F(QueryPlanPostgreSQLTest, CountsOfOnePersonsRowsJoinNothing) {
  const auto f = filter([](auto& f) {
    f.assignee = kSomeId;
    f.created_from = Timestamp{std::chrono::milliseconds{1'700'000'000'000}};
    f.created_to = Timestamp{std::chrono::milliseconds{1'702'592'000'000}};
  });
  const std::vector<std::pair<std::string, std::function<Status(ReadTx&)>>> counts = {
      {"tab counts", [&](ReadTx& tx) { return status_of(tx.count_opportunities(f)); }},
      {"stage counts", [&](ReadTx& tx) { return status_of(tx.count_opportunities_by_stage(f)); }},
      {"funnel", [&](ReadTx& tx) { return status_of(tx.count_funnel(f, FunnelGroup::kNone)); }},
      {"funnel by day",
       [&](ReadTx& tx) { return status_of(tx.count_funnel(f, FunnelGroup::kQuarterHour)); }},
      {"revenue", [&](ReadTx& tx) { return status_of(tx.sum_revenue(f)); }},
      {"milestones",
       [&](ReadTx& tx) {
         TextTable texts;
         return status_of(tx.list_stage_milestones(f, FunnelGroup::kAgent, texts));
       }},
  };
  planner(/*sort=*/true, /*index_scans=*/true);
  for (const auto& [name, count] : counts) {
    recorder_.clear();
    read(count);
    const auto queries = recorder_.queries();
    ASSERT_FALSE(queries.empty()) << name;
    for (const auto& s : queries) {
      for (std::string_view mode : {"force_custom_plan", "force_generic_plan"}) {
        std::string error;
        const auto lines = plan(s, mode, error);
        ASSERT_TRUE(error.empty()) << name << ": " << error;
        std::string whole;
        bool joins = false;
        for (const auto& l : lines) {
          whole += "\n    " + l;
          joins = joins || l.find("Join") != std::string::npos ||
                  l.find("Nested Loop") != std::string::npos;
        }
        EXPECT_FALSE(joins) << name << ", " << mode << " plan joins:\n  " << s.sql << whole;
      }
    }
  }
}

// The CRM entries of a period (the SLA and people reports) are one index-only range of
// opportunities_crm_entry, which holds each entry's first contact (migration 37), in both plans:
// no follow-up is read. A probe of followups_first_contact per entry was 72 of the people
// report's ~210 ms at 1M (docs/benchmarks.md section 33).
TEST_F(QueryPlanPostgreSQLTest, CrmEntriesReadOnlyTheirIndex) {
  planner(/*sort=*/true, /*index_scans=*/true);
  const auto plans = both_plans([&] {
    read([](ReadTx& tx) {
      return status_of(
          tx.list_crm_entries(Timestamp{std::chrono::milliseconds{1'700'000'000'000}},
                              Timestamp{std::chrono::milliseconds{1'702'592'000'000}}));
    });
  });
  ASSERT_EQ(plans.size(), 2u);
  for (const auto& [mode, whole] : plans) {
    EXPECT_NE(whole.find("Index Only Scan using opportunities_crm_entry"), std::string::npos)
        << whole;
    EXPECT_EQ(whole.find("followups"), std::string::npos) << whole;
  }
}

// Ranking a pool for a lead (migration 42): whether any of the pool's POCs has rules is read from
// the index of those few rows, not from every POC of the pool, in both plan modes.
TEST_F(QueryPlanPostgreSQLTest, PoolRankingFindsRuledPocsByTheirIndex) {
  planner(/*sort=*/true, /*index_scans=*/true);
  std::vector<std::pair<std::string, std::string>> plans;
  auto s = store().write([&](WriteTx& tx) -> Status {
    plans = both_plans([&] {
      (void)tx.ranked_pool_for_update(AvailabilityProcess::kPsv, kSomeId, Platform::kInstagram);
    });
    return Error::unavailable("roll back");
  });
  ASSERT_EQ(plans.size(), 2u);
  for (const auto& [mode, whole] : plans)
    EXPECT_NE(whole.find("Index Only Scan using availabilities_ruled"), std::string::npos) << whole;
}

// The people report's re-inquiries (migration 39): the period's duplicates from their partial
// index, each original by its key (an index that leads with the id: the primary key, or
// opportunities_funnel_cover, which also holds the three people), in both plan modes.
TEST_F(QueryPlanPostgreSQLTest, ReinquiriesReadTheDuplicatesIndexAndTheOriginalsByKey) {
  planner(/*sort=*/true, /*index_scans=*/true);
  const auto plans = both_plans([&] {
    read([](ReadTx& tx) {
      return status_of(
          tx.count_reinquiries(Timestamp{std::chrono::milliseconds{1'700'000'000'000}},
                               Timestamp{std::chrono::milliseconds{1'702'592'000'000}}));
    });
  });
  ASSERT_EQ(plans.size(), 2u);
  for (const auto& [mode, whole] : plans) {
    EXPECT_NE(whole.find("using opportunities_duplicates on opportunities d"), std::string::npos)
        << whole;
    EXPECT_TRUE(whole.find("using opportunities_pkey on opportunities o") != std::string::npos ||
                whole.find("using opportunities_funnel_cover on opportunities o") !=
                    std::string::npos)
        << whole;
    EXPECT_EQ(whole.find("Seq Scan"), std::string::npos) << whole;
  }
}

// The revenue of a period's won leads (the people report) reads the won deals' partial index
// alone (migration 40), not the period's every row, in both plan modes.
TEST_F(QueryPlanPostgreSQLTest, RevenueReadsOnlyTheWonDeals) {
  planner(/*sort=*/true, /*index_scans=*/true);
  const auto f = filter([](auto& f) {
    f.created_from = Timestamp{std::chrono::milliseconds{1'700'000'000'000}};
    f.created_to = Timestamp{std::chrono::milliseconds{1'702'592'000'000}};
    f.kind = FunnelKind::kLead;
    f.reached = FunnelStep::kWon;
  });
  const auto plans =
      both_plans([&] { read([&](ReadTx& tx) { return status_of(tx.sum_revenue(f)); }); });
  ASSERT_EQ(plans.size(), 2u);
  for (const auto& [mode, whole] : plans) {
    EXPECT_NE(whole.find("Index Only Scan using opportunities_deals"), std::string::npos) << whole;
    EXPECT_EQ(whole.find("Seq Scan"), std::string::npos) << whole;
  }
}

// the checks themselves

// With an index gone, the case it serves fails, each through a different check, and the message
// names the plan. (The indexes are dropped in this case's own database.)
TEST_F(QueryPlanPostgreSQLTest, ReportsPlansNoIndexServes) {
  for (const char* index : {"opportunities_owner", "opportunities_platform", "opportunities_status",
                            "availabilities_pool"})
    ASSERT_TRUE(run(std::string("DROP INDEX ") + index));
  auto list = [&](std::function<void(OpportunityFilter&)> set, bool by_score) {
    return [this, set, by_score] {
      read([&](ReadTx& tx) {
        auto f = filter(set);
        f.sort = by_score ? OpportunitySort::kScore : OpportunitySort::kNewest;
        return status_of(tx.list_opportunities(f, Page{std::nullopt, 50}));
      });
    };
  };
  // `expected`: text that one problem holds, where a '|' separates parts that must appear in
  // this order (the index a whole read walks is the planner's choice among equals).
  auto expect_reported = [&](const std::string& name, const std::function<void()>& operation,
                             bool newest_first_list, const std::string& expected) {
    const auto problems = plan_problems(name, operation, newest_first_list);
    auto holds = [&](const std::string& p) {
      std::size_t at = 0;
      for (std::size_t from = 0;;) {
        const std::size_t bar = expected.find('|', from);
        const std::string part = expected.substr(from, bar - from);
        at = p.find(part, at);
        if (at == std::string::npos) return false;
        at += part.size();
        if (bar == std::string::npos) return true;
        from = bar + 1;
      }
    };
    EXPECT_TRUE(std::any_of(
        problems.begin(), problems.end(),
        [&](const std::string& p) { return holds(p) && p.find(" plan:\n") != std::string::npos; }))
        << name << ": expected a problem with \"" << expected << "\", got " << problems.size()
        << (problems.empty() ? "" : ":\n" + problems.front());
  };
  // The owner's ids for the assignee filter (the union's third branch): with no index to
  // find them, an index led by id (the primary key, or the funnel's covering index of
  // migration 36) read whole and filtered.
  expect_reported("list assignee", list([](auto& f) { f.assignee = kSomeId; }, false), true,
                  "a whole index read (Index |Scan Backward using opportunities_|"
                  " on opportunities opportunities_3");
  // A newest-first list whose filter lost its index: an index led by id read whole, filtered.
  expect_reported("list platform", list([](auto& f) { f.platform = Platform::kDc; }, false), true,
                  "a whole index read (Index |Scan Backward using opportunities_");
  // Elsewhere: the score index read in order, and no index for the filter without it.
  expect_reported("list status by score",
                  list([](auto& f) { f.status = OpportunityStatus::kOpen; }, true), true,
                  "no index serves the filter");
  // A condition on a later column of an index: availabilities_person (person_id, deleted).
  expect_reported(
      "round-robin pick",
      [&] {
        (void)store_->write([&](WriteTx& tx) -> Status {
          (void)tx.pool_for_update(AvailabilityProcess::kPsv);
          return Error::unavailable("roll back");
        });
      },
      false, "does not constrain its leading key person_id");
}

}  // namespace
}  // namespace leadproc
