// PgTx: statement execution and advisory locks shared by the per-entity files.
#include "storage/postgres/tx.h"

namespace leadproc::postgres {

Result<Rows> PgTx::run(std::string_view sql, const Params& params) {
  // After a failure the server refuses every statement until ROLLBACK ("current transaction is
  // aborted"); report the failure that aborted it instead.
  if (first_error_) return *first_error_;
  auto rows = c_.query(sql, params);
  if (!rows) {
    failure_ = c_.last_failure();
    first_error_ = rows.error();
  }
  return rows;
}

Status PgTx::advisory_lock(LockKind kind, std::string_view name) {
  if (!locking_) return ok_status();
  // Transaction-scoped locks are held until COMMIT/ROLLBACK: taking one twice is a wasted round
  // trip, so remember what is held.
  if (!held_.emplace(static_cast<int>(kind), std::string(name)).second) return ok_status();
  auto rows = run("SELECT pg_advisory_xact_lock($1::integer, hashtext($2::text))",
                  Params().integer(static_cast<int>(kind)).text(name));
  if (!rows) {
    held_.erase({static_cast<int>(kind), std::string(name)});
    return rows.error();
  }
  return ok_status();
}

}  // namespace leadproc::postgres
