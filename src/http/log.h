// JSON-lines logging to stderr: one JSON object per line, written with a single write so that
// lines from different threads never interleave. Beast-free.
//
// Every line has "ts" (ISO-8601 UTC with milliseconds, e.g. "2024-05-01T12:00:00.123Z"),
// "level" and "msg", then the caller's fields in order. Callers must never pass request bodies,
// Authorization headers, passwords or tokens as fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace leadproc::http {

enum class LogLevel { info, warn, error };

// One field value. String literals become strings; int and int64 become int64; size_t becomes
// uint64.
using LogValue = std::variant<std::string, std::int64_t, std::uint64_t, double, bool>;
using LogFields = std::vector<std::pair<std::string, LogValue>>;

// The access-log record of one HTTP request.
struct AccessLogEntry {
  std::string trace_id;
  std::string method;
  std::string route;  // route name, or "unmatched"
  std::string path;   // decoded path without the query string (queries may carry secrets)
  int status = 0;
  double duration_ms = 0;
  std::string remote;  // client IP
};

// The log line (without the trailing newline) for `level`, `msg` and `fields`, stamped now.
std::string format_log_line(LogLevel level, std::string_view msg, const LogFields& fields);

// Writes one line to stderr. Thread-safe.
void log_at(LogLevel level, std::string_view msg, const LogFields& fields = {});
inline void log_info(std::string_view msg, const LogFields& fields = {}) {
  log_at(LogLevel::info, msg, fields);
}
inline void log_warn(std::string_view msg, const LogFields& fields = {}) {
  log_at(LogLevel::warn, msg, fields);
}
inline void log_error(std::string_view msg, const LogFields& fields = {}) {
  log_at(LogLevel::error, msg, fields);
}

// The level of a request's access-log line: error for a 5xx that means a fault (500, 502, ...),
// warn for 503 (load shed or the database unreachable: expected under overload and retried by
// clients, and thousands a second would drown real errors), info otherwise.
LogLevel access_log_level(int status);

// Writes the access-log line of one request (msg "request", at access_log_level) with fields
// trace_id, method, route, path, status, duration_ms, remote. Thread-safe.
void log_request(const AccessLogEntry& entry);

}  // namespace leadproc::http
