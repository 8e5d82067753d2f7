// SqlTx: weburls (page URL -> destination marking, with hit counts).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "id, url, consumed, destination_id, destination_name, hits, last_hit_at, created_at, "
    "updated_at";

Result<WebUrl> read_weburl(const Row& q) {
  WebUrl w;
  w.id = q.text_at(0);
  w.url = q.text_at(1);
  w.consumed = q.bool_at(2);
  if (!q.is_null(3)) w.destination = NamedRef{q.text_at(3), q.text_at(4)};
  w.hits = q.int_at(5);
  w.last_hit_at = from_ms(q.opt_int_at(6));
  w.created_at = from_ms(q.int_at(7));
  w.updated_at = from_ms(q.int_at(8));
  return w;
}

void bind_weburl(Stmt& q, const WebUrl& w) {
  q.bind_text(1, w.id);
  q.bind_text(2, w.url);
  q.bind_bool(3, w.consumed);
  q.bind_opt_text(4, w.destination ? std::optional(w.destination->id) : std::nullopt);
  q.bind_opt_text(5, w.destination ? std::optional(w.destination->name) : std::nullopt);
  q.bind_int(6, w.hits);
  q.bind_opt_int(7, to_ms(w.last_hit_at));
  q.bind_int(8, to_ms(w.created_at));
  q.bind_int(9, to_ms(w.updated_at));
}

}  // namespace

Result<std::optional<WebUrl>> SqlTx::get_weburl(const Id& id) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM weburls WHERE id = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<WebUrl>(*q, read_weburl);
}

Result<std::optional<WebUrl>> SqlTx::find_weburl(const std::string& normalized_url) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM weburls WHERE url = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, normalized_url);
  return first<WebUrl>(*q, read_weburl);
}

Result<std::optional<WebUrl>> SqlTx::peek_weburl(const std::string& normalized_url) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM weburls WHERE url = ?1"));
  if (!q) return q.error();
  q->bind_text(1, normalized_url);
  return first<WebUrl>(*q, read_weburl);
}

Status SqlTx::count_weburl_hit(const Id& url_id, Timestamp at, const std::string& day) {
  return weburl_hit(url_id, at, day);
}

Status SqlTx::apply_weburl_hit(const Id& url_id, Timestamp at, const std::string& day) {
  auto q = prepare(
      "UPDATE weburls SET hits = hits + 1, last_hit_at = CASE WHEN last_hit_at IS NULL OR "
      "last_hit_at < ?2 THEN ?2 ELSE last_hit_at END WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, url_id);
  q->bind_int(2, to_ms(at));
  if (auto s = q->run(); !s) return s;
  if (auto s = require_changed(q->changes(), "weburl", url_id); !s) return s;
  return count_weburl_daily_hit(url_id, day);
}

Result<std::vector<WebUrl>> SqlTx::list_weburls(const WebUrlFilter& f) {
  if (f.limit <= 0) return std::vector<WebUrl>{};
  // Two fixed texts rather than "?1 IS NULL OR ...", so that weburls_consumed_hits serves the
  // filtered list in order.
  auto q =
      prepare(cat("SELECT ", kColumns, " FROM weburls", f.consumed ? " WHERE consumed = ?3" : "",
                  " ORDER BY hits DESC, url LIMIT ?1 OFFSET ?2", for_update()));
  if (!q) return q.error();
  q->bind_int(1, f.limit);
  q->bind_int(2, f.offset < 0 ? 0 : f.offset);
  if (f.consumed) q->bind_bool(3, *f.consumed);
  return collect<WebUrl>(*q, read_weburl);
}

Status SqlTx::insert_weburl(const WebUrl& w) {
  auto q = prepare(
      cat("INSERT INTO weburls (", kColumns, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  if (!q) return q.error();
  bind_weburl(*q, w);
  return q->run();
}

Status SqlTx::update_weburl(const WebUrl& w) {
  auto q = prepare(
      "UPDATE weburls SET url = ?2, consumed = ?3, destination_id = ?4, destination_name = ?5, "
      "hits = ?6, last_hit_at = ?7, created_at = ?8, updated_at = ?9 WHERE id = ?1");
  if (!q) return q.error();
  bind_weburl(*q, w);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "weburl", w.id);
}

}  // namespace leadproc::sql
