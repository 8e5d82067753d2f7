// Runtime configuration: each setting has a flag and a LEADPROC_* environment variable; a flag
// wins over the variable, which wins over the default. README.md lists them all.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/result.h"

namespace leadproc::cli {

struct Settings {
  std::string database_url = "sqlite:./data/leadproc.db";  // LEADPROC_DATABASE_URL
  // A PostgreSQL read replica of database_url for the reads that tolerate a little lag (reports,
  // exports); empty: none. LEADPROC_READ_DATABASE_URL, or LEADPROC_REPORTS_DATABASE_URL (the
  // same setting under the name issue 18 gave it; READ wins when both are set).
  std::string read_database_url;
  std::string listen = "127.0.0.1:8080";  // LEADPROC_LISTEN
  std::string default_region = "IN";      // LEADPROC_DEFAULT_REGION
  std::string timezone = "Asia/Kolkata";  // LEADPROC_TIMEZONE
  // LEADPROC_WORKERS: database work mostly waits on I/O (fsync), and each waiting writer joins
  // the next group commit, so more threads than cores pay (docs/benchmarks.md section 7).
  int worker_threads = 16;
  int io_threads = 1;           // LEADPROC_IO_THREADS
  std::string port_file;        // LEADPROC_PORT_FILE
  std::string cms_sitemap_url;  // LEADPROC_CMS_SITEMAP_URL: the cms-url-sync job; empty: skipped
  // Intake from Meta Lead Ads (docs/intake.md)
  std::string meta_app_secret;                                // LEADPROC_META_APP_SECRET
  std::string meta_verify_token;                              // LEADPROC_META_VERIFY_TOKEN
  std::string meta_graph_url = "https://graph.facebook.com";  // LEADPROC_META_GRAPH_URL
  std::string meta_graph_version = "v21.0";                   // LEADPROC_META_GRAPH_VERSION
  // LEADPROC_META_RECONCILE_MINUTES: the meta-reconcile job's period (1..1440); 0: it runs only
  // when asked (Sync now, POST /api/v1/jobs/meta-reconcile/run).
  int meta_reconcile_minutes = 15;
  // LEADPROC_RETENTION_DAYS: how long the outbox's events (with their webhook deliveries) and the
  // jobs' runs are kept (app/retention.h); 0: forever.
  int retention_days = 30;
  // LEADPROC_GOOGLE_ADS_URL and LEADPROC_GOOGLE_ADS_VERSION: where conversions are uploaded
  // (docs/conversions.md).
  std::string google_ads_url = "https://googleads.googleapis.com";
  std::string google_ads_version = "v22";
  // LEADPROC_WEBHOOK_ALLOW_NETWORKS: CIDR blocks (comma-separated) of loopback, private or
  // link-local addresses webhooks may be sent to (jobs/address_guard.h); empty: none.
  std::string webhook_allow_networks;
  // LEADPROC_WEBHOOK_NICE: the nice value (0..19) of the thread that signs and POSTs webhooks
  // (jobs/niced_worker.h): 19 gives intake the CPU whenever it wants it, and delivery lags
  // during a burst, then catches up (docs/events.md "Delivery", docs/benchmarks.md section 24).
  int webhook_nice = 19;
  // LEADPROC_SQLITE_GROUP_COMMIT: writes at most per SQLite commit (sqlite_store.h); 1: each
  // write commits alone.
  int sqlite_group_commit = 64;
  // LEADPROC_SQLITE_WAL_WRITE_BUFFER: the writer writes each commit's WAL frames in one write
  // (storage/sqlite/wal_write_buffer.h); off: SQLite's own two writes per frame.
  bool sqlite_wal_write_buffer = true;
  // LEADPROC_SQLITE_CACHE_MIB: the SQLite writer's page cache. Small on purpose: SQLite scans
  // the whole cache at every commit after a B-tree page split (docs/benchmarks.md section 10),
  // and the memory map below serves the pages a small cache does not hold.
  int sqlite_cache_mib = 16;
  // LEADPROC_SQLITE_MMAP_MIB: bytes of the database file every SQLite connection reads through
  // a memory map (PRAGMA mmap_size) instead of read(); 0: off.
  int sqlite_mmap_mib = 1024;
  // LEADPROC_SQLITE_WRITER_CPU: the SQLite writer runs on a CPU of its own, every other thread
  // on the rest (storage/sqlite/writer_cpu.h); off: the kernel places every thread.
  bool sqlite_writer_cpu = true;
  // Overload (http/server.h)
  int max_queue = 1024;          // LEADPROC_MAX_QUEUE: requests queued for workers before 503
  int queue_deadline_ms = 1000;  // LEADPROC_QUEUE_DEADLINE_MS: 503 past this wait; 0: no deadline
  // Limits (http/server.h, docs/operations.md "Limits")
  int body_limit = 64 << 10;            // LEADPROC_BODY_LIMIT: bytes, every route's but lead intake
  int lead_body_limit = 1 << 20;        // LEADPROC_LEAD_BODY_LIMIT: bytes, POST /api/v1/leads
  int body_budget = 16 << 20;           // LEADPROC_BODY_BUDGET: body bytes held at once, in all
  int max_connections = 0;              // LEADPROC_MAX_CONNECTIONS; 0: from RLIMIT_NOFILE
  int max_connections_per_address = 0;  // LEADPROC_MAX_CONNECTIONS_PER_ADDRESS; 0: derived
  int hash_threads = 0;                 // LEADPROC_HASH_THREADS; 0: half the cores, at least 1
  int hash_max_queue = 256;             // LEADPROC_HASH_MAX_QUEUE: logins queued before 503
  int hash_queue_deadline_ms = 5000;    // LEADPROC_HASH_QUEUE_DEADLINE_MS; 0: no deadline
  int event_streams = 5000;             // LEADPROC_EVENT_STREAMS: open event streams, in all
  int event_streams_per_user = 8;       // LEADPROC_EVENT_STREAMS_PER_USER: of one person
  int event_heartbeat_s = 20;           // LEADPROC_EVENT_HEARTBEAT_SECONDS: silence before a ping
  int form_posts_per_hour = 20;  // LEADPROC_FORM_POSTS_PER_HOUR: website form posts, per address
  // LEADPROC_BENCH_ENDPOINTS: serve the benchmark-only POST /api/v1/_bench/echo (docs/api.md).
  bool bench_endpoints = false;
  // LEADPROC_TEST_CLOCK: serve the test-only POST /api/v1/_test/clock, which moves the server's
  // clock forward (docs/api.md "Test-only endpoints"). For tests; never in production.
  bool test_clock = false;
  // LEADPROC_TRUSTED_PROXIES: reverse proxies (IP addresses, comma-separated) whose
  // X-Forwarded-For names the client, for login throttling and the access log.
  std::string trusted_proxies;
  // Authentication
  int bcrypt_cost = 12;             // LEADPROC_BCRYPT_COST: 4..31; cost of new password hashes
  std::string session_ttl = "12h";  // LEADPROC_SESSION_TTL: 90s, 30m, 12h, 7d or seconds
  std::string login_delay = "1m";   // LEADPROC_LOGIN_DELAY: first delay of a throttled login
  // LEADPROC_COOKIE_SECURE: the session cookie's Secure flag: "auto" (when a trusted proxy says
  // the request came over https), "true" (always: the public side is https) or "false" (never).
  std::string cookie_secure = "auto";
};

// Settings from the environment (flags are applied on top by main.cpp). A boolean is "1",
// "true", "yes", "on" or "0", "false", "no", "off" (any case); a number is decimal digits with an
// optional sign. A variable that is set to anything else is an error naming it and its text (a
// validation Error with one field per bad variable), so that a typo never silently becomes a
// default, a zero or "off". An empty variable counts as unset.
Result<Settings> settings_from_env();

// "90s", "30m", "12h", "7d" or a plain number of seconds; nullopt if malformed (Authentication).
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace leadproc::cli
