#include "cli/serve.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/system_error.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "app/auth.h"
#include "cli/app_runtime.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/routes.h"
#include "http/server.h"
#include "jobs/meta_leads.h"
#include "jobs/meta_reconcile.h"
#include "jobs/runner.h"
#include "jobs/webhook_sender.h"

namespace leadproc::cli {

// GET /api/v1/jobs shows this many latest runs of each job.
constexpr int kRunsListed = 10;

// Every route of the API, and the guard that enforces their access rules. `leadproc routes`
// lists what this registers, so a route added here is in the access-table test at once.
// `optional`: the routes that only a setting turns on.
void register_api(http::Router& router, AppContext& ctx, http::Metrics& metrics,
                  const std::vector<jobs::Job>& job_list, LiveBus& live,
                  const OptionalRoutes& optional) {
  http::register_ops_routes(router, ctx, metrics);
  http::register_web_routes(router);  // the web UI (web/, embedded)
  http::register_config_routes(router, ctx);
  http::register_sla_policy_routes(router, ctx);  // escalation policies
  http::register_lead_routes(router, ctx, metrics);
  http::register_search_routes(router, ctx);    // search, the customer view
  http::register_export_routes(router, ctx);    // CSV exports
  http::register_bulk_routes(router, ctx);      // bulk reassign, tag, move
  http::register_view_routes(router, ctx);      // saved views
  http::register_report_routes(router, ctx);    // funnel (and its CSV)
  http::register_workflow_routes(router, ctx);  // workflow: transitions, follow-ups, notes, SLA
  http::register_auth_routes(router, ctx, metrics);
  http::register_event_routes(router, ctx, live);  // live events (Server-Sent Events)
  http::register_intake_routes(                    // Meta Lead Ads
      router, ctx, optional.wake_intake,
      [&ctx, get = jobs::curl_graph_get()](const std::string& page_id) {
        return jobs::sync_meta_page(ctx, get, page_id);
      });
  http::register_intake_source_routes(router, ctx, optional.wake_intake);  // Google, sources
  http::register_intake_form_routes(router, ctx, metrics);                 // website forms
  http::register_outbox_routes(router, ctx, optional.wake_webhooks);       // outbox, webhooks
  http::register_conversion_routes(router, ctx);                           // to the ad platforms
  http::register_jobs_routes(
      router, [&ctx, &job_list] { return jobs::describe_jobs(ctx, job_list, kRunsListed); },
      [&ctx, &job_list](const std::string& name) {
        return jobs::run_job_now(ctx, job_list, name);
      });
  if (optional.bench) http::register_bench_routes(router, ctx);
  if (optional.advance_clock) http::register_test_clock_routes(router, optional.advance_clock);
  http::register_openapi_route(router);  // last: it describes the routes above
  http::install_auth_guard(router, ctx);
}

namespace {

// The first Limits setting out of range, as "NAME: value (rule)"; nullopt when all are fine.
std::optional<std::string> bad_limit(const Settings& s) {
  struct Rule {
    const char* name;
    int value;
    int min;
  };
  const Rule rules[] = {{"LEADPROC_BODY_LIMIT", s.body_limit, 1},
                        {"LEADPROC_LEAD_BODY_LIMIT", s.lead_body_limit, 1},
                        {"LEADPROC_BODY_BUDGET", s.body_budget, 1},
                        {"LEADPROC_MAX_CONNECTIONS", s.max_connections, 0},
                        {"LEADPROC_MAX_CONNECTIONS_PER_ADDRESS", s.max_connections_per_address, 0},
                        {"LEADPROC_HASH_THREADS", s.hash_threads, 0},
                        {"LEADPROC_HASH_MAX_QUEUE", s.hash_max_queue, 1},
                        {"LEADPROC_HASH_QUEUE_DEADLINE_MS", s.hash_queue_deadline_ms, 0},
                        {"LEADPROC_EVENT_STREAMS", s.event_streams, 1},
                        {"LEADPROC_EVENT_STREAMS_PER_USER", s.event_streams_per_user, 1},
                        {"LEADPROC_EVENT_HEARTBEAT_SECONDS", s.event_heartbeat_s, 1},
                        {"LEADPROC_FORM_POSTS_PER_HOUR", s.form_posts_per_hour, 1},
                        {"LEADPROC_META_RECONCILE_MINUTES", s.meta_reconcile_minutes, 0}};
  for (const Rule& r : rules) {
    if (r.value < r.min)
      return std::string(r.name) + ": " + std::to_string(r.value) +
             " (must be >= " + std::to_string(r.min) + ")";
  }
  if (s.meta_reconcile_minutes > 1440)
    return "LEADPROC_META_RECONCILE_MINUTES: " + std::to_string(s.meta_reconcile_minutes) +
           " (must be <= 1440; 0: on demand only)";
  if (s.body_budget < std::max(s.body_limit, s.lead_body_limit))
    return "LEADPROC_BODY_BUDGET: " + std::to_string(s.body_budget) +
           " (must be >= LEADPROC_BODY_LIMIT and LEADPROC_LEAD_BODY_LIMIT)";
  return std::nullopt;
}

}  // namespace

int serve(const Settings& settings) {
  if (settings.worker_threads < 1) {
    std::cerr << "leadproc: bad LEADPROC_WORKERS (--workers): " << settings.worker_threads
              << " (must be >= 1)\n";
    return 1;
  }
  if (settings.io_threads < 1) {
    std::cerr << "leadproc: bad LEADPROC_IO_THREADS (--io-threads): " << settings.io_threads
              << " (must be >= 1)\n";
    return 1;
  }
  if (settings.max_queue < 1) {
    std::cerr << "leadproc: bad LEADPROC_MAX_QUEUE: " << settings.max_queue << " (must be >= 1)\n";
    return 1;
  }
  if (settings.queue_deadline_ms < 0) {
    std::cerr << "leadproc: bad LEADPROC_QUEUE_DEADLINE_MS: " << settings.queue_deadline_ms
              << " (must be >= 0; 0: no deadline)\n";
    return 1;
  }
  if (settings.webhook_nice < 0 || settings.webhook_nice > 19) {
    std::cerr << "leadproc: bad LEADPROC_WEBHOOK_NICE (--webhook-nice): " << settings.webhook_nice
              << " (must be 0..19)\n";
    return 1;
  }
  if (auto bad = bad_limit(settings)) {
    std::cerr << "leadproc: bad " << *bad << "\n";
    return 1;
  }
  std::string bad_proxy;
  auto trusted = http::TrustedProxies::parse(settings.trusted_proxies, &bad_proxy);
  if (!trusted) {
    std::cerr << "leadproc: bad LEADPROC_TRUSTED_PROXIES: '" << bad_proxy
              << "' is not an IP address\n";
    return 1;
  }
  std::string bad_network;
  auto webhook_guard = jobs::AddressGuard::parse(settings.webhook_allow_networks, &bad_network);
  if (!webhook_guard) {
    std::cerr << "leadproc: bad LEADPROC_WEBHOOK_ALLOW_NETWORKS: '" << bad_network
              << "' is not a CIDR block\n";
    return 1;
  }
  auto runtime = AppRuntime::open(settings);
  if (!runtime) {
    std::cerr << "leadproc: cannot start: " << runtime.error().detail << "\n";
    return 1;
  }
  AppContext& ctx = (*runtime)->context();
  if (auto store = ctx.store.describe(); !store.empty())
    http::log_info("store", {{"store", store}});
  http::Metrics metrics;
  http::Router router;
  const std::vector<jobs::Job> job_list = [&settings] {
    auto list = jobs::default_jobs();
    for (auto& job : list)
      if (job.name == "meta-reconcile")
        job.schedule = settings.meta_reconcile_minutes == 0
                           ? jobs::Schedule::on_demand()
                           : jobs::Schedule::every_minutes(settings.meta_reconcile_minutes);
    return list;
  }();
  OptionalRoutes optional{settings.bench_endpoints, {}, {}, {}};
  if (settings.test_clock)
    optional.advance_clock = [rt = runtime->get()](std::chrono::milliseconds by) {
      return rt->advance_clock(by);
    };
  // Live events: the store hands every committed event (this instance's on SQLite, every
  // instance's on PostgreSQL) to the bus, which routes it to the streams open here. Shared with
  // the sink, which the store may call until it closes.
  auto live = std::make_shared<LiveBus>(
      LiveLimits{static_cast<std::size_t>(settings.event_streams),
                 static_cast<std::size_t>(settings.event_streams_per_user), LiveLimits{}.queue});
  ctx.store.set_live_sink([live](const std::vector<LiveEvent>& events) { live->publish(events); });
  // The Meta lead fetcher: fetches the leads whose webhook receipts are due (docs/intake.md),
  // woken by the webhook; its pass reports the receipts failed and pending to /metrics.
  jobs::MetaLeadWorker meta_leads(
      ctx, jobs::curl_graph_get(),
      [&metrics](const jobs::MetaFetchCounts& pass, std::int64_t failed, std::int64_t pending) {
        const std::string help = "Meta lead fetch attempts by outcome";
        metrics.inc("leadproc_meta_lead_fetches_total", help, {{"outcome", "ingested"}},
                    pass.ingested);
        metrics.inc("leadproc_meta_lead_fetches_total", help, {{"outcome", "retrying"}},
                    pass.retrying);
        metrics.inc("leadproc_meta_lead_fetches_total", help, {{"outcome", "failed"}}, pass.failed);
        const std::string receipts = "Meta lead receipts by status (failed ones need an admin)";
        metrics.set_gauge("leadproc_meta_receipts", receipts, {{"status", "failed"}},
                          static_cast<double>(failed));
        metrics.set_gauge("leadproc_meta_receipts", receipts, {{"status", "pending"}},
                          static_cast<double>(pending));
      },
      [](const std::string& line) {
        http::log_warn("meta-intake", {{"detail", line}});
      });
  optional.wake_intake = [&meta_leads] { meta_leads.wake(); };
  // The webhook sender (docs/events.md): one per process; on PostgreSQL the instances share the
  // deliveries through leases (a claim holds longer than a request may take).
  jobs::WebhookSenderConfig webhooks{*webhook_guard};
  webhooks.nice = settings.webhook_nice;
  if (settings.database_url.starts_with("postgres")) webhooks.lease = std::chrono::seconds(60);
  jobs::WebhookSender webhook_sender(ctx, webhooks, [](const std::string& line) {
    http::log_warn("webhooks", {{"detail", line}});
  });
  optional.wake_webhooks = [&webhook_sender] { webhook_sender.wake(); };
  register_api(router, ctx, metrics, job_list, *live, optional);
  if (settings.bench_endpoints)
    http::log_warn(
        "benchmark-only endpoints are on (LEADPROC_BENCH_ENDPOINTS): POST /api/v1/_bench/echo");
  if (settings.test_clock)
    http::log_warn("the test clock is on (LEADPROC_TEST_CLOCK): POST /api/v1/_test/clock");

  http::ServerConfig config;
  config.listen = settings.listen;
  config.io_threads = settings.io_threads;
  config.worker_threads = settings.worker_threads;
  config.port_file = settings.port_file;
  config.max_queue = static_cast<std::size_t>(settings.max_queue);
  config.queue_deadline = std::chrono::milliseconds(settings.queue_deadline_ms);
  config.trusted_proxies = *trusted;
  config.body_limit = static_cast<std::size_t>(settings.body_limit);
  config.lead_body_limit = static_cast<std::size_t>(settings.lead_body_limit);
  config.body_budget = static_cast<std::size_t>(settings.body_budget);
  config.max_connections = static_cast<std::size_t>(settings.max_connections);
  config.max_connections_per_address =
      static_cast<std::size_t>(settings.max_connections_per_address);
  config.hash_threads =
      settings.hash_threads > 0
          ? settings.hash_threads
          : std::max(1, static_cast<int>(std::thread::hardware_concurrency() / 2));
  config.hash_max_queue = static_cast<std::size_t>(settings.hash_max_queue);
  config.hash_queue_deadline = std::chrono::milliseconds(settings.hash_queue_deadline_ms);
  config.live_heartbeat = std::chrono::seconds(settings.event_heartbeat_s);
  // Binding happens here: a malformed address or a port in use is the operator's to fix, so it is
  // a message and exit code 1, not an uncaught exception.
  std::optional<http::Server> server;
  try {
    server.emplace(config, router, metrics);
  } catch (const boost::system::system_error& e) {  // bind: its message without the source
    std::cerr << "leadproc: cannot listen on '" << settings.listen
              << "' (LEADPROC_LISTEN, --listen): " << e.code().message() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "leadproc: cannot listen on '" << settings.listen
              << "' (LEADPROC_LISTEN, --listen): " << e.what() << "\n";
    return 1;
  }
  // The periodic jobs (session purge, overdue follow-ups, score refresh): a slot runs on one
  // instance only (the job_runs row is the lease).
  jobs::JobRunner runner(ctx, job_list, [](const std::string& line) {
    http::log_warn("job", {{"detail", line}});
  });
  return server->run();
}

int migrate(const Settings& settings) {
  auto runtime = AppRuntime::open(settings);  // opening migrates
  if (!runtime) {
    std::cerr << "leadproc: migrate failed: " << runtime.error().detail << "\n";
    return 1;
  }
  std::cout << "schema is up to date\n";
  return 0;
}

namespace {

// A store that refuses everything: `leadproc routes` builds the route table without a database.
class NoStore final : public Store {
 public:
  Status write(const std::function<Status(WriteTx&)>&) override { return refused(); }
  Status read(const std::function<Status(ReadTx&)>&) override { return refused(); }
  Result<int> migrate() override { return 0; }
  bool ready() override { return false; }

 private:
  static Error refused() { return Error::unavailable("no database"); }
};

// Every route of the API, built without a database; `all`: the optional ones too, else those
// the settings turn on.
std::vector<http::RouteInfo> api_routes(const Settings& settings, bool all) {
  NoStore store;
  PhoneNormalizer phones(settings.default_region);
  ObjectIdGenerator ids(0, 0);
  AppContext ctx{store, phones, ids, [] { return Timestamp{}; }, AppConfig{}};
  http::Metrics metrics;
  http::Router router;
  const std::vector<jobs::Job> job_list = jobs::default_jobs();
  OptionalRoutes optional{all || settings.bench_endpoints, {}, {}, {}};
  if (all || settings.test_clock)
    optional.advance_clock = [](std::chrono::milliseconds) { return Timestamp{}; };
  LiveBus live;
  register_api(router, ctx, metrics, job_list, live, optional);
  return router.routes();
}

}  // namespace

int print_routes(const Settings& settings) {
  boost::json::array out;
  for (const auto& r : api_routes(settings, false))
    out.emplace_back(boost::json::object{
        {"method", r.method},
        {"pattern", r.pattern},
        {"name", r.name},
        {"access", r.access ? boost::json::value(r.access->describe()) : boost::json::value()}});
  std::cout << boost::json::serialize(out) << "\n";
  return 0;
}

int print_openapi(const Settings& settings, bool check) {
  if (!check) {
    std::cout << http::openapi_document(api_routes(settings, false)) << "\n";
    return 0;
  }
  // Every route, the optional ones too: each must be described, and each description must name
  // one of them.
  const auto problems = http::openapi_coverage(api_routes(settings, true));
  for (const auto& p : problems) std::cerr << "leadproc openapi: " << p << "\n";
  if (!problems.empty()) return 1;
  std::cout << "every route is described and every description names a route\n";
  return 0;
}

}  // namespace leadproc::cli
