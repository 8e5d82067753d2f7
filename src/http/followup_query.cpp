#include "http/followup_query.h"

#include "domain/object_id.h"
#include "http/responses.h"

namespace leadproc::http {

std::vector<std::string_view> due_query_params() {
  return {"due", "owner"};
}

DueQuery due_query_from(const Request& req, std::vector<FieldError>& errors) {
  DueQuery q;
  if (auto d = query_string(req, "due")) {
    if (auto filter = parse_due_filter(*d)) {
      q.due = *filter;
      q.due_text = *d;
    } else {
      errors.push_back({"due", "must be one of: today, overdue, upcoming"});
    }
  } else {
    errors.push_back({"due", "is required: today, overdue or upcoming"});
  }
  if (auto o = query_string(req, "owner")) {
    if (!is_object_id(*o))
      errors.push_back({"owner", "must be a 24-hex-digit user id"});
    else
      q.owner = *o;
  }
  return q;
}

Status scope_due_query(const Request& req, DueQuery& query) {
  if (!req.principal || req.principal->is_admin()) return ok_status();
  if (query.owner && *query.owner != req.principal->id)
    return Error{
        ErrorCode::kForbidden, "only an admin may list another user's follow-ups", {}, {}, 0};
  query.owner = req.principal->id;
  return ok_status();
}

}  // namespace leadproc::http
