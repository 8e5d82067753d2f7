// The API's route tables, one function per area; src/cli/serve.cpp calls them all. Handlers are
// blocking functions run on the worker pool (never on the network threads).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>

#include "app/context.h"
#include "app/live_events.h"
#include "app/meta_reconcile.h"
#include "http/metrics.h"
#include "http/router.h"

namespace leadproc::http {

// /api/v1/users, /destinations, /process-destination-maps, /availabilities, /weburls
void register_config_routes(Router& router, AppContext& ctx);

// /api/v1/leads, /api/v1/opportunities (reading), activities
void register_lead_routes(Router& router, AppContext& ctx, Metrics& metrics);

// GET /api/v1/search, GET /api/v1/customers/{number} (docs/api-search.md)
void register_search_routes(Router& router, AppContext& ctx);

// GET /api/v1/exports/opportunities.csv: the opportunities list as CSV, streamed (docs/api.md
// "Exports")
void register_export_routes(Router& router, AppContext& ctx);

// GET /api/v1/events/stream: the caller's live events as Server-Sent Events (docs/api-events.md),
// from `bus`, which must outlive the router.
void register_event_routes(Router& router, AppContext& ctx, LiveBus& bus);
// /api/v1/me/views: a person's saved views of the opportunities list (docs/api.md "Saved views")
void register_view_routes(Router& router, AppContext& ctx);
// Escalation policies (admin): /api/v1/sla-policies.
void register_sla_policy_routes(Router& router, AppContext& ctx);
// GET /api/v1/reports/funnel and GET /api/v1/exports/funnel.csv (docs/reports.md)
void register_report_routes(Router& router, AppContext& ctx);

// /healthz, /readyz, /metrics
void register_ops_routes(Router& router, AppContext& ctx, Metrics& metrics);

// Workflow (docs/api-workflow.md)
// /api/v1/opportunities/{id}/transitions, PATCH /api/v1/opportunities/{id}, .../reassign,
// .../followups, .../notes, .../timeline; /api/v1/followups (due lists, complete, cancel,
// reschedule); /api/v1/reports/sla
void register_workflow_routes(Router& router, AppContext& ctx);
// POST /api/v1/opportunities/bulk: one action on many opportunities (app/bulk.h)
void register_bulk_routes(Router& router, AppContext& ctx);

// Authentication (docs/api-auth.md)
// /api/v1/auth/login, /logout, /me; /api/v1/users/{id}/password; /api/v1/login-throttles;
// /api/v1/api-keys. Login attempts and throttle decisions are counted in `metrics`.
void register_auth_routes(Router& router, AppContext& ctx, Metrics& metrics);

// Installs the guard that authenticates every request (Authorization: Bearer <token> for users;
// X-Api-Key: <key> or Authorization: ApiKey <key> for lead sources) and enforces each route's
// Access: 401 without or with bad credentials, 403 with valid ones lacking the right. Routes
// without a rule are ADMIN only.
void install_auth_guard(Router& router, AppContext& ctx);

// Benchmarks (docs/api.md, "Benchmark-only endpoints")
// POST /api/v1/_bench/echo: the HTTP limit of ingestion (the access rule, worker pool and JSON
// parsing of POST /api/v1/leads, a same-size 201, no writes). Register it only when the
// LEADPROC_BENCH_ENDPOINTS setting is on.
void register_bench_routes(Router& router, AppContext& ctx);

// POST /api/v1/_test/clock (ADMIN; docs/api.md "Test-only endpoints"): moves the server's clock
// forward by `advanceSeconds` with `advance` and answers the new now. Register it only when the
// LEADPROC_TEST_CLOCK setting is on: tests use it instead of waiting.
void register_test_clock_routes(Router& router,
                                std::function<Timestamp(std::chrono::milliseconds)> advance);

// Web UI (docs/api.md "Web UI")
// GET /, GET /ui/{file} and GET /ui/vendor/{file}: the files of web/, embedded in the binary
// (http/web_assets.h).
void register_web_routes(Router& router);

// Outbound (docs/events.md)
// GET /api/v1/outbox/events: the outbox's events in order, as subscribers receive them;
// /api/v1/webhooks: subscriptions, deliveries, dead letters and replay. `wake` (may be empty)
// asks the webhook sender for a round after a change.
void register_outbox_routes(Router& router, AppContext& ctx, std::function<void()> wake);
// GET/PUT /api/v1/conversions/settings and GET /api/v1/conversions (docs/conversions.md).
void register_conversion_routes(Router& router, AppContext& ctx);

// Intake (docs/intake.md)
// GET/POST /api/v1/intake/meta (public: Meta's handshake and signed webhook), PUT/GET
// /api/v1/intake/meta/pages[/{pageId}], GET /api/v1/intake/meta/receipts and POST
// .../receipts/{leadgenId}/retry and POST .../pages/{pageId}/sync (ADMIN). `wake` (may be empty)
// asks the lead fetcher (jobs/meta_leads.h) for a pass: called when receipts were stored or made
// due. `sync` runs the reconciler on one page (jobs/meta_reconcile.h: sync_meta_page).
using MetaPageSyncer = std::function<Result<MetaPageSync>(const std::string& page_id)>;
void register_intake_routes(Router& router, AppContext& ctx, std::function<void()> wake,
                            MetaPageSyncer sync);
// POST /api/v1/intake/google (public: Google's lead form webhook, authenticated by the form's
// google_key) and POST/GET/PATCH/DELETE /api/v1/intake/sources[/{id}] (ADMIN) of every kind.
// `wake` (may be empty) is register_intake_routes' own: a Meta source's saved page token may
// have made receipts due.
void register_intake_source_routes(Router& router, AppContext& ctx, std::function<void()> wake);
// POST /api/v1/intake/forms/{formKey} (public: a website's form posts there; the form key names
// the form) and its CORS preflight (OPTIONS), with a per-address rate limit of
// ctx.config.form_posts_per_hour. Posts are counted in `metrics` by outcome.
void register_intake_form_routes(Router& router, AppContext& ctx, Metrics& metrics);

// Jobs (docs/api-scoring-jobs.md)
// GET /api/v1/jobs (ADMIN): the body `list` answers (src/jobs describe_jobs; the HTTP layer does
// not know the jobs themselves).
// POST /api/v1/jobs/{name}/run (ADMIN): the body `run` answers for the name (jobs::run_job_now).
void register_jobs_routes(Router& router, std::function<Result<boost::json::object>()> list,
                          std::function<Result<boost::json::object>(const std::string& name)> run);

}  // namespace leadproc::http
