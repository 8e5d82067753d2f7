// JSON-lines logging to stderr: one JSON object per line, written with a single write so that
// lines from different threads never interleave. Beast-free.
//
// Every line has "ts" (ISO-8601 UTC with milliseconds, e.g. "2024-05-01T12:00:00.123Z"),
// "level" and "msg", then the caller's fields in order. Callers must never pass request bodies,
// Authorization headers, passwords or tokens as fields.
//
// Every line is valid JSON and valid UTF-8 whatever a string holds (a client's path or header
// bytes): bytes that are not UTF-8 become U+FFFD, and control characters (U+0000..U+001F,
// U+007F..U+009F) are written as \u00XX escapes, so a log reader or terminal never sees them raw.
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
  // Who made the request, when the route authenticated it: a user's _id (user) or a lead
  // source's API key _id (api_key); empty otherwise.
  std::string user;
  std::string api_key;
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

// The level of a request's access-log line (docs/operations.md, "Logs"): error for a 5xx that
// means a fault (500, 502, ...); warn for an answer from a limit: 503 (load shed, a limit of the
// server, or the database unreachable: expected under overload and retried by clients, and
// thousands a second would drown real errors), 413 (body too large), 429 (throttled) and 431
// (header too large); info otherwise, other 4xx included (a client's mistake is not the
// server's, and a scan of 404s must not page anyone).
LogLevel access_log_level(int status);

// Writes the access-log line of one request (msg "request", at access_log_level) with fields
// trace_id, method, route, path, status, duration_ms, remote, then user or api_key when set.
// Thread-safe.
void log_request(const AccessLogEntry& entry);

}  // namespace leadproc::http
