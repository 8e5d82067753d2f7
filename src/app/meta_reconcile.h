// The Meta reconciler's use cases (issue 19 item 2; docs/intake.md "The reconciler"). Meta's
// webhook can be lost (its own losses, or a receiver down beyond Meta's 36 hours of retries); the
// reconciler reads each form's leads from the Graph API and stores a receipt for every lead not
// received yet, so that it takes the webhook's path from there on (the fetch job fetches,
// ingests, retries or fails it with a reason; one lead per leadgen_id, the receipt's key).
//
// The forms are those the page itself lists (GET /{page_id}/leadgen_forms, Meta's documented way
// to enumerate a page's Instant Forms), so a form created after the page was set up is read
// without an admin naming it. The leads of a form are read with GET /{form_id}/leads filtered on
// time_created GREATER_THAN a point `since`, following paging.next.
//
// The watermark (MetaForm::watermark): the newest time_created of a COMPLETE listing, written in
// the transaction that stores that listing's receipts, and never lowered. Every lead Meta listed
// up to it therefore has a receipt, and a receipt is never dropped (a lead that cannot be fetched
// stays "failed" with its reason, for Retry): the watermark never passes a lead that was not
// stored. A listing cut short (an error on page 3 of 5) stores the receipts it got but leaves the
// watermark where it was, so the next sync reads the whole window again. Each sync reads from
// kMetaSyncOverlap before the watermark: Meta may list a lead later than others created after
// it, and re-reading costs nothing (a receipt already stored is left as it is).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"

namespace leadproc {

// Each sync re-reads this far before a form's watermark.
inline constexpr std::chrono::hours kMetaSyncOverlap{1};
// A form without a watermark (its first sync) is read this far back: Meta's 36 hours of webhook
// retries and a margin. Older leads are not taken in (they predate leadproc or were handled then).
inline constexpr std::chrono::hours kMetaFirstLookBack{48};
// At most this many pages of a listing are followed in one sync (100 items each): a listing
// longer than that is cut short (and so does not move the watermark).
inline constexpr int kMetaSyncMaxPages = 200;

struct MetaListedForm {
  std::string id;
  std::optional<std::string> name;
};

struct MetaListedLead {
  std::string leadgen_id;
  std::optional<std::string> form_id;
  std::optional<std::string> ad_id;
  std::optional<std::string> adset_id;
  std::optional<std::int64_t> created_time;  // seconds since the epoch
};

// One page of a Graph API listing: its items and paging.next, if any.
template <typename Item>
struct GraphListing {
  std::vector<Item> items;
  std::optional<std::string> next;
};

// {"data": [{"id", "name", ...}], "paging": {"next"}} of GET /{page_id}/leadgen_forms. Items
// without an exact id are skipped. Errors: a body that is not such an object.
Result<GraphListing<MetaListedForm>> parse_meta_forms_page(std::string_view body);
// {"data": [{"id", "created_time", "ad_id", "adset_id", "form_id"}], "paging": {"next"}} of
// GET /{form_id}/leads; created_time as Meta writes it ("2026-12-06T09:00:00+0000") or seconds.
Result<GraphListing<MetaListedLead>> parse_meta_leads_page(std::string_view body);

// The first page of a page's forms, and of a form's leads created after `since` (seconds).
std::string meta_forms_url(const MetaConfig& config, const std::string& page_id,
                           const std::string& access_token);
std::string meta_form_leads_url(const MetaConfig& config, const std::string& form_id,
                                std::int64_t since, const std::string& access_token);
// True iff `url` (a paging.next) is on the configured Graph API: the next page is fetched with
// the token in it, so it is followed nowhere else.
bool is_meta_graph_url(const MetaConfig& config, std::string_view url);

// Where a form's sync starts reading (seconds): kMetaSyncOverlap before its watermark, or
// kMetaFirstLookBack before `now` when it has none.
std::int64_t meta_sync_since(const std::optional<std::int64_t>& watermark, Timestamp now);

// How one form's sync went.
struct MetaFormSync {
  std::string form_id;
  std::optional<std::string> name;
  int listed = 0;                         // leads Meta listed
  int added = 0;                          // receipts stored by this sync (leads not received yet)
  std::optional<std::int64_t> watermark;  // after the sync
  std::optional<std::string> error;       // why the listing was cut short, in plain words
};

// How one page's sync went. `error`: listing the page's forms failed (e.g. a revoked token).
struct MetaPageSync {
  std::string page_id;
  Timestamp synced_at{};
  std::optional<std::string> error;
  std::vector<MetaFormSync> forms;
  int listed = 0;
  int added = 0;
};

// In one transaction: a receipt (via "sync", pending, due now) for each of `leads` whose
// leadgen_id has none; when `error` is absent (the listing was complete) the form's watermark
// moved up to the newest created_time listed (never down); the form's name, synced_at and error
// recorded. Returns the form's sync.
Result<MetaFormSync> record_meta_form_sync(AppContext& ctx, const std::string& page_id,
                                           const MetaListedForm& form,
                                           const std::vector<MetaListedLead>& leads,
                                           std::optional<std::string> error);

// Records the page's sync (when, and the error of listing its forms, if any).
Status record_meta_page_sync(AppContext& ctx, const std::string& page_id, Timestamp at,
                             const std::optional<std::string>& error);

}  // namespace leadproc
