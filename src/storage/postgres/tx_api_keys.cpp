// PgTx: lead sources' API keys (authentication).
#include "storage/postgres/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kColumns =
    "id, name, key_hash, platform, created_by, revoked, created_at, last_used_at";

Result<ApiKey> read_api_key(const Row& r) {
  ApiKey k;
  k.id = r.text_at(0);
  k.name = r.text_at(1);
  k.key_hash = r.text_at(2);
  auto platform = require(parse_platform(r.view_at(3)), "api_keys.platform", r.view_at(3));
  if (!platform) return platform.error();
  k.platform = *platform;
  k.created_by = r.opt_text_at(4);
  k.revoked = r.bool_at(5);
  k.created_at = from_ms(r.int_at(6));
  k.last_used_at = from_ms(r.opt_int_at(7));
  return k;
}

}  // namespace

Result<std::optional<ApiKey>> PgTx::get_api_key(const Id& id) {
  auto rows = run(cat("SELECT ", kColumns, " FROM api_keys WHERE id = $1", for_update()),
                  Params().text(id));
  if (!rows) return rows.error();
  return first<ApiKey>(*rows, read_api_key);
}

Result<std::optional<ApiKey>> PgTx::find_api_key(const std::string& key_hash) {
  auto rows = run(cat("SELECT ", kColumns, " FROM api_keys WHERE key_hash = $1", for_update()),
                  Params().text(key_hash));
  if (!rows) return rows.error();
  return first<ApiKey>(*rows, read_api_key);
}

Result<std::vector<ApiKey>> PgTx::list_api_keys() {
  auto rows = run(cat("SELECT ", kColumns, " FROM api_keys ORDER BY id", for_update()));
  if (!rows) return rows.error();
  return collect<ApiKey>(*rows, read_api_key);
}

Status PgTx::insert_api_key(const ApiKey& k) {
  auto rows =
      run(cat("INSERT INTO api_keys (", kColumns, ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"),
          Params()
              .text(k.id)
              .text(k.name)
              .text(k.key_hash)
              .text(to_string(k.platform))
              .opt_text(k.created_by)
              .boolean(k.revoked)
              .integer(to_ms(k.created_at))
              .opt_integer(to_ms(k.last_used_at)));
  if (!rows) return rows.error();
  return ok_status();
}

Status PgTx::update_api_key(const ApiKey& k) {
  auto rows =
      run("UPDATE api_keys SET name = $2, platform = $3, created_by = $4, revoked = $5, "
          "created_at = $6, last_used_at = $7 WHERE id = $1",
          Params()
              .text(k.id)
              .text(k.name)
              .text(to_string(k.platform))
              .opt_text(k.created_by)
              .boolean(k.revoked)
              .integer(to_ms(k.created_at))
              .opt_integer(to_ms(k.last_used_at)));
  if (!rows) return rows.error();
  return require_changed(rows->affected(), "api key", k.id);
}

}  // namespace leadproc::postgres
