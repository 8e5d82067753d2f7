// SqlTx: live events (app/store.h "Live events"; migration 12). Written in the transaction of the
// change that raised them; each adapter hands them on once committed (live_event_written).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns = "id, recipient, type, opp_id, created_at, data";

Result<LiveEvent> read_live_event(const Row& q) {
  LiveEvent e;
  e.id = q.int_at(0);
  e.recipient = q.text_at(1);
  e.type = q.text_at(2);
  e.opp_id = q.opt_text_at(3);
  e.at = from_ms(q.int_at(4));
  e.data = q.text_at(5);
  return e;
}

}  // namespace

Result<std::vector<LiveEvent>> SqlTx::live_events_after(std::int64_t after_id,
                                                        const std::vector<std::string>& recipients,
                                                        int limit) {
  if (recipients.empty() || limit <= 0) return std::vector<LiveEvent>{};
  // A range of the primary key, filtered: replay covers a short gap, so no recipient index is
  // kept (each lead would pay for it).
  auto q = prepare(cat("SELECT ", kColumns,
                       " FROM live_events WHERE id > ?1 AND (recipient = ?2 OR recipient = ?3) "
                       "ORDER BY id LIMIT ?4"));
  if (!q) return q.error();
  q->bind_int(1, after_id);
  q->bind_text(2, recipients[0]);
  q->bind_text(3, recipients.size() > 1 ? recipients[1] : recipients[0]);
  q->bind_int(4, limit);
  return collect<LiveEvent>(*q, read_live_event);
}

Result<LiveEventBounds> SqlTx::live_event_bounds() {
  auto q = prepare("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM live_events");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  return LiveEventBounds{q->int_at(0), q->int_at(1)};
}

Result<std::int64_t> SqlTx::insert_live_event(const LiveEvent& e) {
  auto q = prepare(
      "INSERT INTO live_events (recipient, type, opp_id, created_at, data) "
      "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
  if (!q) return q.error();
  q->bind_text(1, e.recipient);
  q->bind_text(2, e.type);
  q->bind_opt_text(3, e.opp_id);
  q->bind_int(4, to_ms(e.at));
  q->bind_text(5, e.data);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return Error::internal("INSERT INTO live_events returned no id");
  LiveEvent written = e;
  written.id = q->int_at(0);
  if (auto done = q->step(); !done) return done.error();
  if (auto s = live_event_written(written); !s) return s.error();
  return written.id;
}

Result<int> SqlTx::purge_live_events(Timestamp before) {
  auto q = prepare(
      "DELETE FROM live_events WHERE created_at < ?1 "
      "AND id < (SELECT MAX(id) FROM live_events)");
  if (!q) return q.error();
  q->bind_int(1, to_ms(before));
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

}  // namespace leadproc::sql
