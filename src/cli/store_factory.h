// Opens the store a database URL names: `sqlite:PATH` (or a bare path ending in .db), or
// `postgresql://...` / `postgres://...` (libpq's URL, plus leadproc's pool_size, pool_wait_ms and
// statement_timeout_ms parameters; see docs/operations.md).
#pragma once

#include <memory>
#include <string>

#include "app/store.h"

namespace leadproc::cli {

Result<std::unique_ptr<Store>> open_store(const std::string& database_url);

}  // namespace leadproc::cli
