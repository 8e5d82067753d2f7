// `leadproc` subcommands. Parses flags over LEADPROC_* variables and hands over; no logic here.
#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>

#include "cli/command_errors.h"
#include "cli/demo_data.h"
#include "cli/import_command.h"
#include "cli/jobs_command.h"
#include "cli/serve.h"
#include "cli/settings.h"
#include "cli/user_command.h"
#include "cli/version.h"

int main(int argc, char** argv) {
  using leadproc::cli::Settings;
  auto from_env = leadproc::cli::settings_from_env();
  if (!from_env) {  // every malformed LEADPROC_* variable, by name, before anything starts
    std::cerr << "leadproc: " << from_env.error().detail << "\n";
    for (const auto& f : from_env.error().fields)
      std::cerr << "  " << f.field << " " << f.reason << "\n";
    return 2;
  }
  Settings settings = std::move(*from_env);

  CLI::App app{"leadproc: lead processing and routing"};
  app.require_subcommand(1);
  app.set_version_flag("--version", leadproc::cli::version_text(), "print the version and exit");
  // Global flags (--database-url, ...) may also follow the subcommand: `leadproc serve
  // --database-url ...`. Set before the subcommands are added, which inherit it.
  app.fallthrough();
  app.add_option("--database-url", settings.database_url,
                 "sqlite:PATH (env LEADPROC_DATABASE_URL)");
  app.add_option("--read-database-url", settings.read_database_url,
                 "postgresql://... a read replica for reports and exports "
                 "(env LEADPROC_READ_DATABASE_URL)");
  app.add_option("--sqlite-group-commit", settings.sqlite_group_commit,
                 "writes at most per SQLite commit; 1: one each (env LEADPROC_SQLITE_GROUP_COMMIT)")
      ->check(CLI::Range(1, 10000));
  app.add_option(
      "--sqlite-wal-write-buffer", settings.sqlite_wal_write_buffer,
      "SQLite: one write per commit's WAL frames (env LEADPROC_SQLITE_WAL_WRITE_BUFFER)");
  app.add_option("--sqlite-writer-cpu", settings.sqlite_writer_cpu,
                 "SQLite: the writer on a CPU of its own (env LEADPROC_SQLITE_WRITER_CPU)");
  app.add_option("--default-region", settings.default_region,
                 "region for numbers without +country code (env LEADPROC_DEFAULT_REGION)");
  app.add_option("--timezone", settings.timezone, "business time zone (env LEADPROC_TIMEZONE)");
  app.add_option(
      "--webhook-allow-networks", settings.webhook_allow_networks,
      "CIDR blocks of private addresses webhooks may reach (LEADPROC_WEBHOOK_ALLOW_NETWORKS)");
  app.add_option("--cms-sitemap-url", settings.cms_sitemap_url,
                 "CMS sitemap for the cms-url-sync job (env LEADPROC_CMS_SITEMAP_URL)");

  auto* serve = app.add_subcommand("serve", "serve the HTTP API (migrates first)");
  serve->add_option("--listen", settings.listen, "host:port (env LEADPROC_LISTEN)");
  serve->add_option("--workers", settings.worker_threads, "worker threads (env LEADPROC_WORKERS)");
  serve->add_option("--io-threads", settings.io_threads,
                    "network threads (env LEADPROC_IO_THREADS)");
  serve->add_option("--port-file", settings.port_file,
                    "write the bound port here once listening (env LEADPROC_PORT_FILE)");
  serve->add_option("--max-queue", settings.max_queue,
                    "requests waiting for workers before 503 (env LEADPROC_MAX_QUEUE)");
  serve->add_option("--queue-deadline-ms", settings.queue_deadline_ms,
                    "503 a request that waited longer for a worker; 0: no deadline "
                    "(env LEADPROC_QUEUE_DEADLINE_MS)");
  serve->add_option("--trusted-proxies", settings.trusted_proxies,
                    "reverse proxies whose X-Forwarded-For names the client, comma-separated IPs "
                    "(env LEADPROC_TRUSTED_PROXIES)");
  serve->add_option("--webhook-nice", settings.webhook_nice,
                    "nice value of the thread that sends webhooks, 0..19 "
                    "(env LEADPROC_WEBHOOK_NICE)");
  serve->add_flag(
      "--bench-endpoints", settings.bench_endpoints,
      "serve the benchmark-only POST /api/v1/_bench/echo (env LEADPROC_BENCH_ENDPOINTS)");
  serve->add_flag("--test-clock", settings.test_clock,
                  "serve the test-only POST /api/v1/_test/clock (env LEADPROC_TEST_CLOCK)");

  // Authentication
  app.add_option("--bcrypt-cost", settings.bcrypt_cost,
                 "bcrypt cost of new password hashes, 4..31 (env LEADPROC_BCRYPT_COST)");
  serve->add_option("--session-ttl", settings.session_ttl,
                    "login lifetime: 90s, 30m, 12h, 7d (env LEADPROC_SESSION_TTL)");
  serve->add_option(
      "--login-delay", settings.login_delay,
      "first delay of a throttled login, doubling: 1m, 30s (env LEADPROC_LOGIN_DELAY)");
  serve->add_option("--cookie-secure", settings.cookie_secure,
                    "session cookie's Secure flag: auto (when a trusted proxy says https), true, "
                    "false (env LEADPROC_COOKIE_SECURE)");
  leadproc::cli::UserCommand user_cmd;
  auto* user = app.add_subcommand("user", "manage user accounts (the password is read from stdin)");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "create a user with a password");
  user_create->add_option("--email", user_cmd.email, "login email")->required();
  user_create->add_option("--department", user_cmd.department, "SALES, PSV, WEST or ADMIN")
      ->capture_default_str();
  user_create->add_option("--first-name", user_cmd.first_name, "first name");
  user_create->add_option("--last-name", user_cmd.last_name, "last name");
  auto* user_password = user->add_subcommand("set-password", "set a user's password");
  user_password->add_option("--email", user_cmd.email, "login email")->required();
  auto* routes = app.add_subcommand("routes", "print every API route and its access rule (JSON)");
  routes->add_flag("--bench-endpoints", settings.bench_endpoints,
                   "include the benchmark-only routes (env LEADPROC_BENCH_ENDPOINTS)");
  routes->add_flag("--test-clock", settings.test_clock,
                   "include the test-clock route (env LEADPROC_TEST_CLOCK)");

  bool openapi_check = false;
  auto* openapi = app.add_subcommand("openapi", "print the API's OpenAPI 3.1 document (JSON)");
  openapi->add_flag("--bench-endpoints", settings.bench_endpoints,
                    "include the benchmark-only routes (env LEADPROC_BENCH_ENDPOINTS)");
  openapi->add_flag("--test-clock", settings.test_clock,
                    "include the test-clock route (env LEADPROC_TEST_CLOCK)");
  openapi->add_flag("--check", openapi_check,
                    "check that every route is described and every description names a route");

  // Jobs
  std::string job_name;
  auto* jobs = app.add_subcommand("jobs", "periodic jobs: run one now, list them and their runs");
  jobs->require_subcommand(1);
  auto* jobs_run = jobs->add_subcommand("run", "run a job now and print its counts (JSON)");
  jobs_run->add_option("name", job_name, "the job's name (`leadproc jobs list` lists every job)")
      ->required();
  auto* jobs_list = jobs->add_subcommand("list", "print the jobs and their latest runs (JSON)");

  // Import
  leadproc::cli::ImportCommand import_cmd;
  auto* import = app.add_subcommand(
      "import",
      "import MongoDB data: mongodump (.bson) or mongoexport (.json) files (migrates first)");
  import
      ->add_option("paths", import_cmd.paths,
                   "directories of <collection>.bson / <collection>.json files, or such files")
      ->required();
  import->add_flag("--dry-run", import_cmd.dry_run, "read and check everything, write nothing");
  import->add_flag("--strict", import_cmd.strict,
                   "all or nothing: one transaction, rolled back if any document is rejected");
  import->add_option("--batch-size", import_cmd.batch_size, "documents per transaction")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  import
      ->add_option("--max-warnings", import_cmd.max_warnings,
                   "warnings printed per collection (all are counted)")
      ->capture_default_str();

  auto* migrate = app.add_subcommand("migrate", "apply pending schema migrations");
  auto* demo = app.add_subcommand("demo-data", "load demo destinations, routing, users and POCs");
  auto* version = app.add_subcommand("version", "print the version (as --version does)");

  // The global options (--database-url, ...) may also be given after the subcommand.
  std::function<void(CLI::App*)> pass_up = [&](CLI::App* parent) {
    for (auto* sub : parent->get_subcommands([](CLI::App*) { return true; })) {
      sub->fallthrough();
      pass_up(sub);
    }
  };
  pass_up(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (leadproc::cli::report_command_error(app, e, std::cerr)) return 2;
    return app.exit(e);
  }
  // Flags given before the subcommand apply to every subcommand.
  if (*serve) return leadproc::cli::serve(settings);
  if (*migrate) return leadproc::cli::migrate(settings);
  if (*import) return leadproc::cli::import_command(settings, import_cmd);
  if (*demo) return leadproc::cli::load_demo_data(settings);
  if (*user_create) return leadproc::cli::create_user_command(settings, user_cmd);
  if (*user_password) return leadproc::cli::set_password_command(settings, user_cmd);
  if (*jobs_run) return leadproc::cli::run_job_command(settings, job_name);
  if (*jobs_list) return leadproc::cli::list_jobs_command(settings);
  if (*routes) return leadproc::cli::print_routes(settings);
  if (*openapi) return leadproc::cli::print_openapi(settings, openapi_check);
  if (*version) {
    std::cout << leadproc::cli::version_text() << "\n";
    return 0;
  }
  return 2;
}
