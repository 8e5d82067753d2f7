// Configuration API: web URLs (the spec's `weburls`; PRODUCT.md "Destination resolution"). URLs
// are stored normalised (domain/url.h). Ingestion adds every unseen `page` URL unmarked and
// counts hits; admins mark popular URLs with a destination; the CMS sync bulk-upserts URLs.
// Every function runs one store transaction.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "app/context.h"

namespace leadproc {

// At most this many URLs per bulk upsert (more -> 422 naming `urls`).
inline constexpr std::size_t kMaxUrlsPerUpsert = 10000;

struct WebUrlUpsert {
  int created = 0;           // URLs inserted (unmarked, no hits)
  int unchanged = 0;         // URLs already stored, or repeated within the request
  std::vector<WebUrl> urls;  // the stored record of each distinct URL, in request order
};

// Filtered by `consumed`, most hits first (then url), paged by limit/offset.
Result<std::vector<WebUrl>> list_weburls(AppContext& ctx, const WebUrlFilter& filter);
// 404 if the id is not 24 hex digits or unknown.
Result<WebUrl> get_weburl(AppContext& ctx, const Id& id);
// Body {"urls": [ "https://..." | {"url": "https://..."}, ... ]} (required, at most
// kMaxUrlsPerUpsert). Each must be an absolute http(s) URL (else 422 naming `urls[i]`, and
// nothing is stored). New URLs are inserted unmarked; stored ones are left as they are (their
// mark and hits are kept).
Result<WebUrlUpsert> upsert_weburls(AppContext& ctx, const boost::json::object& body);
// Body {"destination": <name or _id>} marks the URL (consumed=true, destination={_id,name});
// {"destination": null} unmarks it (consumed=false, destination=null). An unknown or deleted
// destination -> 422 naming `destination`; a missing key -> 422.
//
// Marking a URL also resolves the leads from it still waiting in ResolvingUnknown (the stored
// page normalises to the URL), in the same transaction: see resolve_waiting_leads.
Result<WebUrl> mark_weburl_destination(AppContext& ctx, const Id& id,
                                       const boost::json::object& body);

// For each opportunity in ResolvingUnknown whose page is the marked URL: sets the URL's
// destination and routes it as if it arrived now (route_new_opportunity; or, when the number
// already has an open opportunity for that destination, makes it a Dormant duplicate of it and
// counts a re-inquiry there), recomputes its score, writes it with an activity. Runs in `tx`.
// Returns how many were resolved. A no-op for an unmarked URL.
Result<int> resolve_waiting_leads(AppContext& ctx, WriteTx& tx, const WebUrl& marked);

// URL insight: URLs (filtered by consumed) with their hits in the UTC days [from_day, to_day]
// ("YYYY-MM-DD"), most hits in the range first.
Result<std::vector<WebUrlRangeHits>> list_weburls_hit_between(AppContext& ctx,
                                                              const WebUrlFilter& filter,
                                                              const std::string& from_day,
                                                              const std::string& to_day);
// The URL's hits per UTC day in [from_day, to_day]; 404 for an unknown URL.
Result<std::vector<DailyHits>> weburl_daily_hits(AppContext& ctx, const Id& id,
                                                 const std::string& from_day,
                                                 const std::string& to_day);

}  // namespace leadproc
