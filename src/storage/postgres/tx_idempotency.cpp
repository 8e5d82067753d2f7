// PgTx: idempotency keys (the first answer to a request, replayed for a repeat), scoped to the
// caller that sent them: the primary key is (scope, key). In a write transaction the caller's key
// is advisory-locked before the lookup, so a request retried while the first is still running
// waits for it and then replays its answer, on any instance; another caller's same key takes
// another lock and never waits for it.
#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {

Result<std::optional<IdempotencyRecord>> PgTx::find_idempotency(const std::string& scope,
                                                                const std::string& key) {
  // A scope never holds '|' ("api-key:<id>", "user:<id>", ""), so the name is unambiguous.
  if (auto s = advisory_lock(LockKind::kIdempotency, scope + "|" + key); !s) return s.error();
  auto rows = run(
      "SELECT scope, key, request_hash, status, response_body, created_at FROM idempotency_records "
      "WHERE scope = $1 AND key = $2",
      Params().text(scope).text(key));
  if (!rows) return rows.error();
  return first<IdempotencyRecord>(*rows, [](const Row& row) -> Result<IdempotencyRecord> {
    return IdempotencyRecord{row.text_at(0), row.text_at(1),
                             row.text_at(2), static_cast<int>(row.int_at(3)),
                             row.text_at(4), from_ms(row.int_at(5))};
  });
}

Status PgTx::save_idempotency(const IdempotencyRecord& r) {
  auto rows =
      run("INSERT INTO idempotency_records (scope, key, request_hash, status, response_body, "
          "created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO UPDATE SET "
          "request_hash = excluded.request_hash, status = excluded.status, "
          "response_body = excluded.response_body, created_at = excluded.created_at",
          Params()
              .text(r.scope)
              .text(r.key)
              .text(r.request_hash)
              .integer(r.status)
              .text(r.response_body)
              .integer(to_ms(r.created_at)));
  if (!rows) return rows.error();
  return ok_status();
}

}  // namespace leadproc::postgres
