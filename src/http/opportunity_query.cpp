#include "http/opportunity_query.h"

#include <algorithm>
#include <iterator>

#include "app/access.h"
#include "domain/object_id.h"
#include "domain/time_format.h"
#include "http/responses.h"

namespace leadproc::http {

std::vector<std::string_view> opportunity_filter_params() {
  return {"status",      "filterationProcess", "platform",   "destination", "assignee",
          "createdFrom", "createdTo",          "unassigned", "overdue",     "sort"};
}

OpportunityFilter opportunity_filter_from(const Request& req, Timestamp now,
                                          std::vector<FieldError>& errors) {
  OpportunityFilter f;
  auto enum_param = [&](const std::string& name, auto parse, auto& out) {
    if (auto s = query_string(req, name)) {
      out = parse(*s);
      if (!out) errors.push_back({name, "is not a known value"});
    }
  };
  enum_param("status", parse_opportunity_status, f.status);
  enum_param("filterationProcess", parse_filtration_process, f.filteration_process);
  enum_param("platform", parse_platform, f.platform);
  auto id_param = [&](const std::string& name, std::optional<Id>& out) {
    if (auto s = query_string(req, name)) {
      if (!is_object_id(*s))
        errors.push_back({name, "must be a 24-hex-digit id"});
      else
        out = *s;
    }
  };
  id_param("destination", f.destination_id);
  id_param("assignee", f.assignee);
  auto time_param = [&](const std::string& name, std::optional<Timestamp>& out) {
    if (auto s = query_string(req, name)) {
      out = parse_iso8601(*s);
      if (!out) errors.push_back({name, "must be an ISO-8601 date or timestamp"});
    }
  };
  time_param("createdFrom", f.created_from);
  time_param("createdTo", f.created_to);
  f.unassigned = query_bool(req, "unassigned", errors);
  if (query_bool(req, "overdue", errors).value_or(false)) f.follow_up_before = now;
  if (auto sort = query_string(req, "sort")) {
    static const std::pair<std::string_view, OpportunitySort> kSorts[] = {
        {"newest", OpportunitySort::kNewest},
        {"oldest", OpportunitySort::kOldest},
        {"score", OpportunitySort::kScore},
        {"followup", OpportunitySort::kNextFollowUp}};
    auto it = std::find_if(std::begin(kSorts), std::end(kSorts),
                           [&](const auto& s) { return s.first == *sort; });
    if (it == std::end(kSorts))
      errors.push_back({"sort", "must be newest, oldest, score or followup"});
    else
      f.sort = it->second;
  }
  return f;
}

Result<bool> scope_opportunity_filter(const Request& req, OpportunityFilter& filter) {
  if (req.principal && !req.principal->is_admin() && filter.unassigned.value_or(false))
    return Error{
        ErrorCode::kForbidden, "only an admin may list unassigned opportunities", {}, {}, 0};
  return req.principal && restrict_to_scope(*req.principal, filter);
}

}  // namespace leadproc::http
