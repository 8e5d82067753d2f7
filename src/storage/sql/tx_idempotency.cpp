// SqlTx: idempotency keys (the first answer to a request, replayed for a repeat), scoped to
// the caller that sent them: the primary key is (scope, key).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {

Result<std::optional<IdempotencyRecord>> SqlTx::find_idempotency(const std::string& scope,
                                                                 const std::string& key) {
  // A scope never holds '|' ("api-key:<id>", "user:<id>", ""), so the lock's name is unambiguous.
  if (auto s = lock_key(LockKind::kIdempotency, scope, key); !s) return s.error();
  auto q = prepare(
      "SELECT scope, key, request_hash, status, response_body, created_at FROM idempotency_records "
      "WHERE scope = ?1 AND key = ?2");
  if (!q) return q.error();
  q->bind_text(1, scope);
  q->bind_text(2, key);
  return first<IdempotencyRecord>(*q, [](const Row& row) -> Result<IdempotencyRecord> {
    return IdempotencyRecord{row.text_at(0), row.text_at(1),
                             row.text_at(2), static_cast<int>(row.int_at(3)),
                             row.text_at(4), from_ms(row.int_at(5))};
  });
}

Status SqlTx::save_idempotency(const IdempotencyRecord& r) {
  auto q = prepare(
      "INSERT INTO idempotency_records (scope, key, request_hash, status, response_body, "
      "created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (scope, key) DO UPDATE SET "
      "request_hash = excluded.request_hash, status = excluded.status, "
      "response_body = excluded.response_body, created_at = excluded.created_at");
  if (!q) return q.error();
  q->bind_text(1, r.scope);
  q->bind_text(2, r.key);
  q->bind_text(3, r.request_hash);
  q->bind_int(4, r.status);
  q->bind_text(5, r.response_body);
  q->bind_int(6, to_ms(r.created_at));
  return q->run();
}

Result<int> SqlTx::purge_idempotency(Timestamp before, int limit) {
  // idempotency_records_created (migration 9) finds the oldest; the key deletes them.
  auto q = prepare(
      "DELETE FROM idempotency_records WHERE (scope, key) IN (SELECT scope, key FROM "
      "idempotency_records WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)");
  if (!q) return q.error();
  q->bind_int(1, to_ms(before));
  q->bind_int(2, limit);
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

}  // namespace leadproc::sql
