// Maps (method, path) to a handler. Beast-free so that handler code compiles fast.
//
// Patterns are absolute paths whose segments are either literals or `{name}` placeholders,
// e.g. "/api/v1/opportunities/{id}/activities". A placeholder matches exactly one non-empty
// segment and its value lands in Request::params["name"]. Matching is exact otherwise: no
// wildcards, and "/a/" does not match "/a". When several patterns match a path, the most
// specific wins: at the first segment where they differ, a literal beats a placeholder
// (so "/leads/search" is preferred over "/leads/{id}").
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace leadproc::http {

// A request handler. Handlers are blocking (they may do database work); the server runs them on
// worker threads, never on network threads. A handler may throw: the server answers 500.
using Handler = std::function<Response(Request&)>;

// Where the server runs a route's handler.
enum class Execution {
  kWorker,    // on the worker pool, behind the bounded queue (the default): handlers may block
  kIoThread,  // inline on the network thread, never queued nor shed: only for public routes whose
              // handler neither blocks nor takes more than microseconds (liveness, metrics)
  kHashPool,  // on the small password-hashing pool, behind its own bounded queue: routes that
              // run bcrypt (~200 ms of CPU), so that logins never hold the workers that take
              // leads (ServerConfig::hash_threads)
};

// Which request-body limit applies to a route (ServerConfig): kSmall (body_limit, the default)
// or kLarge (lead_body_limit: lead intake, whose bodies carry a source's whole form).
enum class BodySize { kSmall, kLarge };

// Access rules (docs/api-auth.md)

// Who may call a route, declared with the route (Router::add). The router's guard (set_guard)
// checks it before the handler runs; a route registered without a rule is treated as ADMIN only
// and is reported by Router::routes() with no rule, which the access-table test refuses.
struct Access {
  enum class Kind {
    kPublic,         // anyone, no credentials (health, metrics, login)
    kUsers,          // a user's bearer token, of one of `departments`
    kUsersOrApiKey,  // as kUsers, or a lead source's API key (lead ingestion only)
  };
  Kind kind = Kind::kUsers;
  std::vector<Department> departments;  // kUsers / kUsersOrApiKey; empty: every department

  static Access public_route() { return {Kind::kPublic, {}}; }
  static Access users(std::vector<Department> departments = {}) {
    return {Kind::kUsers, std::move(departments)};
  }
  static Access admin() { return users({Department::kAdmin}); }
  static Access users_or_api_key() { return {Kind::kUsersOrApiKey, {}}; }

  // True iff a user of department `d` may call the route (false for kPublic: no user needed).
  bool admits(Department d) const;
  // "public", "users:*", "users:ADMIN", "users:ADMIN,PSV", "apiKey|users:*": stable text for
  // listings and tests.
  std::string describe() const;
};

// Authenticates `request` for a route with rule `access` (nullopt: the route has none). Returns
// the response to send instead of calling the handler (401, 403), or nullopt to go on, having
// set request.principal when the route needs one. Runs on a worker thread.
using Guard =
    std::function<std::optional<Response>(Request& request, const std::optional<Access>& access)>;

// The part of the guard that needs only the headers and never blocks: refuses (401) a request
// whose credentials are absent or malformed for a route with rule `access`. The server runs it
// on the network thread before it reads the request's body, so a caller without credentials
// makes the server read, hold and queue nothing.
using HeaderCheck = std::function<std::optional<Response>(const Request& request,
                                                          const std::optional<Access>& access)>;

// One registered route, for listings (leadproc routes) and the access-table test.
struct RouteInfo {
  std::string method;
  std::string pattern;
  std::string name;
  std::optional<Access> access;  // nullopt: registered without a rule
};


// The outcome of Router::match.
struct RouteMatch {
  enum class Kind {
    found,               // handler, route_name and params are set
    not_found,           // no pattern matches the path (404)
    method_not_allowed,  // some pattern matches the path, none with this method (405)
  };
  Kind kind = Kind::not_found;
  // Valid while the Router is alive and no route is added; null unless kind == found.
  const Handler* handler = nullptr;  // the guard, then the registered handler
  // The registered handler alone, for a request that already passed Router::authenticate.
  const Handler* authenticated_handler = nullptr;
  const std::optional<Access>* access = nullptr;  // the route's rule (nullopt: none = ADMIN)
  Execution execution = Execution::kWorker;       // set when kind == found
  BodySize body = BodySize::kSmall;               // set when kind == found
  std::string route_name;                         // set when kind == found
  std::map<std::string, std::string> params;      // placeholder values when kind == found
  std::vector<std::string> allow;                 // sorted methods for the path when 405
};

class Router {
 public:
  // Registers `h` for `method` (upper case, e.g. "GET") and `pattern`. `route_name` labels the
  // route in metrics and logs; when empty, the pattern is used. Throws std::invalid_argument for a
  // malformed pattern (not starting with '/', a brace that is not a whole `{name}` segment, a
  // placeholder name repeated) or a (method, pattern) pair registered twice.
  // Not thread-safe: register every route before the server starts.
  void add(std::string method, std::string pattern, std::string route_name, Handler h);
  // The same with the route's access rule: the guard checks it before `h` runs. With
  // Execution::kIoThread, `access` must be public (the guard would otherwise authenticate on the
  // network thread): std::invalid_argument if not.
  void add(std::string method, std::string pattern, std::string route_name, Access access,
           Handler h, Execution execution = Execution::kWorker, BodySize body = BodySize::kSmall);

  // Sets the guard that every route's handler passes first (routes added before and after).
  // Without a guard, handlers run unchecked (unit tests of the router).
  void set_guard(Guard guard) { *guard_ = std::move(guard); }
  // Sets the header check (HeaderCheck) that check_headers() applies.
  void set_header_check(HeaderCheck check) { header_check_ = std::move(check); }

  // For a found `match`: the header check's refusal (nullopt: go on, or no check is set). Does
  // not block. Thread-safe (const).
  std::optional<Response> check_headers(const Request& req, const RouteMatch& match) const;
  // For a found `match`: runs the guard (it may block on the database) and returns its refusal;
  // nullopt: go on with match.authenticated_handler (req.principal is set). Thread-safe (const).
  std::optional<Response> authenticate(Request& req, const RouteMatch& match) const;

  // Every route in registration order.
  std::vector<RouteInfo> routes() const;

  // Finds the route for `method` and the decoded `path` (no query string). Thread-safe (const).
  RouteMatch match(std::string_view method, std::string_view path) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the placeholder name
    bool is_param = false;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::string name;
    std::vector<Segment> segments;
    std::optional<Access> access;
    Handler handler;  // the guard, then the registered handler
    Handler registered;
    Execution execution = Execution::kWorker;
    BodySize body = BodySize::kSmall;
  };

  void add_route(std::string method, std::string pattern, std::string route_name,
                 std::optional<Access> access, Handler h, Execution execution, BodySize body);

  // True iff `route` matches `segments`; fills `params` when it does.
  static bool matches(const Route& route, const std::vector<std::string_view>& segments,
                      std::map<std::string, std::string>* params);
  // True iff `a` is strictly more specific than `b` (both match the same path).
  static bool more_specific(const Route& a, const Route& b);

  std::vector<Route> routes_;
  // Shared with every route's handler, so that set_guard applies to routes added before it.
  std::shared_ptr<Guard> guard_ = std::make_shared<Guard>();
  HeaderCheck header_check_;
};

}  // namespace leadproc::http
