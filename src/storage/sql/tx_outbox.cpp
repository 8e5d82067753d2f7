// SqlTx: the outbox (app/store.h "Outbox"; migration 17). Events are written in the transaction
// of the change that raised them, one row each, with the body every subscriber receives.
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

}  // namespace leadproc::sql
