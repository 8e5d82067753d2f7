// SqlTx: notes (the spec's opportunitynotes), append-only.
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns = "id, opp_id, note, created_by, created_at, updated_at";

Result<Note> read_note(const Row& q) {
  Note n;
  n.id = q.text_at(0);
  n.opp_id = q.text_at(1);
  n.note = q.text_at(2);
  n.created_by = q.opt_text_at(3);
  n.created_at = from_ms(q.int_at(4));
  n.updated_at = from_ms(q.int_at(5));
  return n;
}

}  // namespace

Result<std::vector<Note>> SqlTx::list_notes(const Id& opp_id, const Page& page) {
  if (page.limit <= 0) return std::vector<Note>{};
  // Two fixed texts (with or without the cursor) so that notes_opp serves both in order.
  auto q = prepare(cat("SELECT ", kColumns, " FROM notes WHERE opp_id = ?1",
                       page.after ? " AND id < ?3" : "", " ORDER BY id DESC LIMIT ?2"));
  if (!q) return q.error();
  q->bind_text(1, opp_id);
  q->bind_int(2, page.limit);
  if (page.after) q->bind_text(3, *page.after);
  return collect<Note>(*q, read_note);
}

Status SqlTx::insert_note(const Note& n) {
  auto q = prepare(cat("INSERT INTO notes (", kColumns, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  if (!q) return q.error();
  q->bind_text(1, n.id);
  q->bind_text(2, n.opp_id);
  q->bind_text(3, n.note);
  q->bind_opt_text(4, n.created_by);
  q->bind_int(5, to_ms(n.created_at));
  q->bind_int(6, to_ms(n.updated_at));
  return q->run();
}

}  // namespace leadproc::sql
