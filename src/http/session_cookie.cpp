#include "http/session_cookie.h"

#include <algorithm>

#include "domain/text.h"

namespace leadproc::http {
namespace {

// The first entry of a header a proxy may have written as a list ("https, http"): the one the
// outermost proxy, facing the browser, wrote.
std::optional<std::string> forwarded(const Request& req, const std::string& name) {
  if (!req.from_trusted_proxy) return std::nullopt;
  auto value = req.header(name);
  if (!value) return std::nullopt;
  std::string_view v = *value;
  v = trim(v.substr(0, v.find(',')));
  if (v.empty()) return std::nullopt;
  return lower_ascii(v);
}

// "host[:port]" in lower case without the scheme's default port; "[v6]" keeps its brackets.
// nullopt when malformed.
std::optional<std::string> authority(std::string_view scheme, std::string_view text) {
  std::string a = lower_ascii(trim(text));
  if (a.empty() || a.find_first_of("/?#@ \t") != std::string::npos) return std::nullopt;
  std::size_t host_end = a.size();
  if (a.front() == '[') {
    auto close = a.find(']');
    if (close == std::string::npos) return std::nullopt;
    host_end = close + 1;
  } else if (auto colon = a.rfind(':'); colon != std::string::npos) {
    host_end = colon;
  }
  std::string host = a.substr(0, host_end);
  std::string_view rest = std::string_view(a).substr(host_end);
  if (host.empty()) return std::nullopt;
  if (rest.empty()) return host;
  if (rest.front() != ':') return std::nullopt;
  std::string_view port = rest.substr(1);
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) return host;
  return host + ":" + std::string(port);
}

std::string request_scheme(const Request& req, std::optional<bool> secure) {
  if (auto proto = forwarded(req, "x-forwarded-proto"); proto == "https" || proto == "http")
    return *proto;
  return secure.value_or(false) ? "https" : "http";
}

// This server's origin as the browser sees it; nullopt without a usable Host.
std::optional<std::string> own_origin(const Request& req, std::optional<bool> secure) {
  const std::string scheme = request_scheme(req, secure);
  std::optional<std::string> host = forwarded(req, "x-forwarded-host");
  if (!host) host = req.header("host");
  if (!host) return std::nullopt;
  auto a = authority(scheme, *host);
  if (!a) return std::nullopt;
  return scheme + "://" + *a;
}

// An Origin header in the same form as own_origin; nullopt for "null" or anything malformed.
std::optional<std::string> normalized_origin(std::string_view origin) {
  origin = trim(origin);
  auto sep = origin.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  const std::string scheme = lower_ascii(origin.substr(0, sep));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  auto a = authority(scheme, origin.substr(sep + 3));
  if (!a) return std::nullopt;
  return scheme + "://" + *a;
}

std::string cookie_attributes(bool secure) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (secure ? "; Secure" : "");
}

}  // namespace

std::optional<std::string> session_cookie_of(const Request& req) {
  auto header = req.header("cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  // Pairs are separated by ';' (several Cookie fields were joined with ", " by the server).
  while (!rest.empty()) {
    auto end = rest.find_first_of(";,");
    std::string_view pair = trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != kSessionCookie) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (!value.empty()) return std::string(value);
  }
  return std::nullopt;
}

bool cookie_secure_for(const Request& req, std::optional<bool> secure) {
  if (secure) return *secure;
  return forwarded(req, "x-forwarded-proto") == "https";
}

std::string session_cookie_header(std::string_view token, long long max_age_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(token) +
         "; Max-Age=" + std::to_string(std::max(0LL, max_age_seconds)) + cookie_attributes(secure);
}

std::string expired_session_cookie_header(bool secure) {
  return std::string(kSessionCookie) + "=; Max-Age=0" + cookie_attributes(secure);
}

std::optional<std::string> cross_origin_reason(const Request& req, std::optional<bool> secure,
                                               bool required) {
  auto origin = req.header("origin");
  if (!origin)
    return required ? std::optional<std::string>(
                          "a request signed in by the session cookie must send an Origin header")
                    : std::nullopt;
  auto own = own_origin(req, secure);
  if (!own) return "the request has no usable Host header to compare its Origin with";
  auto theirs = normalized_origin(*origin);
  if (theirs == own) return std::nullopt;
  return "the Origin '" + std::string(trim(*origin)) + "' is not this server's origin '" + *own +
         "' (behind a TLS proxy: list it in LEADPROC_TRUSTED_PROXIES and have it send "
         "X-Forwarded-Proto, or set LEADPROC_COOKIE_SECURE=true)";
}

bool is_unsafe_method(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace leadproc::http
