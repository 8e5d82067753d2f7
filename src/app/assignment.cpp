#include "app/assignment.h"

#include <algorithm>

#include "app/activity_log.h"
#include "app/followups.h"
#include "domain/round_robin.h"

namespace leadproc {
namespace {

void set_assignee(Opportunity& opp, const Availability& poc, const AssignmentTarget& target) {
  switch (target.pool) {
    case AvailabilityProcess::kPsv:
      opp.assigned_psv = NamedRef{poc.person_id, poc.person_name};
      break;
    case AvailabilityProcess::kWest:
      opp.assigned_west =
          AssignedWest{poc.person_id, poc.person_name, target.waba_number, target.sheet_name};
      break;
    case AvailabilityProcess::kSales:
    case AvailabilityProcess::kJunkAutomation:
      opp.opportunity_owner = poc.person_id;
      break;
  }
  opp.awaiting_pool.reset();
}

}  // namespace

Result<bool> assign_round_robin(WriteTx& tx, Opportunity& opp, const AssignmentTarget& target) {
  auto pool = tx.pool_for_update(target.pool);
  if (!pool) return pool.error();
  std::optional<Id> destination_id;
  double preference = 1.0;
  if (opp.destination) {
    destination_id = opp.destination->id;
    auto dest = tx.get_destination(opp.destination->id);
    if (!dest) return dest.error();
    if (*dest) preference = (*dest)->preference;
  }

  if (target.preferred_person) {
    auto it = std::find_if(pool->begin(), pool->end(), [&](const Availability& a) {
      return a.person_id == *target.preferred_person && a.is_available && !a.deleted;
    });
    if (it != pool->end()) {
      if (auto s = tx.count_assignment(it->id); !s) return s.error();
      set_assignee(opp, *it, target);
      return true;
    }
  }

  const std::string key = destination_id.value_or("");
  auto streak = tx.streak_for_update(target.pool, key);
  if (!streak) return streak.error();
  auto choice = pick_poc(*pool, destination_id, opp.lead_source.platform, preference, *streak);
  if (!choice) {
    opp.awaiting_pool = target.pool;
    return false;
  }
  const Availability& poc = (*pool)[choice->index];
  if (auto s = tx.count_assignment(poc.id); !s) return s.error();
  if (auto s = tx.save_streak(target.pool, key, Streak{poc.id, choice->streak_length}); !s)
    return s.error();
  set_assignee(opp, poc, target);
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
