// Intake from Google Ads lead forms (docs/intake.md "Google Ads lead forms"): the webhook Google
// calls (public: authenticated by the form's google_key, not by a key of ours), and the admin
// routes that set up intake sources of every kind (POST/GET/PATCH/DELETE /api/v1/intake/sources).
#include <algorithm>
#include <boost/json/serialize.hpp>

#include "app/google_intake.h"
#include "app/intake_sources.h"
#include "app/website_forms.h"
#include "codec/field_reader.h"
#include "codec/json_codec.h"
#include "domain/time_format.h"
#include "http/meta_page_json.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;
using codec::optional_string;
using codec::optional_time;

namespace {

// What a Meta source's list row says went wrong: the page gone, its last sync's error, or its
// receipts that could not be fetched (the page's own list has their reasons and Retry).
json::value meta_error(const json::object* page) {
  if (!page) return "the page is not set up: save the source's page access token again";
  if (const auto& e = page->at("syncError"); !e.is_null()) return e;
  if (auto failed = page->at("failedReceipts").as_int64(); failed > 0) {
    const std::string why = std::to_string(failed) + (failed == 1 ? " lead" : " leads") +
                            " could not be fetched: see the page's receipts";
    return json::value(std::string_view(why));
  }
  return nullptr;
}

// A source as admins see it: never a secret (a google key, an app secret, a verify token, a page
// access token: none is shown again once saved); a form's key is public (it is in the page's
// HTML), with the URL its form posts to; a Meta source with its page (null if it is gone) as
// GET /api/v1/intake/meta/pages shows it, read in `tx`.
Result<json::object> source_json(ReadTx& tx, const IntakeSource& s) {
  json::object out{{"id", s.id}, {"kind", s.kind}, {"name", s.name}};
  json::value last_lead = optional_time(s.last_lead_at);
  json::value last_error = optional_string(s.last_error);
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
  } else if (s.kind == "meta") {
    out["pageId"] = s.key;
    out["hasAppSecret"] = !s.secret.empty();
    auto page = tx.get_meta_page(s.key);
    if (!page) return page.error();
    json::value page_out = nullptr;
    if (*page) {
      auto status = page_status_json(tx, **page);
      if (!status) return status.error();
      page_out = std::move(*status);
      last_lead = page_out.as_object().at("lastLeadAt");
    }
    last_error = meta_error(page_out.if_object());
    out["page"] = std::move(page_out);
  } else {
    json::object mapping;
    if (auto m = google_answer_mapping(s.mapping_json))
      for (const auto& [field, column] : *m) mapping[field] = column;
    out["formId"] = s.key;
    out["hasGoogleKey"] = !s.secret.empty();
    out["mapping"] = std::move(mapping);
  }
  out["lastLeadAt"] = std::move(last_lead);
  out["lastError"] = std::move(last_error);
  out["createdAt"] = format_iso8601(s.created_at);
  out["updatedAt"] = format_iso8601(s.updated_at);
  return out;
}

// The source `s` as source_json shows it, in a read transaction of its own.
Result<json::object> read_source_json(AppContext& ctx, const IntakeSource& s) {
  json::object out;
  auto st = ctx.store.read([&](ReadTx& tx) -> Status {
    auto j = source_json(tx, s);
    if (!j) return j.error();
    out = std::move(*j);
    return ok_status();
  });
  if (!st) return st.error();
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

// A platform's id as it shows it: digits, as a string or an exact JSON integer.
std::optional<std::string> id_field(const json::object& body, codec::FieldReader& r,
                                    std::string_view name) {
  if (auto it = body.find(name);
      it != body.end() && (it->value().is_int64() || it->value().is_uint64()))
    return json::serialize(it->value());
  return r.string(name);
}

IntakeSourceInput decode_source(const json::object& body) {
  IntakeSourceInput in;
  static constexpr std::string_view kFields[] = {"kind",
                                                 "name",
                                                 "formId",
                                                 "googleKey",
                                                 "mapping",
                                                 "thankYouUrl",
                                                 "errorUrl",
                                                 "allowedOrigins",
                                                 "pageId",
                                                 "appSecret",
                                                 "verifyToken",
                                                 "pageAccessToken",
                                                 "instagramPlatform"};
  for (const auto& [key, value] : body)
    if (std::find(std::begin(kFields), std::end(kFields), std::string_view(key)) ==
        std::end(kFields))
      in.decode_errors.push_back({std::string(key), "is not a field of an intake source"});
  codec::FieldReader r(body, in.decode_errors);
  in.kind = r.string("kind");
  in.name = r.string("name");
  in.form_id = id_field(body, r, "formId");
  in.google_key = r.string("googleKey");
  if (const auto* mapping = r.object("mapping")) in.mapping_json = json::serialize(*mapping);
  in.thank_you_url = r.string("thankYouUrl");
  in.error_url = r.string("errorUrl");
  in.allowed_origins = r.strings("allowedOrigins");
  in.page_id = id_field(body, r, "pageId");
  in.app_secret = r.string("appSecret");
  in.verify_token = r.string("verifyToken");
  in.page_access_token = r.string("pageAccessToken");
  in.instagram_platform = r.boolean("instagramPlatform");
  return in;
}

// The answer to a create (201) or change (200): the saved source; a Meta page's new token may
// have made receipts due, so the lead fetcher is woken.
Response saved_response(AppContext& ctx, const std::function<void()>& wake,
                        const Result<SavedIntakeSource>& saved, int status, const Request& req) {
  if (!saved) return problem_response(saved.error(), req.trace_id);
  if (saved->source.kind == "meta" && wake) wake();
  auto out = read_source_json(ctx, saved->source);
  if (!out) return problem_response(out.error(), req.trace_id);
  if (saved->source.kind == "meta") (*out)["requeued"] = saved->requeued;
  Response r = json_response(status, *out);
  if (status == 201)
    r.headers.emplace_back("Location", "/api/v1/intake/sources/" + saved->source.id);
  return r;
}

Response create_source(AppContext& ctx, const std::function<void()>& wake, const Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  return saved_response(ctx, wake, create_intake_source(ctx, decode_source(*body)), 201, req);
}

Response change_source(AppContext& ctx, const std::function<void()>& wake, const Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  return saved_response(
      ctx, wake, change_intake_source(ctx, req.params.at("id"), decode_source(*body)), 200, req);
}

Response get_source(AppContext& ctx, const Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  json::object out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto f = tx.get_intake_source(req.params.at("id"));
    if (!f) return f.error();
    if (!*f) return Error::not_found("intake source not found");
    auto j = source_json(tx, **f);
    if (!j) return j.error();
    out = std::move(*j);
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, out);
}

Response list_sources(AppContext& ctx, const Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  json::array items;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto sources = tx.list_intake_sources();
    if (!sources) return sources.error();
    for (const auto& src : *sources) {
      auto j = source_json(tx, src);
      if (!j) return j.error();
      items.push_back(std::move(*j));
    }
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response delete_source(AppContext& ctx, const Request& req) {
  if (auto s = delete_intake_source(ctx, req.params.at("id")); !s)
    return problem_response(s.error(), req.trace_id);
  Response r;
  r.status = 204;
  return r;
}

}  // namespace

void register_intake_source_routes(Router& router, AppContext& ctx, std::function<void()> wake) {
  router.add("POST", "/api/v1/intake/google", "google_intake.receive", Access::public_route(),
             [&ctx](Request& req) { return receive_google(ctx, req); });
  router.add("POST", "/api/v1/intake/sources", "intake_sources.create", Access::admin(),
             [&ctx, wake](Request& req) { return create_source(ctx, wake, req); });
  router.add("GET", "/api/v1/intake/sources", "intake_sources.list", Access::admin(),
             [&ctx](Request& req) { return list_sources(ctx, req); });
  router.add("GET", "/api/v1/intake/sources/{id}", "intake_sources.get", Access::admin(),
             [&ctx](Request& req) { return get_source(ctx, req); });
  router.add("PATCH", "/api/v1/intake/sources/{id}", "intake_sources.change", Access::admin(),
             [&ctx, wake](Request& req) { return change_source(ctx, wake, req); });
  router.add("DELETE", "/api/v1/intake/sources/{id}", "intake_sources.delete", Access::admin(),
             [&ctx](Request& req) { return delete_source(ctx, req); });
}

}  // namespace leadproc::http
