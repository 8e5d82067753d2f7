// Where an opportunity stands in the sales funnel (docs/reports.md): a pure function of the
// record as stored, projected into columns on every write (funnel_step, funnel_outcome,
// campaign; migration 15) so that the funnel report and the opportunities list that explains
// each of its numbers count the same rows with the same SQL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"

namespace leadproc {

// The steps in order. A record counts at a step when it reached that step or a later one, so
// each step's count is at most the previous one's (a NO-FILTER lead enters the CRM phase, and
// so counts as qualified, without an agent's call: it counts as assigned and contacted too).
enum class FunnelStep { kCaptured = 0, kAssigned = 1, kContacted = 2, kQualified = 3, kWon = 4 };

// How a record left the funnel without a win (nullopt: it has not).
enum class FunnelOutcome { kLost, kDisqualified };

// Leads, re-inquiries and leads whose destination is unknown are counted apart.
enum class FunnelKind { kLead, kDuplicate, kUnknown };

struct FunnelPosition {
  FunnelStep step = FunnelStep::kCaptured;
  std::optional<FunnelOutcome> outcome;
};

// - won: status Won;
// - qualified: entered the CRM phase (crmStageMeta.crmEntryAt, or a CRM status: Open, Won, Lost);
// - contacted: the PSV/WEST agent moved it on from the fresh-lead stage (a follow-up attempt, a
//   future follow-up, a qualification or a disqualification), an Upcoming or unknown lead was
//   moved on from its first status, or the CRM first contact was done (stage past fresh_lead);
// - assigned: someone holds it (assignedPsv, assignedWest or opportunityOwner);
// - lost: status Lost; disqualified: status Disqualified or an UpcomingDisqualified* status.
FunnelPosition funnel_position(const Opportunity& o);

// Duplicate (isDuplicate), else unknown (no destination), else a lead.
FunnelKind funnel_kind(const Opportunity& o);

// The campaign a lead came from: its utmCampaign, else its campaignName; "" when neither.
std::string campaign_of(const Opportunity& o);

// Wire names: "captured", "assigned", ...; "lost", "disqualified"; "lead", "duplicate",
// "unknown". The parsers answer nullopt for anything else.
std::string_view to_string(FunnelStep s);
std::string_view to_string(FunnelOutcome o);
std::string_view to_string(FunnelKind k);
std::optional<FunnelStep> parse_funnel_step(std::string_view s);
std::optional<FunnelOutcome> parse_funnel_outcome(std::string_view s);
std::optional<FunnelKind> parse_funnel_kind(std::string_view s);
const std::vector<FunnelStep>& all_funnel_steps();

}  // namespace leadproc
