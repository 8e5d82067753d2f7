// The upkeep of the PostgreSQL term index (search_terms.h), which insert_opportunity and
// update_opportunity call (the search itself is in tx_opportunities.cpp).
#include <algorithm>
#include <iterator>

#include "codec/json_codec.h"
#include "domain/search_text.h"
#include "storage/postgres/columns.h"
#include "storage/postgres/search_terms.h"

namespace leadproc::postgres {

std::vector<std::string> opportunity_terms(const Opportunity& o) {
  return search_terms(o.name, o.email.value_or(""), o.number);
}

Status reindex_terms(const RunSql& run, const Id& opp_id, const std::vector<std::string>& before,
                     const std::vector<std::string>& after) {
  // The terms travel as one text joined by U+001F (join_terms), split by the server.
  std::vector<std::string> gone, added;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(gone));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added));
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
    auto doc = parse_object((*rows)[i].view_at(1), "opportunities.doc");
    if (!doc) return doc.error();
    auto id = (*rows)[i].text_at(0);
    auto terms = opportunity_terms(codec::opportunity_from_json(*doc));
    if (auto s = reindex_terms(run, id, {}, terms); !s) return s;
    auto updated = c.query("UPDATE opportunities SET search_terms = $2 WHERE id = $1",
                           Params().text(id).text(join_terms(terms)));
    if (!updated) return updated.error();
  }
  return ok_status();
}

}  // namespace leadproc::postgres
