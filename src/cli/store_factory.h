// Opens the store a database URL names: `sqlite:PATH` (or a bare path ending in .db), or
// `postgresql://...` / `postgres://...` (libpq's URL, plus leadproc's pool_size, pool_wait_ms and
// statement_timeout_ms parameters; see docs/operations.md).
#pragma once

#include <memory>
#include <string>

#include "app/store.h"

namespace leadproc::cli {

// `sqlite_group_commit` and `sqlite_wal_write_buffer`: SqliteOptions::max_batch and
// ::buffer_wal_writes (both ignored for PostgreSQL).
Result<std::unique_ptr<Store>> open_store(const std::string& database_url,
                                          int sqlite_group_commit = 64,
                                          bool sqlite_wal_write_buffer = true);

}  // namespace leadproc::cli
