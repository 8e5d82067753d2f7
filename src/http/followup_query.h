// The parameters of the follow-ups due list, read from a request's query: written once for the
// list (GET /api/v1/followups) and its CSV export (GET /api/v1/exports/followups.csv), so that an
// export holds exactly the entries of the same list, scoped the same way (docs/api-workflow.md).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "app/followups.h"
#include "http/request.h"

namespace leadproc::http {

struct DueQuery {
  DueFilter due = DueFilter::kToday;
  std::string due_text;     // as asked ("today", "overdue", "upcoming")
  std::optional<Id> owner;  // whose; nullopt: everyone's (admins only)
};

// The query parameters the due list takes: due (required), owner.
std::vector<std::string_view> due_query_params();

// The due list the query asks for; a field error per malformed or missing parameter is added to
// `errors`. Does not check for unknown parameters.
DueQuery due_query_from(const Request& req, std::vector<FieldError>& errors);

// Narrows the query to what the caller may read: everyone but an admin sees their own list (the
// owner becomes the caller); asking for another person's is kForbidden.
Status scope_due_query(const Request& req, DueQuery& query);

}  // namespace leadproc::http
