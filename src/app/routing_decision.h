// The routing record (issue 21, item 5): every round-robin decision is stored, compactly, in the
// transaction that assigns (or leaves waiting) the opportunity, so "why this person?" has an
// answer later: the process and why, the pool, the candidates with their counts, the POCs left
// out and why, the tier used, the streak and the winner. GET /api/v1/opportunities/{id}/routing
// reads them; POST /api/v1/routing/dry-run shows them for a lead without storing anything.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
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
  // The sticky owner (app/sticky_owner.h) when there was one: why they took it, or why not.
  std::optional<std::string> sticky;
  bool sticky_took = false;  // *winner is the sticky owner
};

// The record as it is stored, written in the transaction of every routed lead, so kept small:
// ids and counts only, people's names resolved when it is read (routing_records), arrays for the
// listed POCs. {"v": 2, "at", "pool", "why", "outcome": "assigned" | "preferred" | "waiting" |
// "sticky",
// "winner": personId | null, "winnerAvailability": availabilityId (assigned only), "tier",
// "streak": [length, max, previousAvailabilityId | null, previousPersonId | null],
// "candidates": [[personId, tier, leadCount, seq | null, weight]] (at most kMaxListedPocs, ranked:
// tier, leadCount, seq, id), "candidateCount", "excluded": [[personId, reason]] (off duty, then
// skipped: "language", "at capacity", "daily quota reached"), then [personId, N] for those of a
// higher source tier N (at most kMaxListedPocs in all), "excludedCount", "nightDesk": true when
// nobody else of the pool worked, "waitingReason", "sticky": "sticky owner: closed opportunity <id>
// of <date>" when the sticky owner took it, or "sticky owner <name> skipped: <reason> (closed
// opportunity <id> of <date>)"}. Records written before this form (objects with names) are read
// too.
std::string decision_json(const DecisionFacts& f, Timestamp at);

// A stored record (either form) as the API shows it: {"at", "pool", "why", "outcome", "winner":
// {"personId", "name", "availabilityId"?} | null, "tier", "streak": {"length", "max",
// "previousAvailabilityId"?, "previousPersonId"?}, "candidates": [{"personId", "name", "tier",
// "leadCount", "seq", "weight"? (when not 1)}], "candidateCount", "excluded": [{"personId",
// "name", "reason"}], "excludedCount", "nightDesk"?, "waitingReason"?, "sticky"?}. `name_of`
// answers a person's display name (the person's id when they are unknown). kInternal when it is not
// JSON.
Result<boost::json::object> expand_decision(
    const std::string& stored, const std::function<std::string(const std::string&)>& name_of);

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
