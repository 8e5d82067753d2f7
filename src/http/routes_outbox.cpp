// Outbound (docs/events.md): GET /api/v1/outbox/events, the events in the order they were
// written, each exactly as a webhook subscriber receives it (a system that cannot take webhooks,
// or a data warehouse catching up, reads the same stream page by page); and the webhook
// subscriptions' admin API: create (the secret shown once), list, change (rotate the secret),
// delete, deliveries with their attempts, and the replay of dead letters.
#include <boost/json/parse.hpp>
#include <charconv>
#include <limits>

#include "app/webhooks.h"
#include "codec/json_codec.h"
#include "domain/time_format.h"
#include "http/decode_webhooks.h"
#include "http/responses.h"
#include "http/routes.h"

namespace leadproc::http {
namespace json = boost::json;

namespace {

Response list_events(AppContext& ctx, const Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"after", "limit"}, errors);
  const int after = query_int(req, "after", 0, std::numeric_limits<int>::max(), errors).value_or(0);
  const int limit = query_int(req, "limit", 1, 500, errors).value_or(100);
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "invalid query parameters"),
                            req.trace_id);
  json::array items;
  std::int64_t last = after;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto events = tx.outbox_events_after(after, limit);
    if (!events) return events.error();
    for (const OutboxEvent& e : *events) {
      boost::system::error_code ec;
      json::value body = json::parse(e.body, ec);
      if (ec) return Error::internal("outbox event " + e.id + " has a body that is not JSON");
      items.push_back(json::object{{"seq", e.seq}, {"event", std::move(body)}});
      last = e.seq;
    }
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  const bool full = static_cast<int>(items.size()) == limit;
  return json_response(200,
                       json::object{{"items", std::move(items)},
                                    {"next", full ? json::value(last) : json::value(nullptr)}});
}

json::value opt(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt_time(const std::optional<Timestamp>& t) {
  return t ? json::value(format_iso8601(*t)) : json::value(nullptr);
}

json::object subscription_json(const WebhookSubscription& s, Timestamp now) {
  json::array types;
  for (const auto& t : s.event_types) types.emplace_back(t);
  const bool rotating = s.previous_secret_until && *s.previous_secret_until > now;
  return json::object{
      {"_id", s.id},
      {"url", s.url},
      {"eventTypes", std::move(types)},
      {"filters", json::object{{"process", opt(s.process)},
                               {"destination", opt(s.destination)},
                               {"platform", opt(s.platform)}}},
      {"enabled", s.enabled},
      {"disabledReason", opt(s.disabled_reason)},
      {"backedOffUntil",
       s.blocked_until && *s.blocked_until > now ? opt_time(s.blocked_until) : nullptr},
      {"previousSecretValidUntil", rotating ? opt_time(s.previous_secret_until) : nullptr},
      {"createdAt", format_iso8601(s.created_at)},
      {"updatedAt", format_iso8601(s.updated_at)}};
}

json::object delivery_json(const WebhookDelivery& d) {
  return json::object{
      {"eventSeq", d.event_seq},
      {"eventId", d.event_id},
      {"eventType", d.event_type},
      {"opportunityId", opt(d.opp_id)},
      {"status", d.status},
      {"attempts", d.attempts},
      {"nextAttemptAt", d.status == "pending" ? json::value(format_iso8601(d.next_attempt_at))
                                              : json::value(nullptr)},
      {"lastStatus", d.last_status ? json::value(*d.last_status) : json::value(nullptr)},
      {"lastError", opt(d.last_error)},
      {"createdAt", format_iso8601(d.created_at)},
      {"updatedAt", format_iso8601(d.updated_at)}};
}

json::object attempt_json(const WebhookAttempt& a) {
  return json::object{{"attempt", a.attempt},
                      {"at", format_iso8601(a.at)},
                      {"status", a.status ? json::value(a.status) : json::value(nullptr)},
                      {"latencyMs", a.latency_ms},
                      {"error", opt(a.error)},
                      {"response", a.response}};
}

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

std::optional<std::int64_t> seq_param(const Request& req) {
  const std::string& text = req.params.at("seq");
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1) return std::nullopt;
  return v;
}

Response create(AppContext& ctx, const std::function<void()>& wake, const Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  auto s = create_webhook(ctx, decode_webhook(*body));
  if (!s) return problem_response(s.error(), req.trace_id);
  if (wake) wake();
  json::object out = subscription_json(*s, ctx.now());
  out["secret"] = s->secret;  // shown once
  return json_response(201, out);
}

Response update(AppContext& ctx, const std::function<void()>& wake, Request& req) {
  auto body = json_body(req);
  if (!body) return problem_response(body.error(), req.trace_id);
  auto u = update_webhook(ctx, req.params["id"], decode_webhook_change(*body));
  if (!u) return problem_response(u.error(), req.trace_id);
  if (wake) wake();
  json::object out = subscription_json(u->subscription, ctx.now());
  if (u->new_secret) out["secret"] = *u->new_secret;  // shown once
  return json_response(200, out);
}

Response list(AppContext& ctx, const Request& req) {
  if (auto bad = refuse_params(req)) return *bad;
  json::array items;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto subs = tx.list_webhook_subscriptions();
    if (!subs) return subs.error();
    for (const auto& sub : *subs) items.push_back(subscription_json(sub, ctx.now()));
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, json::object{{"items", std::move(items)}});
}

Status require_subscription(ReadTx& tx, const Id& id) {
  auto found = tx.get_webhook_subscription(id);
  if (!found) return found.error();
  if (!*found) return Error::not_found("webhook subscription " + id + " not found");
  return ok_status();
}

Response deliveries(AppContext& ctx, Request& req) {
  std::vector<FieldError> errors;
  only_params(req, {"status", "after", "limit"}, errors);
  auto status = query_string(req, "status");
  if (status && *status != "pending" && *status != "delivered" && *status != "dead")
    errors.push_back({"status", "must be pending, delivered or dead"});
  const int after = query_int(req, "after", 0, std::numeric_limits<int>::max(), errors).value_or(0);
  const int limit = query_int(req, "limit", 1, 500, errors).value_or(100);
  if (!errors.empty())
    return problem_response(Error::validation(std::move(errors), "invalid query parameters"),
                            req.trace_id);
  const Id id = req.params["id"];
  json::array items;
  std::int64_t last = after;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    if (auto r = require_subscription(tx, id); !r) return r;
    auto found = tx.list_webhook_deliveries(id, status, after, limit);
    if (!found) return found.error();
    for (const auto& d : *found) {
      items.push_back(delivery_json(d));
      last = d.event_seq;
    }
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  const bool full = static_cast<int>(items.size()) == limit;
  return json_response(200,
                       json::object{{"items", std::move(items)},
                                    {"next", full ? json::value(last) : json::value(nullptr)}});
}

Response attempts(AppContext& ctx, Request& req) {
  if (auto bad = refuse_params(req)) return *bad;
  const auto seq = seq_param(req);
  if (!seq) return problem_response(Error::not_found("no such delivery"), req.trace_id);
  const Id id = req.params["id"];
  json::array items;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    if (auto r = require_subscription(tx, id); !r) return r;
    auto found = tx.list_webhook_attempts(id, *seq);
    if (!found) return found.error();
    for (const auto& a : *found) items.push_back(attempt_json(a));
    return ok_status();
  });
  if (!s) return problem_response(s.error(), req.trace_id);
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response replay(AppContext& ctx, const std::function<void()>& wake, Request& req, bool one) {
  std::optional<std::int64_t> seq;
  if (one) {
    seq = seq_param(req);
    if (!seq) return problem_response(Error::not_found("no such delivery"), req.trace_id);
  }
  auto n = replay_dead_letters(ctx, req.params["id"], seq);
  if (!n) return problem_response(n.error(), req.trace_id);
  if (one && *n == 0)
    return problem_response(Error::conflict("event " + std::to_string(*seq) +
                                            " is not a dead letter of " + req.params["id"]),
                            req.trace_id);
  if (wake) wake();
  return json_response(200, json::object{{"replayed", *n}});
}

}  // namespace

void register_outbox_routes(Router& router, AppContext& ctx, std::function<void()> wake) {
  router.add("GET", "/api/v1/outbox/events", "outbox_events.list", Access::admin(),
             [&ctx](Request& req) { return list_events(ctx, req); });
  router.add("POST", "/api/v1/webhooks", "webhooks.create", Access::admin(),
             [&ctx, wake](Request& req) { return create(ctx, wake, req); });
  router.add("GET", "/api/v1/webhooks", "webhooks.list", Access::admin(),
             [&ctx](Request& req) { return list(ctx, req); });
  router.add("PATCH", "/api/v1/webhooks/{id}", "webhooks.update", Access::admin(),
             [&ctx, wake](Request& req) { return update(ctx, wake, req); });
  router.add("DELETE", "/api/v1/webhooks/{id}", "webhooks.delete", Access::admin(),
             [&ctx](Request& req) {
               auto s = delete_webhook(ctx, req.params["id"]);
               if (!s) return problem_response(s.error(), req.trace_id);
               return no_content();
             });
  router.add("GET", "/api/v1/webhooks/{id}/deliveries", "webhook_deliveries.list", Access::admin(),
             [&ctx](Request& req) { return deliveries(ctx, req); });
  router.add("GET", "/api/v1/webhooks/{id}/deliveries/{seq}/attempts",
             "webhook_deliveries.attempts", Access::admin(),
             [&ctx](Request& req) { return attempts(ctx, req); });
  router.add("POST", "/api/v1/webhooks/{id}/deliveries/{seq}/replay", "webhook_deliveries.replay",
             Access::admin(), [&ctx, wake](Request& req) { return replay(ctx, wake, req, true); });
  router.add("POST", "/api/v1/webhooks/{id}/replay", "webhooks.replay", Access::admin(),
             [&ctx, wake](Request& req) { return replay(ctx, wake, req, false); });
}

}  // namespace leadproc::http
