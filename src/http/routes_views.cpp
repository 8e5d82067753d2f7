// Saved views (docs/api.md "Saved views"): /api/v1/me/views, a person's named filters of the
// opportunities list. The `query` is checked as the list checks its query string
// (http/opportunity_query.h), so a saved view always opens a list that answers.
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "app/saved_views.h"
#include "codec/field_reader.h"
#include "domain/time_format.h"
#include "http/opportunity_query.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace {

namespace json = boost::json;

json::object view_json(const SavedView& v) {
  json::value query = json::parse(v.query);
  return json::object{{"_id", v.id},
                      {"name", v.name},
                      {"query", query.is_object() ? query : json::object{}},
                      {"createdAt", format_iso8601(v.created_at)},
                      {"updatedAt", format_iso8601(v.updated_at)}};
}

// The body's `query` as stored (compact JSON), after checking it is a query of the list: string
// values of the list's parameters only. Errors name "query.<parameter>".
std::optional<std::string> read_query(const json::object& body, bool required,
                                      std::vector<FieldError>& errors) {
  codec::FieldReader r(body, errors);
  const json::object* query = r.object("query", required);
  if (!query) return std::nullopt;
  Request list;  // the list's request, as if the query had been sent to it
  const auto known = opportunity_filter_params();
  const std::size_t before = errors.size();
  for (const auto& [key, value] : *query) {
    const std::string name = "query." + std::string(key);
    if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end())
      errors.push_back({name, "is not a parameter of the opportunities list"});
    else if (!value.is_string())
      errors.push_back({name, "must be a string, as in the list's URL"});
    else
      list.query[std::string(key)] = std::string(value.as_string());
  }
  std::vector<FieldError> list_errors;
  opportunity_filter_from(list, Timestamp{}, list_errors);
  for (auto& e : list_errors) errors.push_back({"query." + e.field, std::move(e.reason)});
  if (errors.size() != before) return std::nullopt;
  return json::serialize(*query);
}

void refuse_other_fields(const json::object& body, std::vector<FieldError>& errors) {
  for (const auto& [key, value] : body)
    if (key != "name" && key != "query")
      errors.push_back({std::string(key), "is not a field of a view"});
}

Response answer(int status, const Result<SavedView>& view, const Request& req) {
  if (!view) return problem_response(view.error(), req.trace_id);
  return json_response(status, view_json(*view));
}

Response create(AppContext& ctx, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  std::vector<FieldError> errors;
  refuse_other_fields(*body, errors);
  auto name = codec::FieldReader(*body, errors).string("name", true);
  auto query = read_query(*body, true, errors);
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "invalid view"), req.trace_id);
  return answer(201, create_saved_view(ctx, req.principal->id, *name, *query), req);
}

Response update(AppContext& ctx, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  std::vector<FieldError> errors;
  refuse_other_fields(*body, errors);
  auto name = codec::FieldReader(*body, errors).string("name");
  auto query = read_query(*body, false, errors);
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "invalid view"), req.trace_id);
  return answer(200, update_saved_view(ctx, req.principal->id, req.params["id"], name, query), req);
}

}  // namespace

void register_view_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/me/views", "views.list", Access::users(), [&ctx](Request& req) {
    if (auto refused = refuse_params(req)) return std::move(*refused);
    auto views = list_saved_views(ctx, req.principal->id);
    if (!views) return problem_response(views.error(), req.trace_id);
    json::array items;
    for (const auto& v : *views) items.emplace_back(view_json(v));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
  router.add("POST", "/api/v1/me/views", "views.create", Access::users(),
             [&ctx](Request& req) { return create(ctx, req); });
  router.add("PATCH", "/api/v1/me/views/{id}", "views.update", Access::users(),
             [&ctx](Request& req) { return update(ctx, req); });
  router.add("DELETE", "/api/v1/me/views/{id}", "views.delete", Access::users(),
             [&ctx](Request& req) {
               auto s = delete_saved_view(ctx, req.principal->id, req.params["id"]);
               if (!s) return problem_response(s.error(), req.trace_id);
               Response r;
               r.status = 204;
               return r;
             });
}

}  // namespace leadproc::http
