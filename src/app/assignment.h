// Round-robin assignment inside a write transaction: picks a POC of a pool for an opportunity
// (domain/round_robin.h), counts it, remembers the streak, and sets the opportunity's assignee
// field for that pool. Used by ingestion, CRM entry and the waiting-lead queue.
#pragma once

#include <optional>

#include "app/context.h"

namespace leadproc {

// The owner of the number's recently closed opportunity (app/sticky_owner.h), tried before the
// round robin when they can take the lead.
struct StickyOwner {
  Id person_id;
  std::string person_name;  // as the closed opportunity has it; "" when it has none
  Id closed_opportunity;
  Timestamp closed_at{};
};

struct AssignmentTarget {
  AvailabilityProcess pool = AvailabilityProcess::kPsv;
  std::optional<std::string> sheet_name;   // WEST: from the routing entry
  std::optional<std::string> waba_number;  // WEST
  std::optional<Id> preferred_person;      // e.g. salesPersonToBeAssigned, if available
  // Why the lead is routed to this pool (the process and why), for the routing record.
  std::string why;
  // Never this person, even when working (an SLA escalation reroutes a lead from its owner).
  std::optional<Id> except = std::nullopt;
  // The sticky owner: after the preferred person, before the round robin; taken when they are a
  // candidate (available, covering the destination, working, not skipped for cap, quota or
  // language), whatever their source tier; else the record says why not.
  std::optional<StickyOwner> sticky = std::nullopt;
};

// Assigns `opp` (in memory; the caller writes it) to a POC working at `at` (off shift, on leave
// and checked-out POCs never get a lead: domain/work_schedule.h). Returns true if a POC was
// found; false leaves the opportunity waiting (awaiting_pool and awaiting_reason set) until a POC
// of the pool is available and working. Either way the decision is stored as the opportunity's
// routing record (app/routing_decision.h).
Result<bool> assign_round_robin(WriteTx& tx, Opportunity& opp, const AssignmentTarget& target,
                                const WorkTime& at);

// Fills the `fresh` count of the capped POCs of `candidates` (WriteTx::fresh_lead_counts); reads
// nothing when none is capped.
Status count_fresh(WriteTx& tx, AvailabilityProcess pool, std::vector<RankedPoc>& candidates);

// The business zone's work time at `now` (app/business_day.h's work_time over ctx's zone).
Result<WorkTime> work_time_at(const AppContext& ctx, Timestamp now);

// Assigns the opportunities waiting for `pool`, oldest first, while POCs are available and
// working now; each assignment writes its activity. Returns how many were assigned (0 at once
// when nobody of the pool works now).
Result<int> assign_waiting(AppContext& ctx, WriteTx& tx, AvailabilityProcess pool,
                           const std::optional<Id>& actor);

}  // namespace leadproc
