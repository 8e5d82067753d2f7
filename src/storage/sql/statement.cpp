#include "storage/sql/statement.h"

namespace leadproc::sql {

Status Stmt::run() {
  auto r = step();
  if (!r) return r.error();
  if (*r) return Error::internal("statement returned rows: " + std::string(s_->sql()));
  return ok_status();
}

}  // namespace leadproc::sql
