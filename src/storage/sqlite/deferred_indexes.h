// A bulk load's secondary indexes, built after its rows (app/ports/import.h ImportWrites;
// migration 43's deferred_indexes table remembers each dropped index's CREATE statement).
//
// Why: every row of an import inserted into ~20 indexes of `opportunities` whose keys are random
// dirties a page of each; at 200,000 rows that made each row ~2.5x dearer than without them,
// while CREATE INDEX afterwards sorts once and writes each page once (docs/benchmarks.md §36).
// Contract: the drop and its record are one transaction, and so are each build and the removal
// of its record, so a crash at any moment leaves every index either present or remembered; a
// remembered one is built by the next restore (every migrate() runs one).
#pragma once

#include <string_view>

#include "domain/result.h"
#include "storage/sqlite/connection.h"

namespace leadproc::sqlite {

// In the caller's write transaction: drops `table`'s indexes that are not UNIQUE, if the table
// holds no row, and remembers them. How many were dropped.
Result<int> defer_indexes(Connection& c, std::string_view table);

// In the caller's write transaction: builds every remembered index and forgets it. How many.
Result<int> restore_indexes(Connection& c);

// Outside a transaction (migrate()): builds what an interrupted load left, in a write transaction
// of its own, taken only when something is remembered, so that opening a database with nothing
// deferred takes no write lock (a command started beside a running import opens at once).
Status restore_left_indexes(Connection& c);

}  // namespace leadproc::sqlite
