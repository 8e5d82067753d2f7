// SqlTx: webhook subscriptions, the fan-out of the outbox and deliveries (migration 18;
// docs/events.md). On PostgreSQL the fan-out and the claims lock their rows with SKIP LOCKED,
// so instances share the work without taking the same rows; on SQLite the one writer does.
#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace json = boost::json;
namespace {

constexpr std::string_view kSubscriptionColumns =
    "id, url, event_types, filter_process, filter_destination, filter_platform, secret, "
    "previous_secret, previous_secret_until, enabled, disabled_reason, blocked_until, "
    "created_at, updated_at";

std::optional<Timestamp> opt_time(const Row& q, int col) {
  auto v = q.opt_int_at(col);
  if (!v) return std::nullopt;
  return from_ms(*v);
}

std::optional<std::int64_t> opt_ms(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return to_ms(*t);
}

Result<WebhookSubscription> read_subscription(const Row& q) {
  WebhookSubscription s;
  s.id = q.text_at(0);
  s.url = q.text_at(1);
  boost::system::error_code ec;
  const json::value types = json::parse(q.text_at(2), ec);
  if (ec || !types.is_array())
    return Error::internal("webhook_subscriptions.event_types of " + s.id + " is not an array");
  for (const auto& t : types.get_array())
    if (t.is_string()) s.event_types.emplace_back(t.get_string());
  s.process = q.opt_text_at(3);
  s.destination = q.opt_text_at(4);
  s.platform = q.opt_text_at(5);
  s.secret = q.text_at(6);
  s.previous_secret = q.opt_text_at(7);
  s.previous_secret_until = opt_time(q, 8);
  s.enabled = q.bool_at(9);
  s.disabled_reason = q.opt_text_at(10);
  s.blocked_until = opt_time(q, 11);
  s.created_at = from_ms(q.int_at(12));
  s.updated_at = from_ms(q.int_at(13));
  return s;
}

std::string types_text(const std::vector<std::string>& types) {
  json::array a;
  for (const auto& t : types) a.emplace_back(t);
  return json::serialize(a);
}

// Binds ?1..?14 in kSubscriptionColumns order.
void bind_subscription(Stmt& q, const WebhookSubscription& s) {
  q.bind_text(1, s.id);
  q.bind_text(2, s.url);
  q.bind_text(3, types_text(s.event_types));
  q.bind_opt_text(4, s.process);
  q.bind_opt_text(5, s.destination);
  q.bind_opt_text(6, s.platform);
  q.bind_text(7, s.secret);
  q.bind_opt_text(8, s.previous_secret);
  q.bind_opt_int(9, opt_ms(s.previous_secret_until));
  q.bind_bool(10, s.enabled);
  q.bind_opt_text(11, s.disabled_reason);
  q.bind_opt_int(12, opt_ms(s.blocked_until));
  q.bind_int(13, to_ms(s.created_at));
  q.bind_int(14, to_ms(s.updated_at));
}

constexpr std::string_view kDeliveryColumns =
    "d.subscription_id, d.event_seq, d.event_id, d.event_type, d.opp_id, d.status, d.attempts, "
    "d.next_attempt_at, d.claimed_until, d.last_status, d.last_error, d.created_at, "
    "d.updated_at";

Result<WebhookDelivery> read_delivery(const Row& q) {
  WebhookDelivery d;
  d.subscription_id = q.text_at(0);
  d.event_seq = q.int_at(1);
  d.event_id = q.text_at(2);
  d.event_type = q.text_at(3);
  d.opp_id = q.opt_text_at(4);
  d.status = q.text_at(5);
  d.attempts = static_cast<int>(q.int_at(6));
  d.next_attempt_at = from_ms(q.int_at(7));
  d.claimed_until = opt_time(q, 8);
  if (auto s = q.opt_int_at(9)) d.last_status = static_cast<int>(*s);
  d.last_error = q.opt_text_at(10);
  d.created_at = from_ms(q.int_at(11));
  d.updated_at = from_ms(q.int_at(12));
  return d;
}

Result<WebhookAttempt> read_attempt(const Row& q) {
  WebhookAttempt a;
  a.subscription_id = q.text_at(0);
  a.event_seq = q.int_at(1);
  a.attempt = static_cast<int>(q.int_at(2));
  a.at = from_ms(q.int_at(3));
  a.status = static_cast<int>(q.int_at(4));
  a.latency_ms = q.int_at(5);
  a.error = q.opt_text_at(6);
  a.response = q.text_at(7);
  return a;
}

}  // namespace

Result<std::vector<WebhookSubscription>> SqlTx::list_webhook_subscriptions() {
  auto q = prepare(cat("SELECT ", kSubscriptionColumns, " FROM webhook_subscriptions ORDER BY id"));
  if (!q) return q.error();
  return collect<WebhookSubscription>(*q, read_subscription);
}

Result<std::optional<WebhookSubscription>> SqlTx::get_webhook_subscription(const Id& id) {
  auto q =
      prepare(cat("SELECT ", kSubscriptionColumns, " FROM webhook_subscriptions WHERE id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<WebhookSubscription>(*q, read_subscription);
}

Result<std::vector<WebhookDelivery>> SqlTx::list_webhook_deliveries(
    const Id& subscription, const std::optional<std::string>& status, std::int64_t after_seq,
    int limit) {
  if (limit <= 0) return std::vector<WebhookDelivery>{};
  auto q =
      prepare(cat("SELECT ", kDeliveryColumns,
                  " FROM webhook_deliveries d WHERE d.subscription_id = ?1 AND d.event_seq > ?2",
                  status ? " AND d.status = ?4" : "", " ORDER BY d.event_seq LIMIT ?3"));
  if (!q) return q.error();
  q->bind_text(1, subscription);
  q->bind_int(2, after_seq);
  q->bind_int(3, limit);
  if (status) q->bind_text(4, *status);
  return collect<WebhookDelivery>(*q, read_delivery);
}

Result<std::vector<WebhookAttempt>> SqlTx::list_webhook_attempts(const Id& subscription,
                                                                 std::int64_t event_seq) {
  auto q = prepare(
      "SELECT subscription_id, event_seq, attempt, at, status, latency_ms, error, response "
      "FROM webhook_attempts WHERE subscription_id = ?1 AND event_seq = ?2 ORDER BY attempt");
  if (!q) return q.error();
  q->bind_text(1, subscription);
  q->bind_int(2, event_seq);
  return collect<WebhookAttempt>(*q, read_attempt);
}

Status SqlTx::insert_webhook_subscription(const WebhookSubscription& s) {
  auto q = prepare(cat("INSERT INTO webhook_subscriptions (", kSubscriptionColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
  if (!q) return q.error();
  bind_subscription(*q, s);
  return q->run();
}

Status SqlTx::update_webhook_subscription(const WebhookSubscription& s) {
  auto q = prepare(
      "UPDATE webhook_subscriptions SET url = ?2, event_types = ?3, filter_process = ?4, "
      "filter_destination = ?5, filter_platform = ?6, secret = ?7, previous_secret = ?8, "
      "previous_secret_until = ?9, enabled = ?10, disabled_reason = ?11, blocked_until = ?12, "
      "created_at = ?13, updated_at = ?14 WHERE id = ?1");
  if (!q) return q.error();
  bind_subscription(*q, s);
  if (auto r = q->run(); !r) return r;
  if (q->changes() != 1) return Error::not_found("webhook subscription " + s.id + " not found");
  return ok_status();
}

Status SqlTx::delete_webhook_subscription(const Id& id) {
  for (const char* sql : {"DELETE FROM webhook_attempts WHERE subscription_id = ?1",
                          "DELETE FROM webhook_deliveries WHERE subscription_id = ?1"}) {
    auto q = prepare(sql);
    if (!q) return q.error();
    q->bind_text(1, id);
    if (auto r = q->run(); !r) return r;
  }
  auto q = prepare("DELETE FROM webhook_subscriptions WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, id);
  if (auto r = q->run(); !r) return r;
  if (q->changes() != 1) return Error::not_found("webhook subscription " + id + " not found");
  return ok_status();
}

Result<std::vector<OutboxEvent>> SqlTx::unfanned_outbox_events(int limit) {
  if (limit <= 0) return std::vector<OutboxEvent>{};
  auto q =
      prepare(cat("SELECT seq, id, type, opp_id, process, destination, platform, created_at, body "
                  "FROM outbox_events WHERE fanned_out = FALSE ORDER BY seq LIMIT ?1",
                  locking() ? " FOR UPDATE SKIP LOCKED" : ""));
  if (!q) return q.error();
  q->bind_int(1, limit);
  return collect<OutboxEvent>(*q, [](const Row& r) -> Result<OutboxEvent> {
    OutboxEvent e;
    e.seq = r.int_at(0);
    e.id = r.text_at(1);
    e.type = r.text_at(2);
    e.opp_id = r.opt_text_at(3);
    e.process = r.opt_text_at(4);
    e.destination = r.opt_text_at(5);
    e.platform = r.opt_text_at(6);
    e.at = from_ms(r.int_at(7));
    e.body = r.text_at(8);
    return e;
  });
}

Status SqlTx::mark_outbox_fanned_out(const std::vector<std::int64_t>& seqs) {
  // kChunk events a statement, one statement text (a short last chunk repeats its last seq), so
  // a fan-out of n events costs n / kChunk statements instead of n (each a round trip on
  // PostgreSQL). The seqs are named one by one: on PostgreSQL another instance may hold events
  // between them (unfanned_outbox_events' SKIP LOCKED), and those are not this one's to mark.
  constexpr std::size_t kChunk = 32;
  static const std::string kSql = [] {
    std::string sql = "UPDATE outbox_events SET fanned_out = TRUE WHERE seq IN (";
    for (std::size_t i = 1; i <= kChunk; ++i) sql += cat(i > 1 ? ", ?" : "?", std::to_string(i));
    return sql + ")";
  }();
  for (std::size_t from = 0; from < seqs.size(); from += kChunk) {
    auto q = prepare(kSql);
    if (!q) return q.error();
    for (std::size_t i = 0; i < kChunk; ++i)
      q->bind_int(static_cast<int>(i + 1), seqs[std::min(from + i, seqs.size() - 1)]);
    if (auto r = q->run(); !r) return r;
  }
  return ok_status();
}

Status SqlTx::insert_webhook_delivery(const WebhookDelivery& d) {
  auto q = prepare(
      "INSERT INTO webhook_deliveries (subscription_id, event_seq, event_id, event_type, opp_id, "
      "status, attempts, next_attempt_at, claimed_until, last_status, last_error, created_at, "
      "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, NULL, NULL, ?9, ?9)");
  if (!q) return q.error();
  q->bind_text(1, d.subscription_id);
  q->bind_int(2, d.event_seq);
  q->bind_text(3, d.event_id);
  q->bind_text(4, d.event_type);
  q->bind_opt_text(5, d.opp_id);
  q->bind_text(6, d.status);
  q->bind_int(7, d.attempts);
  q->bind_int(8, to_ms(d.next_attempt_at));
  q->bind_int(9, to_ms(d.created_at));
  return q->run();
}

Result<std::vector<WebhookDelivery>> SqlTx::claim_webhook_deliveries(const Id& subscription,
                                                                     Timestamp now, Timestamp lease,
                                                                     int limit) {
  if (limit <= 0) return std::vector<WebhookDelivery>{};
  // First of its opportunity: no pending delivery of the same opportunity comes before it (an
  // earlier one failing holds the later ones back: in order per opportunity), and no earlier
  // event of it is still waiting to be fanned out (PostgreSQL: another instance's fan-out of an
  // earlier event may commit after this one's).
  auto q = prepare(
      cat("SELECT ", kDeliveryColumns,
          ", o.body FROM webhook_deliveries d "
          "JOIN outbox_events o ON o.seq = d.event_seq "
          "WHERE d.subscription_id = ?1 AND d.status = 'pending' AND d.next_attempt_at <= ?2 "
          "AND (d.claimed_until IS NULL OR d.claimed_until <= ?2) "
          "AND (d.opp_id IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_deliveries e "
          "WHERE e.subscription_id = d.subscription_id AND e.opp_id = d.opp_id "
          "AND e.status = 'pending' AND e.event_seq < d.event_seq) "
          "AND NOT EXISTS (SELECT 1 FROM outbox_events u WHERE u.fanned_out = FALSE "
          "AND u.opp_id = d.opp_id AND u.seq < d.event_seq)) "
          "ORDER BY d.event_seq LIMIT ?3",
          locking() ? " FOR UPDATE OF d SKIP LOCKED" : ""));
  if (!q) return q.error();
  q->bind_text(1, subscription);
  q->bind_int(2, to_ms(now));
  q->bind_int(3, limit);
  auto rows = collect<WebhookDelivery>(*q, [](const Row& r) -> Result<WebhookDelivery> {
    auto d = read_delivery(r);
    if (!d) return d;
    d->body = r.text_at(13);
    return d;
  });
  if (!rows) return rows;
  for (auto& d : *rows) {
    auto claim = prepare(
        "UPDATE webhook_deliveries SET claimed_until = ?3 WHERE subscription_id = ?1 AND "
        "event_seq = ?2");
    if (!claim) return claim.error();
    claim->bind_text(1, d.subscription_id);
    claim->bind_int(2, d.event_seq);
    claim->bind_int(3, to_ms(lease));
    if (auto r = claim->run(); !r) return r.error();
    d.claimed_until = lease;
  }
  return rows;
}

Status SqlTx::finish_webhook_delivery(const WebhookDelivery& d, const WebhookAttempt& attempt) {
  auto q = prepare(
      "UPDATE webhook_deliveries SET status = ?3, attempts = ?4, next_attempt_at = ?5, "
      "claimed_until = NULL, last_status = ?6, last_error = ?7, updated_at = ?8 "
      "WHERE subscription_id = ?1 AND event_seq = ?2");
  if (!q) return q.error();
  q->bind_text(1, d.subscription_id);
  q->bind_int(2, d.event_seq);
  q->bind_text(3, d.status);
  q->bind_int(4, d.attempts);
  q->bind_int(5, to_ms(d.next_attempt_at));
  if (d.last_status)
    q->bind_int(6, *d.last_status);
  else
    q->bind_null(6);
  q->bind_opt_text(7, d.last_error);
  q->bind_int(8, to_ms(d.updated_at));
  if (auto r = q->run(); !r) return r;
  if (q->changes() != 1)
    return Error::not_found("no delivery of event " + std::to_string(d.event_seq) + " to " +
                            d.subscription_id);
  if (attempt.attempt <= 0) return ok_status();
  // The log numbers a delivery's attempts 1, 2, ... over its whole life: a replay starts the
  // delivery's own count (and its retry schedule) again, but never a log number already used.
  auto a = prepare(
      "INSERT INTO webhook_attempts (subscription_id, event_seq, attempt, at, status, "
      "latency_ms, error, response) VALUES (?1, ?2, (SELECT COALESCE(MAX(attempt), 0) + 1 FROM "
      "webhook_attempts WHERE subscription_id = ?1 AND event_seq = ?2), ?3, ?4, ?5, ?6, ?7)");
  if (!a) return a.error();
  a->bind_text(1, attempt.subscription_id);
  a->bind_int(2, attempt.event_seq);
  a->bind_int(3, to_ms(attempt.at));
  a->bind_int(4, attempt.status);
  a->bind_int(5, attempt.latency_ms);
  a->bind_opt_text(6, attempt.error);
  a->bind_text(7, attempt.response);
  return a->run();
}

Result<int> SqlTx::replay_webhook_deliveries(const Id& subscription,
                                             std::optional<std::int64_t> event_seq, Timestamp now) {
  auto q = prepare(
      cat("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2, "
          "claimed_until = NULL, updated_at = ?2 WHERE subscription_id = ?1 AND status = 'dead'",
          event_seq ? " AND event_seq = ?3" : ""));
  if (!q) return q.error();
  q->bind_text(1, subscription);
  q->bind_int(2, to_ms(now));
  if (event_seq) q->bind_int(3, *event_seq);
  if (auto r = q->run(); !r) return r.error();
  return q->changes();
}

}  // namespace leadproc::sql
