// The Store contract's "Scoring, URL insight, jobs" block (src/app/store.h): score
// configurations, daily web URL hits, resolving leads by page URL and job runs, against every
// adapter (SQLite always; PostgreSQL when LEADPROC_TEST_PG_URL is set, run by the storage_pg test).
// Cases use only the port.
#include <gtest/gtest.h>

#include "app/store.h"
#include "contract_fixture.h"

// Designated initializers leave other options at their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace leadproc {
namespace {

using storage_test::at;
using storage_test::oid;

constexpr std::int64_t kT0 = 1'700'000'000'000;

class ScoringContract : public storage_test::ContractTest {};

TEST_P(ScoringContract, ScoreConfigurationsHaveOneActive) {
  auto config = [](unsigned n, double paid) {
    ScoreConfig c;
    c.id = oid(n);
    c.paid_ads = paid;
    c.hot_lead = 2.5;
    c.created_at = c.updated_at = at(kT0);
    return c;
  };
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                for (unsigned i = 1; i <= 3; ++i)
                  if (auto s = tx.insert_score_config(config(i, 10.0 * i)); !s) return s;
                return ok_status();
              }).ok());
  auto none = read([](ReadTx& tx) { return tx.active_score_config(); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto stamp0 = read([](ReadTx& tx) { return tx.score_configs_stamp(); });
  ASSERT_TRUE(stamp0.ok());
  EXPECT_EQ(*stamp0, kT0);

  ASSERT_TRUE(
      write([](WriteTx& tx) { return tx.activate_score_config(oid(2), at(kT0 + 10)); }).ok());
  ASSERT_TRUE(
      write([](WriteTx& tx) { return tx.activate_score_config(oid(3), at(kT0 + 20)); }).ok());
  auto active = read([](ReadTx& tx) { return tx.active_score_config(); });
  ASSERT_TRUE(active.ok());
  ASSERT_TRUE(active->has_value());
  EXPECT_EQ((*active)->id, oid(3));
  EXPECT_EQ((*active)->paid_ads, 30.0);
  EXPECT_EQ((*active)->hot_lead, 2.5);
  auto all = read([](ReadTx& tx) { return tx.list_score_configs(); });
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, oid(3));  // newest first
  int actives = 0;
  for (const auto& c : *all) actives += c.is_active ? 1 : 0;
  EXPECT_EQ(actives, 1);
  auto stamp = read([](ReadTx& tx) { return tx.score_configs_stamp(); });
  EXPECT_EQ(*stamp, kT0 + 20);
  auto missing = write([](WriteTx& tx) { return tx.activate_score_config(oid(9), at(kT0)); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(ScoringContract, DailyWebUrlHits) {
  WebUrl a, b;
  a.id = oid(1);
  a.url = "https://a.example.com/x";
  b.id = oid(2);
  b.url = "https://b.example.com/y";
  a.created_at = a.updated_at = b.created_at = b.updated_at = at(kT0);
  ASSERT_TRUE(write([&](WriteTx& tx) -> Status {
                if (auto s = tx.insert_weburl(a); !s) return s;
                if (auto s = tx.insert_weburl(b); !s) return s;
                for (const char* d : {"2026-01-01", "2026-01-02", "2026-01-02", "2026-01-05"})
                  if (auto s = tx.count_weburl_daily_hit(a.id, d); !s) return s;
                return tx.count_weburl_daily_hit(b.id, "2026-01-01");
              }).ok());
  auto days =
      read([&](ReadTx& tx) { return tx.weburl_daily_hits(a.id, "2026-01-01", "2026-01-04"); });
  ASSERT_TRUE(days.ok());
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ((*days)[0].day, "2026-01-01");
  EXPECT_EQ((*days)[0].hits, 1);
  EXPECT_EQ((*days)[1].hits, 2);
  auto ranked = read([](ReadTx& tx) {
    return tx.list_weburls_hit_between(WebUrlFilter{}, "2026-01-01", "2026-01-31");
  });
  ASSERT_TRUE(ranked.ok());
  ASSERT_EQ(ranked->size(), 2u);
  EXPECT_EQ((*ranked)[0].url.id, a.id);
  EXPECT_EQ((*ranked)[0].hits, 4);
  EXPECT_EQ((*ranked)[1].hits, 1);
}

TEST_P(ScoringContract, JobRunsAreClaimedOnce) {
  JobRun run;
  run.job = "score-refresh";
  run.slot = at(kT0);
  run.instance = "a";
  run.started_at = at(kT0);
  auto first = write([&](WriteTx& tx) { return tx.claim_job_run(run); });
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  run.instance = "b";
  auto second = write([&](WriteTx& tx) { return tx.claim_job_run(run); });
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  run.finished_at = at(kT0 + 5);
  run.outcome = "ok";
  run.counts_json = R"({"examined":3})";
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.finish_job_run(run); }).ok());
  auto runs = read([](ReadTx& tx) { return tx.list_job_runs("score-refresh", 10); });
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].instance, "a");
  EXPECT_EQ((*runs)[0].outcome, "ok");
  EXPECT_EQ((*runs)[0].counts_json, R"({"examined":3})");
  EXPECT_EQ((*runs)[0].finished_at, at(kT0 + 5));
}

INSTANTIATE_TEST_SUITE_P(Adapters, ScoringContract,
                         ::testing::ValuesIn(storage_test::contract_backends("scoring")),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace leadproc
