#include "http/opportunity_query.h"

#include <algorithm>
#include <iterator>

#include "app/access.h"
#include "domain/object_id.h"
#include "domain/time_format.h"
#include "http/responses.h"

namespace leadproc::http {

std::vector<std::string_view> opportunity_filter_params() {
  return {"status",     "filterationProcess", "platform", "destination", "assignee",
          "createdFrom", "createdTo",       "unassigned", "overdue",   "sort",
          "campaign",   "noCampaign",         "kind",     "reached",     "outcome"};
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
  if (query_string(req, "destination") == "none")
    f.destination_id = "";
  else
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
  f.campaign = query_string(req, "campaign");
  if (auto none = query_bool(req, "noCampaign", errors); none && *none) {
    if (f.campaign) errors.push_back({"noCampaign", "cannot be given with campaign"});
    f.campaign = "";
  }
  enum_param("kind", parse_funnel_kind, f.kind);
  enum_param("reached", parse_funnel_step, f.reached);
  enum_param("outcome", parse_funnel_outcome, f.outcome);
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

namespace {

// Percent-encodes all but RFC 3986's unreserved characters.
std::string encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string opportunity_filter_query(const OpportunityFilter& f) {
  std::string out;
  auto put = [&](std::string_view name, std::string_view value) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += encode(value);
  };
  if (f.status) put("status", to_string(*f.status));
  if (f.filteration_process) put("filterationProcess", to_string(*f.filteration_process));
  if (f.platform) put("platform", to_string(*f.platform));
  if (f.destination_id) put("destination", f.destination_id->empty() ? "none" : *f.destination_id);
  if (f.assignee) put("assignee", *f.assignee);
  if (f.created_from) put("createdFrom", format_iso8601(*f.created_from));
  if (f.created_to) put("createdTo", format_iso8601(*f.created_to));
  if (f.unassigned) put("unassigned", *f.unassigned ? "true" : "false");
  if (f.campaign) {
    if (f.campaign->empty())
      put("noCampaign", "true");
    else
      put("campaign", *f.campaign);
  }
  if (f.kind) put("kind", to_string(*f.kind));
  if (f.reached) put("reached", to_string(*f.reached));
  if (f.outcome) put("outcome", to_string(*f.outcome));
  switch (f.sort) {
    case OpportunitySort::kNewest:
      break;
    case OpportunitySort::kOldest:
      put("sort", "oldest");
      break;
    case OpportunitySort::kScore:
      put("sort", "score");
      break;
    case OpportunitySort::kNextFollowUp:
      put("sort", "followup");
      break;
  }
  return out;
}

}  // namespace leadproc::http
