#include "jobs/jobs.h"

#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <exception>

#include "app/assignment.h"
#include "app/auth.h"
#include "app/live_events.h"
#include "app/retention.h"
#include "app/score_configs.h"
#include "app/sla_escalation.h"
#include "domain/time_format.h"
#include "jobs/cms_sync.h"
#include "jobs/conversion_sender.h"
#include "jobs/meta_reconcile.h"

namespace leadproc::jobs {
namespace json = boost::json;

namespace {

// At most this many overdue follow-ups are counted (the count saturates there).
constexpr int kOverdueCountLimit = 100000;

Result<JobCounts> purge_sessions(AppContext& ctx) {
  auto r = purge_expired_auth(ctx);
  if (!r) return r.error();
  return JobCounts{{"sessions", r->sessions}, {"loginFailures", r->login_failures}};
}

Result<JobCounts> count_overdue_followups(AppContext& ctx) {
  DueWindow w;
  w.to = ctx.now();
  w.limit = kOverdueCountLimit;
  std::int64_t count = 0;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto due = tx.list_due_followups(w);
    if (!due) return due.error();
    count = static_cast<std::int64_t>(due->size());
    return ok_status();
  });
  if (!s) return s.error();
  return JobCounts{{"overdue", count}};
}

// Live events (app/live_events.h) are kept this long at least for replay (Last-Event-ID); the
// purge runs every 15 minutes, so they are kept up to a quarter of an hour longer.
constexpr auto kLiveEventRetention = std::chrono::hours(1);
// A follow-up is announced as due this long before its reminder.
constexpr auto kFollowUpAlertLead = std::chrono::minutes(15);
// The first followup-alerts run, or one after a long pause, looks back at most this far.
constexpr auto kFollowUpAlertLookBack = std::chrono::hours(1);
constexpr std::string_view kFollowUpAlerts = "followup-alerts";

Result<JobCounts> purge_live_events(AppContext& ctx) {
  int purged = 0;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto n = tx.purge_live_events(ctx.now() - kLiveEventRetention);
    if (!n) return n.error();
    purged = *n;
    return ok_status();
  });
  if (!s) return s.error();
  return JobCounts{{"events", purged}};
}

// The window of this run is (the previous run's start, this run's start]: consecutive runs cover
// consecutive windows, on whichever instance each ran, so a reminder is announced once.
Result<JobCounts> alert_followups(AppContext& ctx) {
  std::vector<JobRun> runs;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.list_job_runs(std::string(kFollowUpAlerts), 10);
    if (!r) return r.error();
    runs = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  // By start, newest first: this run (claimed just before), then the one before it (a manual run
  // has the instant it was asked for as its slot, so slots alone need not be in that order).
  std::sort(runs.begin(), runs.end(),
            [](const JobRun& a, const JobRun& b) { return a.started_at > b.started_at; });
  const Timestamp now = runs.empty() ? ctx.now() : runs.front().started_at;
  Timestamp since = runs.size() > 1 ? runs[1].started_at : now - std::chrono::minutes(1);
  since = std::max(since, now - kFollowUpAlertLookBack);
  if (since >= now) return JobCounts{{"events", 0}};
  auto written = record_followup_alerts(ctx, since, now, kFollowUpAlertLead);
  if (!written) return written.error();
  return JobCounts{{"events", *written}};
}

// Leads wait when nobody of their pool works (shifts, leave, check-out: issue 21); they are
// assigned, oldest first, in the first run after someone starts working. A shift edit or a
// check-in assigns them at once; this catches a shift that simply begins.
Result<JobCounts> assign_waiting_leads(AppContext& ctx) {
  JobCounts counts;
  for (auto pool : {AvailabilityProcess::kPsv, AvailabilityProcess::kWest,
                    AvailabilityProcess::kSales, AvailabilityProcess::kJunkAutomation}) {
    int assigned = 0;
    auto s = ctx.store.write([&](WriteTx& tx) -> Status {
      auto n = assign_waiting(ctx, tx, pool, std::nullopt);
      if (!n) return n.error();
      assigned = *n;
      return ok_status();
    });
    if (!s) return s.error();
    counts[to_string(pool)] = assigned;
  }
  return counts;
}

// Escalation policies (app/sla_escalation.h): warn, then reassign or notify, once per lead.
Result<JobCounts> escalate_sla(AppContext& ctx) {
  auto r = run_sla_escalation(ctx);
  if (!r) return r.error();
  return JobCounts{{"warned", r->warned},
                   {"reassigned", r->reassigned},
                   {"notified", r->notified},
                   {"waiting", r->waiting}};
}

// Retention (app/retention.h): the jobs' runs are kept as long as the outbox.
Result<JobCounts> apply_retention_job(AppContext& ctx) {
  std::vector<std::string> names;
  for (const Job& job : default_jobs()) names.push_back(job.name);
  auto r = apply_retention(ctx, ctx.config.retention_days, names);
  if (!r) return r.error();
  return JobCounts{{"idempotencyRecords", r->idempotency_records},
                   {"outboxEvents", r->outbox_events},
                   {"jobRuns", r->job_runs}};
}

Result<JobCounts> refresh_scores(AppContext& ctx) {
  auto r = refresh_travel_month_scores(ctx);
  if (!r) return r.error();
  return JobCounts{{"examined", r->examined}, {"changed", r->changed}};
}

Result<JobCounts> sync_cms_urls(AppContext& ctx) {
  if (ctx.config.cms_sitemap_url.empty())
    return JobCounts{{"skipped", "LEADPROC_CMS_SITEMAP_URL is not set"}};
  auto r = sync_cms_sitemap(ctx, ctx.config.cms_sitemap_url, curl_fetcher());
  if (!r) return r.error();
  return JobCounts{{"sitemaps", r->sitemaps},
                   {"urls", r->urls},
                   {"created", r->created},
                   {"unchanged", r->unchanged}};
}

json::value opt_time(const std::optional<Timestamp>& t) {
  return t ? json::value(format_iso8601(*t)) : json::value(nullptr);
}

json::object run_json(const JobRun& r) {
  json::value counts;
  boost::system::error_code ec;
  counts = json::parse(r.counts_json, ec);
  if (ec || !counts.is_object()) counts = json::object{};
  return json::object{{"slot", format_iso8601(r.slot)},
                      {"instance", r.instance},
                      {"startedAt", format_iso8601(r.started_at)},
                      {"finishedAt", opt_time(r.finished_at)},
                      {"outcome", r.outcome},
                      {"counts", std::move(counts)},
                      {"error", r.error ? json::value(*r.error) : json::value(nullptr)}};
}

json::object schedule_json(const Schedule& s, const std::string& zone) {
  if (s.kind == Schedule::Kind::kOnDemand)
    return json::object{{"kind", "on-demand"}, {"text", s.describe()}};
  if (s.kind == Schedule::Kind::kEveryMinutes)
    return json::object{{"kind", "every"}, {"minutes", s.minutes}, {"text", s.describe()}};
  char at[8];
  std::snprintf(at, sizeof at, "%02d:%02d", s.hour, s.minute);
  return json::object{{"kind", "daily"}, {"at", at}, {"timeZone", zone}, {"text", s.describe()}};
}

}  // namespace

std::vector<Job> default_jobs() {
  return {
      {"session-purge", Schedule::every_minutes(1), purge_sessions},
      {"overdue-followups", Schedule::every_minutes(15), count_overdue_followups},
      {"score-refresh", Schedule::daily_at(2, 0), refresh_scores},
      {"cms-url-sync", Schedule::daily_at(3, 0), sync_cms_urls},
      {std::string(kFollowUpAlerts), Schedule::every_minutes(1), alert_followups},
      {"live-events-purge", Schedule::every_minutes(15), purge_live_events},
      {"assign-waiting", Schedule::every_minutes(1), assign_waiting_leads},
      {"conversions-send", Schedule::every_minutes(1),
       [post = curl_conversion_post()](AppContext& ctx) { return send_conversions(ctx, post); }},
      {"sla-escalation", Schedule::every_minutes(1), escalate_sla},
      {"meta-reconcile", Schedule::every_minutes(15),
       [get = curl_graph_get()](AppContext& ctx) { return reconcile_meta_pages(ctx, get); }},
      {"retention", Schedule::every_minutes(60), apply_retention_job},
  };
}

const Job* find_job(const std::vector<Job>& jobs, const std::string& name) {
  for (const auto& j : jobs)
    if (j.name == name) return &j;
  return nullptr;
}

std::string instance_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "localhost") + ":" + std::to_string(::getpid());
}

Result<std::optional<JobRun>> run_job(AppContext& ctx, const Job& job, Timestamp slot,
                                      const std::string& instance) {
  JobRun run;
  run.job = job.name;
  run.slot = slot;
  run.instance = instance;
  run.started_at = ctx.now();
  bool claimed = false;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto c = tx.claim_job_run(run);
    if (!c) return c.error();
    claimed = *c;
    return ok_status();
  });
  if (!s) return s.error();
  if (!claimed) return std::optional<JobRun>{};

  Result<JobCounts> counts = Error::internal("job did not run");
  try {
    counts = job.run(ctx);
  } catch (const std::exception& e) {
    counts = Error::internal(std::string("job threw: ") + e.what());
  }
  run.finished_at = ctx.now();
  if (counts) {
    run.outcome = "ok";
    run.counts_json = json::serialize(*counts);
  } else {
    run.outcome = "failed";
    run.error = counts.error().detail;
  }
  auto f = ctx.store.write([&](WriteTx& tx) { return tx.finish_job_run(run); });
  if (!f) return f.error();
  return std::optional<JobRun>{std::move(run)};
}

Result<json::object> run_job_now(AppContext& ctx, const std::vector<Job>& jobs,
                                 const std::string& name) {
  const Job* job = find_job(jobs, name);
  if (!job) {
    std::string known;
    for (const auto& j : jobs) known += (known.empty() ? "" : ", ") + j.name;
    return Error::not_found("no job named '" + name + "'; the jobs: " + known);
  }
  auto run = run_job(ctx, *job, ctx.now(), instance_name());
  if (!run) return run.error();
  if (!*run) return Error::conflict("job " + name + ": this slot is being run already");
  json::object out{{"job", job->name}};
  for (auto& [key, value] : run_json(**run)) out.emplace(key, std::move(value));
  return out;
}

Result<json::object> describe_jobs(AppContext& ctx, const std::vector<Job>& jobs, int runs) {
  json::array items;
  for (const auto& job : jobs) {
    std::vector<JobRun> latest;
    auto s = ctx.store.read([&](ReadTx& tx) -> Status {
      auto r = tx.list_job_runs(job.name, runs);
      if (!r) return r.error();
      latest = std::move(*r);
      return ok_status();
    });
    if (!s) return s.error();
    json::array out;
    for (const auto& r : latest) out.emplace_back(run_json(r));
    items.emplace_back(json::object{{"name", job.name},
                                    {"schedule", schedule_json(job.schedule, ctx.config.timezone)},
                                    {"runs", std::move(out)}});
  }
  return json::object{{"items", std::move(items)}};
}

}  // namespace leadproc::jobs
