// The sla-escalation job's use case (issue 21, item 6; docs/product.md "Escalation policies"):
// for each policy (domain/sla_policy.h), the leads still untouched in its stage whose working-time
// clock (the owner's shift time since the lead entered the stage, in the business time zone:
// app/business_day.h time_on_shift) has passed the warning point get a warning for their owner,
// and those past the deadline are reassigned by round robin to someone else of the pool who works
// now, or notified to the admins, as the policy says.
//
// Each step is taken once per lead and policy: its (opportunity, policy, step) row is claimed in
// the write transaction of the step's activity and event, so two instances running the job at
// once take it once. A reassignment with nobody else working takes no step (the lead stays with
// its owner, and is reassigned in the first run where someone works); the first such run writes
// an activity saying so. The lead keeps its age and SLA clock: only its owner changes.
#pragma once

#include "app/context.h"

namespace leadproc {

struct SlaEscalationCounts {
  int warned = 0;
  int reassigned = 0;
  int notified = 0;
  int waiting = 0;  // due for reassignment, nobody else working now
};

// Leads whose stage clock started longer ago than this are left alone (the SLA report shows
// them): a policy created over a backlog (imported data) does not reassign months of leads.
inline constexpr auto kSlaLookBack = std::chrono::hours(24 * 30);
// At most this many leads per policy per run (oldest first); the rest are taken next run.
inline constexpr int kSlaLeadsPerRun = 500;

// One pass over every policy at ctx.now().
Result<SlaEscalationCounts> run_sla_escalation(AppContext& ctx);

}  // namespace leadproc
