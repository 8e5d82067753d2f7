#include "http/log.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <type_traits>

#include <boost/json/serialize.hpp>

namespace leadproc::http {
namespace {

std::string utc_now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%.*s.%03dZ", static_cast<int>(n), buf,
                static_cast<int>(ms % 1000));
  return out;
}

constexpr std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "info";
}

void append_json(std::string& out, const std::string& v) {
  out += boost::json::serialize(boost::json::string_view(v));
}
void append_json(std::string& out, bool v) {
  out += v ? "true" : "false";
}
template <typename Number>
void append_json(std::string& out, Number v) {
  if constexpr (std::is_floating_point_v<Number>) {
    if (!std::isfinite(v)) {
      out += "null";
      return;
    }
  }
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void write_line(std::string line) {
  line += '\n';
  // stdio locks the FILE for the duration of one fwrite, so concurrent lines do not interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

std::string format_log_line(LogLevel level, std::string_view msg, const LogFields& fields) {
  // Strings are escaped by Boost.JSON; numbers are formatted here because Boost.JSON 1.81 writes
  // doubles as "1.5E0".
  std::string out = "{\"ts\":\"" + utc_now_iso8601() + "\",\"level\":\"";
  out += level_name(level);
  out += "\",\"msg\":";
  out += boost::json::serialize(boost::json::string_view(msg.data(), msg.size()));
  for (const auto& [key, value] : fields) {
    out += ',';
    out += boost::json::serialize(boost::json::string_view(key));
    out += ':';
    std::visit([&out](const auto& v) { append_json(out, v); }, value);
  }
  out += '}';
  return out;
}

void log_at(LogLevel level, std::string_view msg, const LogFields& fields) {
  write_line(format_log_line(level, msg, fields));
}

LogLevel access_log_level(int status) {
  if (status == 503) return LogLevel::warn;
  return status >= 500 ? LogLevel::error : LogLevel::info;
}

void log_request(const AccessLogEntry& e) {
  // Round to microseconds so lines stay short.
  const double duration_ms = std::round(e.duration_ms * 1000) / 1000;
  log_at(access_log_level(e.status), "request",
         {{"trace_id", e.trace_id},
          {"method", e.method},
          {"route", e.route},
          {"path", e.path},
          {"status", std::int64_t{e.status}},
          {"duration_ms", duration_ms},
          {"remote", e.remote}});
}

}  // namespace leadproc::http
