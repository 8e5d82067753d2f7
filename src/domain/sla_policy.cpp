#include "domain/sla_policy.h"

#include <array>
#include <utility>

#include "domain/name_table.h"

namespace leadproc {
namespace {

constexpr NameTable<SlaAction, 2> kActions{
    {{SlaAction::kReassign, "reassign"}, {SlaAction::kNotify, "notify"}}};
constexpr NameTable<SlaStep, 3> kSteps{
    {{SlaStep::kWarn, "warn"}, {SlaStep::kWait, "wait"}, {SlaStep::kAct, "act"}}};
constexpr std::array<std::pair<ActivityPhase, std::string_view>, 3> kStages{
    {{ActivityPhase::kPsv, "PSVFreshLead"},
     {ActivityPhase::kWest, "WestFreshLead"},
     {ActivityPhase::kCrm, "fresh_lead"}}};

}  // namespace

std::string_view to_string(SlaAction a) {
  return name_of(kActions, a);
}

std::optional<SlaAction> parse_sla_action(std::string_view s) {
  return parse_in(kActions, s);
}

std::string_view to_string(SlaStep s) {
  return name_of(kSteps, s);
}

std::vector<std::string_view> sla_processes() {
  std::vector<std::string_view> out;
  for (const auto& [process, stage] : kStages) out.push_back(to_string(process));
  return out;
}

std::optional<std::string_view> sla_stage_of(ActivityPhase process) {
  for (const auto& [p, stage] : kStages)
    if (p == process) return stage;
  return std::nullopt;
}

std::vector<FieldError> check_sla_policy(const SlaPolicy& p) {
  std::vector<FieldError> errors;
  const auto stage = sla_stage_of(p.process);
  if (!stage)
    errors.push_back({"process", "must be PSV, WEST or CRM"});
  else if (p.stage != *stage)
    errors.push_back(
        {"stage", "must be " + std::string(*stage) + " for " + std::string(to_string(p.process)) +
                      " (the untouched stage, whose first touch the clock waits for)"});
  const bool after_ok = p.after_minutes >= 1 && p.after_minutes <= kMaxSlaMinutes;
  if (!after_ok)
    errors.push_back(
        {"afterMinutes", "must be a whole number from 1 to " + std::to_string(kMaxSlaMinutes)});
  if (p.warn_before_minutes < 0 || (after_ok && p.warn_before_minutes >= p.after_minutes))
    errors.push_back(
        {"warnBeforeMinutes", "must be a whole number from 0 (no warning) to afterMinutes - 1"});
  return errors;
}

std::optional<SlaStep> sla_step_due(const SlaPolicy& p, std::chrono::minutes worked) {
  if (worked.count() >= p.after_minutes) return SlaStep::kAct;
  if (p.warn_before_minutes > 0 && worked.count() >= p.after_minutes - p.warn_before_minutes)
    return SlaStep::kWarn;
  return std::nullopt;
}

std::string describe(const SlaPolicy& p) {
  return std::string(to_string(p.process)) + " " + p.stage + " after " +
         std::to_string(p.after_minutes) + " working minutes (" + std::string(to_string(p.action)) +
         ")";
}

}  // namespace leadproc
