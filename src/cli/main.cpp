// `leadproc` subcommands. Parses flags over LEADPROC_* variables and hands over; no logic here.
#include <CLI/CLI.hpp>

#include "cli/demo_data.h"
#include "cli/serve.h"
#include "cli/settings.h"

int main(int argc, char** argv) {
  using leadproc::cli::Settings;
  Settings settings = leadproc::cli::settings_from_env();

  CLI::App app{"leadproc: lead processing and routing"};
  app.require_subcommand(1);
  app.add_option("--database-url", settings.database_url,
                 "sqlite:PATH (env LEADPROC_DATABASE_URL)");
  app.add_option("--default-region", settings.default_region,
                 "region for numbers without +country code (env LEADPROC_DEFAULT_REGION)");
  app.add_option("--timezone", settings.timezone, "business time zone (env LEADPROC_TIMEZONE)");

  auto* serve = app.add_subcommand("serve", "serve the HTTP API (migrates first)");
  serve->add_option("--listen", settings.listen, "host:port (env LEADPROC_LISTEN)");
  serve->add_option("--workers", settings.worker_threads, "worker threads (env LEADPROC_WORKERS)");
  serve->add_option("--io-threads", settings.io_threads,
                    "network threads (env LEADPROC_IO_THREADS)");
  serve->add_option("--port-file", settings.port_file,
                    "write the bound port here once listening (env LEADPROC_PORT_FILE)");

  auto* migrate = app.add_subcommand("migrate", "apply pending schema migrations");
  auto* demo = app.add_subcommand("demo-data", "load demo destinations, routing, users and POCs");

  CLI11_PARSE(app, argc, argv);
  // Flags given before the subcommand apply to every subcommand.
  if (*serve) return leadproc::cli::serve(settings);
  if (*migrate) return leadproc::cli::migrate(settings);
  if (*demo) return leadproc::cli::load_demo_data(settings);
  return 2;
}
