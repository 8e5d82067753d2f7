// PgTx: weburls (page URL -> destination marking, with hit counts). Row-locked in a write
// transaction: every lead from a page counts a hit on its row.
#include "storage/postgres/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kColumns =
    "id, url, consumed, destination_id, destination_name, hits, last_hit_at, created_at, "
    "updated_at";

Result<WebUrl> read_weburl(const Row& r) {
  WebUrl w;
  w.id = r.text_at(0);
  w.url = r.text_at(1);
  w.consumed = r.bool_at(2);
  if (!r.is_null(3)) w.destination = NamedRef{r.text_at(3), r.text_at(4)};
  w.hits = r.int_at(5);
  w.last_hit_at = from_ms(r.opt_int_at(6));
  w.created_at = from_ms(r.int_at(7));
  w.updated_at = from_ms(r.int_at(8));
  return w;
}

Params weburl_params(const WebUrl& w) {
  Params p;
  p.text(w.id)
      .text(w.url)
      .boolean(w.consumed)
      .opt_text(w.destination ? std::optional(w.destination->id) : std::nullopt)
      .opt_text(w.destination ? std::optional(w.destination->name) : std::nullopt)
      .integer(w.hits)
      .opt_integer(to_ms(w.last_hit_at))
      .integer(to_ms(w.created_at))
      .integer(to_ms(w.updated_at));
  return p;
}

}  // namespace

Result<std::optional<WebUrl>> PgTx::get_weburl(const Id& id) {
  auto rows =
      run(cat("SELECT ", kColumns, " FROM weburls WHERE id = $1", for_update()), Params().text(id));
  if (!rows) return rows.error();
  return first<WebUrl>(*rows, read_weburl);
}

Result<std::optional<WebUrl>> PgTx::find_weburl(const std::string& normalized_url) {
  auto rows = run(cat("SELECT ", kColumns, " FROM weburls WHERE url = $1", for_update()),
                  Params().text(normalized_url));
  if (!rows) return rows.error();
  return first<WebUrl>(*rows, read_weburl);
}

Result<std::vector<WebUrl>> PgTx::list_weburls(const WebUrlFilter& f) {
  if (f.limit <= 0) return std::vector<WebUrl>{};
  // Two fixed texts rather than "$3 IS NULL OR ...", so that weburls_consumed_hits serves the
  // filtered list in order.
  Params p;
  p.integer(f.limit).integer(f.offset < 0 ? 0 : f.offset);
  if (f.consumed) p.boolean(*f.consumed);
  auto rows =
      run(cat("SELECT ", kColumns, " FROM weburls", f.consumed ? " WHERE consumed = $3" : "",
              " ORDER BY hits DESC, url LIMIT $1 OFFSET $2", for_update()),
          p);
  if (!rows) return rows.error();
  return collect<WebUrl>(*rows, read_weburl);
}

Status PgTx::insert_weburl(const WebUrl& w) {
  auto rows =
      run(cat("INSERT INTO weburls (", kColumns, ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
          weburl_params(w));
  if (!rows) return rows.error();
  return ok_status();
}

Status PgTx::update_weburl(const WebUrl& w) {
  auto rows =
      run("UPDATE weburls SET url = $2, consumed = $3, destination_id = $4, destination_name = $5, "
          "hits = $6, last_hit_at = $7, created_at = $8, updated_at = $9 WHERE id = $1",
          weburl_params(w));
  if (!rows) return rows.error();
  return require_changed(rows->affected(), "weburl", w.id);
}

}  // namespace leadproc::postgres
