// Changing an opportunity outside the state machine: the customer and trip fields (PATCH) and
// reassignment to another person. One write transaction each, with the optimistic-concurrency
// precondition and one activity naming every changed field (PRODUCT.md "Workflow").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/input.h"
#include "app/opportunity_change.h"

namespace leadproc {

// An alternate phone as given: a text, or the parts {countryCode, number}.
struct AlternatePhoneInput {
  std::optional<std::string> text;
  std::optional<std::string> country_code;  // "+" is added when it lacks one
  std::optional<std::string> number;
};

// The changes of PATCH /opportunities/{id} (the HTTP body is decoded by
// http/decode_opportunity_edit.h, which also refuses every field not here): what is given is set
// (a Patch cleared: the field cleared).
struct OpportunityEdit {
  std::optional<std::string> id;                        // "_id": must name this opportunity
  std::optional<std::string> name;                      // required, not blank, ≤200
  Patch<std::string> email;                             // an address
  Patch<int> pax;                                       // 0..1000, stored as text
  Patch<AlternatePhoneInput> alternate_phone;           // a possible number, stored split
  Patch<std::string> travel_date;                       // ≤100; travelMonthDateFormat follows it
  Patch<std::string> trip_type;                         // ≤100
  Patch<std::string> pax_type;                          // ≤100
  Patch<std::vector<std::optional<std::string>>> tags;  // ≤50 non-empty, ≤100; nullopt: not text
  Patch<std::string> remarks;                           // ≤2000 characters each
  Patch<std::string> custom_remark;
  Patch<std::string> agent_notes;
  Patch<std::string> junk_remarks;
  std::vector<FieldError> decode_errors;  // what the decoder found
};

// Sets the fields given. travelMonthDateFormat follows travelDate: the first day of the month it
// names, local midnight in the business time zone, or null when it names none. The sizes are
// domain/field_limits.h's. 422 lists every bad field. An edit that changes nothing writes nothing
// (no new version, no activity).
Result<Opportunity> edit_opportunity(AppContext& ctx, const Id& id, const OpportunityEdit& edit,
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
