// Escalation policies (issue 21, item 6: "an SLA that acts"): per process and stage, how many
// working minutes an untouched lead may wait with its owner, when the owner is warned before
// that, and what happens at the deadline (reassign by round robin, or notify the admins). The
// rule of which leads a policy watches and when each step is due is here; the job that applies
// it is app/sla_escalation.h. Pure.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/enums.h"
#include "domain/result.h"
#include "domain/work_schedule.h"

namespace leadproc {

enum class SlaAction { kReassign, kNotify };
std::string_view to_string(SlaAction a);  // "reassign", "notify"
std::optional<SlaAction> parse_sla_action(std::string_view s);

// One step a policy takes on a lead, at most once each (the store's unique (opportunity,
// policy, step) row is the claim): warn the owner; note that a reassignment waits because nobody
// else works now; act (reassign or notify).
enum class SlaStep { kWarn, kWait, kAct };
std::string_view to_string(SlaStep s);  // "warn", "wait", "act"

// The policy's process is the phase that works the lead (ActivityPhase's wire names "PSV",
// "WEST", "CRM"); the stage is that phase's untouched stage, the one whose first touch the clock
// waits for: "PSVFreshLead" (status InPSV, the agent has not moved it on), "WestFreshLead"
// (InWEST), "fresh_lead" (Open, the first contact not done). The clock starts when the lead
// entered the stage: its creation for PSV and WEST, its CRM entry (crmEntryAt) for CRM.
struct SlaPolicy {
  std::string id;
  ActivityPhase process = ActivityPhase::kCrm;
  std::string stage;
  int after_minutes = 0;        // 1..kMaxSlaMinutes working minutes
  int warn_before_minutes = 0;  // 0 (no warning) .. after_minutes - 1
  SlaAction action = SlaAction::kReassign;
  std::optional<std::string> created_by;
  Timestamp created_at{};
  Timestamp updated_at{};
};

// Thirty working days of 24 hours: a longer deadline is a typo.
inline constexpr int kMaxSlaMinutes = 30 * 24 * 60;
// At most this many policies: each is a query per job run.
inline constexpr int kMaxSlaPolicies = 50;

// The processes a policy may name and the untouched stage of each.
std::vector<std::string_view> sla_processes();                        // "PSV", "WEST", "CRM"
std::optional<std::string_view> sla_stage_of(ActivityPhase process);  // nullopt: not a policy's

// The problems of a policy as a whole (fields named as the API names them: "stage",
// "afterMinutes", "warnBeforeMinutes"); the caller has checked each field's type.
std::vector<FieldError> check_sla_policy(const SlaPolicy& p);

// Which step is due after `worked` working minutes on the lead: kAct at after_minutes, kWarn at
// after_minutes - warn_before_minutes (when warn_before_minutes > 0), else nullopt.
std::optional<SlaStep> sla_step_due(const SlaPolicy& p, std::chrono::minutes worked);

// "CRM fresh_lead after 120 working minutes (reassign)": how activities name a policy.
std::string describe(const SlaPolicy& p);

}  // namespace leadproc
