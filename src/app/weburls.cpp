#include "app/weburls.h"

#include <map>

#include "app/activity_log.h"
#include "app/destinations.h"
#include "app/routing.h"
#include "app/score_configs.h"
#include "codec/field_reader.h"
#include "domain/url.h"

namespace leadproc {
namespace json = boost::json;

namespace {

Result<WebUrl> load(ReadTx& tx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no web URL with _id '" + raw_id + "'");
  auto w = tx.get_weburl(*id);
  if (!w) return w.error();
  if (!*w) return Error::not_found("no web URL with _id '" + raw_id + "'");
  return **w;
}

// The normalised URLs of the body, in order, or a 422 naming every bad entry.
Result<std::vector<std::string>> decode_urls(const json::object& body) {
  std::vector<FieldError> errors;
  codec::FieldReader r(body, errors);
  const json::array* items = r.array("urls", true);
  if (items && items->size() > kMaxUrlsPerUpsert)
    r.fail("urls", "must hold at most " + std::to_string(kMaxUrlsPerUpsert) + " URLs");
  if (!errors.empty()) return Error::validation(std::move(errors), "the URL list is invalid");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string field = "urls[" + std::to_string(i) + "]";
    const json::value& item = (*items)[i];
    std::optional<std::string> raw;
    if (item.is_string()) {
      raw = std::string(item.get_string());
    } else if (item.is_object()) {
      codec::FieldReader ir(item.get_object(), errors, field + ".");
      raw = ir.string("url", true);
      if (!raw) continue;
    } else {
      errors.push_back({field, "must be a URL string or an object with `url`"});
      continue;
    }
    auto url = normalize_url(trimmed(*raw));
    if (!url)
      errors.push_back({field, "is not an absolute http(s) URL"});
    else
      out.push_back(std::move(*url));
  }
  if (!errors.empty()) return Error::validation(std::move(errors), "the URL list is invalid");
  return out;
}

}  // namespace

Result<int> resolve_waiting_leads(AppContext& ctx, WriteTx& tx, const WebUrl& marked) {
  if (!marked.consumed || !marked.destination) return 0;
  const Timestamp now = ctx.now();
  int resolved = 0;
  for (;;) {
    auto waiting = tx.resolving_from_url(marked.url, 200);
    if (!waiting) return waiting.error();
    for (auto& opp : *waiting) {
      const Opportunity before = opp;
      opp.destination = marked.destination;
      opp.filteration_process.reset();
      opp.filtration_status.reset();
      opp.assigned_psv.reset();
      opp.assigned_west.reset();
      opp.awaiting_pool.reset();
      std::string what =
          "destination " + marked.destination->name + " resolved by marking URL " + marked.url;
      auto original = tx.find_open_original_for_update(opp.number, marked.destination->id);
      if (!original) return original.error();
      if (*original && (*original)->id != opp.id) {
        // The same number already has an open lead for this destination: this one is its
        // re-inquiry, as if it had arrived now.
        Opportunity& orig = **original;
        const Opportunity orig_before = orig;
        orig.re_inquiries += 1;
        orig.updated_at = now;
        if (auto r = refresh_score(ctx, tx, orig); !r) return r.error();
        if (auto u = tx.update_opportunity(orig, orig_before.version); !u) return u.error();
        orig.version = orig_before.version + 1;
        if (auto a = record_activity(ctx, tx, orig_before, orig, std::nullopt,
                                     "re-inquiry: opportunity " + opp.id +
                                         " resolved to the same number and destination");
            !a)
          return a.error();
        opp.status = OpportunityStatus::kDormant;
        opp.is_duplicate = true;
        opp.duplicate_of = orig.id;
        what += "; a duplicate of " + orig.id;
      } else {
        auto routed = route_new_opportunity(ctx, tx, opp, now);
        if (!routed) return routed.error();
        if (!*routed) what += " (waiting for an available POC)";
      }
      opp.updated_at = now;
      if (auto r = refresh_score(ctx, tx, opp); !r) return r.error();
      if (auto u = tx.update_opportunity(opp, before.version); !u) return u.error();
      opp.version = before.version + 1;
      if (auto a = record_activity(ctx, tx, before, opp, std::nullopt, std::move(what)); !a)
        return a.error();
      ++resolved;
    }
    if (waiting->size() < 200) break;
  }
  return resolved;
}

Result<std::vector<WebUrlRangeHits>> list_weburls_hit_between(AppContext& ctx,
                                                              const WebUrlFilter& filter,
                                                              const std::string& from_day,
                                                              const std::string& to_day) {
  std::vector<WebUrlRangeHits> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_weburls_hit_between(filter, from_day, to_day);
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<DailyHits>> weburl_daily_hits(AppContext& ctx, const Id& id,
                                                 const std::string& from_day,
                                                 const std::string& to_day) {
  std::vector<DailyHits> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto w = load(tx, id);
    if (!w) return w.error();
    auto hits = tx.weburl_daily_hits(w->id, from_day, to_day);
    if (!hits) return hits.error();
    out = std::move(*hits);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<std::vector<WebUrl>> list_weburls(AppContext& ctx, const WebUrlFilter& filter) {
  std::vector<WebUrl> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_weburls(filter);
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<WebUrl> get_weburl(AppContext& ctx, const Id& id) {
  WebUrl out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto w = load(tx, id);
    if (!w) return w.error();
    out = std::move(*w);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<WebUrlUpsert> upsert_weburls(AppContext& ctx, const json::object& body) {
  auto urls = decode_urls(body);
  if (!urls) return urls.error();
  WebUrlUpsert out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    WebUrlUpsert result;
    std::map<std::string, bool> seen;
    const Timestamp now = ctx.now();
    for (const auto& url : *urls) {
      if (!seen.emplace(url, true).second) {
        ++result.unchanged;
        continue;
      }
      auto found = tx.find_weburl(url);
      if (!found) return found.error();
      if (*found) {
        ++result.unchanged;
        result.urls.push_back(std::move(**found));
        continue;
      }
      WebUrl w;
      w.id = ctx.new_id();
      w.url = url;
      w.created_at = w.updated_at = now;
      if (auto ins = tx.insert_weburl(w); !ins) return ins;
      ++result.created;
      result.urls.push_back(std::move(w));
    }
    out = std::move(result);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<WebUrl> mark_weburl_destination(AppContext& ctx, const Id& id, const json::object& body) {
  WebUrl out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = load(tx, id);
    if (!found) return found.error();
    WebUrl w = *found;
    auto it = body.find("destination");
    if (it == body.end())
      return Error::validation({{"destination", "is required (a name or _id; null unmarks)"}});
    if (it->value().is_null()) {
      w.consumed = false;
      w.destination.reset();
    } else {
      std::vector<FieldError> errors;
      if (!it->value().is_string() && !it->value().is_object()) {
        errors.push_back({"destination", "must be a destination name or _id, or null"});
        return Error::validation(std::move(errors), "the destination is invalid");
      }
      auto d = resolve_destination_ref(tx, it->value(), "destination", errors);
      if (!d) return d.error();
      if (!errors.empty())
        return Error::validation(std::move(errors), "the destination is invalid");
      w.consumed = true;
      w.destination = NamedRef{(*d)->id, (*d)->name};
    }
    w.updated_at = ctx.now();
    if (auto up = tx.update_weburl(w); !up) return up;
    if (w.consumed && w.destination) {
      if (auto r = resolve_waiting_leads(ctx, tx, w); !r) return r.error();
    }
    out = std::move(w);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace leadproc
