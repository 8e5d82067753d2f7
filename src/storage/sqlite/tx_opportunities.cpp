// SqliteTx: the two opportunity queries whose SQL is tuned for SQLite (the rest of the
// opportunities is in storage/sql): the merge of the filtered list's arms, its score keyset, and
// the search.
#include <algorithm>

#include "domain/search_text.h"
#include "storage/sql/rows.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {
// A person's newest opportunities: each arm's ids (newest `limit` of one index) are merged by
// IN, which also drops an opportunity listed by two arms.
std::string SqliteTx::newest_of(const std::vector<std::string>& arms, std::string_view limit) {
  std::string sql = "SELECT version, doc FROM opportunities WHERE id IN (";
  std::string_view union_all;
  for (const auto& arm : arms) {
    sql += cat(union_all, "SELECT id FROM (", arm, ")");
    union_all = " UNION ALL ";
  }
  return sql + cat(") ORDER BY id DESC LIMIT ", limit);
}

// Spelt out rather than as a row value, so that an index on the key (opportunities_score)
// serves the comparison.
std::string SqliteTx::after_in_order(std::string_view key, std::string_view cursor,
                                     bool descending) {
  const std::string_view op = descending ? "<" : ">";
  const std::string at = cat("(SELECT ", key, " FROM opportunities WHERE id = ", cursor, ")");
  return cat(" AND (", key, " ", op, " ", at, " OR (", key, " = ", at, " AND id ", op, " ", cursor,
             "))");
}

Result<std::vector<Opportunity>> SqliteTx::search_opportunities(const SearchFilter& f,
                                                                const Page& page) {
  if (page.limit <= 0 || (f.terms.empty() && !f.prefix)) return std::vector<Opportunity>{};
  // One term's rows drive the query in id order from the primary key (term, opp_id): the
  // prefix's range, or the longest exact term (likely the rarest); the other terms are probed
  // by the same key. CROSS JOIN keeps SQLite from starting at the opportunities.
  std::vector<std::string> args;
  std::string sql =
      "SELECT o.version, o.doc FROM opportunity_terms t0 CROSS JOIN opportunities o "
      "WHERE o.id = t0.opp_id";
  std::vector<std::string> probes = f.terms;
  if (f.prefix) {
    sql += " AND t0.term >= ? AND t0.term < ?";
    args = {*f.prefix, prefix_end(*f.prefix)};
  } else {
    auto longest = std::max_element(probes.begin(), probes.end(),
                                    [](auto& a, auto& b) { return a.size() < b.size(); });
    sql += " AND t0.term = ?";
    args.push_back(*longest);
    probes.erase(longest);
  }
  for (const auto& term : probes) {
    sql +=
        " AND EXISTS (SELECT 1 FROM opportunity_terms t WHERE t.term = ? AND t.opp_id = t0.opp_id)";
    args.push_back(term);
  }
  if (f.visible_to) {
    sql += " AND (o.assigned_psv = ? OR o.assigned_west = ? OR o.owner = ?)";
    args.insert(args.end(), 3, *f.visible_to);
  }
  if (page.after) {
    sql += " AND t0.opp_id < ?";
    args.push_back(*page.after);
  }
  sql += " ORDER BY t0.opp_id DESC LIMIT ?";
  auto q = c_.query(sql);
  if (!q) return q.error();
  int index = 1;
  for (const auto& a : args) q->bind_text(index++, a);
  q->bind_int(index, page.limit);
  return collect<Opportunity>(*q, sql::read_opportunity);
}

}  // namespace leadproc::sqlite
