#include "app/routing.h"

#include <algorithm>

#include "app/activity_log.h"
#include "app/assignment.h"
#include "app/followups.h"
#include "app/score_configs.h"
#include "app/sticky_owner.h"
#include "domain/object_id.h"
#include "domain/process_split.h"
#include "domain/time_format.h"
#include "domain/url.h"

namespace leadproc {
namespace {

NamedRef ref(const Destination& d) {
  return NamedRef{d.id, d.name};
}

Result<std::optional<NamedRef>> by_explicit(WriteTx& tx, const std::string& given) {
  if (is_object_id(given)) {
    auto d = tx.get_destination(given);
    if (!d) return d.error();
    if (*d && !(*d)->deleted) return std::optional<NamedRef>(ref(**d));
  }
  auto d = tx.find_destination_by_name(given);
  if (!d) return d.error();
  if (*d) return std::optional<NamedRef>(ref(**d));
  return std::optional<NamedRef>();
}

// The UTC calendar day of `t`, "YYYY-MM-DD" (the key of weburl_hits_daily).
std::string utc_day(Timestamp t) {
  return format_iso8601(t).substr(0, 10);
}

// Counts the hit and returns the URL's marked destination, if it is marked.
Result<std::optional<NamedRef>> by_web_url(WriteTx& tx, AppContext& ctx, const std::string& url,
                                           Timestamp now) {
  // Unlocked: the hit is counted with atomic increments (count_weburl_hit), so leads from one
  // popular page do not wait for each other here.
  auto found = tx.peek_weburl(url);
  if (!found) return found.error();
  if (!*found) {
    WebUrl w;
    w.id = ctx.new_id();
    w.url = url;
    w.hits = 1;
    w.last_hit_at = now;
    w.created_at = now;
    w.updated_at = now;
    if (auto s = tx.insert_weburl(w); !s) return s.error();
    if (auto s = tx.count_weburl_daily_hit(w.id, utc_day(now)); !s) return s.error();
    return std::optional<NamedRef>();
  }
  const WebUrl& w = **found;
  if (auto s = tx.count_weburl_hit(w.id, now, utc_day(now)); !s) return s.error();
  if (w.consumed && w.destination) return std::optional<NamedRef>(*w.destination);
  return std::optional<NamedRef>();
}

Result<std::optional<NamedRef>> by_slug(WriteTx& tx, const std::string& url) {
  auto segments = path_segments(url);
  if (segments.empty()) return std::optional<NamedRef>();
  auto matches = tx.find_destinations_by_slugs(segments);
  if (!matches) return matches.error();
  for (const auto& segment : segments)  // the first segment in path order that names one
    for (const auto& [slug, dest] : *matches)
      if (slug == segment) return std::optional<NamedRef>(ref(dest));
  return std::optional<NamedRef>();
}

}  // namespace

Result<std::optional<NamedRef>> resolve_destination(WriteTx& tx, AppContext& ctx,
                                                    const std::optional<std::string>& explicit_dest,
                                                    const std::optional<std::string>& page,
                                                    Timestamp now) {
  std::optional<NamedRef> chosen;
  if (explicit_dest && !explicit_dest->empty()) {
    auto r = by_explicit(tx, *explicit_dest);
    if (!r) return r;
    chosen = *r;
  }
  std::optional<std::string> url = page ? normalize_url(*page) : std::nullopt;
  if (url) {
    auto marked = by_web_url(tx, ctx, *url, now);  // counts the hit even when resolved already
    if (!marked) return marked;
    if (!chosen) chosen = *marked;
    if (!chosen) {
      auto slug = by_slug(tx, *url);
      if (!slug) return slug;
      chosen = *slug;
    }
  }
  return chosen;
}

Result<bool> enter_crm(AppContext& ctx, WriteTx& tx, Opportunity& opp, Timestamp now,
                       std::vector<FieldChange>* followup_changes) {
  opp.status = OpportunityStatus::kOpen;
  opp.is_pushed = true;
  CrmStageMeta meta;
  meta.stage = CrmStage::kFreshLead;
  meta.sub_stage = "FRESH_LEAD";
  meta.followup_count = 0;
  meta.crm_entry_at = now;
  opp.crm_stage_meta = meta;
  opp.next_follow_up_date = now + kFirstContactSla;
  AssignmentTarget target{AvailabilityProcess::kSales, std::nullopt, std::nullopt,
                          opp.sales_person_to_be_assigned,
                          opp.filteration_process == FiltrationProcess::kNoFilter
                              ? "NO-FILTER: enters the CRM phase at once"
                              : "qualified: enters the CRM phase"};
  auto sticky = find_sticky_owner(tx, opp, target.pool);
  if (!sticky) return sticky.error();
  target.sticky = std::move(*sticky);
  auto at = work_time_at(ctx, now);
  if (!at) return at.error();
  auto assigned = assign_round_robin(tx, opp, target, *at);
  if (!assigned) return assigned;
  // The first contact is owed from now on, whoever gets the lead (the follow-up's owner follows
  // the opportunity owner: assign_waiting and reassignment hand it over).
  if (auto first = schedule_first_contact(ctx, tx, opp, now, followup_changes); !first)
    return first.error();
  return assigned;
}

Result<bool> route_new_opportunity(AppContext& ctx, WriteTx& tx, Opportunity& opp, Timestamp now,
                                   std::vector<FieldChange>& followup_changes) {
  std::optional<RoutingEntry> chosen;
  std::string why = opp.destination ? "no active routing entry for the destination: UNKNOWN"
                                    : "no destination: UNKNOWN";
  if (opp.destination) {
    auto entries = tx.routing_entries_for_update(opp.destination->id);
    if (!entries) return entries.error();
    if (entries->size() == 1) {
      chosen = entries->front();
      why =
          "the destination's one active routing entry: " + std::string(to_string(chosen->process));
    } else if (entries->size() > 1) {
      std::vector<SplitEntry> split;
      for (const auto& e : *entries) split.push_back({e.entry.load_share, e.entry.counter});
      auto index = pick_split(split);
      why = "loadShare split:";
      for (std::size_t i = 0; i < split.size(); ++i) {
        const auto& e = (*entries)[i];
        why += (i ? ", " : " ") + std::string(to_string(e.process)) + " " +
               std::to_string(e.entry.load_share) + "% (counter " +
               std::to_string(split[i].counter) + ")";
        if (auto s = tx.save_routing_counter(e.map_id, e.entry.destination_id, split[i].counter);
            !s)
          return s.error();
      }
      chosen = (*entries)[*index];
      why += " -> " + std::string(to_string(chosen->process));
    }
  }
  const FiltrationProcess process = chosen ? chosen->process : FiltrationProcess::kUnknown;
  opp.filteration_process = process;
  AssignmentTarget target;
  target.why = std::move(why);
  switch (process) {
    case FiltrationProcess::kPsv:
      opp.status = OpportunityStatus::kInPsv;
      opp.filtration_status = FiltrationStatus{"PSVFreshLead", process, {}};
      target.pool = AvailabilityProcess::kPsv;
      break;
    case FiltrationProcess::kWest:
      opp.status = OpportunityStatus::kInWest;
      opp.filtration_status = FiltrationStatus{"WestFreshLead", process, {}};
      target.pool = AvailabilityProcess::kWest;
      target.sheet_name = chosen->entry.sheet_name;
      target.waba_number = chosen->entry.waba_number;
      break;
    case FiltrationProcess::kUnknown:
      opp.status = OpportunityStatus::kResolvingUnknown;
      target.pool = AvailabilityProcess::kPsv;
      break;
    case FiltrationProcess::kUpcoming:
      opp.status = OpportunityStatus::kUpcomingFreshLead;
      target.pool = AvailabilityProcess::kPsv;
      break;
    case FiltrationProcess::kNoFilter:
      // Routing qualifies it: no filtration step decides, so the system is the qualifier.
      opp.is_qualified = true;
      opp.qualification_status = std::string(to_string(FiltrationProcess::kNoFilter));
      opp.qualified_by = "system";
      return enter_crm(ctx, tx, opp, now, &followup_changes);
  }
  auto sticky = find_sticky_owner(tx, opp, target.pool);
  if (!sticky) return sticky.error();
  target.sticky = std::move(*sticky);
  auto at = work_time_at(ctx, now);
  if (!at) return at.error();
  return assign_round_robin(tx, opp, target, *at);
}

}  // namespace leadproc

namespace leadproc {

Result<Placement> place_new_opportunity(AppContext& ctx, WriteTx& tx, Opportunity& opp,
                                        Timestamp now, const std::string& reinquiry_note,
                                        std::vector<FieldChange>& followup_changes) {
  auto original = tx.find_open_original_for_update(
      opp.number, opp.destination ? std::optional<Id>(opp.destination->id) : std::nullopt);
  if (!original) return original.error();
  if (*original && (*original)->id != opp.id) {
    Opportunity& orig = **original;
    const Opportunity before = orig;
    orig.re_inquiries += 1;
    orig.updated_at = now;
    orig.version = before.version + 1;
    if (auto s = refresh_score(ctx, tx, orig); !s) return s.error();
    if (auto s = tx.update_opportunity(orig, before.version); !s) return s.error();
    if (auto s = record_activity(ctx, tx, before, orig, std::nullopt, reinquiry_note); !s)
      return s.error();
    opp.status = OpportunityStatus::kDormant;
    opp.is_duplicate = true;
    opp.duplicate_of = orig.id;
    return Placement::kDuplicate;
  }
  auto routed = route_new_opportunity(ctx, tx, opp, now, followup_changes);
  if (!routed) return routed.error();
  return *routed ? Placement::kRouted : Placement::kUnassigned;
}

}  // namespace leadproc
