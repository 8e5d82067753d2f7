#include "cli/serve.h"

#include <iostream>

#include "cli/app_runtime.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/routes.h"
#include "http/server.h"

namespace leadproc::cli {

int serve(const Settings& settings) {
  auto runtime = AppRuntime::open(settings);
  if (!runtime) {
    std::cerr << "leadproc: cannot start: " << runtime.error().detail << "\n";
    return 1;
  }
  AppContext& ctx = (*runtime)->context();
  http::Metrics metrics;
  http::Router router;
  http::register_ops_routes(router, ctx, metrics);
  http::register_config_routes(router, ctx);
  http::register_lead_routes(router, ctx, metrics);

  http::ServerConfig config;
  config.listen = settings.listen;
  config.io_threads = settings.io_threads;
  config.worker_threads = settings.worker_threads;
  config.port_file = settings.port_file;
  http::Server server(config, router, metrics);
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

}  // namespace leadproc::cli
