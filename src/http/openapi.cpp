#include "http/openapi.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <set>
#include <stdexcept>

#include "domain/enums.h"
#include "domain/field_limits.h"
#include "domain/text.h"
#include "http/openapi_description.h"
#include "http/responses.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

json::object parse_description() {
  json::error_code ec;
  json::value v = json::parse(openapi_description_text(), ec);
  if (ec || !v.is_object())
    throw std::invalid_argument("openapi_description.json is not a JSON object: " + ec.message());
  return std::move(v.as_object());
}

json::array enum_values(std::string_view table) {
  std::vector<std::string_view> names;
  if (table == "platforms")
    names = all_platforms();
  else if (table == "departments")
    names = all_departments();
  else if (table == "availabilityProcesses")
    names = all_availability_processes();
  else if (table == "filtrationProcesses")
    names = all_filtration_processes();
  else if (table == "opportunityStatuses")
    names = all_opportunity_statuses();
  else
    throw std::invalid_argument("openapi description: no enum table '" + std::string(table) + "'");
  json::array out;
  for (auto n : names) out.emplace_back(n);
  return out;
}

// Replaces the x-enum and x-limit markers everywhere below `v` (see openapi.h).
void fill_markers(json::value& v) {
  if (v.is_array()) {
    for (auto& e : v.as_array()) fill_markers(e);
    return;
  }
  if (!v.is_object()) return;
  auto& o = v.as_object();
  if (auto it = o.find("x-enum"); it != o.end()) {
    o["enum"] = enum_values(it->value().as_string());
    o.erase("x-enum");
  }
  if (auto it = o.find("x-limit"); it != o.end()) {
    const std::string field(it->value().as_string());
    const FieldLimit* limit = find_field_limit(field);
    if (!limit) throw std::invalid_argument("openapi description: no field limit '" + field + "'");
    if (limit->max_entries > 0) {
      o["maxItems"] = limit->max_entries;
      if (auto items = o.find("items"); items != o.end() && items->value().is_object())
        items->value().as_object()["maxLength"] = limit->max_length;
    } else {
      o["maxLength"] = limit->max_length;
    }
    o.erase("x-limit");
  }
  for (auto& [key, child] : o) fill_markers(child);
}

json::value schema_of(const json::value& given) {
  // A string names a component schema; anything else is the schema itself.
  if (given.is_string())
    return json::object{{"$ref", "#/components/schemas/" + std::string(given.as_string())}};
  return given;
}

json::object security_of(const std::optional<Access>& access) {
  json::array requirements;
  const bool is_public = access && access->kind == Access::Kind::kPublic;
  if (!is_public) requirements.emplace_back(json::object{{"bearer", json::array{}}});
  if (access && access->kind == Access::Kind::kUsersOrApiKey)
    requirements.emplace_back(json::object{{"apiKey", json::array{}}});
  return json::object{{"security", std::move(requirements)},
                      {"x-access", access ? access->describe() : "ADMIN (no rule)"}};
}

json::array path_parameters(std::string_view pattern) {
  json::array out;
  std::size_t at = 0;
  while ((at = pattern.find('{', at)) != std::string_view::npos) {
    const auto end = pattern.find('}', at);
    const std::string name(pattern.substr(at + 1, end - at - 1));
    json::value schema = name == "id"
                             ? json::value(json::object{{"$ref", "#/components/schemas/Id"}})
                             : json::value(json::object{{"type", "string"}});
    out.emplace_back(json::object{
        {"name", name}, {"in", "path"}, {"required", true}, {"schema", std::move(schema)}});
    at = end;
  }
  return out;
}

json::object responses_of(const json::object& described) {
  json::object out;
  for (const auto& [code, given] : described) {
    const auto& r = given.as_object();
    json::object response{{"description", r.at("description")}};
    if (r.contains("schema") || r.contains("content")) {
      const std::string type = r.contains("content") ? std::string(r.at("content").as_string())
                                                     : std::string("application/json");
      json::object media;
      if (r.contains("schema")) media["schema"] = schema_of(r.at("schema"));
      response["content"] = json::object{{type, std::move(media)}};
    }
    out[code] = std::move(response);
  }
  out["default"] = json::object{
      {"description", "an error: RFC 9457 problem details, naming every bad field on 422"},
      {"content",
       json::object{
           {"application/problem+json",
            json::object{{"schema", json::object{{"$ref", "#/components/schemas/Problem"}}}}}}}};
  return out;
}

json::object operation(const RouteInfo& route, const json::object* described) {
  json::object op{{"operationId", route.name}};
  json::array parameters = path_parameters(route.pattern);
  if (described) {
    for (const auto* key : {"summary", "tags", "externalDocs"})
      if (auto it = described->find(key); it != described->end()) op[key] = it->value();
    if (auto it = described->find("query"); it != described->end())
      for (const auto& p : it->value().as_array()) parameters.push_back(p);
    if (auto it = described->find("request"); it != described->end())
      op["requestBody"] = json::object{
          {"required", true},
          {"content",
           json::object{{"application/json", json::object{{"schema", schema_of(it->value())}}}}}};
    op["responses"] = responses_of(described->at("responses").as_object());
  } else {
    op["summary"] = "undescribed route";
    op["responses"] = responses_of(json::object{});
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  for (auto& [k, v] : security_of(route.access)) op[k] = v;
  return op;
}

}  // namespace

std::string openapi_document(const std::vector<RouteInfo>& routes) {
  json::object doc = parse_description();
  json::object described = std::move(doc.at("x-operations").as_object());
  doc.erase("x-operations");
  json::object paths;
  for (const auto& route : routes) {
    auto it = described.find(route.name);
    const json::object* d = it == described.end() ? nullptr : &it->value().as_object();
    auto& path = paths[route.pattern];
    if (!path.is_object()) path = json::object{};
    path.as_object()[lower_ascii(route.method)] = operation(route, d);
  }
  doc["paths"] = std::move(paths);
  json::value whole = std::move(doc);
  fill_markers(whole);
  return json::serialize(whole);
}

std::vector<std::string> openapi_coverage(const std::vector<RouteInfo>& routes) {
  const json::object doc = parse_description();
  const auto& described = doc.at("x-operations").as_object();
  std::vector<std::string> problems;
  std::set<std::string> names;
  for (const auto& route : routes) {
    names.insert(route.name);
    if (!described.contains(route.name))
      problems.push_back("route " + route.method + " " + route.pattern + " (" + route.name +
                         ") has no description in src/http/openapi_description.json");
  }
  for (const auto& [name, d] : described)
    if (!names.contains(std::string(name)))
      problems.push_back("the description of '" + std::string(name) + "' names no route");
  return problems;
}

void register_openapi_route(Router& router) {
  auto text = std::make_shared<std::string>();
  router.add(
      "GET", "/api/v1/openapi.json", "openapi", Access::public_route(),
      [text](Request&) {
        Response r;
        r.content_type = "application/json";
        r.body = *text;
        return r;
      },
      Execution::kIoThread);
  *text = openapi_document(router.routes());
}

}  // namespace leadproc::http
