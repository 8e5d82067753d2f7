// Intake from Google Ads lead forms (docs/intake.md "Google Ads lead forms"): the webhook Google
// calls (public: authenticated by the form's google_key, not by a key of ours), and the admin
// routes that set up intake sources (POST/GET/PATCH/DELETE /api/v1/intake/sources).
#include <algorithm>
#include <boost/json/serialize.hpp>

#include "app/google_intake.h"
#include "app/intake_sources.h"
#include "app/website_forms.h"
#include "codec/field_reader.h"
#include "domain/time_format.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

json::value opt_time(const std::optional<Timestamp>& t) {
  return t ? json::value(format_iso8601(*t)) : json::value(nullptr);
}

// A source as admins see it: never a google source's key (it is not shown again once saved); a
// form's key is public (it is in the page's HTML), with the URL its form posts to.
json::object source_json(const IntakeSource& s) {
  json::object out{{"id", s.id}, {"kind", s.kind}, {"name", s.name}};
  if (s.kind == "form") {
    auto settings = form_settings(s.mapping_json);
    json::array origins;
    if (settings)
      for (const auto& o : settings->allowed_origins) origins.emplace_back(o);
    out["formKey"] = s.key;
    out["postPath"] = "/api/v1/intake/forms/" + s.key;
    out["thankYouUrl"] = settings ? settings->thank_you_url : "";
    out["errorUrl"] = settings ? settings->error_url : "";
    out["allowedOrigins"] = std::move(origins);
  } else {
    json::object mapping;
    if (auto m = google_answer_mapping(s.mapping_json))
      for (const auto& [field, column] : *m) mapping[field] = column;
    out["formId"] = s.key;
    out["hasGoogleKey"] = !s.secret.empty();
    out["mapping"] = std::move(mapping);
  }
  out["lastLeadAt"] = opt_time(s.last_lead_at);
  out["lastError"] = s.last_error ? json::value(*s.last_error) : json::value();
  out["createdAt"] = format_iso8601(s.created_at);
  out["updatedAt"] = format_iso8601(s.updated_at);
  return out;
}

// POST /api/v1/intake/google: Google's lead form webhook. 200 once the lead is stored (or was,
// for a redelivery); 403 and nothing stored for an empty or wrong google_key.
Response receive_google(AppContext& ctx, const Request& req) {
  if (auto proof = authenticate_google(ctx, req.body); !proof)
    return problem_response(proof.error(), req.trace_id);
  auto lead = parse_google_lead(req.body);
  if (!lead) return problem_response(lead.error(), req.trace_id);
  auto done = receive_google_lead(ctx, *lead);
  if (!done) return problem_response(done.error(), req.trace_id);
  return json_response(200, json::object{{"leadId", lead->lead_id},
                                         {"opportunityId", done->opportunity_id},
                                         {"duplicate", done->duplicate},
                                         {"test", done->test}});
}

IntakeSourceInput decode_source(const json::object& body) {
  IntakeSourceInput in;
  static constexpr std::string_view kFields[] = {"kind",      "name",          "formId",
                                                 "googleKey", "mapping",       "thankYouUrl",
                                                 "errorUrl",  "allowedOrigins"};
  for (const auto& [key, value] : body)
    if (std::find(std::begin(kFields), std::end(kFields), std::string_view(key)) ==
        std::end(kFields))
      in.decode_errors.push_back({std::string(key), "is not a field of an intake source"});
  codec::FieldReader r(body, in.decode_errors);
  in.kind = r.string("kind");
  in.name = r.string("name");
  // A form id as Google shows it: digits, as a string or an exact JSON integer.
  if (auto it = body.find("formId");
      it != body.end() && (it->value().is_int64() || it->value().is_uint64()))
    in.form_id = json::serialize(it->value());
  else
    in.form_id = r.string("formId");
  in.google_key = r.string("googleKey");
  if (const auto* mapping = r.object("mapping")) in.mapping_json = json::serialize(*mapping);
  in.thank_you_url = r.string("thankYouUrl");
  in.error_url = r.string("errorUrl");
  in.allowed_origins = r.strings("allowedOrigins");
  return in;
}

Response create_source(AppContext& ctx, const Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  auto s = create_intake_source(ctx, decode_source(*body));
  if (!s) return problem_response(s.error(), req.trace_id);
  Response r = json_response(201, source_json(*s));
  r.headers.emplace_back("Location", "/api/v1/intake/sources/" + s->id);
  return r;
}

Response change_source(AppContext& ctx, const Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  auto s = change_intake_source(ctx, req.params.at("id"), decode_source(*body));
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, source_json(*s));
}

Response get_source(AppContext& ctx, const Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  std::optional<IntakeSource> found;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto f = tx.get_intake_source(req.params.at("id"));
    if (!f) return f.error();
    found = std::move(*f);
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  if (!found) return problem_response(Error::not_found("intake source not found"), req.trace_id);
  return json_response(200, source_json(*found));
}

Response list_sources(AppContext& ctx, const Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  json::array items;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto sources = tx.list_intake_sources();
    if (!sources) return sources.error();
    for (const auto& src : *sources) items.push_back(source_json(src));
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response delete_source(AppContext& ctx, const Request& req) {
  bool deleted = false;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto d = tx.delete_intake_source(req.params.at("id"));
    if (!d) return d.error();
    deleted = *d;
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  if (!deleted) return problem_response(Error::not_found("intake source not found"), req.trace_id);
  Response r;
  r.status = 204;
  return r;
}

}  // namespace

void register_intake_source_routes(Router& router, AppContext& ctx) {
  router.add("POST", "/api/v1/intake/google", "google_intake.receive", Access::public_route(),
             [&ctx](Request& req) { return receive_google(ctx, req); });
  router.add("POST", "/api/v1/intake/sources", "intake_sources.create", Access::admin(),
             [&ctx](Request& req) { return create_source(ctx, req); });
  router.add("GET", "/api/v1/intake/sources", "intake_sources.list", Access::admin(),
             [&ctx](Request& req) { return list_sources(ctx, req); });
  router.add("GET", "/api/v1/intake/sources/{id}", "intake_sources.get", Access::admin(),
             [&ctx](Request& req) { return get_source(ctx, req); });
  router.add("PATCH", "/api/v1/intake/sources/{id}", "intake_sources.change", Access::admin(),
             [&ctx](Request& req) { return change_source(ctx, req); });
  router.add("DELETE", "/api/v1/intake/sources/{id}", "intake_sources.delete", Access::admin(),
             [&ctx](Request& req) { return delete_source(ctx, req); });
}

}  // namespace leadproc::http
