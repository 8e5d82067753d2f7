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
Result<WebUrl> mark_weburl_destination(AppContext& ctx, const Id& id,
                                       const boost::json::object& body);

}  // namespace leadproc
