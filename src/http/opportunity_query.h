// The filters of the opportunities list, read from a request's query: written once for the list
// (GET /api/v1/opportunities) and its CSV export (GET /api/v1/exports/opportunities.csv), so that
// an export holds exactly the rows of the same list (docs/api.md "Reading").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/store.h"
#include "http/request.h"

namespace leadproc::http {

// The query parameters the filter takes: status, filterationProcess, platform, destination (an id,
// or "none"), assignee, createdFrom, createdTo, unassigned, overdue, sort, and the funnel's
// (docs/reports.md): campaign, noCampaign, kind, reached, outcome.
std::vector<std::string_view> opportunity_filter_params();

// The filter the query asks for (overdue=true: a next follow-up before `now`); a field error
// per malformed parameter is added to `errors`. Does not check for unknown parameters
// (only_params, with the route's own ones added).
OpportunityFilter opportunity_filter_from(const Request& req, Timestamp now,
                                          std::vector<FieldError>& errors);

// Narrows `filter` to what the caller may read (app/access.h restrict_to_scope): false when it
// asks for somebody else's (the list is empty, as if they did not exist). unassigned=true from
// anyone but an admin is refused (kForbidden): the leads waiting for a pool are nobody's yet, and
// only admins see them (docs/api.md "Reading").
Result<bool> scope_opportunity_filter(const Request& req, OpportunityFilter& filter);

// The query (without "?") that opportunity_filter_from reads back as `f`: how the reports link
// each of their numbers to the list of exactly those opportunities.
std::string opportunity_filter_query(const OpportunityFilter& f);

}  // namespace leadproc::http
