// The configuration API (docs/api-config.md): users, destinations, process destination maps,
// availabilities, web URLs and the routing settings. Thin handlers: parse the body and query, call
// the use case in src/app/, answer its entity as JSON or its error as problem+json. Every route is
// ADMIN only, but for the reads every signed-in user needs to work a lead: the people directory
// (names for the user ids on records, never emails) and the destinations (resolving an unknown lead
// picks one).
#include <boost/json/array.hpp>
#include <climits>

#include "app/availabilities.h"
#include "app/destinations.h"
#include "app/process_maps.h"
#include "app/score_configs.h"
#include "app/sticky_owner.h"
#include "app/users.h"
#include "app/weburls.h"
#include "codec/field_reader.h"
#include "codec/json_codec.h"
#include "codec/json_writer.h"
#include "domain/text.h"
#include "domain/time_format.h"
#include "http/decode_availabilities.h"
#include "http/decode_destinations.h"
#include "http/decode_process_maps.h"
#include "http/decode_score_configs.h"
#include "http/decode_users.h"
#include "http/decode_weburls.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

// The user acting (createdBy / modifiedBy), from the authenticated principal.
std::optional<Id> actor_of(const Request& req) {
  return req.principal ? req.principal->actor() : std::nullopt;
}

const Id& id_param(const Request& req) {
  static const Id kEmpty;
  auto it = req.params.find("id");
  return it == req.params.end() ? kEmpty : it->second;
}

template <typename T>
Response entity(int status, const Result<T>& r, const Request& req) {
  if (!r) return problem_response(r.error(), req.trace_id);
  return json_response(status, codec::to_json(*r));
}

json::value opt_id(const std::optional<Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}

json::object score_config_json(const ScoreConfig& c) {
  json::object o{{"_id", c.id}};
  for (const auto& w : kScoreWeights) o[w.name] = c.*(w.field);
  o["isActive"] = c.is_active;
  o["createdBy"] = opt_id(c.created_by);
  o["updatedBy"] = opt_id(c.updated_by);
  o["createdAt"] = format_iso8601(c.created_at);
  o["updatedAt"] = format_iso8601(c.updated_at);
  return o;
}

Response score_config(int status, const Result<ScoreConfig>& r, const Request& req) {
  if (!r) return problem_response(r.error(), req.trace_id);
  return json_response(status, score_config_json(*r));
}

// A UTC day "YYYY-MM-DD" from the query (from / to), or a FieldError.
std::optional<std::string> day_param(const Request& req, const std::string& name,
                                     std::vector<FieldError>& errors) {
  auto v = query_string(req, name);
  if (!v) return std::nullopt;
  auto t = parse_iso8601(*v);
  if (v->size() != 10 || !t) {
    errors.push_back({name, "must be a day YYYY-MM-DD (UTC)"});
    return std::nullopt;
  }
  return *v;
}

template <typename T>
json::array to_array(const std::vector<T>& values) {
  json::array out;
  out.reserve(values.size());
  for (const auto& v : values) out.emplace_back(codec::to_json(v));
  return out;
}

template <typename T>
Response items(const Result<std::vector<T>>& r, const Request& req) {
  if (!r) return problem_response(r.error(), req.trace_id);
  return json_response(200, json::object{{"items", to_array(*r)}});
}

Response no_content(const Status& s, const Request& req) {
  if (!s) return problem_response(s.error(), req.trace_id);
  Response r;
  r.status = 204;
  return r;
}

// Parses the JSON body and hands it to `fn`, or answers the parse failure.
template <typename Fn>
Response with_body(const Request& req, Fn&& fn) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  return fn(*body);
}

Response bad_query(std::vector<FieldError> errors, const Request& req) {
  return problem_response(Error::validation(std::move(errors), "invalid query parameters"),
                          req.trace_id);
}

// POST /api/v1/users/{id}/deactivate: the body (optional) may give the handover of the user's
// open opportunities; the 409 for a user holding some without one says how many
// (`openOpportunities`), so a client can offer the handover.
Response post_deactivate(AppContext& ctx, Request& req) {
  json::object body;
  if (!req.body.empty()) {
    auto parsed = json_body(req);
    if (!parsed) return problem_response(parsed.error(), req.trace_id);
    body = std::move(*parsed);
  }
  std::vector<FieldError> errors;
  const Handover handover = decode_handover(body, errors);
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "invalid handover"), req.trace_id);
  int open_count = 0;
  auto user = deactivate_user(ctx, id_param(req), handover, actor_of(req), &open_count);
  if (!user && user.error().code == ErrorCode::kConflict && open_count > 0 &&
      handover.kind == Handover::Kind::kNone) {
    Response r = problem_response(user.error(), req.trace_id);
    auto problem = codec::parse_object(r.body);
    if (problem) {
      (*problem)["openOpportunities"] = open_count;
      r.body = codec::serialize(*problem);
    }
    return r;
  }
  return entity(200, user, req);
}

void add_user_routes(Router& router, AppContext& ctx) {
  router.add(
      "POST", "/api/v1/users", "users.create", Access::admin(),
      [&ctx](Request& req) {
        return with_body(req, [&](const json::object& body) {
          return entity(201, create_user(ctx, decode_user(body, true), actor_of(req)), req);
        });
      },
      Execution::kHashPool);  // hashes the new user's password
  router.add("GET", "/api/v1/users", "users.list", Access::admin(), [&ctx](Request& req) {
    std::vector<FieldError> errors;
    only_params(req, {"department", "isActive"}, errors);
    UserFilter filter;
    if (auto d = query_string(req, "department")) {
      filter.department = parse_department(*d);
      if (!filter.department)
        errors.push_back({"department", "must be one of: " + join(all_departments())});
    }
    filter.is_active = query_bool(req, "isActive", errors);
    if (!errors.empty()) return bad_query(std::move(errors), req);
    return items(list_users(ctx, filter), req);
  });
  // Any user: names for the ids on the records they work (docs/api-config.md "People").
  router.add("GET", "/api/v1/people", "people.list", Access::users(), [&ctx](Request& req) {
    if (auto bad = refuse_params(req)) return *bad;
    auto r = list_people(ctx);
    if (!r) return problem_response(r.error(), req.trace_id);
    json::array out;
    out.reserve(r->size());
    for (const auto& p : *r)
      out.emplace_back(json::object{{"_id", p.id},
                                    {"name", p.name ? json::value(*p.name) : json::value()},
                                    {"department", to_string(p.department)},
                                    {"isActive", p.is_active}});
    return json_response(200, json::object{{"items", std::move(out)}});
  });
  router.add("GET", "/api/v1/users/{id}", "users.get", Access::admin(),
             [&ctx](Request& req) { return entity(200, get_user(ctx, id_param(req)), req); });
  router.add("PATCH", "/api/v1/users/{id}", "users.update", Access::admin(), [&ctx](Request& req) {
    return with_body(req, [&](const json::object& body) {
      return entity(200, update_user(ctx, id_param(req), decode_user(body, false), actor_of(req)),
                    req);
    });
  });
  router.add("DELETE", "/api/v1/users/{id}", "users.delete", Access::admin(), [&ctx](Request& req) {
    return no_content(delete_user(ctx, id_param(req), actor_of(req)), req);
  });
  router.add("POST", "/api/v1/users/{id}/deactivate", "users.deactivate", Access::admin(),
             [&ctx](Request& req) { return post_deactivate(ctx, req); });
  // What a deactivation would hand over (the UI shows it before the admin confirms).
  router.add(
      "GET", "/api/v1/users/{id}/open-opportunities", "users.open_opportunities", Access::admin(),
      [&ctx](Request& req) {
        if (auto bad = refuse_params(req)) return *bad;
        auto held = list_held_opportunities(ctx, id_param(req));
        if (!held) return problem_response(held.error(), req.trace_id);
        json::array items;
        for (const auto& o : *held) items.emplace_back(codec::to_json(o));
        const auto count = static_cast<std::int64_t>(items.size());
        return json_response(200, json::object{{"count", count}, {"items", std::move(items)}});
      });
}

void add_destination_routes(Router& router, AppContext& ctx) {
  router.add("POST", "/api/v1/destinations", "destinations.create", Access::admin(),
             [&ctx](Request& req) {
               return with_body(req, [&](const json::object& body) {
                 return entity(201, create_destination(ctx, decode_destination(body, true)), req);
               });
             });
  // Reads: any user, since an agent resolving an unknown lead (the move UnknownResolved) must
  // choose a destination. The records hold no personal data; writes stay ADMIN only.
  router.add("GET", "/api/v1/destinations", "destinations.list", Access::users(),
             [&ctx](Request& req) {
               if (auto bad = refuse_params(req)) return *bad;
               return items(list_destinations(ctx), req);
             });
  router.add(
      "GET", "/api/v1/destinations/{id}", "destinations.get", Access::users(),
      [&ctx](Request& req) { return entity(200, get_destination(ctx, id_param(req)), req); });
  router.add("PATCH", "/api/v1/destinations/{id}", "destinations.update", Access::admin(),
             [&ctx](Request& req) {
               return with_body(req, [&](const json::object& body) {
                 return entity(
                     200, update_destination(ctx, id_param(req), decode_destination(body, false)),
                     req);
               });
             });
  router.add(
      "DELETE", "/api/v1/destinations/{id}", "destinations.delete", Access::admin(),
      [&ctx](Request& req) { return no_content(delete_destination(ctx, id_param(req)), req); });
}

void add_process_map_routes(Router& router, AppContext& ctx) {
  const std::string base = "/api/v1/process-destination-maps";
  router.add("POST", base, "process_maps.create", Access::admin(), [&ctx](Request& req) {
    return with_body(req, [&](const json::object& body) {
      return entity(201, create_process_map(ctx, decode_process_map(body, true)), req);
    });
  });
  router.add("GET", base, "process_maps.list", Access::admin(), [&ctx](Request& req) {
    if (auto bad = refuse_params(req)) return *bad;
    return items(list_process_maps(ctx), req);
  });
  router.add("GET", base + "/{id}", "process_maps.get", Access::admin(), [&ctx](Request& req) {
    return entity(200, get_process_map(ctx, id_param(req)), req);
  });
  router.add("PUT", base + "/{id}", "process_maps.replace", Access::admin(), [&ctx](Request& req) {
    return with_body(req, [&](const json::object& body) {
      return entity(200, replace_process_map(ctx, id_param(req), decode_process_map(body, true)),
                    req);
    });
  });
  router.add("PATCH", base + "/{id}", "process_maps.update", Access::admin(), [&ctx](Request& req) {
    return with_body(req, [&](const json::object& body) {
      return entity(200, update_process_map(ctx, id_param(req), decode_process_map(body, false)),
                    req);
    });
  });
  router.add(
      "DELETE", base + "/{id}", "process_maps.delete", Access::admin(),
      [&ctx](Request& req) { return no_content(delete_process_map(ctx, id_param(req)), req); });
}

// An availability with its status now: "workingNow", and "offDuty" ("off shift", "on leave",
// "checked out", or null while working).
Response work_items(const Result<std::vector<WorkStatus>>& r, const Request& req) {
  if (!r) return problem_response(r.error(), req.trace_id);
  json::array out;
  for (const auto& w : *r) {
    json::object o = codec::to_json(w.poc);
    o["workingNow"] = !w.off_duty.has_value();
    o["offDuty"] = w.off_duty ? json::value(to_string(*w.off_duty)) : json::value(nullptr);
    out.emplace_back(std::move(o));
  }
  return json_response(200, json::object{{"items", std::move(out)}});
}

// The agent's own shifts and check-in/out (docs/api-config.md "Shifts, leave and check-in").
void add_work_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/me/work", "work.get", Access::users(), [&ctx](Request& req) {
    if (auto refused = refuse_params(req)) return std::move(*refused);
    return work_items(my_work(ctx, req.principal->id), req);
  });
  router.add("POST", "/api/v1/me/check-in", "work.check_in", Access::users(),
             [&ctx](Request& req) { return work_items(check_in(ctx, req.principal->id), req); });
  router.add("POST", "/api/v1/me/check-out", "work.check_out", Access::users(),
             [&ctx](Request& req) { return work_items(check_out(ctx, req.principal->id), req); });
}

void add_availability_routes(Router& router, AppContext& ctx) {
  router.add("POST", "/api/v1/availabilities", "availabilities.create", Access::admin(),
             [&ctx](Request& req) {
               return with_body(req, [&](const json::object& body) {
                 return entity(
                     201, create_availability(ctx, decode_availability(body, true), actor_of(req)),
                     req);
               });
             });
  router.add(
      "GET", "/api/v1/availabilities", "availabilities.list", Access::admin(),
      [&ctx](Request& req) {
        std::vector<FieldError> errors;
        only_params(req, {"process", "personId"}, errors);
        AvailabilityFilter filter;
        if (auto p = query_string(req, "process")) {
          filter.process = parse_availability_process(*p);
          if (!filter.process)
            errors.push_back({"process", "must be one of: " + join(all_availability_processes())});
        }
        if (auto pid = query_string(req, "personId")) {
          filter.person_id = canonical_id(*pid);
          if (!filter.person_id) errors.push_back({"personId", "must be 24 hex digits"});
        }
        if (!errors.empty()) return bad_query(std::move(errors), req);
        auto list = list_availabilities(ctx, filter);
        if (!list) return problem_response(list.error(), req.trace_id);
        return work_items(work_status(ctx, std::move(*list)), req);
      });
  router.add(
      "GET", "/api/v1/availabilities/{id}", "availabilities.get", Access::admin(),
      [&ctx](Request& req) { return entity(200, get_availability(ctx, id_param(req)), req); });
  router.add("PATCH", "/api/v1/availabilities/{id}", "availabilities.update", Access::admin(),
             [&ctx](Request& req) {
               return with_body(req, [&](const json::object& body) {
                 return entity(200,
                               update_availability(ctx, id_param(req),
                                                   decode_availability(body, false), actor_of(req)),
                               req);
               });
             });
  router.add("DELETE", "/api/v1/availabilities/{id}", "availabilities.delete", Access::admin(),
             [&ctx](Request& req) {
               return no_content(delete_availability(ctx, id_param(req), actor_of(req)), req);
             });
}

// {"waiting", "routes": [{status, process, assignee, awaiting, duplicateOf, count}]}: where a
// URL's waiting leads would go (docs/api-config.md "Web URLs").
json::object waiting_json(const WaitingLeadsRouting& w) {
  json::array routes;
  for (const auto& r : w.routes) {
    json::value assignee = nullptr;
    if (r.assignee) assignee = json::object{{"_id", r.assignee->id}, {"name", r.assignee->name}};
    routes.emplace_back(json::object{
        {"status", to_string(r.status)},
        {"process", r.process ? json::value(to_string(*r.process)) : json::value(nullptr)},
        {"assignee", std::move(assignee)},
        {"awaiting", r.awaiting ? json::value(to_string(*r.awaiting)) : json::value(nullptr)},
        {"duplicateOf", codec::optional_string(r.duplicate_of)},
        {"count", r.count}});
  }
  return json::object{{"waiting", w.total}, {"routes", std::move(routes)}};
}

void add_weburl_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/weburls", "weburls.list", Access::admin(), [&ctx](Request& req) {
    std::vector<FieldError> errors;
    only_params(req, {"consumed", "limit", "offset", "from", "to"}, errors);
    WebUrlFilter filter;
    filter.consumed = query_bool(req, "consumed", errors);
    filter.limit = query_int(req, "limit", 1, 1000, errors).value_or(100);
    filter.offset = query_int(req, "offset", 0, INT_MAX, errors).value_or(0);
    auto from = day_param(req, "from", errors);
    auto to = day_param(req, "to", errors);
    if (from.has_value() != to.has_value() && errors.empty())
      errors.push_back({from ? "to" : "from", "is required with the other (a range of UTC days)"});
    if (!errors.empty()) return bad_query(std::move(errors), req);
    if (from) {  // ordered by hits in the range: each item carries rangeHits
      auto r = list_weburls_hit_between(ctx, filter, *from, *to);
      if (!r) return problem_response(r.error(), req.trace_id);
      json::array out;
      for (const auto& h : *r) {
        json::object o = codec::to_json(h.url);
        o["rangeHits"] = h.hits;
        out.emplace_back(std::move(o));
      }
      return json_response(200, json::object{{"items", std::move(out)},
                                             {"from", *from},
                                             {"to", *to},
                                             {"limit", filter.limit},
                                             {"offset", filter.offset}});
    }
    auto r = list_weburls(ctx, filter);
    if (!r) return problem_response(r.error(), req.trace_id);
    return json_response(
        200,
        json::object{{"items", to_array(*r)}, {"limit", filter.limit}, {"offset", filter.offset}});
  });
  router.add("POST", "/api/v1/weburls", "weburls.upsert", Access::admin(), [&ctx](Request& req) {
    return with_body(req, [&](const json::object& body) {
      auto r = upsert_weburls(ctx, decode_weburls(body));
      if (!r) return problem_response(r.error(), req.trace_id);
      return json_response(200, json::object{{"created", r->created},
                                             {"unchanged", r->unchanged},
                                             {"urls", to_array(r->urls)}});
    });
  });
  router.add("GET", "/api/v1/weburls/{id}", "weburls.get", Access::admin(),
             [&ctx](Request& req) { return entity(200, get_weburl(ctx, id_param(req)), req); });
  router.add(
      "GET", "/api/v1/weburls/{id}/hits", "weburls.hits", Access::admin(), [&ctx](Request& req) {
        std::vector<FieldError> errors;
        auto from = day_param(req, "from", errors);
        auto to = day_param(req, "to", errors);
        if (errors.empty() && !from) errors.push_back({"from", "is required (YYYY-MM-DD)"});
        if (errors.empty() && !to) errors.push_back({"to", "is required (YYYY-MM-DD)"});
        if (!errors.empty()) return bad_query(std::move(errors), req);
        auto r = weburl_daily_hits(ctx, id_param(req), *from, *to);
        if (!r) return problem_response(r.error(), req.trace_id);
        json::array days;
        std::int64_t total = 0;
        for (const auto& d : *r) {
          days.emplace_back(json::object{{"day", d.day}, {"hits", d.hits}});
          total += d.hits;
        }
        return json_response(
            200, json::object{
                     {"from", *from}, {"to", *to}, {"total", total}, {"days", std::move(days)}});
      });
  router.add("POST", "/api/v1/weburls/{id}/destination", "weburls.mark", Access::admin(),
             [&ctx](Request& req) {
               return with_body(req, [&](const json::object& body) {
                 // The URL as a read answers it; where its waiting leads went is on their
                 // timelines, and the preview said it before.
                 auto r = mark_weburl_destination(ctx, id_param(req), decode_weburl_mark(body),
                                                  actor_of(req));
                 if (!r) return problem_response(r.error(), req.trace_id);
                 return json_response(200, codec::to_json(r->url));
               });
             });
  router.add("GET", "/api/v1/weburls/{id}/destination-preview", "weburls.mark_preview",
             Access::admin(), [&ctx](Request& req) {
               std::vector<FieldError> errors;
               only_params(req, {"destination"}, errors);
               if (!errors.empty()) return bad_query(std::move(errors), req);
               auto r = preview_weburl_destination(ctx, id_param(req),
                                                   query_string(req, "destination").value_or(""));
               if (!r) return problem_response(r.error(), req.trace_id);
               json::object body = waiting_json(r->waiting);
               body["url"] = codec::to_json(r->url);
               return json_response(200, std::move(body));
             });
}

void add_score_config_routes(Router& router, AppContext& ctx) {
  const std::string base = "/api/v1/score-configurations";
  router.add("POST", base, "score_configs.create", Access::admin(), [&ctx](Request& req) {
    return with_body(req, [&](const json::object& body) {
      return score_config(201, create_score_config(ctx, decode_score_config(body), actor_of(req)),
                          req);
    });
  });
  router.add("GET", base, "score_configs.list", Access::admin(), [&ctx](Request& req) {
    if (auto bad = refuse_params(req)) return *bad;
    auto r = list_score_configs(ctx);
    if (!r) return problem_response(r.error(), req.trace_id);
    json::array out;
    for (const auto& c : *r) out.emplace_back(score_config_json(c));
    return json_response(200, json::object{{"items", std::move(out)}});
  });
  router.add("GET", base + "/{id}", "score_configs.get", Access::admin(), [&ctx](Request& req) {
    return score_config(200, get_score_config(ctx, id_param(req)), req);
  });
  router.add("POST", base + "/{id}/activate", "score_configs.activate", Access::admin(),
             [&ctx](Request& req) {
               return score_config(200, activate_score_config(ctx, id_param(req), actor_of(req)),
                                   req);
             });
}

// {"stickyOwnerDays"}.
json::object routing_settings_json(const RoutingSettings& s) {
  return json::object{{"stickyOwnerDays", s.sticky_owner_days}};
}

RoutingSettingsInput decode_routing_settings(const json::object& body) {
  RoutingSettingsInput in;
  codec::FieldReader r(body, in.decode_errors);
  in.sticky_owner_days = r.integer("stickyOwnerDays", true);
  return in;
}

// GET/PUT /api/v1/routing/settings (app/sticky_owner.h): the sticky owner's window.
void add_routing_settings_routes(Router& router, AppContext& ctx) {
  const std::string path = "/api/v1/routing/settings";
  router.add("GET", path, "routing_settings.get", Access::admin(), [&ctx](Request& req) {
    if (auto bad = refuse_params(req)) return *bad;
    auto s = read_routing_settings(ctx);
    if (!s) return problem_response(s.error(), req.trace_id);
    return json_response(200, routing_settings_json(*s));
  });
  router.add("PUT", path, "routing_settings.update", Access::admin(), [&ctx](Request& req) {
    auto body = json_body(req);
    if (!body) return problem_response(body.error(), req.trace_id);
    auto s = update_routing_settings(ctx, decode_routing_settings(*body));
    if (!s) return problem_response(s.error(), req.trace_id);
    return json_response(200, routing_settings_json(*s));
  });
}

}  // namespace

void register_config_routes(Router& router, AppContext& ctx) {
  add_score_config_routes(router, ctx);
  add_user_routes(router, ctx);
  add_destination_routes(router, ctx);
  add_process_map_routes(router, ctx);
  add_availability_routes(router, ctx);
  add_work_routes(router, ctx);
  add_weburl_routes(router, ctx);
  add_routing_settings_routes(router, ctx);
}

}  // namespace leadproc::http
