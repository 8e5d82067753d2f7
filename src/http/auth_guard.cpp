// The router's guard: authenticates each request and enforces its route's Access rule.
#include <algorithm>
#include <cctype>

#include "app/auth.h"
#include "domain/text.h"
#include "http/responses.h"
#include "http/routes.h"
#include "http/session_cookie.h"

namespace leadproc::http {
namespace {

struct Credentials {
  // kCookie: the browser's session cookie (session_cookie.h), the same sessions as kBearer.
  enum class Kind { kNone, kBearer, kApiKey, kCookie, kMalformed };
  Kind kind = Kind::kNone;
  std::string secret;
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Authorization: Bearer <token> | ApiKey <key>; else X-Api-Key: <key>; else the session cookie.
Credentials credentials_of(const Request& req) {
  if (auto auth = req.header("authorization")) {
    std::string_view v = trim(*auth);
    auto space = v.find(' ');
    if (space == std::string_view::npos) return {Credentials::Kind::kMalformed, {}};
    std::string_view scheme = v.substr(0, space);
    std::string secret(trim(v.substr(space + 1)));
    if (secret.empty()) return {Credentials::Kind::kMalformed, {}};
    if (iequals(scheme, "Bearer")) return {Credentials::Kind::kBearer, std::move(secret)};
    if (iequals(scheme, "ApiKey")) return {Credentials::Kind::kApiKey, std::move(secret)};
    return {Credentials::Kind::kMalformed, {}};
  }
  if (auto key = req.header("x-api-key")) {
    std::string secret(trim(*key));
    if (secret.empty()) return {Credentials::Kind::kMalformed, {}};
    return {Credentials::Kind::kApiKey, std::move(secret)};
  }
  if (auto cookie = session_cookie_of(req)) return {Credentials::Kind::kCookie, std::move(*cookie)};
  return {};
}

Response unauthorized(const Request& req, std::string detail, bool bad_token) {
  Response r =
      problem_response(Error{ErrorCode::kUnauthorized, std::move(detail), {}, {}, 0}, req.trace_id);
  r.headers.emplace_back("WWW-Authenticate",
                         bad_token ? R"(Bearer realm="leadproc", error="invalid_token")"
                                   : R"(Bearer realm="leadproc")");
  return r;
}

// A 401 for a session cookie that no longer opens anything also removes it from the browser.
Response unauthorized_cookie(const Request& req, const AppContext& ctx, std::string detail) {
  Response r = unauthorized(req, std::move(detail), true);
  r.headers.emplace_back("Set-Cookie", expired_session_cookie_header(
                                           cookie_secure_for(req, ctx.config.auth.cookie_secure)));
  return r;
}

Response forbidden(const Request& req, std::string detail) {
  return problem_response(Error{ErrorCode::kForbidden, std::move(detail), {}, {}, 0}, req.trace_id);
}

// The refusal that the headers alone decide: no credentials, or malformed ones; an unsafe request
// signed in by the cookie whose Origin is not this server's (CSRF: 403). Bearer tokens and API
// keys are never sent by a browser on its own, so their requests need no Origin.
std::optional<Response> refuse_by_headers(const AppContext& ctx, const Request& req,
                                          const Credentials& cred) {
  switch (cred.kind) {
    case Credentials::Kind::kNone:
      return unauthorized(req, "authentication required: send Authorization: Bearer <token>",
                          false);
    case Credentials::Kind::kMalformed:
      return unauthorized(req, "malformed credentials", true);
    case Credentials::Kind::kCookie:
      if (!is_unsafe_method(req.method)) break;
      if (auto why = cross_origin_reason(req, ctx.config.auth.cookie_secure, true))
        return forbidden(req, "cross-origin request refused: " + *why);
      break;
    case Credentials::Kind::kApiKey:
    case Credentials::Kind::kBearer:
      break;
  }
  return std::nullopt;
}

bool is_public(const std::optional<Access>& rule) {
  // A route without a rule is the most restrictive kind: ADMIN only.
  return rule && rule->kind == Access::Kind::kPublic;
}

std::optional<Response> check(AppContext& ctx, Request& req, const std::optional<Access>& rule) {
  if (is_public(rule)) return std::nullopt;
  const Access access = rule.value_or(Access::admin());

  Credentials cred = credentials_of(req);
  if (auto refused = refuse_by_headers(ctx, req, cred)) return refused;
  switch (cred.kind) {
    case Credentials::Kind::kNone:
    case Credentials::Kind::kMalformed:
      break;  // refused above
    case Credentials::Kind::kApiKey: {
      auto p = authenticate_api_key(ctx, cred.secret);
      if (!p) {
        if (p.error().code == ErrorCode::kUnauthorized)
          return unauthorized(req, p.error().detail, true);
        return problem_response(p.error(), req.trace_id);
      }
      if (access.kind != Access::Kind::kUsersOrApiKey)
        return forbidden(req, "an API key can only send leads");
      req.principal = std::move(*p);
      return std::nullopt;
    }
    case Credentials::Kind::kBearer:
    case Credentials::Kind::kCookie: {
      auto p = authenticate_token(ctx, cred.secret);
      if (!p) {
        if (p.error().code == ErrorCode::kUnauthorized)
          return cred.kind == Credentials::Kind::kCookie
                     ? unauthorized_cookie(req, ctx, p.error().detail)
                     : unauthorized(req, p.error().detail, true);
        return problem_response(p.error(), req.trace_id);
      }
      if (!access.admits(p->department))
        return forbidden(req, "the " + std::string(to_string(p->department)) +
                                  " department may not use this endpoint");
      req.principal = std::move(*p);
      return std::nullopt;
    }
  }
  return unauthorized(req, "authentication required", false);
}

}  // namespace

void install_auth_guard(Router& router, AppContext& ctx) {
  router.set_guard([&ctx](Request& req, const std::optional<Access>& access) {
    return check(ctx, req, access);
  });
  router.set_header_check([&ctx](const Request& req, const std::optional<Access>& access) {
    if (is_public(access)) return std::optional<Response>();
    return refuse_by_headers(ctx, req, credentials_of(req));
  });
}

}  // namespace leadproc::http
