#include "jobs/meta_reconcile.h"

#include <algorithm>

#include "app/meta_intake.h"

namespace leadproc::jobs {
namespace {

// Every item of a listing, page after page; when it was cut short, the items read so far and
// `error`, the reason (what was read is still stored, but the watermark does not move).
template <typename Item>
struct Walked {
  std::vector<Item> items;
  std::optional<std::string> error;
};

template <typename Item, typename Parse>
Walked<Item> walk(const AppContext& ctx, const GraphGet& get, std::string url, Parse parse) {
  Walked<Item> out;
  for (int page = 0;; ++page) {
    if (page == kMetaSyncMaxPages) {
      out.error = "the listing has more than " + std::to_string(kMetaSyncMaxPages) +
                  " pages; the rest is read by the next sync";
      return out;
    }
    auto reply = get(url);
    if (!reply) {
      out.error = "could not reach the Graph API: " + reply.error().detail;
      return out;
    }
    if (reply->status != 200) {
      out.error = describe_graph_error(reply->status, reply->body).reason;
      return out;
    }
    auto listing = parse(reply->body);
    if (!listing) {
      out.error = listing.error().detail;
      return out;
    }
    for (auto& item : listing->items) out.items.push_back(std::move(item));
    if (!listing->next || listing->items.empty()) return out;
    if (!is_meta_graph_url(ctx.config.meta, *listing->next)) {
      out.error = "the Graph API's next page is not on LEADPROC_META_GRAPH_URL; not followed";
      return out;
    }
    url = *listing->next;
  }
}

}  // namespace

Result<MetaPageSync> sync_meta_page(AppContext& ctx, const GraphGet& get,
                                    const std::string& page_id) {
  std::optional<MetaPage> page;
  std::vector<MetaForm> known;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto p = tx.get_meta_page(page_id);
    if (!p) return p.error();
    page = std::move(*p);
    if (!page) return ok_status();
    auto f = tx.list_meta_forms(page_id);
    if (!f) return f.error();
    known = std::move(*f);
    return ok_status();
  });
  if (!s) return s.error();
  if (!page) return Error::not_found("no Meta page " + page_id + " is set up");

  MetaPageSync out;
  out.page_id = page_id;
  out.synced_at = ctx.now();
  auto forms =
      walk<MetaListedForm>(ctx, get, meta_forms_url(ctx.config.meta, page_id, page->access_token),
                           parse_meta_forms_page);
  if (forms.error) out.error = "listing the page's forms failed: " + *forms.error;
  // A form the page no longer lists (deleted, or a listing that failed) but that the reconciler
  // met before is still read: its leads may be among those the webhook missed.
  for (const auto& f : known) {
    const bool listed = std::any_of(forms.items.begin(), forms.items.end(),
                                    [&](const MetaListedForm& l) { return l.id == f.form_id; });
    if (!listed) forms.items.push_back({f.form_id, f.name});
  }
  for (const auto& form : forms.items) {
    std::optional<std::int64_t> watermark;
    for (const auto& f : known)
      if (f.form_id == form.id) watermark = f.watermark;
    const auto since = meta_sync_since(watermark, out.synced_at);
    auto leads = walk<MetaListedLead>(
        ctx, get, meta_form_leads_url(ctx.config.meta, form.id, since, page->access_token),
        parse_meta_leads_page);
    auto recorded = record_meta_form_sync(ctx, page_id, form, leads.items, leads.error);
    if (!recorded) return recorded.error();
    out.listed += recorded->listed;
    out.added += recorded->added;
    out.forms.push_back(std::move(*recorded));
  }
  if (auto st = record_meta_page_sync(ctx, page_id, out.synced_at, out.error); !st)
    return st.error();
  return out;
}

Result<JobCounts> reconcile_meta_pages(AppContext& ctx, const GraphGet& get) {
  std::vector<MetaPage> pages;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto p = tx.list_meta_pages();
    if (!p) return p.error();
    pages = std::move(*p);
    return ok_status();
  });
  if (!s) return s.error();
  std::int64_t forms = 0, listed = 0, added = 0, errors = 0;
  for (const auto& page : pages) {
    auto synced = sync_meta_page(ctx, get, page.page_id);
    if (!synced) {
      if (synced.error().code == ErrorCode::kNotFound) continue;  // deleted meanwhile
      return synced.error();
    }
    errors += synced->error ? 1 : 0;
    for (const auto& f : synced->forms) {
      ++forms;
      errors += f.error ? 1 : 0;
    }
    listed += synced->listed;
    added += synced->added;
  }
  return JobCounts{{"pages", static_cast<std::int64_t>(pages.size())},
                   {"forms", forms},
                   {"listed", listed},
                   {"new", added},
                   {"errors", errors}};
}

}  // namespace leadproc::jobs
