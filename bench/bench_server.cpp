// leadproc-bench-server: `leadproc serve` for experiments. The same routes, guard and server as
// src/cli/serve.cpp (register_api), over a SQLite store with the same settings, plus knobs the
// product does not expose yet: --group-commit N (group_commit_store.h), --max-queue, --workers.
// Used to measure tunings before proposing them (docs/benchmarks.md, "Tuning"); compare it
// without knobs against `leadproc serve` to see that the composition is the same.
//
//   leadproc-bench-server --db scale.db --listen 127.0.0.1:8090 --group-commit 64
#include <CLI/CLI.hpp>
#include <iostream>
#include <random>

#include "group_commit_store.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/routes.h"
#include "http/server.h"
#include "storage/sqlite/sqlite_store.h"

using namespace leadproc;

int main(int argc, char** argv) {
  CLI::App app{"leadproc-bench-server: leadproc serve with experimental knobs"};
  std::string path;
  http::ServerConfig config;
  config.listen = "127.0.0.1:8090";
  std::size_t group = 0;
  app.add_option("--db", path, "SQLite database")->required();
  app.add_option("--listen", config.listen, "host:port");
  app.add_option("--port-file", config.port_file, "write the bound port here");
  app.add_option("--workers", config.worker_threads, "worker threads (leadproc: 4)");
  app.add_option("--io-threads", config.io_threads, "I/O threads (leadproc: 1)");
  app.add_option("--max-queue", config.max_queue, "requests queued before 503 (leadproc: 1024)");
  app.add_option("--group-commit", group, "up to N writes per transaction (0: off)");
  CLI11_PARSE(app, argc, argv);

  auto opened = sqlite::SqliteStore::open(path);  // synchronous=FULL, as leadproc serve
  if (!opened) {
    std::cerr << "leadproc-bench-server: " << opened.error().detail << "\n";
    return 1;
  }
  std::unique_ptr<sqlite::SqliteStore> sqlite_store = std::move(*opened);
  if (auto v = sqlite_store->migrate(); !v) {
    std::cerr << "leadproc-bench-server: migrate: " << v.error().detail << "\n";
    return 1;
  }
  std::optional<bench::GroupCommitStore> grouped;
  if (group > 0) grouped.emplace(*sqlite_store, group);
  Store& store = grouped ? static_cast<Store&>(*grouped) : *sqlite_store;

  PhoneNormalizer phones("IN");
  std::random_device rd;
  ObjectIdGenerator ids((std::uint64_t{rd()} << 32) ^ rd(), rd());
  AppContext ctx{store, phones, ids,
                 [] {
                   return std::chrono::time_point_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now());
                 },
                 AppConfig{}};
  http::Metrics metrics;
  http::Router router;
  // As src/cli/serve.cpp register_api().
  http::register_ops_routes(router, ctx, metrics);
  http::register_config_routes(router, ctx);
  http::register_lead_routes(router, ctx, metrics);
  http::register_workflow_routes(router, ctx);
  http::register_auth_routes(router, ctx);
  http::install_auth_guard(router, ctx);

  http::Server server(config, router, metrics);
  const int rc = server.run();
  if (grouped)
    std::cerr << "leadproc-bench-server: " << grouped->average_batch()
              << " writes per transaction on average\n";
  return rc;
}
