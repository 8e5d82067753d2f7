#include "app/assignment.h"

#include <algorithm>
#include <variant>

#include "app/activity_log.h"
#include "app/business_day.h"
#include "app/followups.h"
#include "app/poc_claim.h"
#include "app/routing_decision.h"
#include "domain/round_robin.h"
#include "domain/time_format.h"

namespace leadproc {
namespace {

void set_assignee(Opportunity& opp, const Id& person_id, const std::string& person_name,
                  const AssignmentTarget& target) {
  switch (target.pool) {
    case AvailabilityProcess::kPsv:
      opp.assigned_psv = NamedRef{person_id, person_name};
      break;
    case AvailabilityProcess::kWest:
      opp.assigned_west =
          AssignedWest{person_id, person_name, target.waba_number, target.sheet_name};
      break;
    case AvailabilityProcess::kSales:
    case AvailabilityProcess::kJunkAutomation:
      opp.opportunity_owner = person_id;
      break;
  }
  opp.awaiting_pool.reset();
  opp.awaiting_reason.reset();
}

// The preferred person's available, non-deleted POC in the pool, whatever it covers, if they work
// at `at`.
Result<std::optional<Availability>> preferred_poc(WriteTx& tx, const AssignmentTarget& target,
                                                  const WorkTime& at,
                                                  const std::optional<std::string>& language) {
  if (!target.preferred_person) return std::optional<Availability>{};
  AvailabilityFilter filter;
  filter.process = target.pool;
  filter.person_id = *target.preferred_person;
  auto found = tx.list_availabilities(filter);
  if (!found) return found.error();
  for (auto& a : *found) {
    if (!a.is_available || a.deleted || not_working(a.schedule, at)) continue;
    std::int64_t fresh = 0;  // the preferred person too is held to their cap, quota and languages
    if (a.rules.cap) {
      auto counts = tx.fresh_lead_counts(target.pool, {a.person_id});
      if (!counts) return counts.error();
      fresh = (*counts)[a.person_id];
    }
    if (skip_reason(a.rules, fresh, a.today.on(at.local_day), language)) continue;
    return std::optional<Availability>(std::move(a));
  }
  return std::optional<Availability>{};
}

// The sticky owner's candidate index in `candidates`, or why they cannot take the lead: the
// exclusion routing applied to them, or that they are not in the pool for it.
std::variant<std::size_t, std::string> sticky_verdict(const StickyOwner& sticky,
                                                      const std::vector<RankedPoc>& candidates,
                                                      const std::vector<OffDutyPoc>& off_duty,
                                                      const std::vector<SkippedPoc>& skipped) {
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].person_id == sticky.person_id) return i;
  for (const auto& o : off_duty)
    if (o.person_id == sticky.person_id) return std::string(to_string(o.why));
  for (const auto& o : skipped)
    if (o.person_id == sticky.person_id) return std::string(to_string(o.why));
  return std::string(
      "not in the pool for this lead (not available, not covering the destination, or the night "
      "desk while the pool works)");
}

// "closed opportunity <id> of <UTC date>".
std::string closed_note(const StickyOwner& sticky) {
  return "closed opportunity " + sticky.closed_opportunity + " of " +
         format_iso8601(sticky.closed_at).substr(0, 10);
}

}  // namespace

Status count_fresh(WriteTx& tx, AvailabilityProcess pool, std::vector<RankedPoc>& candidates) {
  std::vector<Id> capped;
  for (const auto& c : candidates)
    if (c.rules.cap) capped.push_back(c.person_id);
  if (capped.empty()) return ok_status();  // the usual case: no query at all
  auto counts = tx.fresh_lead_counts(pool, capped);
  if (!counts) return counts.error();
  for (auto& c : candidates)
    if (c.rules.cap) c.fresh = (*counts)[c.person_id];
  return ok_status();
}

Result<WorkTime> work_time_at(const AppContext& ctx, Timestamp now) {
  return work_time(now, ctx.config.timezone);
}

Result<bool> assign_round_robin(WriteTx& tx, Opportunity& opp, const AssignmentTarget& target,
                                const WorkTime& at) {
  std::optional<Id> destination_id;
  if (opp.destination) destination_id = opp.destination->id;
  // Unlocked: the POC taken is claimed by pick_and_claim (app/poc_claim.h).
  auto candidates =
      tx.ranked_pool_for_update(target.pool, destination_id, opp.lead_source.platform);
  if (!candidates) return candidates.error();
  if (target.except)
    std::erase_if(*candidates, [&](const RankedPoc& p) { return p.person_id == *target.except; });
  const std::vector<OffDutyPoc> off_duty = drop_off_duty(*candidates, at);
  DecisionFacts facts;
  facts.night_desk = use_night_desk(*candidates);
  if (auto s = count_fresh(tx, target.pool, *candidates); !s) return s.error();
  const std::vector<SkippedPoc> skipped = drop_skipped(*candidates, opp.language, at.local_day);
  facts.pool = target.pool;
  facts.why = target.why;
  facts.candidates = &*candidates;
  facts.off_duty = &off_duty;
  facts.skipped = &skipped;
  auto record = [&]() {
    return tx.insert_routing_decision(opp.id, at.now, decision_json(facts, at.now));
  };

  auto preferred = preferred_poc(tx, target, at, opp.language);
  if (!preferred) return preferred.error();
  if (*preferred) {
    const Availability& poc = **preferred;
    if (auto s = tx.count_assignment(poc.id, at.local_day); !s) return s.error();
    facts.preferred = NamedRef{poc.person_id, poc.person_name};
    if (auto s = record(); !s) return s.error();
    set_assignee(opp, poc.person_id, poc.person_name, target);
    return true;
  }

  if (target.sticky) {
    auto verdict = sticky_verdict(*target.sticky, *candidates, off_duty, skipped);
    if (const auto* index = std::get_if<std::size_t>(&verdict)) {
      // Counted like any assignment (leadCount, today's quota); the streak is left as it is.
      const RankedPoc& poc = (*candidates)[*index];
      facts.winner = *index;
      facts.sticky = "sticky owner: " + closed_note(*target.sticky);
      facts.sticky_took = true;
      if (auto s = record(); !s) return s.error();
      if (auto s = tx.count_assignment(poc.availability_id, at.local_day); !s) return s.error();
      set_assignee(opp, poc.person_id, poc.person_name, target);
      return true;
    }
    const StickyOwner& st = *target.sticky;
    facts.sticky = "sticky owner " + (st.person_name.empty() ? st.person_id : st.person_name) +
                   " skipped: " + std::get<std::string>(verdict) + " (" +
                   closed_note(*target.sticky) + ")";
  }

  double preference = 1.0;
  if (opp.destination) {
    auto dest = tx.get_destination(opp.destination->id);
    if (!dest) return dest.error();
    if (*dest) preference = (*dest)->preference;
  }
  const std::string key = destination_id.value_or("");
  // Only a streak that can keep a POC (max_streak > 1) decides, and only then is it locked: with
  // max_streak 1 it merely informs the record, and leads for the destination do not wait on it.
  const bool streak_decides = max_streak(preference) > 1;
  auto streak =
      streak_decides ? tx.streak_for_update(target.pool, key) : tx.peek_streak(target.pool, key);
  if (!streak) return streak.error();
  facts.previous = *streak;
  facts.max_streak = max_streak(preference);
  for (const auto& [id, count] : lift_returning(*candidates))
    if (auto s = tx.lift_lead_count(id, count); !s) return s.error();
  // Counts moved under the lead: read them again, for the candidates already chosen from.
  auto refresh = [&](std::vector<RankedPoc>& list) -> Status {
    auto now = tx.ranked_pool_for_update(target.pool, destination_id, opp.lead_source.platform);
    if (!now) return now.error();
    std::erase_if(list, [&](RankedPoc& c) {
      for (const auto& n : *now) {
        if (n.availability_id != c.availability_id) continue;
        c.lead_count = n.lead_count;
        c.today = n.today;
        return false;
      }
      return true;  // left the pool meanwhile
    });
    return ok_status();
  };
  auto choice =
      pick_and_claim(tx, *candidates, preference, *streak, opp.language, at.local_day, refresh);
  if (!choice) return choice.error();
  if (!*choice) {
    opp.awaiting_pool = target.pool;
    opp.awaiting_reason = waiting_reason(target.pool, off_duty, skipped);
    facts.waiting_reason = opp.awaiting_reason;
    if (auto s = record(); !s) return s.error();
    return false;
  }
  facts.winner = (*choice)->index;
  if (auto s = record(); !s) return s.error();
  const RankedPoc& poc = (*candidates)[(*choice)->index];
  if (auto s = tx.count_assignment(poc.availability_id, at.local_day); !s) return s.error();
  const Streak next{poc.availability_id, (*choice)->streak_length};
  if (auto s = streak_decides ? tx.save_streak(target.pool, key, next)
                              : tx.note_streak(target.pool, key, next);
      !s)
    return s.error();
  set_assignee(opp, poc.person_id, poc.person_name, target);
  return true;
}

Result<int> assign_waiting(AppContext& ctx, WriteTx& tx, AvailabilityProcess pool,
                           const std::optional<Id>& actor) {
  // Waiting leads are the exception (no POC was available), so one bounded pass suffices; the
  // rest are taken on the next availability change.
  constexpr int kMaxPerPass = 5000;
  auto at = work_time_at(ctx, ctx.now());
  if (!at) return at.error();
  // The drain job runs every minute: while nobody of the pool works or has room (cap, daily
  // quota), it reads no waiting lead (and writes no routing record for each).
  auto members = tx.pool_for_update(pool);
  if (!members) return members.error();
  std::vector<Id> capped;
  bool room = false;
  for (const auto& a : *members) {
    if (!a.is_available || not_working(a.schedule, *at)) continue;
    if (a.rules.daily_quota && a.today.on(at->local_day) >= *a.rules.daily_quota) continue;
    if (a.rules.cap)
      capped.push_back(a.person_id);
    else
      room = true;
  }
  if (!room && !capped.empty()) {
    auto fresh = tx.fresh_lead_counts(pool, capped);
    if (!fresh) return fresh.error();
    for (const auto& a : *members)
      if (a.rules.cap && fresh->count(a.person_id) && (*fresh)[a.person_id] < *a.rules.cap)
        room = true;
  }
  if (!room) return 0;
  auto waiting = tx.waiting_for_pool(pool, kMaxPerPass);
  if (!waiting) return waiting.error();
  int assigned = 0;
  for (auto& opp : *waiting) {
    Opportunity before = opp;
    AssignmentTarget target{pool, std::nullopt, std::nullopt, opp.sales_person_to_be_assigned,
                            "assigned from the waiting queue"};
    if (pool == AvailabilityProcess::kWest && opp.destination) {
      // The WEST sheet and WhatsApp number come from the destination's WEST routing entry.
      auto entries = tx.routing_entries_for_update(opp.destination->id);
      if (!entries) return entries.error();
      for (const auto& e : *entries) {
        if (e.process != FiltrationProcess::kWest) continue;
        target.sheet_name = e.entry.sheet_name;
        target.waba_number = e.entry.waba_number;
      }
    }
    auto ok = assign_round_robin(tx, opp, target, *at);
    if (!ok) return ok.error();
    if (!*ok) continue;  // no available POC covers this one's destination yet
    // A CRM lead's first contact was scheduled at entry, owned by nobody: it is the new owner's.
    std::vector<FieldChange> followups;
    if (pool == AvailabilityProcess::kSales) {
      if (auto s = hand_over_followups(ctx, tx, opp.id, opp.opportunity_owner, actor, followups);
          !s)
        return s.error();
    }
    opp.updated_at = ctx.now();
    opp.version = before.version + 1;
    if (auto s = refresh_score(ctx, tx, opp); !s) return s.error();
    if (auto s = tx.update_opportunity(opp, before.version); !s) return s.error();
    if (auto s = record_activity(ctx, tx, before, opp, actor, "assigned from the waiting queue",
                                 std::move(followups));
        !s)
      return s.error();
    ++assigned;
  }
  return assigned;
}

}  // namespace leadproc
