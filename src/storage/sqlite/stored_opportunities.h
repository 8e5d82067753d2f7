// The opportunities already stored, decoded from their documents: what a migration's backfill
// reads to derive the columns it adds from each record (migrations 10, 11 and 15).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "domain/model.h"
#include "storage/sqlite/connection.h"

namespace leadproc::sqlite {

// Every opportunity whose row satisfies `condition` (SQL over the opportunities table's
// columns, e.g. "search_terms IS NULL"; "1 = 1" for all), with its id. Read whole before the
// caller writes, so the caller's UPDATEs never run under an open read of the same table.
Result<std::vector<std::pair<Id, Opportunity>>> stored_opportunities(Connection& c,
                                                                     std::string_view condition);

}  // namespace leadproc::sqlite
