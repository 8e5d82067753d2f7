// PgTx: idempotency keys (the first answer to a request, replayed for a repeat). In a write
// transaction the key is advisory-locked before the lookup, so a request retried while the first
// is still running waits for it and then replays its answer, on any instance.
#include "storage/postgres/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {

Result<std::optional<IdempotencyRecord>> PgTx::find_idempotency(const std::string& key) {
  if (auto s = advisory_lock(LockKind::kIdempotency, key); !s) return s.error();
  auto rows =
      run("SELECT key, request_hash, status, response_body, created_at FROM idempotency_keys "
          "WHERE key = $1",
          Params().text(key));
  if (!rows) return rows.error();
  return first<IdempotencyRecord>(*rows, [](const Row& row) -> Result<IdempotencyRecord> {
    return IdempotencyRecord{row.text_at(0), row.text_at(1), static_cast<int>(row.int_at(2)),
                             row.text_at(3), from_ms(row.int_at(4))};
  });
}

Status PgTx::save_idempotency(const IdempotencyRecord& r) {
  auto rows =
      run("INSERT INTO idempotency_keys (key, request_hash, status, response_body, created_at) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO UPDATE SET "
          "request_hash = excluded.request_hash, status = excluded.status, "
          "response_body = excluded.response_body, created_at = excluded.created_at",
          Params()
              .text(r.key)
              .text(r.request_hash)
              .integer(r.status)
              .text(r.response_body)
              .integer(to_ms(r.created_at)));
  if (!rows) return rows.error();
  return ok_status();
}

}  // namespace leadproc::postgres
