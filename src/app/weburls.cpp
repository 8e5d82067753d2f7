#include "app/weburls.h"

#include <map>

#include "app/activity_log.h"
#include "app/destinations.h"
#include "app/routing.h"
#include "app/score_configs.h"
#include "domain/text.h"
#include "domain/url.h"

namespace leadproc {
namespace {

Result<WebUrl> load(ReadTx& tx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no web URL with _id '" + raw_id + "'");
  auto w = tx.get_weburl(*id);
  if (!w) return w.error();
  if (!*w) return Error::not_found("no web URL with _id '" + raw_id + "'");
  return **w;
}

// The normalised URLs, in order, or a 422 naming every bad entry.
Result<std::vector<std::string>> normalized_urls(const WebUrlsInput& in) {
  std::vector<FieldError> errors = in.decode_errors;
  if (in.urls.size() > kMaxUrlsPerUpsert && !names_field(errors, "urls"))
    errors.push_back({"urls", too_many_urls_reason()});
  if (names_field(errors, "urls"))  // the list itself is unusable
    return Error::validation(std::move(errors), "the URL list is invalid");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < in.urls.size(); ++i) {
    if (!in.urls[i]) continue;
    auto url = normalize_url(trim(*in.urls[i]));
    if (!url)
      errors.push_back({"urls[" + std::to_string(i) + "]", "is not an absolute http(s) URL"});
    else
      out.push_back(std::move(*url));
  }
  if (!errors.empty()) return Error::validation(std::move(errors), "the URL list is invalid");
  return out;
}

}  // namespace

namespace {

constexpr int kWaitingBatch = 200;  // waiting leads read (and locked) at a time

// The assignee `opp` was given: its PSV/WEST agent, or in the CRM its sales person (by name).
Result<std::optional<NamedRef>> assignee_of(ReadTx& tx, const Opportunity& opp) {
  if (opp.status == OpportunityStatus::kInWest && opp.assigned_west)
    return std::optional<NamedRef>(NamedRef{opp.assigned_west->id, opp.assigned_west->name});
  if (opp.opportunity_owner) {
    auto user = tx.get_user(*opp.opportunity_owner);
    if (!user) return user.error();
    User gone;
    gone.id = *opp.opportunity_owner;
    return std::optional<NamedRef>(
        NamedRef{*opp.opportunity_owner, *user ? (*user)->display_name() : gone.display_name()});
  }
  if (opp.assigned_psv) return std::optional<NamedRef>(*opp.assigned_psv);
  return std::optional<NamedRef>();
}

Status count_route(ReadTx& tx, const Opportunity& opp, WaitingLeadsRouting& out) {
  WaitingLeadsRoute r;
  r.status = opp.status;
  if (!opp.is_duplicate) r.process = opp.filteration_process;
  auto who = assignee_of(tx, opp);
  if (!who) return who.error();
  r.assignee = *who;
  r.awaiting = opp.awaiting_pool;
  r.duplicate_of = opp.duplicate_of;
  ++out.total;
  for (auto& seen : out.routes) {
    const bool same_assignee = seen.assignee.has_value() == r.assignee.has_value() &&
                               (!r.assignee || seen.assignee->id == r.assignee->id);
    if (seen.status == r.status && seen.process == r.process && same_assignee &&
        seen.awaiting == r.awaiting && seen.duplicate_of == r.duplicate_of) {
      ++seen.count;
      return ok_status();
    }
  }
  r.count = 1;
  out.routes.push_back(std::move(r));
  return ok_status();
}

}  // namespace

Result<WaitingLeadsRouting> resolve_waiting_leads(AppContext& ctx, WriteTx& tx,
                                                  const WebUrl& marked,
                                                  const std::optional<Id>& actor) {
  WaitingLeadsRouting out;
  if (!marked.consumed || !marked.destination) return out;
  const Timestamp now = ctx.now();
  std::optional<Id> after;  // a lead routed to no process waits in ResolvingUnknown again
  for (;;) {
    auto waiting = tx.resolving_from_url(marked.url, kWaitingBatch, after);
    if (!waiting) return waiting.error();
    if (!waiting->empty()) after = waiting->back().id;
    for (auto& opp : *waiting) {
      const Opportunity before = opp;
      opp.destination = marked.destination;
      opp.filteration_process.reset();
      opp.filtration_status.reset();
      opp.assigned_psv.reset();
      opp.assigned_west.reset();
      opp.awaiting_pool.reset();
      opp.awaiting_reason.reset();
      std::string what =
          "destination found from the marked URL " + marked.url + ": " + marked.destination->name;
      std::vector<FieldChange> followup_changes;  // a NO-FILTER lead's first-contact follow-up
      auto placed = place_new_opportunity(
          ctx, tx, opp, now,
          "re-inquiry: opportunity " + opp.id + " resolved to the same number and destination",
          followup_changes);
      if (!placed) return placed.error();
      if (*placed == Placement::kDuplicate)
        what += "; a duplicate of " + *opp.duplicate_of;
      else
        what +=
            "; routed as a new lead with that destination" +
            std::string(*placed == Placement::kUnassigned ? " (waiting for an available POC)" : "");
      opp.updated_at = now;
      if (auto r = refresh_score(ctx, tx, opp); !r) return r.error();
      if (auto u = tx.update_opportunity(opp, before.version); !u) return u.error();
      opp.version = before.version + 1;
      if (auto a = record_activity(ctx, tx, before, opp, actor, std::move(what),
                                   std::move(followup_changes));
          !a)
        return a.error();
      if (auto c = count_route(tx, opp, out); !c) return c.error();
    }
    if (waiting->size() < static_cast<std::size_t>(kWaitingBatch)) break;
  }
  return out;
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

std::string too_many_urls_reason() {
  return "must hold at most " + std::to_string(kMaxUrlsPerUpsert) + " URLs";
}

Result<WebUrlUpsert> upsert_weburls(AppContext& ctx, const WebUrlsInput& in) {
  auto urls = normalized_urls(in);
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

namespace {

// Marks (or unmarks) the URL `id` as `in` says and routes its waiting leads, in `tx`.
Result<MarkedWebUrl> mark_in(AppContext& ctx, WriteTx& tx, const Id& id, const WebUrlMark& in,
                             const std::optional<Id>& actor) {
  auto found = load(tx, id);
  if (!found) return found.error();
  MarkedWebUrl out{*found, {}};
  WebUrl& w = out.url;
  if (!in.destination.given && in.decode_errors.empty())
    return Error::validation({{"destination", "is required (a name or _id; null unmarks)"}});
  if (!in.decode_errors.empty())
    return Error::validation(in.decode_errors, "the destination is invalid");
  if (!in.destination.value) {
    w.consumed = false;
    w.destination.reset();
  } else {
    std::vector<FieldError> errors;
    auto d = resolve_destination_ref(tx, *in.destination.value, "destination", errors);
    if (!d) return d.error();
    if (!errors.empty()) return Error::validation(std::move(errors), "the destination is invalid");
    w.consumed = true;
    w.destination = NamedRef{(*d)->id, (*d)->name};
  }
  w.updated_at = ctx.now();
  if (auto up = tx.update_weburl(w); !up) return up.error();
  auto routed = resolve_waiting_leads(ctx, tx, w, actor);
  if (!routed) return routed.error();
  out.waiting = std::move(*routed);
  return out;
}

}  // namespace

Result<MarkedWebUrl> mark_weburl_destination(AppContext& ctx, const Id& id, const WebUrlMark& in,
                                             const std::optional<Id>& actor) {
  MarkedWebUrl out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto marked = mark_in(ctx, tx, id, in, actor);
    if (!marked) return marked.error();
    out = std::move(*marked);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<MarkedWebUrl> preview_weburl_destination(AppContext& ctx, const Id& id,
                                                const std::string& destination) {
  if (trim(destination).empty())
    return Error::validation({{"destination", "is required: the destination's name or _id"}});
  std::optional<Result<MarkedWebUrl>> outcome;
  // A failed function rolls its transaction back (app/store.h): the preview always fails it.
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    WebUrlMark mark;
    mark.destination = {true, DestinationRef{DestinationRef::By::kIdOrName, destination}};
    outcome = mark_in(ctx, tx, id, mark, std::nullopt);
    return Error::conflict("preview: rolled back");
  });
  if (outcome) return std::move(*outcome);
  return s.error();
}

}  // namespace leadproc
