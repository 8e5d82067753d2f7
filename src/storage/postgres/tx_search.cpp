// The upkeep of the PostgreSQL term index (search_terms.h), which insert_opportunity and
// update_opportunity call (the search itself is in tx_opportunities.cpp).
#include "codec/json_codec.h"
#include "domain/search_text.h"
#include "storage/postgres/search_terms.h"
#include "storage/sql/columns.h"

namespace leadproc::postgres {

Status reindex_terms(const RunSql& run, const Id& opp_id, const std::vector<std::string>& before,
                     const std::vector<std::string>& after) {
  // The terms travel as one text joined by U+001F (join_terms), split by the server.
  auto [gone, added] = term_changes(before, after);
  if (!gone.empty()) {
    auto rows =
        run("DELETE FROM opportunity_terms WHERE opp_id = $1 "
            "AND term = ANY (string_to_array($2, chr(31)))",
            Params().text(opp_id).text(join_terms(gone)));
    if (!rows) return rows.error();
  }
  if (!added.empty()) {
    auto rows =
        run("INSERT INTO opportunity_terms (term, opp_id) "
            "SELECT t, $1 FROM unnest(string_to_array($2, chr(31))) AS t ON CONFLICT DO NOTHING",
            Params().text(opp_id).text(join_terms(added)));
    if (!rows) return rows.error();
  }
  return ok_status();
}

Status backfill_search_terms(Connection& c) {
  auto rows = c.query("SELECT id, doc FROM opportunities WHERE search_terms IS NULL");
  if (!rows) return rows.error();
  RunSql run = [&c](std::string_view sql, const Params& p) { return c.query(sql, p); };
  for (int i = 0; i < rows->size(); ++i) {
    auto doc = sql::parse_object((*rows)[i].view_at(1), "opportunities.doc");
    if (!doc) return doc.error();
    auto id = (*rows)[i].text_at(0);
    auto terms = search_terms(codec::opportunity_from_json(*doc));
    if (auto s = reindex_terms(run, id, {}, terms); !s) return s;
    auto updated = c.query("UPDATE opportunities SET search_terms = $2 WHERE id = $1",
                           Params().text(id).text(join_terms(terms)));
    if (!updated) return updated.error();
  }
  return ok_status();
}

}  // namespace leadproc::postgres
