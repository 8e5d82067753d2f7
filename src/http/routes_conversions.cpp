// Conversions back to the ad platforms (docs/conversions.md; issue 20 item 4), admin only:
// GET/PUT /api/v1/conversions/settings (secrets write-only: GET says only whether each is set)
// and GET /api/v1/conversions, the report of each opportunity's stages sent, rejected (with the
// platform's reason), expired and pending, in the order they were reached.
#include <charconv>

#include "app/conversions.h"
#include "codec/json_codec.h"
#include "domain/time_format.h"
#include "http/decode_conversions.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

// The settings as GET (and PUT) answer them: secrets only as "...Set": true/false, an id not set
// as null.
json::object settings_json(const ConversionSettings& s) {
  const auto opt = [](const std::string& v) {
    return v.empty() ? json::value(nullptr) : json::value(v);
  };
  return json::object{
      {"meta", json::object{{"enabled", s.meta.enabled},
                            {"datasetId", opt(s.meta.dataset_id)},
                            {"accessTokenSet", !s.meta.access_token.empty()},
                            {"stageEvents", codec::string_map(s.meta.stage_events)}}},
      {"google",
       json::object{{"enabled", s.google.enabled},
                    {"customerId", opt(s.google.customer_id)},
                    {"loginCustomerId", codec::optional_string(s.google.login_customer_id)},
                    {"developerTokenSet", !s.google.developer_token.empty()},
                    {"accessTokenSet", !s.google.access_token.empty()},
                    {"conversionActions", codec::string_map(s.google.conversion_actions)}}}};
}

// A row of the report (GET /api/v1/conversions).
json::object conversion_json(const Conversion& c) {
  return json::object{
      {"opportunityId", c.opp_id},
      {"platform", c.platform},
      {"stage", c.stage},
      {"name", c.name},
      {"eventId", c.event_id},
      {"eventSeq", c.event_seq},
      {"reachedAt", format_iso8601(c.event_at)},
      {"status", c.status},
      {"attempts", c.attempts},
      {"nextAttemptAt",
       c.status == "pending" ? json::value(format_iso8601(c.next_attempt_at)) : nullptr},
      {"reason", codec::optional_string(c.reason)},
      {"fbtraceId", codec::optional_string(c.trace)},
      {"dealValue", c.value && c.currency
                        ? json::value(json::object{{"amount", *c.value}, {"currency", *c.currency}})
                        : json::value(nullptr)},
      {"updatedAt", format_iso8601(c.updated_at)}};
}

Response get_settings(AppContext& ctx, const Request& req) {
  if (auto refused = refuse_params(req)) return *refused;
  auto settings = read_conversion_settings(ctx);
  if (!settings) return problem_response(settings.error(), req.trace_id);
  return json_response(200, settings_json(*settings));
}

Response put_settings(AppContext& ctx, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  auto saved = update_conversion_settings(ctx, decode_conversion_settings(*body));
  if (!saved) return problem_response(saved.error(), req.trace_id);
  return json_response(200, settings_json(*saved));
}

// The cursor "<eventSeq>:<platform>" of the last row of a page.
bool parse_cursor(const std::string& text, ConversionFilter& f) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return false;
  const char* end = text.data() + colon;
  auto [p, ec] = std::from_chars(text.data(), end, f.after_seq);
  if (ec != std::errc() || p != end || f.after_seq < 0) return false;
  f.after_platform = text.substr(colon + 1);
  return f.after_platform == "meta" || f.after_platform == "google";
}

Response report(AppContext& ctx, const Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"opportunityId", "platform", "status", "after", "limit"}, errors);
  ConversionFilter f;
  f.opp_id = query_string(req, "opportunityId");
  f.platform = query_string(req, "platform");
  if (f.platform && *f.platform != "meta" && *f.platform != "google")
    errors.push_back({"platform", "must be meta or google"});
  f.status = query_string(req, "status");
  if (f.status && *f.status != "pending" && *f.status != "sent" && *f.status != "rejected" &&
      *f.status != "expired")
    errors.push_back({"status", "must be pending, sent, rejected or expired"});
  if (auto after = query_string(req, "after"); after && !parse_cursor(*after, f))
    errors.push_back({"after", "must be the `next` of the previous page"});
  f.limit = query_int(req, "limit", 1, 500, errors).value_or(100);
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "invalid query parameters"),
                            req.trace_id);
  json::array items;
  json::value next = nullptr;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto rows = tx.list_conversions(f);
    if (!rows) return rows.error();
    for (const Conversion& c : *rows) items.push_back(conversion_json(c));
    if (static_cast<int>(rows->size()) == f.limit)
      next = std::to_string(rows->back().event_seq) + ":" + rows->back().platform;
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, json::object{{"items", std::move(items)}, {"next", std::move(next)}});
}

}  // namespace

void register_conversion_routes(Router& router, AppContext& ctx) {
  router.add("GET", "/api/v1/conversions/settings", "conversion_settings.get", Access::admin(),
             [&ctx](Request& req) { return get_settings(ctx, req); });
  router.add("PUT", "/api/v1/conversions/settings", "conversion_settings.update", Access::admin(),
             [&ctx](Request& req) { return put_settings(ctx, req); });
  router.add("GET", "/api/v1/conversions", "conversions.list", Access::admin(),
             [&ctx](Request& req) { return report(ctx, req); });
}

}  // namespace leadproc::http
