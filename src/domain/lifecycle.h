// Facts about an opportunity's status that several rules share.
#pragma once

#include "domain/model.h"

namespace leadproc {

// Closed: no further work is expected (won, lost, disqualified in any phase, or an unknown /
// upcoming outcome that ends it). A new lead for the same number and destination is a new
// original once the earlier one is closed, and a duplicate while it is not.
bool is_closed(const Opportunity& opp);

// The activity phase an opportunity's changes belong to, from its status and process.
ActivityPhase phase_of(const Opportunity& opp);

// The filtration process that works a lead of this status in the filtration phase, used to
// choose the pool (PSV also works UNKNOWN and UPCOMING leads; Sales works CRM).
AvailabilityProcess pool_for(FiltrationProcess process);

}  // namespace leadproc
