// Opens the store a database URL names: `sqlite:PATH` (or a bare path ending in .db).
// PostgreSQL (`postgresql://...`) arrives with its adapter.
#pragma once

#include <memory>
#include <string>

#include "app/store.h"

namespace leadproc::cli {

Result<std::unique_ptr<Store>> open_store(const std::string& database_url);

}  // namespace leadproc::cli
