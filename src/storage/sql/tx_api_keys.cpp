// SqlTx: lead sources' API keys (authentication).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "id, name, key_hash, platform, created_by, revoked, created_at, last_used_at";

Result<ApiKey> read_api_key(const Row& q) {
  ApiKey k;
  k.id = q.text_at(0);
  k.name = q.text_at(1);
  k.key_hash = q.text_at(2);
  auto platform = require(parse_platform(q.text_at(3)), "api_keys.platform", q.text_at(3));
  if (!platform) return platform.error();
  k.platform = *platform;
  k.created_by = q.opt_text_at(4);
  k.revoked = q.bool_at(5);
  k.created_at = from_ms(q.int_at(6));
  k.last_used_at = from_ms(q.opt_int_at(7));
  return k;
}

}  // namespace

Result<std::optional<ApiKey>> SqlTx::get_api_key(const Id& id) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM api_keys WHERE id = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<ApiKey>(*q, read_api_key);
}

Result<std::optional<ApiKey>> SqlTx::find_api_key(const std::string& key_hash) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM api_keys WHERE key_hash = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, key_hash);
  return first<ApiKey>(*q, read_api_key);
}

Result<std::vector<ApiKey>> SqlTx::list_api_keys() {
  auto q = prepare(cat("SELECT ", kColumns, " FROM api_keys ORDER BY id", for_update()));
  if (!q) return q.error();
  return collect<ApiKey>(*q, read_api_key);
}

Status SqlTx::insert_api_key(const ApiKey& k) {
  auto q =
      prepare(cat("INSERT INTO api_keys (", kColumns, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  if (!q) return q.error();
  q->bind_text(1, k.id);
  q->bind_text(2, k.name);
  q->bind_text(3, k.key_hash);
  q->bind_text(4, to_string(k.platform));
  q->bind_opt_text(5, k.created_by);
  q->bind_bool(6, k.revoked);
  q->bind_int(7, to_ms(k.created_at));
  q->bind_opt_int(8, to_ms(k.last_used_at));
  return q->run();
}

Status SqlTx::update_api_key(const ApiKey& k) {
  auto q = prepare(
      "UPDATE api_keys SET name = ?2, platform = ?3, created_by = ?4, revoked = ?5, "
      "created_at = ?6, last_used_at = ?7 WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, k.id);
  q->bind_text(2, k.name);
  q->bind_text(3, to_string(k.platform));
  q->bind_opt_text(4, k.created_by);
  q->bind_bool(5, k.revoked);
  q->bind_int(6, to_ms(k.created_at));
  q->bind_opt_int(7, to_ms(k.last_used_at));
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "api key", k.id);
}

}  // namespace leadproc::sql
