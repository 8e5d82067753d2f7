// Named periodic jobs (issue 7): each has a schedule in the business time zone, and every run is
// recorded in the store's job_runs (start, end, outcome, counts). The unique (job, slot) row is
// the lease: whichever instance inserts it runs that slot, so on PostgreSQL a slot runs on one
// instance only. docs/api-scoring-jobs.md "Jobs".
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "jobs/schedule.h"

namespace leadproc::jobs {

// What a run did, e.g. {"sessions": 3}: stored as the run's counts (a JSON object).
using JobCounts = boost::json::object;

struct Job {
  std::string name;
  Schedule schedule;
  std::function<Result<JobCounts>(AppContext&)> run;
};

// The jobs of the service: session-purge (every minute), overdue-followups (every 15 minutes),
// score-refresh (daily 02:00 business time), cms-url-sync (daily 03:00 business time; listed
// always, a run without LEADPROC_CMS_SITEMAP_URL is ok with counts {"skipped": ...}),
// followup-alerts (every minute), live-events-purge (every 15 minutes), assign-waiting (every
// minute: leads waiting for a pool whose first POC has started working; counts per pool),
// conversions-send (every minute: conversions to the ad platforms; jobs/conversion_sender.h).
// sla-escalation (every minute: the escalation policies' warnings and actions,
// app/sla_escalation.h; counts warned, reassigned, notified, waiting), meta-reconcile (every 15
// minutes: each Meta page's forms read for leads the webhook missed, jobs/meta_reconcile.h;
// counts pages, forms, listed, new, errors), retention (hourly: idempotency records past their
// window, the outbox and the jobs' runs older than LEADPROC_RETENTION_DAYS, app/retention.h;
// counts idempotencyRecords, outboxEvents, jobRuns).
std::vector<Job> default_jobs();

// The job named `name` in `jobs`, or nullptr.
const Job* find_job(const std::vector<Job>& jobs, const std::string& name);

// A name for this process in job_runs.instance: "host:pid".
std::string instance_name();

// Claims (job.name, slot) and, when this caller got it, runs the job and records the outcome.
// nullopt: another run holds that slot (nothing was run). An error of the job itself is not an
// error here: the run is recorded as "failed" and returned. Errors: the store failed.
Result<std::optional<JobRun>> run_job(AppContext& ctx, const Job& job, Timestamp slot,
                                      const std::string& instance);

// Runs the job named `name` now (its slot is this instant), as `leadproc jobs run NAME` and
// POST /api/v1/jobs/{name}/run do, and answers the recorded run: {"job", "slot", "instance",
// "startedAt", "finishedAt", "outcome" ("ok" | "failed"), "counts", "error"}. A job that failed
// is a recorded run, not an error here. Errors: kNotFound for an unknown name (the detail lists
// the jobs), kConflict when another run holds the slot, and the store's.
Result<boost::json::object> run_job_now(AppContext& ctx, const std::vector<Job>& jobs,
                                        const std::string& name);

// {"items": [{"name", "schedule", "runs": [...]}]}: every job with its latest `runs` runs, newest
// first (each {"slot", "instance", "startedAt", "finishedAt", "outcome", "counts", "error"}).
Result<boost::json::object> describe_jobs(AppContext& ctx, const std::vector<Job>& jobs, int runs);

}  // namespace leadproc::jobs
