// The upkeep of the SQLite term index (search_terms.h), which insert_opportunity and
// update_opportunity call (the search itself is in tx_opportunities.cpp).
#include "domain/search_text.h"
#include "storage/sql/columns.h"
#include "storage/sqlite/search_terms.h"
#include "storage/sqlite/stored_opportunities.h"

namespace leadproc::sqlite {

Status reindex_terms(Connection& c, const Id& opp_id, const std::vector<std::string>& before,
                     const std::vector<std::string>& after) {
  auto [gone, added] = term_changes(before, after);
  for (const auto& term : gone) {
    auto q = c.query("DELETE FROM opportunity_terms WHERE term = ?1 AND opp_id = ?2");
    if (!q) return q.error();
    q->bind_text(1, term);
    q->bind_text(2, opp_id);
    if (auto s = q->run(); !s) return s;
  }
  for (const auto& term : added) {
    auto q = c.query("INSERT OR IGNORE INTO opportunity_terms (term, opp_id) VALUES (?1, ?2)");
    if (!q) return q.error();
    q->bind_text(1, term);
    q->bind_text(2, opp_id);
    if (auto s = q->run(); !s) return s;
  }
  return ok_status();
}

Status backfill_search_terms(Connection& c) {
  auto rows = stored_opportunities(c, "search_terms IS NULL");
  if (!rows) return rows.error();
  for (const auto& [id, opp] : *rows) {
    const auto terms = search_terms(opp);
    if (auto s = reindex_terms(c, id, {}, terms); !s) return s;
    auto q = c.query("UPDATE opportunities SET search_terms = ?2 WHERE id = ?1");
    if (!q) return q.error();
    q->bind_text(1, id);
    q->bind_text(2, join_terms(terms));
    if (auto s = q->run(); !s) return s;
  }
  return ok_status();
}

}  // namespace leadproc::sqlite
