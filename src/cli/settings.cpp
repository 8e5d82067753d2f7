#include "cli/settings.h"

#include <cstdlib>

namespace leadproc::cli {
namespace {
void take(const char* name, std::string& out) {
  if (const char* v = std::getenv(name); v && *v) out = v;
}
void take(const char* name, int& out) {
  if (const char* v = std::getenv(name); v && *v) out = std::atoi(v);
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
  return s;
}

}  // namespace leadproc::cli
