#include "domain/funnel.h"

#include "domain/lifecycle.h"
#include "domain/name_table.h"

namespace leadproc {
namespace {

using S = OpportunityStatus;

bool entered_crm(const Opportunity& o) {
  if (o.crm_stage_meta && o.crm_stage_meta->crm_entry_at) return true;
  return o.status == S::kOpen || o.status == S::kWon || o.status == S::kLost;
}

// An agent (or the CRM's first contact) acted on it: it left the phase's first stage.
bool acted_on(const Opportunity& o) {
  switch (o.status) {
    case S::kInPsv:
    case S::kInWest:
    case S::kDisqualified:
      return o.filtration_status && !o.filtration_status->stage.empty() &&
             o.filtration_status->stage != "PSVFreshLead" &&
             o.filtration_status->stage != "WestFreshLead";
    default:
      break;
  }
  switch (phase_of(o)) {  // Upcoming and unknown leads: their status is their stage
    case ActivityPhase::kUpcoming:
      return o.status != S::kUpcomingFreshLead;
    case ActivityPhase::kUnknown:
      return o.status != S::kResolvingUnknown;
    default:
      return o.crm_stage_meta && o.crm_stage_meta->stage != CrmStage::kFreshLead;
  }
}

bool held(const Opportunity& o) {
  return o.assigned_psv || o.assigned_west || o.opportunity_owner;
}

std::string attribution(const Opportunity& o, const char* key) {
  auto it = o.attribution.find(key);
  return it == o.attribution.end() ? "" : it->second;
}

constexpr NameTable<FunnelStep, 5> kSteps{{
    {FunnelStep::kCaptured, "captured"},
    {FunnelStep::kAssigned, "assigned"},
    {FunnelStep::kContacted, "contacted"},
    {FunnelStep::kQualified, "qualified"},
    {FunnelStep::kWon, "won"},
}};
constexpr NameTable<FunnelOutcome, 2> kOutcomes{{
    {FunnelOutcome::kLost, "lost"},
    {FunnelOutcome::kDisqualified, "disqualified"},
}};
constexpr NameTable<FunnelKind, 3> kKinds{{
    {FunnelKind::kLead, "lead"},
    {FunnelKind::kDuplicate, "duplicate"},
    {FunnelKind::kUnknown, "unknown"},
}};

}  // namespace

FunnelPosition funnel_position(const Opportunity& o) {
  FunnelPosition p;
  if (o.status == S::kWon)
    p.step = FunnelStep::kWon;
  else if (entered_crm(o))
    p.step = FunnelStep::kQualified;
  else if (acted_on(o))
    p.step = FunnelStep::kContacted;
  else if (held(o))
    p.step = FunnelStep::kAssigned;
  switch (o.status) {
    case S::kLost:
      p.outcome = FunnelOutcome::kLost;
      break;
    case S::kDisqualified:
    case S::kUpcomingDisqualifiedJunk:
    case S::kUpcomingDisqualifiedNotInterested:
    case S::kUpcomingDisqualifiedNotResponded:
    case S::kUpcomingDisqualifiedAlreadyAssigned:
      p.outcome = FunnelOutcome::kDisqualified;
      break;
    default:
      break;
  }
  return p;
}

FunnelKind funnel_kind(const Opportunity& o) {
  if (o.is_duplicate) return FunnelKind::kDuplicate;
  if (!o.destination || o.destination->id.empty()) return FunnelKind::kUnknown;
  return FunnelKind::kLead;
}

std::string campaign_of(const Opportunity& o) {
  std::string campaign = attribution(o, "utmCampaign");
  if (campaign.empty()) campaign = attribution(o, "campaignName");
  return campaign;
}

std::string_view to_string(FunnelStep s) {
  return name_of(kSteps, s);
}
std::string_view to_string(FunnelOutcome o) {
  return name_of(kOutcomes, o);
}
std::string_view to_string(FunnelKind k) {
  return name_of(kKinds, k);
}
std::optional<FunnelStep> parse_funnel_step(std::string_view s) {
  return parse_in(kSteps, s);
}
std::optional<FunnelOutcome> parse_funnel_outcome(std::string_view s) {
  return parse_in(kOutcomes, s);
}
std::optional<FunnelKind> parse_funnel_kind(std::string_view s) {
  return parse_in(kKinds, s);
}

const std::vector<FunnelStep>& all_funnel_steps() {
  static const std::vector<FunnelStep> steps = [] {
    std::vector<FunnelStep> v;
    for (const auto& [value, name] : kSteps) v.push_back(value);
    return v;
  }();
  return steps;
}

}  // namespace leadproc
