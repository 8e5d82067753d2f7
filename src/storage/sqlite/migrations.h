// Versioned schema migrations of the SQLite adapter. Each migration is a numbered block of SQL
// applied in one transaction together with its row in `schema_migrations(version, applied_at)`;
// a block is never edited once released (add a new one instead).
#pragma once

#include <span>
#include <string_view>

#include "domain/result.h"
#include "storage/sqlite/connection.h"

namespace leadproc::sqlite {

using Migration = sql::Migration<Connection>;

// Every migration, in version order.
std::span<const Migration> migrations();

// Applies the migrations not yet recorded in `schema_migrations`, each in its own BEGIN
// IMMEDIATE transaction (so two processes migrating at once apply each block once). Idempotent.
// Returns the schema version reached; an error if the database is newer than this binary.
// The caller must hold the writer connection exclusively.
Result<int> migrate(Connection& conn);

}  // namespace leadproc::sqlite
