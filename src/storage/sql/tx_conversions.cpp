// SqlTx: conversions back to the ad platforms and their settings (migration 25;
// docs/conversions.md). On PostgreSQL the claim locks its rows with SKIP LOCKED, so two runs
// never send the same conversion at once; on SQLite the one writer does.
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "c.opp_id, c.platform, c.stage, c.name, c.event_seq, c.event_id, c.event_at, c.click_id, "
    "c.click_at, c.value, c.currency, c.status, c.attempts, c.next_attempt_at, c.claimed_until, "
    "c.reason, c.trace, c.created_at, c.updated_at";

Result<Conversion> read_conversion(const Row& q) {
  Conversion c;
  c.opp_id = q.text_at(0);
  c.platform = q.text_at(1);
  c.stage = q.text_at(2);
  c.name = q.text_at(3);
  c.event_seq = q.int_at(4);
  c.event_id = q.text_at(5);
  c.event_at = from_ms(q.int_at(6));
  c.click_id = q.text_at(7);
  c.click_at = from_ms(q.opt_int_at(8));
  c.value = q.opt_text_at(9);
  c.currency = q.opt_text_at(10);
  c.status = q.text_at(11);
  c.attempts = static_cast<int>(q.int_at(12));
  c.next_attempt_at = from_ms(q.int_at(13));
  c.claimed_until = from_ms(q.opt_int_at(14));
  c.reason = q.opt_text_at(15);
  c.trace = q.opt_text_at(16);
  c.created_at = from_ms(q.int_at(17));
  c.updated_at = from_ms(q.int_at(18));
  return c;
}

}  // namespace

Result<std::optional<std::string>> SqlTx::get_conversion_settings() {
  auto q = prepare("SELECT doc FROM conversion_settings WHERE id = 1");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{q->text_at(0)};
}

Status SqlTx::put_conversion_settings(const std::string& doc, Timestamp at) {
  auto q = prepare(
      "INSERT INTO conversion_settings (id, doc, updated_at) VALUES (1, ?1, ?2) "
      "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at");
  if (!q) return q.error();
  q->bind_text(1, doc);
  q->bind_int(2, to_ms(at));
  return q->run();
}

Result<std::vector<Conversion>> SqlTx::list_conversions(const ConversionFilter& f) {
  if (f.limit <= 0) return std::vector<Conversion>{};
  // The optional filters take ?4 on, in the order they are present (each number used once).
  std::string where = "(c.event_seq > ?1 OR (c.event_seq = ?1 AND c.platform > CAST(?2 AS TEXT)))";
  std::vector<const std::string*> values;
  const auto add = [&](std::string_view column, const std::optional<std::string>& v) {
    if (!v) return;
    values.push_back(&*v);
    where += cat(" AND c.", column, " = ?", std::to_string(values.size() + 3));
  };
  add("opp_id", f.opp_id);
  add("platform", f.platform);
  add("status", f.status);
  auto q = prepare(cat("SELECT ", kColumns, " FROM conversions c WHERE ", where,
                       " ORDER BY c.event_seq, c.platform LIMIT ?3"));
  if (!q) return q.error();
  q->bind_int(1, f.after_seq);
  q->bind_text(2, f.after_platform);
  q->bind_int(3, f.limit);
  for (std::size_t i = 0; i < values.size(); ++i) q->bind_text(static_cast<int>(i) + 4, *values[i]);
  return collect<Conversion>(*q, read_conversion);
}

Result<bool> SqlTx::insert_conversion(const Conversion& c) {
  auto q = prepare(
      "INSERT INTO conversions (opp_id, platform, stage, name, event_seq, event_id, event_at, "
      "click_id, click_at, value, currency, status, attempts, next_attempt_at, claimed_until, "
      "reason, trace, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
      "?11, ?12, ?13, ?14, NULL, ?15, ?16, ?17, ?17) ON CONFLICT DO NOTHING");
  if (!q) return q.error();
  q->bind_text(1, c.opp_id);
  q->bind_text(2, c.platform);
  q->bind_text(3, c.stage);
  q->bind_text(4, c.name);
  q->bind_int(5, c.event_seq);
  q->bind_text(6, c.event_id);
  q->bind_int(7, to_ms(c.event_at));
  q->bind_text(8, c.click_id);
  q->bind_opt_int(9, to_ms(c.click_at));
  q->bind_opt_text(10, c.value);
  q->bind_opt_text(11, c.currency);
  q->bind_text(12, c.status);
  q->bind_int(13, c.attempts);
  q->bind_int(14, to_ms(c.next_attempt_at));
  q->bind_opt_text(15, c.reason);
  q->bind_opt_text(16, c.trace);
  q->bind_int(17, to_ms(c.created_at));
  if (auto s = q->run(); !s) return s.error();
  return q->changes() == 1;
}

Result<std::vector<Conversion>> SqlTx::claim_conversions(const std::string& platform, Timestamp now,
                                                         Timestamp lease, int limit) {
  if (limit <= 0) return std::vector<Conversion>{};
  // First of its opportunity: an earlier stage still pending (failing, backed off) holds the
  // later ones back, and so does an earlier event not yet fanned out (PostgreSQL: another
  // instance's fan-out may commit after this one's): all stages in order.
  auto q = prepare(
      cat("SELECT ", kColumns,
          " FROM conversions c WHERE c.platform = ?1 AND c.status = 'pending' "
          "AND c.next_attempt_at <= ?2 AND (c.claimed_until IS NULL OR c.claimed_until <= ?2) "
          "AND NOT EXISTS (SELECT 1 FROM conversions e WHERE e.opp_id = c.opp_id "
          "AND e.platform = c.platform AND e.status = 'pending' AND e.event_seq < c.event_seq) "
          "AND NOT EXISTS (SELECT 1 FROM outbox_events u WHERE u.fanned_out = FALSE "
          "AND u.opp_id = c.opp_id AND u.seq < c.event_seq) "
          "ORDER BY c.event_seq LIMIT ?3",
          locking() ? " FOR UPDATE OF c SKIP LOCKED" : ""));
  if (!q) return q.error();
  q->bind_text(1, platform);
  q->bind_int(2, to_ms(now));
  q->bind_int(3, limit);
  auto rows = collect<Conversion>(*q, read_conversion);
  if (!rows) return rows;
  for (auto& c : *rows) {
    auto claim = prepare(
        "UPDATE conversions SET claimed_until = ?4 WHERE opp_id = ?1 AND platform = ?2 AND "
        "stage = ?3");
    if (!claim) return claim.error();
    claim->bind_text(1, c.opp_id);
    claim->bind_text(2, c.platform);
    claim->bind_text(3, c.stage);
    claim->bind_int(4, to_ms(lease));
    if (auto r = claim->run(); !r) return r.error();
    c.claimed_until = lease;
  }
  return rows;
}

Status SqlTx::finish_conversion(const Conversion& c) {
  auto q = prepare(
      "UPDATE conversions SET status = ?4, attempts = ?5, next_attempt_at = ?6, "
      "claimed_until = NULL, reason = ?7, trace = ?8, updated_at = ?9 "
      "WHERE opp_id = ?1 AND platform = ?2 AND stage = ?3");
  if (!q) return q.error();
  q->bind_text(1, c.opp_id);
  q->bind_text(2, c.platform);
  q->bind_text(3, c.stage);
  q->bind_text(4, c.status);
  q->bind_int(5, c.attempts);
  q->bind_int(6, to_ms(c.next_attempt_at));
  q->bind_opt_text(7, c.reason);
  q->bind_opt_text(8, c.trace);
  q->bind_int(9, to_ms(c.updated_at));
  if (auto r = q->run(); !r) return r;
  if (q->changes() != 1)
    return Error::not_found("no conversion " + c.platform + "/" + c.stage + " of " + c.opp_id);
  return ok_status();
}

}  // namespace leadproc::sql
