#include "http/log.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <type_traits>

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

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no
// surrogates, nothing past U+10FFFF), or 0 if it is not one.
std::size_t utf8_sequence_length(std::string_view s) {
  const auto byte = [&s](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return n;
}

// `s` as a JSON string: quotes, backslashes and control characters escaped, malformed UTF-8
// replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence_length(s.substr(i));
      if (n == 0) {
        out += "\\ufffd";  // U+FFFD, REPLACEMENT CHARACTER
        ++i;
      } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
        out += "\\u00";  // a C1 control character (U+0080..U+009F): terminals act on some
        out += kHex[static_cast<unsigned char>(s[i + 1]) >> 4];
        out += kHex[static_cast<unsigned char>(s[i + 1]) & 0xF];
        i += 2;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

void append_json(std::string& out, const std::string& v) {
  append_json_string(out, v);
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
  // Written here rather than by Boost.JSON, whose 1.81 serializer passes malformed UTF-8 through
  // and writes doubles as "1.5E0".
  std::string out = "{\"ts\":\"" + utc_now_iso8601() + "\",\"level\":\"";
  out += level_name(level);
  out += "\",\"msg\":";
  append_json_string(out, msg);
  for (const auto& [key, value] : fields) {
    out += ',';
    append_json_string(out, key);
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
  if (status == 503 || status == 413 || status == 429 || status == 431) return LogLevel::warn;
  return status >= 500 ? LogLevel::error : LogLevel::info;
}

void log_request(const AccessLogEntry& e) {
  // Round to microseconds so lines stay short.
  const double duration_ms = std::round(e.duration_ms * 1000) / 1000;
  LogFields fields = {{"trace_id", e.trace_id},
                      {"method", e.method},
                      {"route", e.route},
                      {"path", e.path},
                      {"status", std::int64_t{e.status}},
                      {"duration_ms", duration_ms},
                      {"remote", e.remote}};
  if (!e.user.empty()) fields.emplace_back("user", e.user);
  if (!e.api_key.empty()) fields.emplace_back("api_key", e.api_key);
  log_at(access_log_level(e.status), "request", fields);
}

}  // namespace leadproc::http
