// CMS URL sync (issue 7 item 4; docs/api-scoring-jobs.md "Jobs"): fetches the CMS sitemap (a
// <urlset>, or a <sitemapindex> of nested sitemaps as WordPress/Yoast serves at
// /sitemap_index.xml) and upserts every page URL into weburls, normalised as at ingestion.
// All-or-nothing: every sitemap is fetched and parsed before anything is written, and the URLs
// are written in one transaction (upsert_weburls).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "app/context.h"

namespace leadproc::jobs {

// Fetches a URL's body; an error for a transport failure or an HTTP error status.
using Fetcher = std::function<Result<std::string>(const std::string& url)>;

inline constexpr int kMaxSitemapDepth = 2;         // an index, and the sitemaps it names
inline constexpr std::size_t kMaxSitemaps = 1000;  // fetched per sync

struct CmsSyncCounts {
  int sitemaps = 0;   // sitemap documents fetched
  int urls = 0;       // distinct page URLs (after normalisation)
  int created = 0;    // URLs new to weburls
  int unchanged = 0;  // URLs already there (mark and hits kept)
};

// Fetches `sitemap_url`, following a <sitemapindex> to its sitemaps (an index may name further
// indexes up to kMaxSitemapDepth levels below the first document; a sitemap seen before is not
// fetched again; more than kMaxSitemaps documents is an error). Any fetch or parse failure, or
// more than kMaxUrlsPerUpsert distinct URLs, is returned as an error and nothing is written.
Result<CmsSyncCounts> sync_cms_sitemap(AppContext& ctx, const std::string& sitemap_url,
                                       const Fetcher& fetch);

// A libcurl fetcher: 30 s timeout, at most 5 redirects, a body cap of 50 MiB; an HTTP status of
// 400 or more is an error naming the URL and the status.
Fetcher curl_fetcher();

}  // namespace leadproc::jobs
