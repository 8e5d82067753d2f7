#include "jobs/cms_sync.h"

#include <curl/curl.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "app/weburls.h"
#include "domain/url.h"
#include "jobs/sitemap.h"

namespace leadproc::jobs {
namespace json = boost::json;

namespace {

constexpr long kTimeoutSeconds = 30;
constexpr long kMaxRedirects = 5;
constexpr std::size_t kMaxBodyBytes = 50u * 1024 * 1024;

struct CurlEasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct Body {
  std::string data;
  bool too_large = false;
};

std::size_t write_body(char* ptr, std::size_t size, std::size_t nmemb, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t n = size * nmemb;
  if (body->data.size() + n > kMaxBodyBytes) {
    body->too_large = true;
    return 0;  // aborts the transfer
  }
  body->data.append(ptr, n);
  return n;
}

Result<std::string> curl_fetch(const std::string& url) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CurlEasy h(curl_easy_init());
  if (!h) return Error::internal("curl_easy_init failed");
  Body body;
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h.get(), CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT, kTimeoutSeconds);
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate if offered
  curl_easy_setopt(h.get(), CURLOPT_USERAGENT, "leadproc-cms-sync/1");
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, errbuf);
  const CURLcode rc = curl_easy_perform(h.get());
  if (body.too_large)
    return Error::unavailable("fetching " + url + ": the body exceeds " +
                              std::to_string(kMaxBodyBytes) + " bytes");
  if (rc != CURLE_OK)
    return Error::unavailable("fetching " + url + " failed: " +
                              (errbuf[0] ? std::string(errbuf) : curl_easy_strerror(rc)));
  long status = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 400)
    return Error::unavailable("fetching " + url + " failed: HTTP status " + std::to_string(status));
  return std::move(body.data);
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
  json::array urls;
  urls.reserve(pages.size());
  for (auto& p : pages) urls.emplace_back(json::string(p));
  auto r = upsert_weburls(ctx, json::object{{"urls", std::move(urls)}});
  if (!r) return r.error();
  counts.created = r->created;
  counts.unchanged = r->unchanged;
  return counts;
}

}  // namespace leadproc::jobs
