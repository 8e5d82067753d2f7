#include "cli/settings.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace leadproc::cli {
namespace {

// Reads LEADPROC_* variables into Settings, collecting one FieldError per malformed variable.
class EnvReader {
 public:
  void take(const char* name, std::string& out) {
    if (const char* v = value(name)) out = v;
  }
  void take(const char* name, int& out) {
    const char* v = value(name);
    if (!v) return;
    const std::string_view text(v);
    int n = 0;
    const char* begin = text.data() + (text.starts_with('+') ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || begin == end) {
      bad(name, text, "a whole number");
      return;
    }
    out = n;
  }
  void take(const char* name, bool& out) {
    const char* v = value(name);
    if (!v) return;
    std::string text(v);
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (text == "1" || text == "true" || text == "yes" || text == "on")
      out = true;
    else if (text == "0" || text == "false" || text == "no" || text == "off")
      out = false;
    else
      bad(name, v, "1, true, yes, on, 0, false, no or off");
  }

  std::vector<FieldError> problems;

 private:
  static const char* value(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
  }
  void bad(const char* name, std::string_view text, std::string_view expected) {
    problems.push_back({name, "is '" + std::string(text) + "', not " + std::string(expected)});
  }
};

}  // namespace

Result<Settings> settings_from_env() {
  Settings s;
  EnvReader env;
  env.take("LEADPROC_DATABASE_URL", s.database_url);
  env.take("LEADPROC_REPORTS_DATABASE_URL", s.read_database_url);
  env.take("LEADPROC_READ_DATABASE_URL", s.read_database_url);
  env.take("LEADPROC_LISTEN", s.listen);
  env.take("LEADPROC_DEFAULT_REGION", s.default_region);
  env.take("LEADPROC_TIMEZONE", s.timezone);
  env.take("LEADPROC_WORKERS", s.worker_threads);
  env.take("LEADPROC_IO_THREADS", s.io_threads);
  env.take("LEADPROC_PORT_FILE", s.port_file);
  env.take("LEADPROC_CMS_SITEMAP_URL", s.cms_sitemap_url);
  env.take("LEADPROC_META_APP_SECRET", s.meta_app_secret);
  env.take("LEADPROC_META_VERIFY_TOKEN", s.meta_verify_token);
  env.take("LEADPROC_META_GRAPH_URL", s.meta_graph_url);
  env.take("LEADPROC_META_GRAPH_VERSION", s.meta_graph_version);
  env.take("LEADPROC_META_RECONCILE_MINUTES", s.meta_reconcile_minutes);
  env.take("LEADPROC_RETENTION_DAYS", s.retention_days);
  env.take("LEADPROC_GOOGLE_ADS_URL", s.google_ads_url);
  env.take("LEADPROC_GOOGLE_ADS_VERSION", s.google_ads_version);
  env.take("LEADPROC_WEBHOOK_ALLOW_NETWORKS", s.webhook_allow_networks);
  env.take("LEADPROC_WEBHOOK_NICE", s.webhook_nice);
  env.take("LEADPROC_SQLITE_GROUP_COMMIT", s.sqlite_group_commit);
  env.take("LEADPROC_SQLITE_WAL_WRITE_BUFFER", s.sqlite_wal_write_buffer);
  env.take("LEADPROC_SQLITE_CACHE_MIB", s.sqlite_cache_mib);
  env.take("LEADPROC_SQLITE_MMAP_MIB", s.sqlite_mmap_mib);
  env.take("LEADPROC_SQLITE_WRITER_CPU", s.sqlite_writer_cpu);
  env.take("LEADPROC_MAX_QUEUE", s.max_queue);                                      // Overload
  env.take("LEADPROC_QUEUE_DEADLINE_MS", s.queue_deadline_ms);                      // Overload
  env.take("LEADPROC_BODY_LIMIT", s.body_limit);                                    // Limits
  env.take("LEADPROC_LEAD_BODY_LIMIT", s.lead_body_limit);                          // Limits
  env.take("LEADPROC_BODY_BUDGET", s.body_budget);                                  // Limits
  env.take("LEADPROC_MAX_CONNECTIONS", s.max_connections);                          // Limits
  env.take("LEADPROC_MAX_CONNECTIONS_PER_ADDRESS", s.max_connections_per_address);  // Limits
  env.take("LEADPROC_HASH_THREADS", s.hash_threads);                                // Limits
  env.take("LEADPROC_HASH_MAX_QUEUE", s.hash_max_queue);                            // Limits
  env.take("LEADPROC_HASH_QUEUE_DEADLINE_MS", s.hash_queue_deadline_ms);            // Limits
  env.take("LEADPROC_EVENT_STREAMS", s.event_streams);                              // Limits
  env.take("LEADPROC_EVENT_STREAMS_PER_USER", s.event_streams_per_user);            // Limits
  env.take("LEADPROC_EVENT_HEARTBEAT_SECONDS", s.event_heartbeat_s);                // Limits
  env.take("LEADPROC_FORM_POSTS_PER_HOUR", s.form_posts_per_hour);                  // Limits
  env.take("LEADPROC_BENCH_ENDPOINTS", s.bench_endpoints);
  env.take("LEADPROC_TEST_CLOCK", s.test_clock);
  env.take("LEADPROC_TRUSTED_PROXIES", s.trusted_proxies);
  env.take("LEADPROC_BCRYPT_COST", s.bcrypt_cost);      // Authentication
  env.take("LEADPROC_SESSION_TTL", s.session_ttl);      // Authentication
  env.take("LEADPROC_LOGIN_DELAY", s.login_delay);      // Authentication
  env.take("LEADPROC_COOKIE_SECURE", s.cookie_secure);  // Authentication
  if (!env.problems.empty()) {
    std::string detail = "malformed environment variables:";
    for (const auto& p : env.problems) detail += " " + p.field;
    return Error::validation(std::move(env.problems), std::move(detail));
  }
  return s;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t unit = 1;
  switch (text.back()) {
    case 's':
      text.remove_suffix(1);
      break;
    case 'm':
      unit = 60;
      text.remove_suffix(1);
      break;
    case 'h':
      unit = 3600;
      text.remove_suffix(1);
      break;
    case 'd':
      unit = 86400;
      text.remove_suffix(1);
      break;
    default:
      break;
  }
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 0 ||
      n > 3650LL * 86400 / unit)
    return std::nullopt;
  return std::chrono::seconds(n * unit);
}

}  // namespace leadproc::cli
