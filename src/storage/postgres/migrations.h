// Versioned schema migrations of the PostgreSQL adapter. Each migration is a numbered block of
// SQL applied in one transaction together with its row in `schema_migrations(version,
// applied_at)`; a block is never edited once released (add a new one instead). The versions are
// the SQLite adapter's: migration N brings both databases to the same logical schema.
#pragma once

#include <span>
#include <string_view>

#include "domain/result.h"
#include "storage/postgres/connection.h"

namespace leadproc::postgres {

using Migration = sql::Migration<Connection>;

// Every migration, in version order.
std::span<const Migration> migrations();

// Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction,
// while holding a session advisory lock, so that instances starting together apply each block
// exactly once (the others wait, then find nothing to do). Idempotent. Returns the highest
// version applied; an error if the database records a version this binary does not know.
// `conn` must not be inside a transaction.
Result<int> migrate(Connection& conn);

}  // namespace leadproc::postgres
