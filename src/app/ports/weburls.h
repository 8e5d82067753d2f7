// Web URLs: the landing pages leads come from, their daily hits, and the leads waiting on an
// unmarked one. One port of the store (app/store.h): ReadTx and WriteTx inherit every port, so a
// use case asks its transaction; the adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

struct WebUrlFilter {
  std::optional<bool> consumed;
  int limit = 100;
  int offset = 0;
};

// Hits of one web URL on one UTC day ("YYYY-MM-DD"), counted at ingestion.
struct DailyHits {
  std::string day;
  std::int64_t hits = 0;
};

// A web URL with its hits over a range of UTC days.
struct WebUrlRangeHits {
  WebUrl url;
  std::int64_t hits = 0;
};

class WebUrlReads {
 public:
  virtual Result<std::optional<WebUrl>> get_weburl(const Id& id) = 0;
  virtual Result<std::optional<WebUrl>> find_weburl(const std::string& normalized_url) = 0;
  // find_weburl without a lock in a write transaction: for counting a hit (count_weburl_hit).
  virtual Result<std::optional<WebUrl>> peek_weburl(const std::string& normalized_url) = 0;
  // Ordered by hits, most first, then url.
  virtual Result<std::vector<WebUrl>> list_weburls(const WebUrlFilter& filter) = 0;
  // The URL's hits per UTC day in [from_day, to_day] ("YYYY-MM-DD", inclusive), by day; days
  // without hits are left out.
  virtual Result<std::vector<DailyHits>> weburl_daily_hits(const Id& url_id,
                                                           const std::string& from_day,
                                                           const std::string& to_day) = 0;
  // Web URLs (filtered by f.consumed) with their hits in [from_day, to_day], most hits first
  // (then url), URLs without hits in the range left out, paged by f.limit / f.offset.
  virtual Result<std::vector<WebUrlRangeHits>> list_weburls_hit_between(
      const WebUrlFilter& f, const std::string& from_day, const std::string& to_day) = 0;

 protected:
  ~WebUrlReads() = default;
};

class WebUrlWrites {
 public:
  virtual Status insert_weburl(const WebUrl& w) = 0;
  virtual Status update_weburl(const WebUrl& w) = 0;
  // Opportunities with status ResolvingUnknown whose page normalises to `normalized_url`
  // (the projected page_url), oldest first, locked, at most `limit`; only ids after `after`
  // when given (a lead still ResolvingUnknown once routed must not come back in the next batch).
  virtual Result<std::vector<Opportunity>> resolving_from_url(const std::string& normalized_url,
                                                              int limit,
                                                              const std::optional<Id>& after) = 0;
  // hits += 1 for (url_id, day).
  virtual Status count_weburl_daily_hit(const Id& url_id, const std::string& day) = 0;
  // One more hit of a stored URL: hits += 1, last_hit_at = max(last_hit_at, at), and
  // count_weburl_daily_hit(url_id, day); atomic increments, so the caller need not lock the URL.
  // PostgreSQL applies them just before COMMIT, so a popular URL's row is locked only for the
  // commit (storage/postgres/tx.h); the URL must exist.
  virtual Status count_weburl_hit(const Id& url_id, Timestamp at, const std::string& day) = 0;

 protected:
  ~WebUrlWrites() = default;
};

}  // namespace leadproc
