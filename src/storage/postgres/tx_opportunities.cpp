// PgTx: the two opportunity queries whose SQL is tuned for PostgreSQL (the rest of the
// opportunities is in storage/sql): the merge of the filtered list's arms, its score keyset, and
// the search.
#include <algorithm>

#include "domain/search_text.h"
#include "storage/postgres/tx.h"
#include "storage/sql/rows.h"

namespace leadproc::postgres {

// The page's ids are chosen before any row is read (DISTINCT: one listed by two arms counts
// once): PostgreSQL would otherwise fetch every candidate's document (up to arms x limit) and
// sort them.
std::string PgTx::newest_of(const std::vector<std::string>& arms, std::string_view limit) {
  std::string sql = "SELECT version, doc FROM opportunities WHERE id IN (SELECT DISTINCT id FROM (";
  std::string_view union_all;
  for (const auto& arm : arms) {
    sql += cat(union_all, "(", arm, ")");
    union_all = " UNION ALL ";
  }
  return sql +
         cat(") AS candidates ORDER BY id DESC LIMIT ", limit, ") ORDER BY id DESC", for_update());
}

std::string PgTx::after_in_order(std::string_view key, std::string_view cursor, bool descending) {
  return cat(" AND (", key, ", id) ", descending ? "<" : ">", " (SELECT ", key,
             ", id FROM opportunities WHERE id = ", cursor, ")");
}

Result<std::vector<Opportunity>> PgTx::search_opportunities(const SearchFilter& f,
                                                            const Page& page) {
  if (page.limit <= 0 || (f.terms.empty() && !f.prefix)) return std::vector<Opportunity>{};
  // One term's rows drive the query in id order from the primary key (term, opp_id): the
  // prefix's range, or the longest exact term (likely the rarest); the other terms are probed
  // by the same key.
  Params params;
  int n = 0;
  auto arg = [&](const std::string& v) {
    params.text(v);
    return "$" + std::to_string(++n);
  };
  std::string sql =
      "SELECT o.version, o.doc FROM opportunity_terms t0 JOIN opportunities o ON o.id = t0.opp_id "
      "WHERE ";
  std::vector<std::string> probes = f.terms;
  if (f.prefix) {
    sql += cat("t0.term >= ", arg(*f.prefix), " AND t0.term < ", arg(prefix_end(*f.prefix)));
  } else {
    auto longest = std::max_element(probes.begin(), probes.end(),
                                    [](auto& a, auto& b) { return a.size() < b.size(); });
    sql += cat("t0.term = ", arg(*longest));
    probes.erase(longest);
  }
  for (const auto& term : probes)
    sql += cat(" AND EXISTS (SELECT 1 FROM opportunity_terms t WHERE t.term = ", arg(term),
               " AND t.opp_id = t0.opp_id)");
  if (f.visible_to) {
    auto me = arg(*f.visible_to);
    sql +=
        cat(" AND (o.assigned_psv = ", me, " OR o.assigned_west = ", me, " OR o.owner = ", me, ")");
  }
  if (page.after) sql += cat(" AND t0.opp_id < ", arg(*page.after));
  params.integer(page.limit);
  sql += cat(" ORDER BY t0.opp_id DESC LIMIT $", std::to_string(++n));
  auto q = prepare(sql, std::move(params));
  return sql::collect<Opportunity>(q, sql::read_opportunity);
}

}  // namespace leadproc::postgres
