// SqliteTx: idempotency keys (the first answer to a request, replayed for a repeat).
#include "storage/sqlite/columns.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {

Result<std::optional<IdempotencyRecord>> SqliteTx::find_idempotency(const std::string& key) {
  auto q = c_.query(
      "SELECT key, request_hash, status, response_body, created_at FROM idempotency_keys "
      "WHERE key = ?1");
  if (!q) return q.error();
  q->bind_text(1, key);
  return first<IdempotencyRecord>(*q, [](const Query& row) -> Result<IdempotencyRecord> {
    return IdempotencyRecord{row.text_at(0), row.text_at(1), static_cast<int>(row.int_at(2)),
                             row.text_at(3), from_ms(row.int_at(4))};
  });
}

Status SqliteTx::save_idempotency(const IdempotencyRecord& r) {
  auto q = c_.query(
      "INSERT INTO idempotency_keys (key, request_hash, status, response_body, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (key) DO UPDATE SET "
      "request_hash = excluded.request_hash, status = excluded.status, "
      "response_body = excluded.response_body, created_at = excluded.created_at");
  if (!q) return q.error();
  q->bind_text(1, r.key);
  q->bind_text(2, r.request_hash);
  q->bind_int(3, r.status);
  q->bind_text(4, r.response_body);
  q->bind_int(5, to_ms(r.created_at));
  return q->run();
}

}  // namespace leadproc::sqlite
