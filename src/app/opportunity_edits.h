// Changing an opportunity outside the state machine: the customer and trip fields (PATCH) and
// reassignment to another person. One write transaction each, with the optimistic-concurrency
// precondition and one activity naming every changed field (PRODUCT.md "Workflow").
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "app/opportunity_change.h"

namespace leadproc {

// PATCH /opportunities/{id}: sets the fields present in `body` (null clears an optional one).
// Editable: name (required, non-empty, ≤200), email (an address), pax (a number 0..1000 or a
// string ≤50; stored as a string), alternatePhone ({countryCode, number} or a string; a possible
// number, stored split), travelDate (≤100; travelMonthDateFormat follows it: the first day of
// the month it names, local midnight in the business time zone, or null when it names none),
// tripType, paxType (≤100), tags (≤50 strings of ≤100), remarks, customRemark, agentNotes,
// junKRemarks (≤2000 characters each). Any other field is refused (422 naming it: status and
// stages change through transitions, owners through reassignment). 422 lists every bad field.
// A body that changes nothing writes nothing (no new version, no activity).
Result<Opportunity> edit_opportunity(AppContext& ctx, const Id& id, const boost::json::object& body,
                                     const WriteOptions& opts);

// POST /opportunities/{id}/reassign, decoded.
struct ReassignRequest {
  std::optional<Id> to;                // "to": the user who takes the opportunity over
  std::optional<std::string> remarks;  // "remarks": why (≤2000), kept as reassignedRemarks
  std::vector<FieldError> decode_errors;
};

// Gives the opportunity to another person of the department that works its phase: in the CRM
// phase (Open, or Dormant after CRM) the opportunityOwner (a SALES user), with
// crmStageMeta.reAssigned = true and reassignedRemarks, and its active follow-ups move to them;
// in PSV/WEST filtration (InPSV, ResolvingUnknown, Upcoming*: PSV; InWEST: WEST) the assigned
// agent. The activity carries the old and the new assignee. Round-robin counts do not change
// (a manual reassignment is not a turn of the rotation). 409 for a closed opportunity, one no
// person works (UnderProcessing, a Dormant duplicate) or one already with that person; 422 for an
// unknown, inactive or deleted user or one of another department.
Result<Opportunity> reassign_opportunity(AppContext& ctx, const Id& id, const ReassignRequest& req,
                                         const WriteOptions& opts);

// Reassignment inside a transaction the caller runs, on an opportunity it loaded (for one that
// changes hands with others, as a user's handover when they are deactivated): the checks and
// changes of reassign_opportunity, its activity included; `opp` is left as saved.
Status reassign_loaded(AppContext& ctx, WriteTx& tx, Opportunity& opp, const Id& to,
                       const std::optional<std::string>& remarks, const WriteOptions& opts);

// Who works an opportunity in its phase: the department, its availability pool, and the person
// now holding it (nullopt when it waits for one). nullopt for a closed opportunity or one no
// person works (UnderProcessing, a Dormant duplicate), as for reassignment.
struct Worker {
  Department department = Department::kSales;
  AvailabilityProcess pool = AvailabilityProcess::kSales;
  std::optional<Id> person;
};
std::optional<Worker> worker_of(const Opportunity& opp);

}  // namespace leadproc
