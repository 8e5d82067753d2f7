// Opens the store a database URL names: `sqlite:PATH` (or a bare path ending in .db), or
// `postgresql://...` / `postgres://...` (libpq's URL, plus leadproc's pool_size, pool_wait_ms and
// statement_timeout_ms parameters; see docs/operations.md).
#pragma once

#include <memory>
#include <string>

#include "app/store.h"

namespace leadproc::cli {

// The SQLite settings of Settings (settings.h), ignored for PostgreSQL.
struct SqliteTuning {
  int group_commit = 64;         // SqliteOptions::max_batch
  bool wal_write_buffer = true;  // SqliteOptions::buffer_wal_writes
  int cache_mib = 16;            // SqliteOptions::writer_cache_mib
  int mmap_mib = 1024;           // SqliteOptions::mmap_mib
  bool writer_cpu = false;       // SqliteOptions::dedicated_writer_cpu (the server turns it on)
};

Result<std::unique_ptr<Store>> open_store(const std::string& database_url,
                                          const SqliteTuning& sqlite = {});

}  // namespace leadproc::cli
