// The routing record (issue 21, item 5): every round-robin decision is stored, compactly, in the
// transaction that assigns (or leaves waiting) the opportunity, so "why this person?" has an
// answer later: the process and why, the pool, the candidates with their counts, the POCs left
// out and why, the tier used, the streak and the winner. GET /api/v1/opportunities/{id}/routing
// reads them; POST /api/v1/routing/dry-run shows them for a lead without storing anything.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/ingest_lead.h"
#include "domain/round_robin.h"

namespace leadproc {

// At most this many candidates and this many exclusions are listed in one record (the counts
// say how many there were): a pool of hundreds must not make every lead write kilobytes.
constexpr std::size_t kMaxListedPocs = 20;

// What one decision knew. Pointers are to the caller's vectors, alive during the call.
struct DecisionFacts {
  AvailabilityProcess pool = AvailabilityProcess::kPsv;
  std::string_view why;                                // the process and why (AssignmentTarget)
  const std::vector<RankedPoc>* candidates = nullptr;  // working, as ranked
  const std::vector<OffDutyPoc>* off_duty = nullptr;
  const std::vector<SkippedPoc>* skipped = nullptr;  // language, cap, quota
  bool night_desk = false;                           // the candidates are the night desk
  std::optional<Streak> previous;
  int max_streak = 1;
  std::optional<std::size_t> winner;          // index into *candidates
  std::optional<NamedRef> preferred;          // the preferred person, who took it
  std::optional<std::string> waiting_reason;  // when nobody took it
};

// The record as compact JSON text: {"at", "pool", "why", "outcome": "assigned" | "preferred" |
// "waiting", "winner": {"personId", "name"} | null, "tier", "streak": {"previousPersonId",
// "length", "max"}, "candidates": [{"personId", "name", "tier", "leadCount", "seq"}] (at most
// kMaxListedPocs, ranked: tier, leadCount, seq, id; "weight" when not 1), "candidateCount",
// "excluded": [{"personId", "name", "reason"}] (off duty, then skipped: "language", "at capacity",
// "daily quota reached", then those of a higher source tier; at most kMaxListedPocs),
// "excludedCount", "nightDesk": true when nobody else of the pool worked, "waitingReason"}.
std::string decision_json(const DecisionFacts& f, Timestamp at);

// The routing records of opportunity `opp_id`, oldest first, as JSON objects. kNotFound when the
// opportunity does not exist (the caller checks that the principal may see it).
Result<boost::json::array> routing_records(AppContext& ctx, const Id& opp_id);

// Where `input` would go now and why, changing nothing (the lead's whole ingestion runs in a
// transaction that is rolled back): {"outcome": "routed" | "unassigned" | "duplicate",
// "duplicateOf", "destination", "process", "status", "assignee", "awaitingReason", "decisions":
// [record + "pocs": [{"availabilityId", "personId", "name", "verdict", "excluded"}]: every POC of
// the record's pool with why it would or would not take the lead]}. Validation errors as for
// POST /api/v1/leads.
Result<boost::json::object> dry_run_routing(AppContext& ctx, const LeadInput& input);

}  // namespace leadproc
