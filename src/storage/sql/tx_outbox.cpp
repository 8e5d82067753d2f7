// SqlTx: the outbox (app/ports/webhooks.h; migration 17). Events are written in the transaction
// of the change that raised them, one row each, with the body every subscriber receives, and
// deleted by the retention job once nothing needs them (app/retention.h).
#include <algorithm>
#include <utility>
#include <vector>

#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "seq, id, type, opp_id, process, destination, platform, created_at, body";

Result<OutboxEvent> read_outbox_event(const Row& q) {
  OutboxEvent e;
  e.seq = q.int_at(0);
  e.id = q.text_at(1);
  e.type = q.text_at(2);
  e.opp_id = q.opt_text_at(3);
  e.process = q.opt_text_at(4);
  e.destination = q.opt_text_at(5);
  e.platform = q.opt_text_at(6);
  e.at = from_ms(q.int_at(7));
  e.body = q.text_at(8);
  return e;
}

}  // namespace

Result<std::vector<OutboxEvent>> SqlTx::outbox_events_after(std::int64_t after_seq, int limit) {
  if (limit <= 0) return std::vector<OutboxEvent>{};
  auto q =
      prepare(cat("SELECT ", kColumns, " FROM outbox_events WHERE seq > ?1 ORDER BY seq LIMIT ?2"));
  if (!q) return q.error();
  q->bind_int(1, after_seq);
  q->bind_int(2, limit);
  return collect<OutboxEvent>(*q, read_outbox_event);
}

Status SqlTx::insert_outbox_event(const OutboxEvent& e) {
  auto q = prepare(
      "INSERT INTO outbox_events (id, type, opp_id, process, destination, platform, created_at, "
      "body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!q) return q.error();
  q->bind_text(1, e.id);
  q->bind_text(2, e.type);
  q->bind_opt_text(3, e.opp_id);
  q->bind_opt_text(4, e.process);
  q->bind_opt_text(5, e.destination);
  q->bind_opt_text(6, e.platform);
  q->bind_int(7, to_ms(e.at));
  q->bind_text(8, e.body);
  return q->run();
}

Result<int> SqlTx::purge_outbox(Timestamp before, int limit) {
  if (limit <= 0) return 0;
  // The bound: the last of the oldest events before the first one that must stay.
  std::int64_t bound = 0;
  {
    auto q = prepare("SELECT seq, created_at, fanned_out FROM outbox_events ORDER BY seq LIMIT ?1");
    if (!q) return q.error();
    q->bind_int(1, limit);
    for (;;) {
      auto row = q->step();
      if (!row) return row.error();
      if (!*row || q->int_at(1) >= to_ms(before) || !q->bool_at(2)) break;
      bound = q->int_at(0);
    }
  }
  if (bound == 0) return 0;
  std::vector<std::pair<Id, bool>> subscriptions;  // id, enabled
  {
    auto q = prepare("SELECT id, enabled FROM webhook_subscriptions");
    if (!q) return q.error();
    auto all = collect<std::pair<Id, bool>>(*q, [](const Row& r) -> Result<std::pair<Id, bool>> {
      return std::pair<Id, bool>{r.text_at(0), r.bool_at(1)};
    });
    if (!all) return all.error();
    subscriptions = std::move(*all);
  }
  // An enabled subscription's pending delivery keeps its event and every later one.
  for (const auto& [id, enabled] : subscriptions) {
    if (!enabled) continue;
    auto q = prepare(
        "SELECT MIN(event_seq) FROM webhook_deliveries WHERE subscription_id = ?1 "
        "AND event_seq <= ?2 AND status = 'pending'");
    if (!q) return q.error();
    q->bind_text(1, id);
    q->bind_int(2, bound);
    auto row = q->step();
    if (!row) return row.error();
    if (*row && !q->is_null(0)) bound = std::min(bound, q->int_at(0) - 1);
  }
  if (bound <= 0) return 0;
  // Every statement names the events it deletes by the same conditions, so that on PostgreSQL
  // an event committed late with a lower seq (an identity is taken at insert) is not touched: it
  // is new, or not fanned out, and none of its deliveries goes without it.
  constexpr std::string_view kGone =
      "SELECT seq FROM outbox_events WHERE seq <= ?2 AND created_at < ?3 AND fanned_out";
  for (const auto& sub : subscriptions) {
    for (std::string_view table : {"webhook_attempts", "webhook_deliveries"}) {
      auto q = prepare(
          cat("DELETE FROM ", table, " WHERE subscription_id = ?1 AND event_seq IN (", kGone, ")"));
      if (!q) return q.error();
      q->bind_text(1, sub.first);
      q->bind_int(2, bound);
      q->bind_int(3, to_ms(before));
      if (auto s = q->run(); !s) return s.error();
    }
  }
  auto q = prepare("DELETE FROM outbox_events WHERE seq <= ?1 AND created_at < ?2 AND fanned_out");
  if (!q) return q.error();
  q->bind_int(1, bound);
  q->bind_int(2, to_ms(before));
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

}  // namespace leadproc::sql
