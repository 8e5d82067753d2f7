#include "http/router.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <boost/json/value.hpp>

#include "codec/json_writer.h"

namespace leadproc::http {
namespace {

// Splits "/a/b/c" into {"a", "b", "c"}; "/" into {""}; "/a/" into {"a", ""}.
// `path` must start with '/'.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  for (;;) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

bool Access::admits(Department d) const {
  if (kind == Kind::kPublic) return false;
  return departments.empty() ||
         std::find(departments.begin(), departments.end(), d) != departments.end();
}

std::string Access::describe() const {
  if (kind == Kind::kPublic) return "public";
  std::string out = kind == Kind::kUsersOrApiKey ? "apiKey|users:" : "users:";
  if (departments.empty()) return out + "*";
  for (std::size_t i = 0; i < departments.size(); ++i)
    out += (i ? "," : "") + std::string(to_string(departments[i]));
  return out;
}

void Router::add(std::string method, std::string pattern, std::string route_name, Handler h) {
  add_route(std::move(method), std::move(pattern), std::move(route_name), std::nullopt,
            std::move(h), Execution::kWorker, BodySize::kSmall);
}

void Router::add(std::string method, std::string pattern, std::string route_name, Access access,
                 Handler h, Execution execution, BodySize body) {
  add_route(std::move(method), std::move(pattern), std::move(route_name), std::move(access),
            std::move(h), execution, body);
}

std::optional<Response> Router::check_headers(const Request& req, const RouteMatch& match) const {
  if (!header_check_ || match.access == nullptr) return std::nullopt;
  return header_check_(req, *match.access);
}

std::optional<Response> Router::authenticate(Request& req, const RouteMatch& match) const {
  if (!*guard_ || match.access == nullptr) return std::nullopt;
  return (*guard_)(req, *match.access);
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& r : routes_) out.push_back({r.method, r.pattern, r.name, r.access});
  return out;
}

void Router::add_route(std::string method, std::string pattern, std::string route_name,
                       std::optional<Access> access, Handler h, Execution execution,
                       BodySize body) {
  if (method.empty()) throw std::invalid_argument("route method is empty");
  if (execution == Execution::kIoThread && (!access || access->kind != Access::Kind::kPublic))
    throw std::invalid_argument("only a public route may run on the I/O thread: " + pattern);
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  if (!h) throw std::invalid_argument("route handler is empty: " + pattern);

  Route route;
  std::set<std::string, std::less<>> names;
  for (std::string_view part : split_path(pattern)) {
    Segment seg;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      seg.text = std::string(part.substr(1, part.size() - 2));
      seg.is_param = true;
      if (seg.text.empty() || seg.text.find_first_of("{}") != std::string::npos ||
          !names.insert(seg.text).second) {
        throw std::invalid_argument("bad placeholder in route pattern: " + pattern);
      }
    } else {
      if (part.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("placeholder must be a whole segment: " + pattern);
      }
      seg.text = std::string(part);
    }
    route.segments.push_back(std::move(seg));
  }
  for (const Route& r : routes_) {
    if (r.method == method && r.pattern == pattern) {
      throw std::invalid_argument("route registered twice: " + method + " " + pattern);
    }
  }
  route.name = route_name.empty() ? pattern : std::move(route_name);
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.access = access;
  route.execution = execution;
  route.body = body;
  route.registered = h;
  route.handler = [guard = guard_, access = std::move(access), h = std::move(h)](Request& req) {
    if (*guard) {
      if (auto refused = (*guard)(req, access)) return std::move(*refused);
    }
    return h(req);
  };
  routes_.push_back(std::move(route));
}

bool Router::matches(const Route& route, const std::vector<std::string_view>& segments,
                     std::map<std::string, std::string>* params) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& seg = route.segments[i];
    if (seg.is_param ? segments[i].empty() : seg.text != segments[i]) return false;
  }
  if (params != nullptr) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (route.segments[i].is_param) (*params)[route.segments[i].text] = segments[i];
    }
  }
  return true;
}

bool Router::more_specific(const Route& a, const Route& b) {
  for (std::size_t i = 0; i < a.segments.size() && i < b.segments.size(); ++i) {
    if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
  }
  return false;
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  const auto segments = split_path(path);

  const Route* best = nullptr;
  std::set<std::string> allow;
  for (const Route& r : routes_) {
    if (!matches(r, segments, nullptr)) continue;
    if (r.method != method) {
      allow.insert(r.method);
    } else if (best == nullptr || more_specific(r, *best)) {
      best = &r;
    }
  }
  if (best != nullptr) {
    result.kind = RouteMatch::Kind::found;
    result.handler = &best->handler;
    result.authenticated_handler = &best->registered;
    result.access = &best->access;
    result.execution = best->execution;
    result.body = best->body;
    result.route_name = best->name;
    matches(*best, segments, &result.params);
  } else if (!allow.empty()) {
    result.kind = RouteMatch::Kind::method_not_allowed;
    result.allow.assign(allow.begin(), allow.end());
  }
  return result;
}

Response problem_response(int status, std::string_view title, std::string_view detail) {
  boost::json::value body = {
      {"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
  Response res;
  res.status = status;
  res.content_type = "application/problem+json";
  res.body = codec::serialize(body);
  return res;
}

}  // namespace leadproc::http
