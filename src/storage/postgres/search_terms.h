// The PostgreSQL adapter's index of search terms (domain/search_text.h; migration 10), the same
// as the SQLite adapter's (storage/sqlite/search_terms.h): opportunity_terms(term, opp_id) with
// its primary key, and opportunities.search_terms, the terms an opportunity is indexed under.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"
#include "storage/postgres/connection.h"

namespace leadproc::postgres {

// Runs one statement (PgTx::run in a transaction, the connection in a migration).
using RunSql = std::function<Result<Rows>(std::string_view, const Params&)>;

// Replaces the term rows of `opp_id` from `before` to `after` (both sorted): two statements at
// most, whatever the number of terms.
Status reindex_terms(const RunSql& run, const Id& opp_id, const std::vector<std::string>& before,
                     const std::vector<std::string>& after);

// Migration 10's backfill: indexes every opportunity stored before it (search_terms IS NULL).
Status backfill_search_terms(Connection& c);

}  // namespace leadproc::postgres
