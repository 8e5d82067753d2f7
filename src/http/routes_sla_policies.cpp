// Escalation policies (docs/api-config.md "Escalation policies"): /api/v1/sla-policies, the
// admin's configuration of the sla-escalation job (app/sla_escalation.h).
#include <algorithm>

#include "app/sla_policies.h"
#include "codec/field_reader.h"
#include "domain/time_format.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace {

namespace json = boost::json;

constexpr std::string_view kFields[] = {"process", "stage", "afterMinutes", "warnBeforeMinutes",
                                        "action"};

json::object policy_json(const SlaPolicy& p) {
  return json::object{
      {"_id", p.id},
      {"process", to_string(p.process)},
      {"stage", p.stage},
      {"afterMinutes", p.after_minutes},
      {"warnBeforeMinutes", p.warn_before_minutes},
      {"action", to_string(p.action)},
      {"createdBy", p.created_by ? json::value(*p.created_by) : json::value(nullptr)},
      {"createdAt", format_iso8601(p.created_at)},
      {"updatedAt", format_iso8601(p.updated_at)}};
}

// A whole number of minutes, kept within what check_sla_policy judges (so a huge number is named
// by its rule, not overflowed).
std::optional<int> minutes(codec::FieldReader& r, std::string_view key, bool required) {
  auto v = r.integer(key, required);
  if (!v) return std::nullopt;
  return static_cast<int>(std::clamp<std::int64_t>(*v, -1, kMaxSlaMinutes + 1));
}

// The body's fields; every field required when `create` (warnBeforeMinutes defaults to 0).
SlaPolicyFields decode(const json::object& body, bool create) {
  SlaPolicyFields f;
  codec::FieldReader r(body, f.decode_errors);
  for (const auto& [key, value] : body)
    if (std::find(std::begin(kFields), std::end(kFields), std::string_view(key)) ==
        std::end(kFields))
      r.fail(key, "is not a field of an escalation policy");
  if (auto process = r.string("process", create)) {
    f.process = parse_activity_phase(*process);
    if (!f.process || !sla_stage_of(*f.process)) {
      f.process.reset();
      r.fail("process", "must be PSV, WEST or CRM");
    }
  }
  f.stage = r.string("stage", create);
  f.after_minutes = minutes(r, "afterMinutes", create);
  f.warn_before_minutes = minutes(r, "warnBeforeMinutes", false);
  if (auto action = r.string("action", create)) {
    f.action = parse_sla_action(*action);
    if (!f.action) r.fail("action", "must be reassign or notify");
  }
  return f;
}

Response answer(int status, const Result<SlaPolicy>& p, const Request& req) {
  if (!p) return problem_response(p.error(), req.trace_id);
  return json_response(status, policy_json(*p));
}

}  // namespace

void register_sla_policy_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/sla-policies", "sla_policies.list", Access::admin(),
             [&ctx](Request& req) {
               if (auto refused = refuse_params(req)) return std::move(*refused);
               auto all = list_sla_policies(ctx);
               if (!all) return problem_response(all.error(), req.trace_id);
               json::array items;
               for (const auto& p : *all) items.emplace_back(policy_json(p));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add(
      "POST", "/api/v1/sla-policies", "sla_policies.create", Access::admin(), [&ctx](Request& req) {
        auto body = json_body(req);
        if (!body) return problem_response(body.error(), req.trace_id);
        return answer(201, create_sla_policy(ctx, decode(*body, true), req.principal->id), req);
      });
  router.add("GET", "/api/v1/sla-policies/{id}", "sla_policies.get", Access::admin(),
             [&ctx](Request& req) {
               if (auto refused = refuse_params(req)) return std::move(*refused);
               return answer(200, get_sla_policy(ctx, req.params["id"]), req);
             });
  router.add("PATCH", "/api/v1/sla-policies/{id}", "sla_policies.update", Access::admin(),
             [&ctx](Request& req) {
               auto body = json_body(req);
               if (!body) return problem_response(body.error(), req.trace_id);
               return answer(200, update_sla_policy(ctx, req.params["id"], decode(*body, false)),
                             req);
             });
  router.add("DELETE", "/api/v1/sla-policies/{id}", "sla_policies.delete", Access::admin(),
             [&ctx](Request& req) {
               auto s = delete_sla_policy(ctx, req.params["id"]);
               if (!s) return problem_response(s.error(), req.trace_id);
               Response r;
               r.status = 204;
               return r;
             });
}

}  // namespace leadproc::http
