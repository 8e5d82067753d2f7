// Search and the customer view (docs/api-search.md). Access: any signed-in user; what they see
// is narrowed to what they may read (app/access.h) inside the use cases, and for a number the
// answer also counts what they may not read, with the names of the people it is with.
#include "app/customers.h"
#include "app/search.h"
#include "codec/json_codec.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

json::object hidden_json(const HiddenMatches& h) {
  json::array owners;
  for (const auto& o : h.owners) owners.emplace_back(json::object{{"_id", o.id}, {"name", o.name}});
  return json::object{{"count", h.count}, {"owners", std::move(owners)}};
}

std::string_view kind_name(SearchPlan::Kind k) {
  switch (k) {
    case SearchPlan::Kind::kId:
      return "id";
    case SearchPlan::Kind::kNumber:
      return "number";
    case SearchPlan::Kind::kEmail:
      return "email";
    case SearchPlan::Kind::kName:
      return "name";
  }
  return "name";
}

Response search_route(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"q", "limit", "cursor"}, errors);
  Page page = query_page(req, errors);
  auto q = query_string(req, "q").value_or("");
  if (auto plan = plan_search(q, ctx.phones); !plan)
    for (auto& e : plan.error().fields) errors.push_back(std::move(e));
  if (!errors.empty())
    return problem_response(Error::validation(errors, "bad query parameters"), req.trace_id);

  if (!req.principal) return problem_response(Error::not_found("no such page"), req.trace_id);
  auto found = search(ctx, *req.principal, q, page);
  if (!found) return problem_response(found.error(), req.trace_id);
  json::array items;
  for (const auto& o : found->items) items.emplace_back(codec::to_json(o));
  json::value next = nullptr;
  if (static_cast<int>(found->items.size()) == page.limit) next = found->items.back().id;
  json::object out{
      {"kind", kind_name(found->kind)}, {"items", std::move(items)}, {"nextCursor", next}};
  if (found->hidden) out["hidden"] = hidden_json(*found->hidden);
  return json_response(200, out);
}

Response customer_route(AppContext& ctx, Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  if (!req.principal) return problem_response(Error::not_found("no such page"), req.trace_id);
  auto view = customer_view(ctx, *req.principal, req.params["number"]);
  if (!view) return problem_response(view.error(), req.trace_id);
  json::array enquiries;
  for (const auto& e : view->enquiries) {
    json::object o = codec::to_json(e.opportunity);
    json::array duplicates;
    for (const auto& d : e.duplicates) duplicates.emplace_back(codec::to_json(d));
    o["duplicates"] = std::move(duplicates);
    enquiries.emplace_back(std::move(o));
  }
  return json_response(200, json::object{{"number", view->number},
                                         {"items", std::move(enquiries)},
                                         {"hidden", hidden_json(view->hidden)}});
}

}  // namespace

void register_search_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/search", "search", Access::users(),
             [&ctx](Request& req) { return search_route(ctx, req); });
  router.add("GET", "/api/v1/customers/{number}", "customers.get", Access::users(),
             [&ctx](Request& req) { return customer_route(ctx, req); });
}

}  // namespace leadproc::http
