// PgTx: notes (the spec's opportunitynotes), append-only (never updated: no locks).
#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kColumns = "id, opp_id, note, created_by, created_at, updated_at";

Result<Note> read_note(const Row& r) {
  Note n;
  n.id = r.text_at(0);
  n.opp_id = r.text_at(1);
  n.note = r.text_at(2);
  n.created_by = r.opt_text_at(3);
  n.created_at = from_ms(r.int_at(4));
  n.updated_at = from_ms(r.int_at(5));
  return n;
}

}  // namespace

Result<std::vector<Note>> PgTx::list_notes(const Id& opp_id, const Page& page) {
  if (page.limit <= 0) return std::vector<Note>{};
  // Two fixed texts (with or without the cursor) so that notes_opp serves both in order.
  Params p;
  p.text(opp_id).integer(page.limit);
  if (page.after) p.text(*page.after);
  auto rows = run(cat("SELECT ", kColumns, " FROM notes WHERE opp_id = $1",
                      page.after ? " AND id < $3" : "", " ORDER BY id DESC LIMIT $2"),
                  p);
  if (!rows) return rows.error();
  return collect<Note>(*rows, read_note);
}

Status PgTx::insert_note(const Note& n) {
  auto rows = run(cat("INSERT INTO notes (", kColumns, ") VALUES ($1, $2, $3, $4, $5, $6)"),
                  Params()
                      .text(n.id)
                      .text(n.opp_id)
                      .text(n.note)
                      .opt_text(n.created_by)
                      .integer(to_ms(n.created_at))
                      .integer(to_ms(n.updated_at)));
  if (!rows) return rows.error();
  return ok_status();
}

}  // namespace leadproc::postgres
