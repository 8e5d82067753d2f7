#include "cli/settings.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace leadproc::cli {
namespace {
void take(const char* name, std::string& out) {
  if (const char* v = std::getenv(name); v && *v) out = v;
}
void take(const char* name, int& out) {
  if (const char* v = std::getenv(name); v && *v) out = std::atoi(v);
}
void take(const char* name, bool& out) {
  const char* v = std::getenv(name);
  if (!v || !*v) return;
  std::string text(v);
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  out = text == "1" || text == "true" || text == "yes" || text == "on";
}
}  // namespace

Settings settings_from_env() {
  Settings s;
  take("LEADPROC_DATABASE_URL", s.database_url);
  take("LEADPROC_LISTEN", s.listen);
  take("LEADPROC_DEFAULT_REGION", s.default_region);
  take("LEADPROC_TIMEZONE", s.timezone);
  take("LEADPROC_WORKERS", s.worker_threads);
  take("LEADPROC_IO_THREADS", s.io_threads);
  take("LEADPROC_PORT_FILE", s.port_file);
  take("LEADPROC_CMS_SITEMAP_URL", s.cms_sitemap_url);
  take("LEADPROC_SQLITE_GROUP_COMMIT", s.sqlite_group_commit);
  take("LEADPROC_SQLITE_WAL_WRITE_BUFFER", s.sqlite_wal_write_buffer);
  take("LEADPROC_MAX_QUEUE", s.max_queue);                  // Overload
  take("LEADPROC_QUEUE_DEADLINE_MS", s.queue_deadline_ms);  // Overload
  take("LEADPROC_BENCH_ENDPOINTS", s.bench_endpoints);
  take("LEADPROC_TRUSTED_PROXIES", s.trusted_proxies);
  take("LEADPROC_BCRYPT_COST", s.bcrypt_cost);  // Authentication
  take("LEADPROC_SESSION_TTL", s.session_ttl);  // Authentication
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
