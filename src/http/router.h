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
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace leadproc::http {

// A request handler. Handlers are blocking (they may do database work); the server runs them on
// worker threads, never on network threads. A handler may throw: the server answers 500.
using Handler = std::function<Response(Request&)>;

// The outcome of Router::match.
struct RouteMatch {
  enum class Kind {
    found,               // handler, route_name and params are set
    not_found,           // no pattern matches the path (404)
    method_not_allowed,  // some pattern matches the path, none with this method (405)
  };
  Kind kind = Kind::not_found;
  // Valid while the Router is alive and no route is added; null unless kind == found.
  const Handler* handler = nullptr;
  std::string route_name;                     // set when kind == found
  std::map<std::string, std::string> params;  // placeholder values when kind == found
  std::vector<std::string> allow;             // sorted methods for the path when 405
};

class Router {
 public:
  // Registers `h` for `method` (upper case, e.g. "GET") and `pattern`. `route_name` labels the
  // route in metrics and logs; when empty, the pattern is used. Throws std::invalid_argument for a
  // malformed pattern (not starting with '/', a brace that is not a whole `{name}` segment, a
  // placeholder name repeated) or a (method, pattern) pair registered twice.
  // Not thread-safe: register every route before the server starts.
  void add(std::string method, std::string pattern, std::string route_name, Handler h);

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
    Handler handler;
  };

  // True iff `route` matches `segments`; fills `params` when it does.
  static bool matches(const Route& route, const std::vector<std::string_view>& segments,
                      std::map<std::string, std::string>* params);
  // True iff `a` is strictly more specific than `b` (both match the same path).
  static bool more_specific(const Route& a, const Route& b);

  std::vector<Route> routes_;
};

}  // namespace leadproc::http
