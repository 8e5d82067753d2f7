#include "app/assignment.h"

#include <algorithm>

#include "app/activity_log.h"
#include "app/followups.h"
#include "domain/round_robin.h"

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
}

// The preferred person's available, non-deleted POC in the pool, whatever it covers.
Result<std::optional<Availability>> preferred_poc(WriteTx& tx, const AssignmentTarget& target) {
  if (!target.preferred_person) return std::optional<Availability>{};
  AvailabilityFilter filter;
  filter.process = target.pool;
  filter.person_id = *target.preferred_person;
  auto found = tx.list_availabilities(filter);
  if (!found) return found.error();
  for (auto& a : *found)
    if (a.is_available && !a.deleted) return std::optional<Availability>(std::move(a));
  return std::optional<Availability>{};
}

}  // namespace

Result<bool> assign_round_robin(WriteTx& tx, Opportunity& opp, const AssignmentTarget& target) {
  std::optional<Id> destination_id;
  if (opp.destination) destination_id = opp.destination->id;
  // First, as it locks the pool (PostgreSQL) before anything of it is read.
  auto candidates =
      tx.ranked_pool_for_update(target.pool, destination_id, opp.lead_source.platform);
  if (!candidates) return candidates.error();

  auto preferred = preferred_poc(tx, target);
  if (!preferred) return preferred.error();
  if (*preferred) {
    const Availability& poc = **preferred;
    if (auto s = tx.count_assignment(poc.id); !s) return s.error();
    set_assignee(opp, poc.person_id, poc.person_name, target);
    return true;
  }

  double preference = 1.0;
  if (opp.destination) {
    auto dest = tx.get_destination(opp.destination->id);
    if (!dest) return dest.error();
    if (*dest) preference = (*dest)->preference;
  }
  const std::string key = destination_id.value_or("");
  auto streak = tx.streak_for_update(target.pool, key);
  if (!streak) return streak.error();
  auto choice = pick_ranked(*candidates, preference, *streak);
  if (!choice) {
    opp.awaiting_pool = target.pool;
    return false;
  }
  const RankedPoc& poc = (*candidates)[choice->index];
  if (auto s = tx.count_assignment(poc.availability_id); !s) return s.error();
  if (auto s = tx.save_streak(target.pool, key, Streak{poc.availability_id, choice->streak_length});
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
  auto waiting = tx.waiting_for_pool(pool, kMaxPerPass);
  if (!waiting) return waiting.error();
  int assigned = 0;
  for (auto& opp : *waiting) {
    Opportunity before = opp;
    AssignmentTarget target{pool, std::nullopt, std::nullopt, opp.sales_person_to_be_assigned};
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
    auto ok = assign_round_robin(tx, opp, target);
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
