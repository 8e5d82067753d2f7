// The body of PATCH /api/v1/opportunities/{id} (docs/api-workflow.md) as the use case's
// OpportunityEdit: name, email, pax (a number or a string of digits), alternatePhone
// ({countryCode, number} or a string), travelDate, tripType, paxType, tags, remarks, customRemark,
// agentNotes, junKRemarks and _id; null clears an optional one. Any other field is refused (422
// naming it: status and stages change through transitions, owners through reassignment). JSON
// types only; the rules (sizes, an address, a possible number) are app/opportunity_edits.h's.
#pragma once

#include <boost/json/object.hpp>

#include "app/opportunity_edits.h"

namespace leadproc::http {

OpportunityEdit decode_opportunity_edit(const boost::json::object& body);

}  // namespace leadproc::http
