// Configuration API: web URLs (the spec's `weburls`; PRODUCT.md "Destination resolution"). URLs
// are stored normalised (domain/url.h). Ingestion adds every unseen `page` URL unmarked and
// counts hits; admins mark popular URLs with a destination; the CMS sync bulk-upserts URLs.
// Every function runs one store transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/destinations.h"
#include "app/input.h"

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
// The URLs of a bulk upsert as given (the HTTP body {"urls": [ "https://..." | {"url": ...} ]} is
// decoded by http/decode_weburls.h).
struct WebUrlsInput {
  std::vector<std::optional<std::string>> urls;  // nullopt: the decoder could not read the entry
  std::vector<FieldError> decode_errors;
};

// "urls": the reason a list of more than kMaxUrlsPerUpsert URLs is refused.
std::string too_many_urls_reason();

// At most kMaxUrlsPerUpsert URLs. Each must be an absolute http(s) URL (else 422 naming `urls[i]`,
// and nothing is stored). New URLs are inserted unmarked; stored ones are left as they are (their
// mark and hits are kept).
Result<WebUrlUpsert> upsert_weburls(AppContext& ctx, const WebUrlsInput& in);
// Where the waiting leads of a URL went (or would go) once it is marked: how many, and per
// group of the same status, process and assignee (or pool waited for), how many.
struct WaitingLeadsRoute {
  OpportunityStatus status = OpportunityStatus::kInPsv;
  std::optional<FiltrationProcess> process;     // nullopt for a duplicate
  std::optional<NamedRef> assignee;             // the PSV/WEST agent, or the sales person
  std::optional<AvailabilityProcess> awaiting;  // the pool it waits for, when nobody was free
  std::optional<Id> duplicate_of;               // a duplicate's original
  int count = 0;
};
struct WaitingLeadsRouting {
  int total = 0;                          // the leads of the URL waiting in ResolvingUnknown
  std::vector<WaitingLeadsRoute> routes;  // in the order first met (the leads by id)
};

struct MarkedWebUrl {
  WebUrl url;
  WaitingLeadsRouting waiting;  // what marking did (or would do) to the URL's waiting leads
};

// What to mark a URL with (the HTTP body {"destination": <name, _id, {_id | name}, or null>} is
// decoded by http/decode_weburls.h).
struct WebUrlMark {
  Patch<DestinationRef> destination;  // not given: 422; cleared: unmark
  std::vector<FieldError> decode_errors;
};

// A destination marks the URL (consumed=true, destination={_id,name}); a cleared one unmarks it
// (consumed=false, destination=null). An unknown or deleted destination -> 422 naming
// `destination`; none given -> 422.
//
// Marking a URL also routes the leads from it still waiting in ResolvingUnknown (the stored
// page normalises to the URL), in the same transaction, by `actor`: see resolve_waiting_leads.
Result<MarkedWebUrl> mark_weburl_destination(AppContext& ctx, const Id& id, const WebUrlMark& in,
                                             const std::optional<Id>& actor);

// What marking the URL with `destination` (a name or _id) would do to its waiting leads, now:
// the same transaction as mark_weburl_destination, rolled back (so round robin and the routing
// split show the very agents and processes a confirmation now would pick). 422 naming
// `destination` when it is missing or names no destination; 404 for an unknown URL.
Result<MarkedWebUrl> preview_weburl_destination(AppContext& ctx, const Id& id,
                                                const std::string& destination);

// For each opportunity in ResolvingUnknown whose page is the marked URL: sets the URL's
// destination and places it as ingestion places a new lead with that destination
// (routing.h place_new_opportunity: a duplicate of the number's open opportunity for it, or
// routed by the process map and round robin, PSV first where the map says so), recomputes its
// score, writes it with an activity by `actor` ("destination found from the marked URL ...").
// Runs in `tx`. A no-op for an unmarked URL.
Result<WaitingLeadsRouting> resolve_waiting_leads(AppContext& ctx, WriteTx& tx,
                                                  const WebUrl& marked,
                                                  const std::optional<Id>& actor);

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
