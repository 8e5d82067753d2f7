// leadproc-query-bench: the spec's Critical Query Patterns and the opportunity list filters,
// run through the Store interface (the adapter's own SQL, in a read transaction like the
// server's handlers) on a large database, with random parameters each time; p50/p99 each.
//
//   leadproc-query-bench --db bench-data/scale.db [--iterations 2000]
//   leadproc-query-bench --database-url postgresql://.../scale1
//
// Parameters (opportunity ids, people, URLs) are sampled up front with plain SQL; only the
// measured calls go through the Store. The round-robin pick is measured as the server runs it:
// in a write transaction, which is then rolled back so nothing changes.
#include <libpq-fe.h>
#include <sqlite3.h>
#include <CLI/CLI.hpp>
#include <ctime>
#include <functional>
#include <iostream>
#include <random>

#include "app/business_day.h"
#include "app/context.h"
#include "app/funnel_report.h"
#include "app/now_report.h"
#include "app/people_report.h"
#include "app/search.h"
#include "app/sla_report.h"
#include "app/time_in_stage_report.h"
#include "bench_common.h"
#include "domain/round_robin.h"
#include "domain/search_text.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

using namespace leadproc;
using bench::Clock;

namespace {

// The calling thread's CPU time so far, in microseconds.
double thread_cpu_micros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Plain SQL for sampling parameters, on the benchmarked database's own engine.
class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual std::vector<std::string> column(const std::string& sql) = 0;
};

class SqliteSampler final : public Sampler {
 public:
  explicit SqliteSampler(const std::string& path) {
    sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
  }
  ~SqliteSampler() override { sqlite3_close(db_); }
  SqliteSampler(const SqliteSampler&) = delete;
  SqliteSampler& operator=(const SqliteSampler&) = delete;

  std::vector<std::string> column(const std::string& sql) override {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      std::cerr << "sampling failed: " << sqlite3_errmsg(db_) << "\n  " << sql << "\n";
      return out;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
      if (const auto* t = sqlite3_column_text(st, 0))
        out.emplace_back(reinterpret_cast<const char*>(t));
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class PgSampler final : public Sampler {
 public:
  explicit PgSampler(const std::string& url) : conn_(PQconnectdb(url.c_str()), &PQfinish) {}

  std::vector<std::string> column(const std::string& sql) override {
    std::vector<std::string> out;
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_.get(), sql.c_str()), &PQclear);
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
      std::cerr << "sampling failed: " << PQerrorMessage(conn_.get()) << "\n  " << sql << "\n";
      return out;
    }
    for (int i = 0; i < PQntuples(r.get()); ++i)
      if (!PQgetisnull(r.get(), i, 0)) out.emplace_back(PQgetvalue(r.get(), i, 0));
    return out;
  }

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
};

struct Samples {
  std::vector<std::string> opp_ids, sales, psv, urls, destinations;
};

Samples sample(Sampler& db, bool postgres, std::mt19937_64& rng) {
  Samples s;
  // About 2,000 opportunities spread over the whole table: random rowids on SQLite, 0.5 % of
  // the table's pages on PostgreSQL (which has no dense row number to draw from).
  if (postgres) {
    s.opp_ids = db.column(
        "SELECT id FROM opportunities TABLESAMPLE SYSTEM (0.5) REPEATABLE (7) LIMIT 2000");
  } else {
    const auto max = db.column("SELECT MAX(rowid) FROM opportunities");
    const std::int64_t max_rowid = max.empty() ? 0 : std::stoll(max.front());
    std::string rowids;
    for (int i = 0; i < 2000 && max_rowid > 0; ++i)
      rowids += (i ? "," : "") + std::to_string(1 + static_cast<std::int64_t>(rng() % max_rowid));
    if (!rowids.empty())
      s.opp_ids = db.column("SELECT id FROM opportunities WHERE rowid IN (" + rowids + ")");
  }
  // People who own open opportunities / hold PSV queues (the dashboards' users).
  s.sales =
      db.column("SELECT person_id FROM availabilities WHERE process = 'Sales' AND NOT deleted");
  s.psv = db.column("SELECT person_id FROM availabilities WHERE process = 'PSV' AND NOT deleted");
  s.urls = db.column("SELECT url FROM weburls");
  s.destinations = db.column("SELECT id FROM destinations WHERE NOT deleted");
  return s;
}

template <typename T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"leadproc-query-bench: critical queries through the Store, p50/p99"};
  std::string path;
  std::string url;
  int iterations = 2000;
  std::string zone = "Asia/Kolkata";
  auto* db_opt = app.add_option("--db", path, "SQLite database (not modified)");
  auto* url_opt =
      app.add_option("--database-url", url, "postgresql:// URL of the database instead");
  db_opt->excludes(url_opt);
  app.add_option("--iterations", iterations, "calls per query");
  app.add_option("--timezone", zone, "business time zone for 'due today'");
  double budget = 20;
  app.add_option("--budget", budget, "seconds at most per query (at least 20 calls)");
  std::string only;
  app.add_option("--only", only, "run only the queries whose name contains this");
  CLI11_PARSE(app, argc, argv);
  if (path.empty() == url.empty()) {
    std::cerr << "leadproc-query-bench: give --db FILE or --database-url postgresql://...\n";
    return 2;
  }
  const std::string& target = url.empty() ? path : url;

  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::mt19937_64 rng(7);
  Samples s;
  if (url.empty()) {
    SqliteSampler db(path);
    s = sample(db, false, rng);
  } else {
    PgSampler db(url);
    s = sample(db, true, rng);
  }
  if (s.opp_ids.empty() || s.sales.empty() || s.psv.empty() || s.urls.empty()) {
    std::cerr << "leadproc-query-bench: " << target << " holds no scale data (run leadproc-gen)\n";
    return 1;
  }
  Result<std::unique_ptr<Store>> opened = Error::internal("not opened");
  if (url.empty()) {
    sqlite::SqliteOptions opts;
    opts.readers = 1;
    auto sqlite_store = sqlite::SqliteStore::open(path, opts);
    if (sqlite_store)
      opened = std::unique_ptr<Store>(std::move(*sqlite_store));
    else
      opened = sqlite_store.error();
  } else {
    opened = postgres::open_pg_store(url);
  }
  if (!opened) {
    std::cerr << "leadproc-query-bench: " << opened.error().detail << "\n";
    return 1;
  }
  Store& store = **opened;
  // The reports' use cases (what each report's HTTP handler calls) read through an AppContext
  // on the same store; they write nothing, so ids and phones are never used.
  PhoneNormalizer phones("IN");
  ObjectIdGenerator ids(0xbe7c4, 0);
  AppConfig config;
  config.timezone = zone;
  const Timestamp now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auto today = business_day(now, zone);
  if (!today) {
    std::cerr << "leadproc-query-bench: " << today.error().detail << "\n";
    return 1;
  }

  struct Case {
    std::string name;
    std::function<std::size_t()> run;  // returns the rows it got
  };
  auto read_rows = [&store](auto&& body) {
    std::size_t rows = 0;
    Status st = store.read([&](ReadTx& tx) -> Status {
      auto r = body(tx);
      if (!r) return r.error();
      rows = r->size();
      return ok_status();
    });
    if (!st) throw std::runtime_error(st.error().detail);
    return rows;
  };
  // A funnel's counts, grouped and total, as one list (the rows read_rows counts).
  auto grouped = [](Result<FunnelCounts> counts) -> Result<std::vector<FunnelCount>> {
    if (!counts) return counts.error();
    auto all = std::move(counts->grouped);
    all.insert(all.end(), counts->total.begin(), counts->total.end());
    return all;
  };
  auto list = [&](OpportunityFilter f, int limit) {
    return read_rows([&](ReadTx& tx) {
      return tx.list_opportunities(f, Page{std::nullopt, limit});
    });
  };
  // Search parameters: the numbers and names of 200 sampled opportunities (read up front).
  struct Customer {
    std::string number;              // E.164
    std::vector<std::string> words;  // "w:" terms of the name
  };
  std::vector<Customer> customers;
  (void)store.read([&](ReadTx& tx) -> Status {
    for (std::size_t i = 0; i < s.opp_ids.size() && customers.size() < 200; ++i) {
      auto o = tx.get_opportunity(s.opp_ids[i]);
      if (!o || !*o) continue;
      Customer c{(*o)->number, {}};
      for (auto& w : search_words((*o)->name)) c.words.push_back("w:" + w);
      customers.push_back(std::move(c));
    }
    return ok_status();
  });
  auto search = [&](SearchFilter f) {
    return read_rows([&](ReadTx& tx) {
      return tx.search_opportunities(f, Page{std::nullopt, 50});
    });
  };
  const Error rollback = Error::unavailable("benchmark: roll back");
  // A random 30 days of creation (the reports' default period).
  auto month = [&] {
    OpportunityFilter f;
    f.created_from = now - std::chrono::days(30 + rng() % 670);
    f.created_to = *f.created_from + std::chrono::days(30);
    return f;
  };
  std::vector<Case> cases = {
      {"1. round-robin pick (ranked PSV pool, write tx, rolled back)",
       [&] {
         std::size_t n = 0;
         const std::optional<Id> dest = pick(rng, s.destinations);
         (void)store.write([&](WriteTx& tx) -> Status {
           auto pool =
               tx.ranked_pool_for_update(AvailabilityProcess::kPsv, dest, Platform::kWebsite);
           if (!pool) return pool.error();
           auto streak = tx.streak_for_update(AvailabilityProcess::kPsv, *dest);
           if (!streak) return streak.error();
           auto choice = pick_ranked(*pool, 1.0, *streak);
           if (choice) {
             if (auto st = tx.count_assignment((*pool)[choice->index].availability_id, 0); !st)
               return st;
           }
           n = pool->size();
           return rollback;
         });
         return n;
       }},
      {"2. a sales person's open opportunities (20 newest)",
       [&] {
         OpportunityFilter f;
         f.status = OpportunityStatus::kOpen;
         f.assignee = pick(rng, s.sales);
         return list(f, 20);
       }},
      {"3a. follow-ups due today, everyone's (200)",
       [&] {
         return read_rows([&](ReadTx& tx) {
           return tx.list_due_followups(
               DueWindow{today->start, today->end, std::nullopt, 200, std::nullopt});
         });
       }},
      {"3b. follow-ups due today, one sales person's",
       [&] {
         return read_rows([&](ReadTx& tx) {
           return tx.list_due_followups(
               DueWindow{today->start, today->end, pick(rng, s.sales), 200, std::nullopt});
         });
       }},
      {"4. PSV queue: an agent's InPSV opportunities (50)",
       [&] {
         OpportunityFilter f;
         f.status = OpportunityStatus::kInPsv;
         f.assignee = pick(rng, s.psv);
         return list(f, 50);
       }},
      {"5. URL resolution (weburls by url)",
       [&] {
         std::size_t n = 0;
         (void)store.read([&](ReadTx& tx) -> Status {
           auto w = tx.find_weburl(pick(rng, s.urls));
           if (!w) return w.error();
           n = w->has_value() ? 1 : 0;
           return ok_status();
         });
         return n;
       }},
      {"6. activity timeline (50 newest of an opportunity)",
       [&] {
         return read_rows([&](ReadTx& tx) {
           return tx.list_activities(pick(rng, s.opp_ids), Page{std::nullopt, 50});
         });
       }},
      {"list: status=Open (50 newest)",
       [&] {
         OpportunityFilter f;
         f.status = OpportunityStatus::kOpen;
         return list(f, 50);
       }},
      {"list: status=Open, next page (cursor)",
       [&] {
         OpportunityFilter f;
         f.status = OpportunityStatus::kOpen;
         return read_rows([&](ReadTx& tx) {
           return tx.list_opportunities(f, Page{pick(rng, s.opp_ids), 50});
         });
       }},
      {"list: filterationProcess=PSV",
       [&] {
         OpportunityFilter f;
         f.filteration_process = FiltrationProcess::kPsv;
         return list(f, 50);
       }},
      {"list: filterationProcess=PSV & status=InPSV",
       [&] {
         OpportunityFilter f;
         f.filteration_process = FiltrationProcess::kPsv;
         f.status = OpportunityStatus::kInPsv;
         return list(f, 50);
       }},
      {"list: destination=<random>",
       [&] {
         OpportunityFilter f;
         f.destination_id = pick(rng, s.destinations);
         return list(f, 50);
       }},
      {"list: platform=instagram",
       [&] {
         OpportunityFilter f;
         f.platform = Platform::kInstagram;
         return list(f, 50);
       }},
      {"list: created in a random week",
       [&] {
         OpportunityFilter f;
         const auto from = now - std::chrono::days(7 + rng() % 700);
         f.created_from = from;
         f.created_to = from + std::chrono::days(7);
         return list(f, 50);
       }},
      {"list: unassigned=true",
       [&] {
         OpportunityFilter f;
         f.unassigned = true;
         return list(f, 50);
       }},
      {"list: assignee=<sales person> (any status)",
       [&] {
         OpportunityFilter f;
         f.assignee = pick(rng, s.sales);
         return list(f, 50);
       }},
      {"list: status=Won & destination=<random>",
       [&] {
         OpportunityFilter f;
         f.status = OpportunityStatus::kWon;
         f.destination_id = pick(rng, s.destinations);
         return list(f, 50);
       }},
      {"list: status=InPSV & platform=dc",
       [&] {
         OpportunityFilter f;
         f.status = OpportunityStatus::kInPsv;
         f.platform = Platform::kDc;
         return list(f, 50);
       }},
      {"search: a number as typed (its national digits, 50)",
       [&] {
         SearchFilter f;
         f.prefix = number_term(pick(rng, customers).number.substr(3));
         return search(f);
       }},
      {"search: the last 6 digits of a number (50)",
       [&] {
         const auto& n = pick(rng, customers).number;
         SearchFilter f;
         f.prefix = number_term(n.substr(n.size() - 6));
         return search(f);
       }},
      {"search: a number, a PSV agent's own (50)",
       [&] {
         SearchFilter f;
         f.prefix = number_term(pick(rng, customers).number.substr(3));
         f.visible_to = pick(rng, s.psv);
         return search(f);
       }},
      {"search: a whole name, any order (50)",
       [&] {
         SearchFilter f;
         f.terms = pick(rng, customers).words;
         return search(f);
       }},
      {"search: one word of a name (50 newest)",
       [&] {
         const auto& c = pick(rng, customers);
         SearchFilter f;
         if (!c.words.empty()) f.terms = {c.words.back()};
         return search(f);
       }},
      {"search: one word of a name, a PSV agent's own, unscoped terms (before, 50)",
       [&] {
         const auto& c = pick(rng, customers);
         SearchFilter f;
         if (!c.words.empty()) f.terms = {c.words.front()};
         f.visible_to = pick(rng, s.psv);
         return search(f);
       }},
      {"search: one word of a name, a PSV agent's own (50)",
       [&] {
         const auto& c = pick(rng, customers);
         SearchFilter f;
         if (!c.words.empty()) f.terms = {c.words.front()};
         return search(own_search(std::move(f), pick(rng, s.psv)));
       }},
      {"search: a whole name, a PSV agent's own (50)",
       [&] {
         SearchFilter f;
         f.terms = pick(rng, customers).words;
         return search(own_search(std::move(f), pick(rng, s.psv)));
       }},
      {"get opportunity by id",
       [&] {
         std::size_t n = 0;
         (void)store.read([&](ReadTx& tx) -> Status {
           auto o = tx.get_opportunity(pick(rng, s.opp_ids));
           if (!o) return o.error();
           n = o->has_value() ? 1 : 0;
           return ok_status();
         });
         return n;
       }},
      // The reports (docs/reports.md): what each asks of the store, for a random 30 days.
      {"report: funnel total, 30 days",
       [&] {
         return read_rows(
             [&](ReadTx& tx) { return grouped(tx.count_funnel(month(), FunnelGroup::kNone)); });
       }},
      {"report: funnel by agent, 30 days",
       [&] {
         return read_rows(
             [&](ReadTx& tx) { return grouped(tx.count_funnel(month(), FunnelGroup::kAgent)); });
       }},
      {"report: funnel by day (quarter-hours), 30 days",
       [&] {
         return read_rows([&](ReadTx& tx) {
           return grouped(tx.count_funnel(month(), FunnelGroup::kQuarterHour));
         });
       }},
      {"report: funnel by platform, one campaign, 30 days",
       [&] {
         OpportunityFilter f = month();
         f.campaign = "";
         return read_rows(
             [&](ReadTx& tx) { return grouped(tx.count_funnel(f, FunnelGroup::kPlatform)); });
       }},
      {"report: people, revenue of won leads by person, 30 days",
       [&] {
         OpportunityFilter f = month();
         f.kind = FunnelKind::kLead;
         f.reached = FunnelStep::kWon;
         return read_rows([&](ReadTx& tx) -> Result<std::vector<RevenueSum>> {
           auto sums = tx.sum_revenue(f);
           if (!sums) return sums.error();
           return std::move(sums->per_person);
         });
       }},
      {"report: people, open by person and status",
       [&] { return read_rows([&](ReadTx& tx) { return tx.count_held_open(); }); }},
      {"report: people, overdue by person",
       [&] { return read_rows([&](ReadTx& tx) { return tx.count_overdue(now); }); }},
      {"report: people, re-inquiries by person, 30 days",
       [&] {
         OpportunityFilter f = month();
         return read_rows(
             [&](ReadTx& tx) { return tx.count_reinquiries(*f.created_from, *f.created_to); });
       }},
      {"report: now",
       [&] {
         std::size_t n = 0;
         Status st = store.read([&](ReadTx& tx) -> Status {
           auto r = tx.now_counts(now);
           if (!r) return r.error();
           n = r->unassigned.size() + 3;
           return ok_status();
         });
         if (!st) throw std::runtime_error(st.error().detail);
         return n;
       }},
      {"report: SLA, CRM entries of 30 days (list_crm_entries)",
       [&] {
         OpportunityFilter f = month();
         return read_rows(
             [&](ReadTx& tx) { return tx.list_crm_entries(*f.created_from, *f.created_to); });
       }},
      {"report: SLA, steps by policy (count_sla_steps)",
       [&] {
         OpportunityFilter f = month();
         return read_rows(
             [&](ReadTx& tx) { return tx.count_sla_steps(*f.created_from, *f.created_to); });
       }},
      {"report: time in stage, stays left in 30 days",
       [&] {
         OpportunityFilter f = month();
         TextTable texts;
         return read_rows([&](ReadTx& tx) {
           return tx.list_stage_stays(OpportunityFilter{}, *f.created_from, *f.created_to,
                                      FunnelGroup::kNone, texts);
         });
       }},
      {"report: time in stage, milestones of 30 days' leads",
       [&] {
         TextTable texts;
         return read_rows([&](ReadTx& tx) {
           return tx.list_stage_milestones(month(), FunnelGroup::kNone, texts);
         });
       }},
  };
  // Every report as its HTTP handler asks for it (the use case: all its store calls in one read
  // transaction, and the work in C++ after them), for a random 30 days.
  AppContext ctx{store, phones, ids, [&now] { return now; }, config};
  auto funnel_query = [&](FunnelGroupBy by) {
    const OpportunityFilter f = month();
    FunnelQuery q;
    q.from = *f.created_from;
    q.to = *f.created_to;
    q.group_by = by;
    return q;
  };
  auto must_rows = [](auto r, auto rows) -> std::size_t {
    if (!r) throw std::runtime_error(r.error().detail);
    return rows(*r);
  };
  auto funnel_case = [&](std::string name, FunnelGroupBy by) {
    return Case{"report use case: funnel " + name + ", 30 days", [&, by] {
                  return must_rows(funnel_report(ctx, funnel_query(by)),
                                   [](const FunnelReport& r) { return r.rows.size() + 1; });
                }};
  };
  auto stage_case = [&](std::string name, FunnelGroupBy by) {
    return Case{"report use case: time in stage " + name + ", 30 days", [&, by] {
                  return must_rows(time_in_stage_report(ctx, funnel_query(by)),
                                   [](const TimeInStageReport& r) { return r.rows.size() + 1; });
                }};
  };
  for (auto [name, by] : std::vector<std::pair<std::string, FunnelGroupBy>>{
           {"total", FunnelGroupBy::kNone},
           {"by platform", FunnelGroupBy::kPlatform},
           {"by campaign", FunnelGroupBy::kCampaign},
           {"by destination", FunnelGroupBy::kDestination},
           {"by agent", FunnelGroupBy::kAgent},
           {"by day", FunnelGroupBy::kDay},
           {"by week", FunnelGroupBy::kWeek}})
    cases.push_back(funnel_case(name, by));
  cases.push_back({"report use case: funnel of one person, by day, 30 days", [&] {
                     FunnelQuery q = funnel_query(FunnelGroupBy::kDay);
                     q.person = pick(rng, s.sales);
                     return must_rows(funnel_report(ctx, q),
                                      [](const FunnelReport& r) { return r.rows.size() + 1; });
                   }});
  for (auto [name, by] : std::vector<std::pair<std::string, FunnelGroupBy>>{
           {"total", FunnelGroupBy::kNone},
           {"by agent", FunnelGroupBy::kAgent},
           {"by platform", FunnelGroupBy::kPlatform},
           {"by destination", FunnelGroupBy::kDestination}})
    cases.push_back(stage_case(name, by));
  cases.push_back({"report use case: people (everyone), 30 days", [&] {
                     const OpportunityFilter f = month();
                     return must_rows(
                         people_report(ctx, *f.created_from, *f.created_to, std::nullopt),
                         [](const PeopleReport& r) { return r.rows.size(); });
                   }});
  cases.push_back({"report use case: people (a sales person's own), 30 days", [&] {
                     const OpportunityFilter f = month();
                     return must_rows(
                         people_report(ctx, *f.created_from, *f.created_to, pick(rng, s.sales)),
                         [](const PeopleReport& r) { return r.rows.size(); });
                   }});
  cases.push_back({"report use case: now", [&] {
                     return must_rows(now_report(ctx, 10),
                                      [](const NowReport& r) { return r.unmarked_urls.size(); });
                   }});
  cases.push_back({"report use case: SLA, 30 days", [&] {
                     const OpportunityFilter f = month();
                     return must_rows(sla_report(ctx, *f.created_from, *f.created_to),
                                      [](const SlaReport& r) { return r.rows.size(); });
                   }});

  std::printf("leadproc-query-bench: %s, %d calls per query, load average %.2f\n", target.c_str(),
              iterations, bench::load_average());
  // cpu: the calling thread's CPU time per call (on SQLite the whole call; on PostgreSQL only the
  // client's share): what a call costs apart from waiting for a core on a shared machine.
  std::printf("%-56s %9s %9s %9s %6s %9s %9s\n", "query", "p50 ms", "p99 ms", "max ms", "rows",
              "cpu p50", "cpu p99");
  for (auto& c : cases) {
    if (c.name.find(only) == std::string::npos) continue;
    bench::Latencies lat;
    bench::Latencies cpu;
    std::size_t rows = 0;
    int done = 0;
    try {
      // Warm the cache, then measure: `iterations` calls, or as many as fit in the time budget
      // (a slow query is reported from fewer calls rather than stalling the run).
      const auto warm_until = Clock::now() + std::chrono::seconds(2);
      for (int i = 0; i < std::max(10, iterations / 20) && Clock::now() < warm_until; ++i) c.run();
      const auto until = Clock::now() + std::chrono::duration<double>(budget);
      for (; done < iterations && (done < 20 || Clock::now() < until); ++done) {
        const auto t0 = Clock::now();
        const double cpu0 = thread_cpu_micros();
        rows += c.run();
        lat.add(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        cpu.add(thread_cpu_micros() - cpu0);
      }
    } catch (const std::exception& e) {
      std::printf("%-56s failed: %s\n", c.name.c_str(), e.what());
      continue;
    }
    std::printf("%-56s %9.3f %9.3f %9.3f %6.1f %9.3f %9.3f%s\n", c.name.c_str(),
                lat.percentile(50) / 1000, lat.percentile(99) / 1000, lat.max() / 1000,
                static_cast<double>(rows) / std::max(done, 1), cpu.percentile(50) / 1000,
                cpu.percentile(99) / 1000,
                done < iterations ? ("  (" + std::to_string(done) + " calls)").c_str() : "");
    std::printf(
        "RESULT label=query name=\"%s\" p50_ms=%.3f p99_ms=%.3f cpu_p50_ms=%.3f cpu_p99_ms=%.3f\n",
        c.name.c_str(), lat.percentile(50) / 1000, lat.percentile(99) / 1000,
        cpu.percentile(50) / 1000, cpu.percentile(99) / 1000);
  }
  return 0;
}
