// Lead ingestion and the read side of leads, opportunities and their activities.
// Access (docs/api-auth.md): POST /leads takes a lead source's API key or any user's token; the
// reads take any user's token and show non-admins only what is theirs (app/access.h): lists are
// narrowed to them, anything else is 404.
#include <boost/json/serialize.hpp>
#include <unordered_set>

#include "app/access.h"
#include "app/ingest_lead.h"
#include "app/queries.h"
#include "app/routing_decision.h"
#include "codec/field_reader.h"
#include "codec/json_codec.h"
#include "codec/json_writer.h"
#include "domain/attribution.h"
#include "domain/object_id.h"
#include "domain/time_format.h"
#include "http/lead_body.h"
#include "http/opportunity_query.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

std::string body_hash(const json::object& body) {
  // FNV-1a 64 of the canonical serialisation: enough to tell a different body under one key.
  // Boost.JSON's own text on purpose (not codec::serialize): the hashes stored with idempotency
  // keys must stay comparable across versions, and no client ever sees this text.
  std::string canonical = json::serialize(body);
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : canonical) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// The answer: the lead, its opportunity, and a warning naming each field kept under `extra`.
std::string render_ingest(const Lead& lead, const Opportunity& opp, bool duplicate) {
  json::array warnings;
  for (const auto& f : lead.extra)
    warnings.emplace_back(
        json::object{{"field", f.name},
                     {"reason", "is not a field of a lead; it is kept under the lead's extra"}});
  return codec::serialize(json::object{{"lead", codec::to_json(lead)},
                                       {"opportunity", codec::to_json(opp)},
                                       {"duplicate", duplicate},
                                       {"warnings", std::move(warnings)}});
}

Response post_lead(AppContext& ctx, Metrics& metrics, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  LeadInput input = decode_lead(*body);
  if (const auto& p = req.principal) {
    if (!p->is_user() && !input.platform) input.platform = p->platform;  // the key's default
    if (p->is_user()) input.created_by = p->id;  // an agent logging a direct call
  }
  IdempotencyInput idem;
  if (auto key = req.header("idempotency-key"); key && !key->empty()) {
    if (key->size() > 255)
      return problem_response(
          Error::validation({{"Idempotency-Key", "must be at most 255 characters"}}), req.trace_id);
    idem.key = "key:" + *key;
  } else if (input.trace_id && !input.trace_id->empty()) {
    idem.key = "trace:" + *input.trace_id;
  }
  if (!idem.key.empty()) {
    idem.request_hash = body_hash(*body);
    // The route admits only authenticated callers; their keys are theirs alone.
    if (req.principal) idem.scope = idempotency_scope(*req.principal);
  }

  auto result = ingest_lead(ctx, input, idem, render_ingest);
  if (!result) {
    metrics.inc(
        "leadproc_leads_ingested_total", "Leads received, by outcome",
        {{"outcome", result.error().code == ErrorCode::kValidation ? "invalid" : "failed"}});
    return problem_response(result.error(), req.trace_id);
  }
  metrics.inc("leadproc_leads_ingested_total", "Leads received, by outcome",
              {{"outcome", std::string(to_string(result->outcome))}});
  Response r;
  r.status = result->status;
  r.body = std::move(result->response_body);
  if (result->status == 201)
    r.headers.emplace_back("Location", "/api/v1/opportunities/" + result->opportunity_id);
  return r;
}

// The opportunity `id` if the caller may see it; 404 (not 403) otherwise, so that the ids of
// other people's leads leak nothing.
Result<Opportunity> visible_opportunity(AppContext& ctx, const Request& req, const Id& id) {
  auto found = query_opportunity(ctx, id);
  if (!found) return found.error();
  if (!*found || !req.principal || !can_access(*req.principal, **found))
    return Error::not_found("opportunity not found");
  return std::move(**found);
}

// The lead `id` if the caller may see one of the opportunities made from it (an admin: any).
Result<std::optional<Lead>> visible_lead(AppContext& ctx, const Request& req, const Id& id) {
  auto found = query_lead(ctx, id);
  if (!found || !*found) return found;
  if (req.principal && req.principal->is_admin()) return found;
  for (const auto& opp_id : (*found)->active_leads)
    if (visible_opportunity(ctx, req, opp_id)) return found;
  return std::optional<Lead>();
}

template <typename T>
Response one(const Result<std::optional<T>>& found, const Request& req, std::string_view what) {
  if (!found) return problem_response(found.error(), req.trace_id);
  if (!*found)
    return problem_response(Error::not_found(std::string(what) + " not found"), req.trace_id);
  return json_response(200, codec::to_json(**found));
}

Response list_opportunities(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  std::vector<std::string_view> params = opportunity_filter_params();
  params.insert(params.end(), {"limit", "cursor"});
  only_params(req, params, errors);
  OpportunityFilter f = opportunity_filter_from(req, ctx.now(), errors);
  Page page = query_page(req, errors);
  if (!errors.empty())
    return problem_response(Error::validation(errors, "bad query parameters"), req.trace_id);
  auto visible = scope_opportunity_filter(req, f);
  if (!visible) return problem_response(visible.error(), req.trace_id);
  if (!*visible)  // somebody else's: nothing
    return json_response(200, json::object{{"items", json::array()}, {"nextCursor", nullptr}});

  auto items = query_opportunities(ctx, f, page);
  if (!items) return problem_response(items.error(), req.trace_id);
  json::array out;
  for (const auto& o : *items) out.emplace_back(codec::to_json(o));
  json::value next = nullptr;
  if (static_cast<int>(items->size()) == page.limit) next = items->back().id;
  return json_response(200, json::object{{"items", std::move(out)}, {"nextCursor", next}});
}

// The tabs of the list: how many the list holds per status with the other filters; with
// `by=stage` also per status, CRM stage and sub-stage with every filter (the board's columns).
Response count_opportunities(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  auto params = opportunity_filter_params();
  params.push_back("by");
  only_params(req, params, errors);
  OpportunityFilter f = opportunity_filter_from(req, ctx.now(), errors);
  const auto by = query_string(req, "by");
  if (by && *by != "stage") errors.push_back({"by", "must be stage"});
  if (!errors.empty())
    return problem_response(Error::validation(errors, "bad query parameters"), req.trace_id);
  auto visible = scope_opportunity_filter(req, f);
  if (!visible) return problem_response(visible.error(), req.trace_id);
  OpportunityCounts counts;
  std::vector<StageCount> stages;
  if (*visible) {
    auto r = leadproc::count_opportunities(ctx, f);
    if (!r) return problem_response(r.error(), req.trace_id);
    counts = std::move(*r);
    if (by) {
      auto s = count_opportunities_by_stage(ctx, f);
      if (!s) return problem_response(s.error(), req.trace_id);
      stages = std::move(*s);
    }
  }
  json::object by_status;
  for (const auto& [status, n] : counts.by_status) by_status[to_string(status)] = n;
  json::object out{{"byStatus", std::move(by_status)}, {"total", counts.total}};
  if (by) {
    json::array by_stage;
    for (const auto& c : stages)
      by_stage.emplace_back(
          json::object{{"status", to_string(c.status)},
                       {"stage", c.stage ? json::value(to_string(*c.stage)) : json::value(nullptr)},
                       {"subStage", c.sub_stage ? json::value(*c.sub_stage) : json::value(nullptr)},
                       {"count", c.count}});
    out["byStage"] = std::move(by_stage);
  }
  return json_response(200, std::move(out));
}

Response list_activities(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"limit", "cursor"}, errors);
  Page page = query_page(req, errors);
  if (!errors.empty())
    return problem_response(Error::validation(errors, "bad query parameters"), req.trace_id);
  if (auto opp = visible_opportunity(ctx, req, req.params["id"]); !opp)
    return problem_response(opp.error(), req.trace_id);
  auto items = query_activities(ctx, req.params["id"], page);
  if (!items) return problem_response(items.error(), req.trace_id);
  json::array out;
  for (const auto& a : *items) out.emplace_back(codec::to_json(a));
  json::value next = nullptr;
  if (static_cast<int>(items->size()) == page.limit) next = items->back().id;
  return json_response(200, json::object{{"items", std::move(out)}, {"nextCursor", next}});
}

}  // namespace

void register_lead_routes(Router& router, AppContext& ctx, Metrics& metrics) {
  router.add(
      "POST", "/api/v1/leads", "leads.create", Access::users_or_api_key(),
      [&ctx, &metrics](Request& req) { return post_lead(ctx, metrics, req); }, Execution::kWorker,
      BodySize::kLarge);  // a source's whole form
  router.add("GET", "/api/v1/leads/{id}", "leads.get", Access::users(), [&ctx](Request& req) {
    return one(visible_lead(ctx, req, req.params["id"]), req, "lead");
  });
  router.add("GET", "/api/v1/opportunities", "opportunities.list", Access::users(),
             [&ctx](Request& req) { return list_opportunities(ctx, req); });
  router.add("GET", "/api/v1/opportunities/counts", "opportunities.counts", Access::users(),
             [&ctx](Request& req) { return count_opportunities(ctx, req); });
  router.add("GET", "/api/v1/opportunities/{id}", "opportunities.get", Access::users(),
             [&ctx](Request& req) {
               auto found = visible_opportunity(ctx, req, req.params["id"]);
               if (!found) return problem_response(found.error(), req.trace_id);
               Response r = json_response(200, codec::to_json(*found));
               r.headers.emplace_back("ETag", "\"" + std::to_string(found->version) + "\"");
               return r;
             });
  router.add("GET", "/api/v1/opportunities/{id}/activities", "opportunities.activities",
             Access::users(), [&ctx](Request& req) { return list_activities(ctx, req); });
  // Why it went where it went (app/routing_decision.h): whoever may see the opportunity.
  router.add("GET", "/api/v1/opportunities/{id}/routing", "opportunities.routing", Access::users(),
             [&ctx](Request& req) {
               if (auto refused = refuse_params(req)) return std::move(*refused);
               if (auto opp = visible_opportunity(ctx, req, req.params["id"]); !opp)
                 return problem_response(opp.error(), req.trace_id);
               auto items = routing_records(ctx, req.params["id"]);
               if (!items) return problem_response(items.error(), req.trace_id);
               return json_response(200, json::object{{"items", std::move(*items)}});
             });
  // Where a lead would go now and why, changing nothing: the admin's what-if.
  router.add(
      "POST", "/api/v1/routing/dry-run", "routing.dry_run", Access::admin(),
      [&ctx](Request& req) {
        auto body = json_body(req);
        if (!body) return problem_response(body.error(), req.trace_id);
        LeadInput input = decode_lead(*body);
        auto answer = dry_run_routing(ctx, input);
        if (!answer) return problem_response(answer.error(), req.trace_id);
        return json_response(200, *answer);
      },
      Execution::kWorker, BodySize::kLarge);
}

}  // namespace leadproc::http
