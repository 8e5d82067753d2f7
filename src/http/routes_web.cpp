// The web UI: GET / answers web/index.html, GET /ui/{name} the other files of web/ and
// GET /ui/vendor/{name} those of web/vendor/ (embedded in the binary, http/web_assets.h). Both are
// public: the page and its scripts hold no data, and the UI then calls the JSON API with the bearer
// token of its user.
//
// Caching: `Cache-Control: no-cache` with a strong ETag per file, so a browser revalidates each
// file (a 304 without a body when it has not changed) and a new binary's UI is used at once.
// index.html also carries a Content-Security-Policy that allows only this origin's scripts,
// styles and API (no inline script, no other site), on top of the server's security headers.
// An unknown name answers 404 problem+json, like any unknown route.
//
// They run on the network thread (Execution::kIoThread): the answer is a copy of bytes already
// in memory, so the UI loads even when the worker pool is saturated.
#include <algorithm>

#include "http/routes.h"
#include "http/web_assets.h"

namespace leadproc::http {

namespace {

constexpr std::string_view kIndex = "index.html";
constexpr std::string_view kIndexPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// True iff If-None-Match names `etag`: the field is "*" (any) or a comma-separated list of
// entity tags, one of which is `etag` or its weak form W/"..." (GET compares weakly, RFC 9110
// 13.1.2). A "*" inside a tag is part of that tag.
bool etag_matches(const Request& req, std::string_view etag) {
  auto header = req.header("if-none-match");
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
  }
  return false;
}

Response serve_asset(const Request& req, std::string_view name) {
  const WebAsset* asset = find_web_asset(name);
  if (!asset)
    return problem_response(404, "Not Found",
                            "The web UI has no file '" + std::string(name) + "'.");
  Response res;
  res.headers.emplace_back("ETag", std::string(asset->etag));
  res.headers.emplace_back("Cache-Control", "no-cache");
  if (name == kIndex)
    res.headers.emplace_back("Content-Security-Policy", std::string(kIndexPolicy));
  if (etag_matches(req, asset->etag)) {
    res.status = 304;
    return res;
  }
  res.content_type = std::string(web_content_type(name));
  res.body = std::string(asset->body);
  return res;
}

}  // namespace

const WebAsset* find_web_asset(std::string_view name) {
  auto assets = web_assets();
  auto it = std::lower_bound(assets.begin(), assets.end(), name,
                             [](const WebAsset& a, std::string_view n) { return a.name < n; });
  return it != assets.end() && it->name == name ? &*it : nullptr;
}

std::string_view web_content_type(std::string_view name) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& t : kTypes)
    if (name.ends_with(t.extension)) return t.content_type;
  return "application/octet-stream";
}

void register_web_routes(Router& router) {
  router.add(
      "GET", "/", "ui.index", Access::public_route(),
      [](Request& req) { return serve_asset(req, kIndex); }, Execution::kIoThread);
  router.add(
      "GET", "/ui/{file}", "ui.asset", Access::public_route(),
      [](Request& req) { return serve_asset(req, req.params["file"]); }, Execution::kIoThread);
  router.add(
      "GET", "/ui/vendor/{file}", "ui.vendor", Access::public_route(),
      [](Request& req) { return serve_asset(req, "vendor/" + req.params["file"]); },
      Execution::kIoThread);
}

}  // namespace leadproc::http
