// The facts of a change of an opportunity that more than one announcement reads: who holds it in
// each role before and after, and its stage. The live events (app/live_events.h, told to people)
// and the outbox (app/outbox.h, told to other systems) both start from these, so "who was
// assigned" and "what stage" are worked out once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"

namespace leadproc {

// One role whose person changed: "psv" (assignedPsv), "west" (assignedWest) or "owner"
// (opportunityOwner), from `was` to `is` (nullopt: nobody).
struct RoleChange {
  std::string_view role;
  std::optional<Id> was;
  std::optional<Id> is;
};
// The roles whose person differs between `before` (nullopt: just created) and `after`, in the
// order psv, west, owner.
std::vector<RoleChange> role_changes(const std::optional<Opportunity>& before,
                                     const Opportunity& after);

// The opportunity's stage: its CRM stage once in the CRM, else its filtration stage, else none.
std::optional<std::string> stage_of(const Opportunity& o);

// The person working it now: its owner once in the CRM, else its PSV or WEST agent, else nobody.
std::optional<Id> holder_of(const Opportunity& o);

}  // namespace leadproc
