#include "app/sla_escalation.h"

#include <boost/json/object.hpp>

#include "app/activity_log.h"
#include "app/bulk.h"
#include "app/business_day.h"
#include "app/opportunity_edits.h"
#include "app/outbox.h"
#include "domain/time_format.h"

namespace leadproc {
namespace {

namespace json = boost::json;

// A step due on a lead, with what its activity and event say.
struct Due {
  SlaStep step = SlaStep::kWarn;
  std::chrono::minutes worked{0};
  Id owner;
  Timestamp clock_start{};
};

// When the lead entered the policy's stage: its CRM entry, or its creation.
Timestamp clock_start(const SlaPolicy& p, const Opportunity& o) {
  if (p.process == ActivityPhase::kCrm && o.crm_stage_meta && o.crm_stage_meta->crm_entry_at)
    return *o.crm_stage_meta->crm_entry_at;
  return o.created_at;
}

// True iff `o` is still untouched in the policy's stage (what the store's candidates query
// selects, checked again on the row as loaded for the step).
bool in_stage(const SlaPolicy& p, const Opportunity& o) {
  switch (p.process) {
    case ActivityPhase::kCrm:
      return o.status == OpportunityStatus::kOpen && o.crm_stage_meta &&
             o.crm_stage_meta->stage == CrmStage::kFreshLead;
    case ActivityPhase::kWest:
      return o.status == OpportunityStatus::kInWest &&
             funnel_position(o).step == FunnelStep::kAssigned;
    default:
      return o.status == OpportunityStatus::kInPsv &&
             funnel_position(o).step == FunnelStep::kAssigned;
  }
}

// The step due on `o` now, if any: its owner's shift time since the clock started.
Result<std::optional<Due>> due_step(AppContext& ctx, ReadTx& tx, const SlaPolicy& p,
                                    const Opportunity& o, Timestamp now) {
  const auto worker = worker_of(o);
  if (!in_stage(p, o) || !worker || !worker->person) return std::optional<Due>{};
  AvailabilityFilter filter;
  filter.process = worker->pool;
  filter.person_id = *worker->person;
  auto pocs = tx.list_availabilities(filter);
  if (!pocs) return pocs.error();
  std::vector<Shift> shifts;  // out of the pool: no rota, every minute counts
  if (!pocs->empty()) shifts = pocs->front().schedule.shifts;
  Due due;
  due.owner = *worker->person;
  due.clock_start = clock_start(p, o);
  auto worked = time_on_shift(shifts, TimeWindow{due.clock_start, now}, ctx.config.timezone,
                              std::chrono::minutes(p.after_minutes));
  if (!worked) return worked.error();
  due.worked = std::chrono::floor<std::chrono::minutes>(*worked);
  auto step = sla_step_due(p, due.worked);
  if (!step) return std::optional<Due>{};
  due.step = *step;
  return std::optional<Due>{due};
}

json::object policy_json(const SlaPolicy& p) {
  return json::object{{"_id", p.id},
                      {"process", to_string(p.process)},
                      {"stage", p.stage},
                      {"afterMinutes", p.after_minutes},
                      {"warnBeforeMinutes", p.warn_before_minutes},
                      {"action", to_string(p.action)}};
}

json::object event_fields(const SlaPolicy& p, const Due& due) {
  return json::object{{"policy", policy_json(p)},
                      {"owner", due.owner},
                      {"workedMinutes", due.worked.count()},
                      {"clockStartedAt", format_iso8601(due.clock_start)}};
}

// "policy CRM fresh_lead after 120 working minutes (reassign) [id]: untouched for 121 working
// minutes with <owner>".
std::string why(const SlaPolicy& p, const Due& due) {
  return "policy " + describe(p) + " [" + p.id + "]: untouched for " +
         std::to_string(due.worked.count()) + " working minutes with " + due.owner;
}

enum class Outcome { kNone, kWarned, kReassigned, kNotified, kWaiting };

// The step `due` on the opportunity `id`, in a write transaction of its own; kNone when it is no
// longer due (touched, reassigned, or taken by another run meanwhile).
Result<Outcome> take_step(AppContext& ctx, const SlaPolicy& p, const Id& id, Timestamp now) {
  Outcome outcome = Outcome::kNone;
  std::string nobody;  // why nobody else could take it, when a reassignment must wait
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto loaded = tx.get_opportunity(id);
    if (!loaded) return loaded.error();
    if (!*loaded) return ok_status();
    Opportunity opp = std::move(**loaded);
    auto due = due_step(ctx, tx, p, opp, now);
    if (!due) return due.error();
    if (!*due) return ok_status();
    auto claimed = tx.claim_sla_step(p.id, opp.id, (*due)->step, now);
    if (!claimed) return claimed.error();
    if (!*claimed) return ok_status();
    const Due& d = **due;
    if (d.step == SlaStep::kWarn) {
      const int left = p.after_minutes - static_cast<int>(d.worked.count());
      if (auto a = record_activity(ctx, tx, opp, opp, std::nullopt,
                                   "SLA warning, " + why(p, d) + "; " + std::to_string(left) +
                                       " working minutes to the deadline");
          !a)
        return a;
      outcome = Outcome::kWarned;
      return record_outbox_event(ctx, tx, "sla.warning", opp, event_fields(p, d), now);
    }
    json::object fields = event_fields(p, d);
    if (p.action == SlaAction::kNotify) {
      if (auto a = record_activity(ctx, tx, opp, opp, std::nullopt,
                                   "SLA escalated to the admins, " + why(p, d));
          !a)
        return a;
      outcome = Outcome::kNotified;
      return record_outbox_event(ctx, tx, "sla.escalated", opp, std::move(fields), now);
    }
    Handover to_someone_else{Handover::Kind::kRoundRobin,
                             {},
                             d.owner,
                             "SLA escalation: " + why(p, d) + "; the current owner excluded"};
    const std::string remarks = "SLA escalation, " + why(p, d);
    auto r = reassign_to_target(ctx, tx, opp, to_someone_else, remarks, WriteOptions{});
    if (!r) {
      if (r.error().code != ErrorCode::kValidation) return r;
      nobody = r.error().fields.empty() ? r.error().detail : r.error().fields.front().reason;
      return r;  // rolls the claim back: the step is taken in a later run
    }
    fields["action"] = "reassign";
    const auto now_with = worker_of(opp);
    fields["to"] = now_with && now_with->person ? json::value(*now_with->person) : nullptr;
    outcome = Outcome::kReassigned;
    return record_outbox_event(ctx, tx, "sla.escalated", opp, std::move(fields), now);
  });
  if (s) return outcome;
  if (nobody.empty()) return s.error();
  // Nobody else works now: the lead stays with its owner; said once, in the audit trail.
  auto w = ctx.store.write([&](WriteTx& tx) -> Status {
    auto claimed = tx.claim_sla_step(p.id, id, SlaStep::kWait, now);
    if (!claimed) return claimed.error();
    if (!*claimed) return ok_status();
    auto loaded = tx.get_opportunity(id);
    if (!loaded) return loaded.error();
    if (!*loaded) return ok_status();
    return record_activity(ctx, tx, **loaded, **loaded, std::nullopt,
                           "SLA escalation waits: policy " + describe(p) + " [" + p.id +
                               "] is due, but " + nobody +
                               "; the lead is reassigned when someone else works");
  });
  if (!w) return w.error();
  return Outcome::kWaiting;
}

}  // namespace

Result<SlaEscalationCounts> run_sla_escalation(AppContext& ctx) {
  const Timestamp now = ctx.now();
  SlaEscalationCounts counts;
  std::vector<SlaPolicy> policies;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto r = tx.list_sla_policies();
    if (!r) return r.error();
    policies = std::move(*r);
    return ok_status();
  });
  if (!s) return s.error();
  for (const auto& p : policies) {
    // Working time never exceeds wall time: a lead younger than the first step is not read.
    const int first =
        p.warn_before_minutes > 0 ? p.after_minutes - p.warn_before_minutes : p.after_minutes;
    std::vector<Id> due;
    auto r = ctx.store.read([&](ReadTx& tx) -> Status {
      auto found = tx.sla_candidates(p, now - kSlaLookBack, now - std::chrono::minutes(first),
                                     kSlaLeadsPerRun);
      if (!found) return found.error();
      for (const auto& o : *found) {
        auto d = due_step(ctx, tx, p, o, now);
        if (!d) return d.error();
        if (*d) due.push_back(o.id);
      }
      return ok_status();
    });
    if (!r) return r.error();
    for (const auto& id : due) {
      auto outcome = take_step(ctx, p, id, now);
      if (!outcome) return outcome.error();
      switch (*outcome) {
        case Outcome::kWarned:
          ++counts.warned;
          break;
        case Outcome::kReassigned:
          ++counts.reassigned;
          break;
        case Outcome::kNotified:
          ++counts.notified;
          break;
        case Outcome::kWaiting:
          ++counts.waiting;
          break;
        case Outcome::kNone:
          break;
      }
    }
  }
  return counts;
}

}  // namespace leadproc
