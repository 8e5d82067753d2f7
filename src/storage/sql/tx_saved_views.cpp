// SqlTx: saved views (a person's named filters of the opportunities list; migration 14).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns = "id, owner, name, query, created_at, updated_at";

Result<SavedView> read_view(const Row& q) {
  SavedView v;
  v.id = q.text_at(0);
  v.owner = q.text_at(1);
  v.name = q.text_at(2);
  v.query = q.text_at(3);
  v.created_at = from_ms(q.int_at(4));
  v.updated_at = from_ms(q.int_at(5));
  return v;
}

void bind_view(Stmt& q, const SavedView& v) {
  q.bind_text(1, v.id);
  q.bind_text(2, v.owner);
  q.bind_text(3, v.name);
  q.bind_text(4, v.query);
  q.bind_int(5, to_ms(v.created_at));
  q.bind_int(6, to_ms(v.updated_at));
}

}  // namespace

Result<std::vector<SavedView>> SqlTx::list_saved_views(const Id& owner) {
  auto q =
      prepare(cat("SELECT ", kColumns, " FROM saved_views WHERE owner = ?1 ORDER BY name, id"));
  if (!q) return q.error();
  q->bind_text(1, owner);
  return collect<SavedView>(*q, read_view);
}

Result<std::optional<SavedView>> SqlTx::get_saved_view(const Id& id) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM saved_views WHERE id = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<SavedView>(*q, read_view);
}

Status SqlTx::insert_saved_view(const SavedView& v) {
  auto q = prepare(cat("INSERT INTO saved_views (", kColumns, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  if (!q) return q.error();
  bind_view(*q, v);
  return q->run();
}

Status SqlTx::update_saved_view(const SavedView& v) {
  auto q = prepare(
      "UPDATE saved_views SET owner = ?2, name = ?3, query = ?4, created_at = ?5, "
      "updated_at = ?6 WHERE id = ?1");
  if (!q) return q.error();
  bind_view(*q, v);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "saved view", v.id);
}

Status SqlTx::delete_saved_view(const Id& id) {
  auto q = prepare("DELETE FROM saved_views WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, id);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "saved view", id);
}

}  // namespace leadproc::sql
