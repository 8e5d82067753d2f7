// Opens the store a database URL names: `sqlite:PATH` (or a bare path ending in .db), or
// `postgresql://...` / `postgres://...` (libpq's URL, plus leadproc's pool_size, pool_wait_ms and
// statement_timeout_ms parameters; see docs/operations.md).
#pragma once

#include <memory>
#include <string>

#include "app/store.h"

namespace leadproc::cli {

// `sqlite_group_commit`: SqliteOptions::max_batch (ignored for PostgreSQL, whose server groups
// concurrent commits itself).
Result<std::unique_ptr<Store>> open_store(const std::string& database_url,
                                          int sqlite_group_commit = 64);

}  // namespace leadproc::cli
