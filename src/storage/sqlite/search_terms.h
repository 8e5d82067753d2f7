// The SQLite adapter's index of search terms (domain/search_text.h; migration 10): the table
// opportunity_terms(term, opp_id), one row per term of an opportunity, whose primary key serves
// every search; opportunities.search_terms holds the terms an opportunity is indexed under, so
// an update rewrites its rows only when its name, email or number changed.
#pragma once

#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/result.h"
#include "storage/sqlite/connection.h"

namespace leadproc::sqlite {

// Replaces the term rows of `opp_id` from `before` to `after` (both sorted, as search_terms()
// gives them): deletes what left, inserts what came.
Status reindex_terms(Connection& c, const Id& opp_id, const std::vector<std::string>& before,
                     const std::vector<std::string>& after);

// Migration 10's backfill: indexes every opportunity stored before it (search_terms IS NULL).
Status backfill_search_terms(Connection& c);

}  // namespace leadproc::sqlite
