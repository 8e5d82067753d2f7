#include "jobs/cms_sync.h"

#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "app/weburls.h"
#include "domain/url.h"
#include "jobs/http_get.h"
#include "jobs/sitemap.h"

namespace leadproc::jobs {

namespace {

Result<std::string> curl_fetch(const std::string& url) {
  HttpGetOptions options;
  options.user_agent = "leadproc-cms-sync/1";
  auto reply = http_get(url, options);
  if (!reply) return reply.error();
  if (reply->status >= 400)
    return Error::unavailable("fetching " + url + " failed: HTTP status " +
                              std::to_string(reply->status));
  return std::move(reply->body);
}

}  // namespace

Fetcher curl_fetcher() {
  return curl_fetch;
}

Result<CmsSyncCounts> sync_cms_sitemap(AppContext& ctx, const std::string& sitemap_url,
                                       const Fetcher& fetch) {
  CmsSyncCounts counts;
  // Breadth-first over (url, depth); `seen` holds the normalised sitemap URLs already queued.
  std::deque<std::pair<std::string, int>> queue{{sitemap_url, 0}};
  std::set<std::string> seen;
  if (auto n = normalize_url(sitemap_url))
    seen.insert(*n);
  else
    return Error::validation({{"cms-sitemap-url", "is not an absolute http(s) URL"}},
                             "the CMS sitemap URL is not an absolute http(s) URL: " + sitemap_url);
  std::vector<std::string> pages;  // normalised, distinct, in document order
  std::set<std::string> page_set;
  while (!queue.empty()) {
    auto [url, depth] = std::move(queue.front());
    queue.pop_front();
    if (static_cast<std::size_t>(counts.sitemaps) >= kMaxSitemaps)
      return Error::validation(
          {{"sitemap", "too many sitemaps"}},
          "the CMS sitemap names more than " + std::to_string(kMaxSitemaps) + " sitemaps");
    auto body = fetch(url);
    if (!body) {
      Error e = body.error();
      e.detail = "CMS sitemap sync: " + e.detail;
      return e;
    }
    ++counts.sitemaps;
    auto parsed = parse_sitemap(*body);
    if (!parsed) {
      Error e = parsed.error();
      e.detail = "CMS sitemap " + url + ": " + e.detail;
      return e;
    }
    if (parsed->kind == Sitemap::Kind::kIndex) {
      if (depth >= kMaxSitemapDepth)
        return Error::validation({{"sitemap", "nested too deeply"}},
                                 "CMS sitemap " + url + ": a sitemap index nested more than " +
                                     std::to_string(kMaxSitemapDepth) + " levels deep");
      for (auto& loc : parsed->locs) {
        auto n = normalize_url(loc);  // parse_sitemap checked it is a URL
        if (n && seen.insert(*n).second) queue.emplace_back(std::move(loc), depth + 1);
      }
      continue;
    }
    for (const auto& loc : parsed->locs) {
      auto n = normalize_url(loc);
      if (n && page_set.insert(*n).second) pages.push_back(std::move(*n));
    }
  }
  counts.urls = static_cast<int>(pages.size());
  if (pages.size() > kMaxUrlsPerUpsert)
    return Error::validation({{"sitemap", "too many URLs"}},
                             "the CMS sitemap lists " + std::to_string(pages.size()) +
                                 " URLs, more than the " + std::to_string(kMaxUrlsPerUpsert) +
                                 " one sync writes");
  if (pages.empty()) return counts;
  WebUrlsInput in;
  in.urls.reserve(pages.size());
  for (auto& p : pages) in.urls.emplace_back(std::move(p));
  auto r = upsert_weburls(ctx, in);
  if (!r) return r.error();
  counts.created = r->created;
  counts.unchanged = r->unchanged;
  return counts;
}

}  // namespace leadproc::jobs
