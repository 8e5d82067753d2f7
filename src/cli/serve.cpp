#include "cli/serve.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "app/auth.h"
#include "cli/app_runtime.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/routes.h"
#include "http/server.h"
#include "jobs/runner.h"

namespace leadproc::cli {

// GET /api/v1/jobs shows this many latest runs of each job.
constexpr int kRunsListed = 10;

// Every route of the API, and the guard that enforces their access rules. `leadproc routes`
// lists what this registers, so a route added here is in the access-table test at once.
void register_api(http::Router& router, AppContext& ctx, http::Metrics& metrics,
                  const std::vector<jobs::Job>& job_list) {
  http::register_ops_routes(router, ctx, metrics);
  http::register_config_routes(router, ctx);
  http::register_lead_routes(router, ctx, metrics);
  http::register_workflow_routes(router, ctx);  // workflow: transitions, follow-ups, notes, SLA
  http::register_auth_routes(router, ctx);
  http::register_jobs_routes(
      router, [&ctx, &job_list] { return jobs::describe_jobs(ctx, job_list, kRunsListed); });
  http::install_auth_guard(router, ctx);
}

int serve(const Settings& settings) {
  auto runtime = AppRuntime::open(settings);
  if (!runtime) {
    std::cerr << "leadproc: cannot start: " << runtime.error().detail << "\n";
    return 1;
  }
  AppContext& ctx = (*runtime)->context();
  http::Metrics metrics;
  http::Router router;
  const std::vector<jobs::Job> job_list = jobs::default_jobs();
  register_api(router, ctx, metrics, job_list);

  http::ServerConfig config;
  config.listen = settings.listen;
  config.io_threads = settings.io_threads;
  config.worker_threads = settings.worker_threads;
  config.port_file = settings.port_file;
  http::Server server(config, router, metrics);
  // The periodic jobs (session purge, overdue follow-ups, score refresh): a slot runs on one
  // instance only (the job_runs row is the lease).
  jobs::JobRunner runner(ctx, job_list, [](const std::string& line) {
    http::log_warn("job", {{"detail", line}});
  });
  return server.run();
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

}  // namespace

int print_routes(const Settings& settings) {
  NoStore store;
  PhoneNormalizer phones(settings.default_region);
  ObjectIdGenerator ids(0, 0);
  AppContext ctx{store, phones, ids, [] { return Timestamp{}; }, AppConfig{}};
  http::Metrics metrics;
  http::Router router;
  const std::vector<jobs::Job> job_list = jobs::default_jobs();
  register_api(router, ctx, metrics, job_list);
  boost::json::array out;
  for (const auto& r : router.routes())
    out.emplace_back(boost::json::object{
        {"method", r.method},
        {"pattern", r.pattern},
        {"name", r.name},
        {"access", r.access ? boost::json::value(r.access->describe()) : boost::json::value()}});
  std::cout << boost::json::serialize(out) << "\n";
  return 0;
}

}  // namespace leadproc::cli
