// POST /api/v1/opportunities/bulk (docs/api-workflow.md "Bulk"): decodes the action and the
// opportunities it applies to (ids, or a filter of the opportunities list bounded at 1,000),
// runs app/bulk.h, and answers one result per opportunity. The answer is 200 whenever the request
// itself is good, whatever each opportunity's outcome: a refused opportunity is a result, not a
// failure of the request.
//
// Access: every user may call it; what each may do is the single endpoints' rule, applied to
// each opportunity (404 / 403 results for one the caller may not see / change). Reassignment is
// ADMIN only (403 for the request): handing leads over and spreading them by round robin is the
// admins' work (PRODUCT.md "Who uses it"), where an agent's own hand-over of one lead to a
// colleague is POST /opportunities/{id}/reassign. A filter is narrowed to the caller's scope as
// the list is.
#include <boost/json/array.hpp>

#include "app/access.h"
#include "app/bulk.h"
#include "app/handover.h"
#include "codec/field_reader.h"
#include "domain/object_id.h"
#include "http/opportunity_query.h"
#include "http/responses.h"
#include "http/routes.h"
#include "http/workflow_request.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

// "ids": ["<id>", {"_id": "<id>", "version": 3}, ...].
std::vector<BulkItem> decode_ids(const json::array& ids, std::vector<FieldError>& errors) {
  std::vector<BulkItem> out;
  if (ids.size() > kMaxBulkItems) {
    errors.push_back({"ids", "at most " + std::to_string(kMaxBulkItems) + " per request"});
    return out;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string field = "ids[" + std::to_string(i) + "]";
    const json::value& v = ids[i];
    BulkItem item;
    if (v.is_string()) {
      item.id = std::string(v.get_string());
    } else if (v.is_object()) {
      std::vector<FieldError> item_errors;
      codec::FieldReader r(v.get_object(), item_errors, field + ".");
      refuse_unknown(v.get_object(), {"_id", "version"}, item_errors);
      item.id = r.string("_id", true).value_or("");
      if (auto ver = r.integer("version")) item.version = *ver;
      for (auto& e : item_errors) {
        if (!e.field.starts_with(field)) e.field = field + "." + e.field;
        errors.push_back(std::move(e));
      }
    } else {
      errors.push_back({field, "must be an opportunity _id or {\"_id\", \"version\"}"});
      continue;
    }
    if (!item.id.empty() && !is_object_id(item.id))
      errors.push_back({field, "must be a 24-hex-digit opportunity _id"});
    out.push_back(std::move(item));
  }
  return out;
}

// "filter": the opportunities list's query parameters as an object ({"status": "Open",
// "assignee": "<id>", "unassigned": true}), read by the list's own decoder so that bulk and list
// always take the same filters. Errors are named "filter.<param>".
OpportunityFilter decode_filter(const json::object& f, Timestamp now,
                                std::vector<FieldError>& errors) {
  Request as_query;
  const auto known = opportunity_filter_params();
  for (const auto& kv : f) {
    const std::string field = "filter." + std::string(kv.key());
    if (std::find(known.begin(), known.end(), kv.key()) == known.end()) {
      errors.push_back({field, "not a filter of the opportunities list"});
    } else if (kv.value().is_string()) {
      as_query.query[std::string(kv.key())] = std::string(kv.value().get_string());
    } else if (kv.value().is_bool()) {
      as_query.query[std::string(kv.key())] = kv.value().get_bool() ? "true" : "false";
    } else if (!kv.value().is_null()) {
      errors.push_back({field, "must be a string (as in the list's query) or a boolean"});
    }
  }
  std::vector<FieldError> list_errors;
  OpportunityFilter filter = opportunity_filter_from(as_query, now, list_errors);
  for (auto& e : list_errors) errors.push_back({"filter." + e.field, std::move(e.reason)});
  return filter;
}

// The action's own fields: those of its single endpoint (reassign: to, roundRobin, remarks;
// move: the body of POST .../transitions; tag/untag: tags).
void decode_action(AppContext& ctx, const json::object& body, BulkRequest& out,
                   std::vector<FieldError>& errors) {
  json::object rest = body;  // without the bulk keys
  rest.erase("action");
  rest.erase("ids");
  rest.erase("filter");
  codec::FieldReader r(rest, errors);
  switch (out.action) {
    case BulkAction::kReassign: {
      refuse_unknown(rest, {"to", "roundRobin", "remarks"}, errors);
      auto to = r.string("to");
      const bool round_robin = r.boolean("roundRobin").value_or(false);
      // (A target given wrong is named here once; check_bulk_request names a missing one.)
      if (to && round_robin)
        r.fail("to", "give either to or roundRobin, not both");
      else if (to && !is_object_id(*to))
        r.fail("to", "must be a 24-hex-digit user id");
      if (to)
        out.reassign = Handover{Handover::Kind::kToPerson, *to};
      else if (round_robin)
        out.reassign.kind = Handover::Kind::kRoundRobin;
      out.remarks = r.string("remarks");
      break;
    }
    case BulkAction::kTag:
    case BulkAction::kUntag:
      refuse_unknown(rest, {"tags"}, errors);
      if (auto tags = r.strings("tags")) out.tags = *tags;
      break;
    case BulkAction::kMove:
      out.move = decode_transition(ctx, rest);
      for (auto& e : out.move.decode_errors) errors.push_back(std::move(e));
      out.move.decode_errors.clear();
      break;
  }
}

// The reason of a refused opportunity, one word for clients to count and label.
std::string_view reason_of(const Error& e, BulkAction action) {
  switch (e.code) {
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kConflict:
      return action == BulkAction::kMove ? "invalid_move" : "conflict";
    case ErrorCode::kPreconditionFailed:
      return "version_conflict";
    case ErrorCode::kValidation:
      return "invalid";
    case ErrorCode::kUnavailable:
      return "unavailable";
    default:
      return "error";
  }
}

json::object result_json(const BulkResult& r, BulkAction action) {
  if (!r.error)
    return json::object{
        {"_id", r.id}, {"result", "done"}, {"version", r.version}, {"changed", r.changed}};
  json::object problem = problem_object(*r.error);
  json::object out{{"_id", r.id},
                   {"result", "refused"},
                   {"reason", reason_of(*r.error, action)},
                   {"status", problem["status"]},
                   {"detail", problem["detail"]}};
  if (auto* errors = problem.if_contains("errors")) out["errors"] = *errors;
  if (auto* allowed = problem.if_contains("allowed"))
    out["allowed"] = *allowed;
  else if (out["reason"] == "invalid_move")  // a closed one: no move at all, said as []
    out["allowed"] = json::array();
  return out;
}

Response post_bulk(AppContext& ctx, Request& req) {
  auto parsed = json_body(req);
  if (!parsed) return problem_response(parsed.error(), req.trace_id);
  const json::object& body = *parsed;
  std::vector<FieldError> errors;
  codec::FieldReader r(body, errors);
  BulkRequest bulk;
  auto action_name = r.string("action", true);
  if (action_name) {
    if (auto a = parse_bulk_action(*action_name))
      bulk.action = *a;
    else
      r.fail("action", "must be one of: reassign, tag, untag, move");
  }
  const auto* ids = body.if_contains("ids");
  const auto* filter = body.if_contains("filter");
  if ((ids != nullptr) == (filter != nullptr)) {
    errors.push_back({"ids", "give either ids (at most 1000) or a filter, not both"});
  } else if (ids && !ids->is_array()) {
    errors.push_back({"ids", "must be an array of opportunity _ids"});
  } else if (ids) {
    bulk.items = decode_ids(ids->get_array(), errors);
    if (ids->get_array().empty()) errors.push_back({"ids", "at least one opportunity _id"});
  } else if (!filter->is_object()) {
    errors.push_back({"filter", "must be an object of the opportunities list's filters"});
  }
  OpportunityFilter list_filter;
  if (filter && filter->is_object()) list_filter = decode_filter(filter->get_object(), ctx.now(), errors);
  if (action_name && parse_bulk_action(*action_name)) decode_action(ctx, body, bulk, errors);
  if (action_name && parse_bulk_action(*action_name)) {
    auto more = check_bulk_request(bulk);
    errors.insert(errors.end(), more.begin(), more.end());
  }
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "invalid bulk request"),
                            req.trace_id);

  if (bulk.action == BulkAction::kReassign && req.principal && !req.principal->is_admin())
    return problem_response(
        Error{ErrorCode::kForbidden,
              "only an admin may reassign in bulk (hand one opportunity to a colleague with "
              "POST /api/v1/opportunities/{id}/reassign)",
              {},
              {},
              0},
        req.trace_id);

  auto opts = write_options(req);
  if (!opts) return problem_response(opts.error(), req.trace_id);
  opts->expected_version.reset();  // per item ({"_id", "version"}), never one for all

  if (filter) {
    bool in_scope = !req.principal || restrict_to_scope(*req.principal, list_filter);
    if (in_scope) {
      auto matched = bulk_ids_matching(ctx, list_filter);
      if (!matched) return problem_response(matched.error(), req.trace_id);
      for (auto& id : *matched) bulk.items.push_back(BulkItem{std::move(id), std::nullopt});
    }
  }

  const auto results = run_bulk(ctx, bulk, *opts);
  json::array items;
  std::int64_t done = 0;
  for (const auto& res : results) {
    if (!res.error) ++done;
    items.emplace_back(result_json(res, bulk.action));
  }
  const auto total = static_cast<std::int64_t>(results.size());
  return json_response(200, json::object{{"action", to_string(bulk.action)},
                                         {"total", total},
                                         {"done", done},
                                         {"refused", total - done},
                                         {"results", std::move(items)}});
}

}  // namespace

void register_bulk_routes(Router& router, AppContext& ctx) {
  router.add("POST", "/api/v1/opportunities/bulk", "opportunities.bulk", Access::users(),
             [&ctx](Request& req) { return post_bulk(ctx, req); });
}

}  // namespace leadproc::http
