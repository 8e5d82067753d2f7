// The browser's session cookie (docs/api-auth.md "Browser sessions"): the same session as a
// login's bearer token, carried in an HttpOnly, SameSite=Strict cookie so that a new tab or a
// pasted link is signed in, and the CSRF rule that comes with it: an unsafe request
// authenticated by the cookie must carry an Origin that is this server's own.
//
// Which scheme the server is reached by decides both the cookie's Secure flag and the origin an
// Origin header must match. leadproc itself speaks plain HTTP, so the scheme is https only when a
// trusted proxy (LEADPROC_TRUSTED_PROXIES) says so with X-Forwarded-Proto, or when the operator
// says the public side is https (LEADPROC_COOKIE_SECURE=true). The host is the Host header, or a
// trusted proxy's X-Forwarded-Host. Headers from any other peer are not believed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"

namespace leadproc::http {

inline constexpr std::string_view kSessionCookie = "leadproc_session";

// The value of the session cookie in the request's Cookie header(s); nullopt when absent or
// empty.
std::optional<std::string> session_cookie_of(const Request& req);

// Whether the cookie gets the Secure flag for this request: `secure` when the operator set it
// (true/false), else whether the request reached us over https (a trusted proxy's
// X-Forwarded-Proto).
bool cookie_secure_for(const Request& req, std::optional<bool> secure);

// Set-Cookie values: the session for `max_age_seconds` (at least 0), and its removal.
std::string session_cookie_header(std::string_view token, long long max_age_seconds, bool secure);
std::string expired_session_cookie_header(bool secure);

// Why the request's Origin is not this server's own origin ("scheme://host[:port]", default
// ports left out); nullopt when it is. A missing Origin is a reason when `required`; otherwise a
// request without one passes (a non-browser client, or a browser's same-origin GET).
std::optional<std::string> cross_origin_reason(const Request& req, std::optional<bool> secure,
                                               bool required);

// POST, PUT, PATCH, DELETE (and any method that is not GET, HEAD or OPTIONS).
bool is_unsafe_method(std::string_view method);

}  // namespace leadproc::http
