// The upkeep of the SQLite term index (search_terms.h), which insert_opportunity and
// update_opportunity call (the search itself is in tx_opportunities.cpp).
#include "codec/json_codec.h"
#include "domain/search_text.h"
#include "storage/sql/columns.h"
#include "storage/sqlite/search_terms.h"

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
  struct Row {
    Id id;
    std::vector<std::string> terms;
  };
  std::vector<Row> rows;
  {
    auto q = c.query("SELECT id, doc FROM opportunities WHERE search_terms IS NULL");
    if (!q) return q.error();
    for (;;) {
      auto more = q->step();
      if (!more) return more.error();
      if (!*more) break;
      auto doc = sql::parse_object(q->text_at(1), "opportunities.doc");
      if (!doc) return doc.error();
      rows.push_back({q->text_at(0), search_terms(codec::opportunity_from_json(*doc))});
    }
  }
  for (const auto& row : rows) {
    if (auto s = reindex_terms(c, row.id, {}, row.terms); !s) return s;
    auto q = c.query("UPDATE opportunities SET search_terms = ?2 WHERE id = ?1");
    if (!q) return q.error();
    q->bind_text(1, row.id);
    q->bind_text(2, join_terms(row.terms));
    if (auto s = q->run(); !s) return s;
  }
  return ok_status();
}

}  // namespace leadproc::sqlite
