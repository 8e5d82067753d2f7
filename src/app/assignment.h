// Round-robin assignment inside a write transaction: picks a POC of a pool for an opportunity
// (domain/round_robin.h), counts it, remembers the streak, and sets the opportunity's assignee
// field for that pool. Used by ingestion, CRM entry and the waiting-lead queue.
#pragma once

#include <optional>

#include "app/context.h"

namespace leadproc {

struct AssignmentTarget {
  AvailabilityProcess pool = AvailabilityProcess::kPsv;
  std::optional<std::string> sheet_name;   // WEST: from the routing entry
  std::optional<std::string> waba_number;  // WEST
  std::optional<Id> preferred_person;      // e.g. salesPersonToBeAssigned, if available
};

// Assigns `opp` (in memory; the caller writes it). Returns true if a POC was found; false leaves
// the opportunity waiting (awaiting_pool set) until a POC of the pool becomes available.
Result<bool> assign_round_robin(WriteTx& tx, Opportunity& opp, const AssignmentTarget& target);

// Assigns the opportunities waiting for `pool`, oldest first, while POCs are available; each
// assignment writes its activity. Returns how many were assigned.
Result<int> assign_waiting(AppContext& ctx, WriteTx& tx, AvailabilityProcess pool,
                           const std::optional<Id>& actor);

}  // namespace leadproc
