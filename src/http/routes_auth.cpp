// Authentication endpoints (docs/api-auth.md): login, logout, me, changing one's own password
// (the login also sets the browser's session cookie, logout clears it); setting a user's password;
// login throttles; lead sources' API keys. Every login attempt is logged and counted in /metrics
// here, from the LoginAudit the use case fills (app code knows neither the log nor the metrics).
#include <boost/json/array.hpp>

#include "app/auth.h"
#include "app/users.h"
#include "codec/field_reader.h"
#include "codec/json_codec.h"
#include "domain/time_format.h"
#include "http/decode_auth.h"
#include "http/log.h"
#include "http/responses.h"
#include "http/routes.h"
#include "http/session_cookie.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

const Id& id_param(const Request& req) {
  static const Id kEmpty;
  auto it = req.params.find("id");
  return it == req.params.end() ? kEmpty : it->second;
}

// Never includes key_hash.
json::object api_key_json(const ApiKey& k) {
  return json::object{{"_id", k.id},
                      {"name", k.name},
                      {"platform", to_string(k.platform)},
                      {"revoked", k.revoked},
                      {"createdBy", k.created_by ? json::value(*k.created_by) : json::value()},
                      {"createdAt", format_iso8601(k.created_at)},
                      {"lastUsedAt", codec::optional_time(k.last_used_at)}};
}

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

// One log line and the counters for a login attempt: throttling decisions at warn, the rest at
// info. Never the email typed (it may be a password typed in the wrong field): the account's id.
void record_login(Metrics& metrics, const Request& req, const LoginAudit& audit) {
  const std::string outcome(to_string(audit.outcome));
  metrics.inc("leadproc_login_attempts_total", "Login attempts, by outcome",
              {{"outcome", outcome}});
  if (audit.password_checked)
    metrics.inc("leadproc_login_password_checks_total",
                "Passwords checked with bcrypt by logins (attempts not refused unchecked)", {});
  if (audit.outcome == LoginOutcome::kInvalid) return;
  LogFields fields{{"trace_id", req.trace_id},
                   {"outcome", outcome},
                   {"remote", req.remote_ip},
                   {"user_id", audit.user_id.value_or("")},
                   {"password_checked", audit.password_checked},
                   {"pair_failures", audit.pair_failures},
                   {"address_failures", audit.address_failures}};
  const bool throttled = audit.outcome == LoginOutcome::kThrottledPair ||
                         audit.outcome == LoginOutcome::kThrottledAddress;
  if (throttled) fields.emplace_back("retry_after", audit.retry_after_seconds);
  log_at(throttled ? LogLevel::warn : LogLevel::info, "login", fields);
}

json::object throttle_json(const LoginThrottle& t) {
  return json::object{{"email", t.email.empty() ? json::value() : json::value(t.email)},
                      {"address", t.address},
                      {"failures", t.failures},
                      {"lastFailureAt", format_iso8601(t.last_failure_at)},
                      {"blockedUntil", format_iso8601(t.blocked_until)}};
}

Response post_clear_throttles(AppContext& ctx, Metrics& metrics, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  auto cleared = clear_login_throttles(ctx, decode_throttle_clear(*body));
  if (!cleared) return problem_response(cleared.error(), req.trace_id);
  metrics.inc("leadproc_login_throttles_cleared_total", "Login throttles cleared by admins", {},
              *cleared);
  log_info("login throttles cleared",
           {{"trace_id", req.trace_id}, {"actor", req.principal->id}, {"cleared", *cleared}});
  return json_response(200, json::object{{"cleared", *cleared}});
}

Response forbidden(const Request& req, std::string detail) {
  return problem_response(Error{ErrorCode::kForbidden, std::move(detail), {}, {}, 0}, req.trace_id);
}

bool secure_cookie(const AppContext& ctx, const Request& req) {
  return cookie_secure_for(req, ctx.config.auth.cookie_secure);
}

Response post_login(AppContext& ctx, Metrics& metrics, Request& req) {
  // Login CSRF: another site's form must not sign the browser in to an account of its choosing.
  if (auto why = cross_origin_reason(req, ctx.config.auth.cookie_secure, false))
    return forbidden(req, "cross-origin login refused: " + *why);
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  std::vector<FieldError> errors;
  codec::FieldReader r(*body, errors);
  auto email = r.string("email", true);
  auto password = r.string("password", true);
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "email and password required"),
                            req.trace_id);
  LoginAudit audit;
  auto result = login(ctx, *email, *password, req.remote_ip, audit);
  record_login(metrics, req, audit);
  if (!result) return problem_response(result.error(), req.trace_id);
  Response out =
      json_response(200, json::object{{"token", result->token},
                                      {"tokenType", "Bearer"},
                                      {"expiresAt", format_iso8601(result->session.expiry)},
                                      {"user", codec::to_json(result->user)}});
  // The same session for the browser, for as long as the session lasts.
  const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(
      result->session.expiry - result->session.created_at);
  out.headers.emplace_back("Set-Cookie", session_cookie_header(result->token, lifetime.count(),
                                                               secure_cookie(ctx, req)));
  return out;
}

Response post_logout(AppContext& ctx, Request& req) {
  auto s = logout(ctx, *req.principal);
  if (!s) return problem_response(s.error(), req.trace_id);
  Response r = no_content();
  r.headers.emplace_back("Set-Cookie", expired_session_cookie_header(secure_cookie(ctx, req)));
  return r;
}

Response post_own_password(AppContext& ctx, Metrics& metrics, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  std::vector<FieldError> errors;
  codec::FieldReader r(*body, errors);
  auto current = r.string("currentPassword", true);
  auto next = r.string("newPassword", true);
  if (!errors.empty())
    return problem_response(
        Error::validation(std::move(errors), "currentPassword and newPassword required"),
        req.trace_id);
  LoginAudit audit;
  auto s = change_own_password(ctx, *req.principal, *current, *next, req.remote_ip, audit);
  metrics.inc("leadproc_password_changes_total", "Users changing their own password, by outcome",
              {{"outcome", std::string(to_string(audit.outcome))}});
  if (audit.password_checked)
    metrics.inc("leadproc_login_password_checks_total",
                "Passwords checked with bcrypt by logins (attempts not refused unchecked)", {});
  log_at(audit.outcome == LoginOutcome::kSucceeded ? LogLevel::info : LogLevel::warn,
         "password change",
         {{"trace_id", req.trace_id},
          {"outcome", std::string(to_string(audit.outcome))},
          {"remote", req.remote_ip},
          {"user_id", req.principal->id}});
  if (!s) return problem_response(s.error(), req.trace_id);
  return no_content();
}

Response get_me(AppContext& ctx, Request& req) {
  const Principal& p = *req.principal;
  auto user = get_user(ctx, p.id);
  if (!user) return problem_response(user.error(), req.trace_id);
  return json_response(200, json::object{{"user", codec::to_json(*user)},
                                         {"expiresAt", format_iso8601(p.session_expiry)}});
}

Response post_password(AppContext& ctx, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  std::vector<FieldError> errors;
  codec::FieldReader r(*body, errors);
  auto password = r.string("password", true);
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "password required"),
                            req.trace_id);
  auto user = set_user_password(ctx, id_param(req), *password, req.principal->actor());
  if (!user) return problem_response(user.error(), req.trace_id);
  return no_content();
}

Response post_api_key(AppContext& ctx, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  auto issued = issue_api_key(ctx, decode_api_key(*body), req.principal->actor());
  if (!issued) return problem_response(issued.error(), req.trace_id);
  json::object out = api_key_json(issued->key);
  out["key"] = issued->secret;  // shown once
  Response r = json_response(201, out);
  r.headers.emplace_back("Location", "/api/v1/api-keys/" + issued->key.id);
  return r;
}

}  // namespace

void register_auth_routes(Router& router, AppContext& ctx, Metrics& metrics) {
  const auto any_user = Access::users();
  router.add(
      "POST", "/api/v1/auth/login", "auth.login", Access::public_route(),
      [&ctx, &metrics](Request& req) { return post_login(ctx, metrics, req); },
      Execution::kHashPool);
  router.add("POST", "/api/v1/auth/logout", "auth.logout", any_user,
             [&ctx](Request& req) { return post_logout(ctx, req); });
  router.add(
      "POST", "/api/v1/auth/password", "auth.password", any_user,
      [&ctx, &metrics](Request& req) { return post_own_password(ctx, metrics, req); },
      Execution::kHashPool);
  router.add("GET", "/api/v1/auth/me", "auth.me", any_user,
             [&ctx](Request& req) { return get_me(ctx, req); });

  router.add(
      "POST", "/api/v1/users/{id}/password", "users.password", Access::admin(),
      [&ctx](Request& req) { return post_password(ctx, req); }, Execution::kHashPool);

  router.add("GET", "/api/v1/login-throttles", "login_throttles.list", Access::admin(),
             [&ctx](Request& req) {
               if (auto bad = refuse_params(req)) return *bad;
               auto all = list_login_throttles(ctx);
               if (!all) return problem_response(all.error(), req.trace_id);
               json::array items;
               for (const auto& t : *all) items.emplace_back(throttle_json(t));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/login-throttles/clear", "login_throttles.clear", Access::admin(),
             [&ctx, &metrics](Request& req) { return post_clear_throttles(ctx, metrics, req); });

  router.add("POST", "/api/v1/api-keys", "api_keys.create", Access::admin(),
             [&ctx](Request& req) { return post_api_key(ctx, req); });
  router.add("GET", "/api/v1/api-keys", "api_keys.list", Access::admin(), [&ctx](Request& req) {
    if (auto bad = refuse_params(req)) return *bad;
    auto keys = list_api_keys(ctx);
    if (!keys) return problem_response(keys.error(), req.trace_id);
    json::array items;
    for (const auto& k : *keys) items.emplace_back(api_key_json(k));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("GET", "/api/v1/api-keys/{id}", "api_keys.get", Access::admin(), [&ctx](Request& req) {
    auto k = get_api_key(ctx, id_param(req));
    if (!k) return problem_response(k.error(), req.trace_id);
    return json_response(200, api_key_json(*k));
  });
  router.add("DELETE", "/api/v1/api-keys/{id}", "api_keys.revoke", Access::admin(),
             [&ctx](Request& req) {
               auto k = revoke_api_key(ctx, id_param(req));
               if (!k) return problem_response(k.error(), req.trace_id);
               return no_content();
             });
}

}  // namespace leadproc::http
