// PgTx: the two opportunity queries whose SQL is tuned for PostgreSQL (the rest of the
// opportunities is in storage/sql/tx_opportunities.cpp): the filtered list and the search.
#include <algorithm>

#include "domain/object_id.h"
#include "domain/search_text.h"
#include "storage/postgres/tx.h"
#include "storage/sql/rows.h"

namespace leadproc::postgres {

Result<std::vector<Opportunity>> PgTx::list_opportunities(const OpportunityFilter& f,
                                                          const Page& page) {
  if (page.limit <= 0) return std::vector<Opportunity>{};
  // The WHERE clause is assembled from fixed fragments, one per filter given, with every value
  // bound; each distinct shape is prepared once per connection. Newest first by id, with the
  // cursor as `id < after`, so the (column, ..., id) indexes serve both the filter and the order.
  std::string where;  // " AND ..." for each filter but the assignee
  Params p;
  auto next = [&] { return "$" + std::to_string(p.size()); };  // the parameter just added
  auto add_text = [&](std::string_view column_op, const std::string& value) {
    p.text(value);
    where += cat(" AND ", column_op, " ", next());
  };
  auto add_int = [&](std::string_view column_op, std::int64_t value) {
    p.integer(value);
    where += cat(" AND ", column_op, " ", next());
  };
  if (f.status) add_text("status =", std::string(to_string(*f.status)));
  if (f.filteration_process)
    add_text("filteration_process =", std::string(to_string(*f.filteration_process)));
  if (f.destination_id) add_text("destination_key =", *f.destination_id);
  if (f.platform) add_text("platform =", std::string(to_string(*f.platform)));
  if (f.created_from) {
    // Also as an id range (store.h OpportunityFilter), which the primary key reads in order.
    auto low = object_id_lower_bound(*f.created_from - kCreatedIdSkew);
    if (!low) return std::vector<Opportunity>{};  // later than any id
    add_text("id >=", *low);
    add_int("created_at >=", to_ms(*f.created_from));
  }
  if (f.created_to) {
    if (auto high = object_id_lower_bound(*f.created_to + kCreatedIdSkew)) add_text("id <", *high);
    add_int("created_at <", to_ms(*f.created_to));
  }
  if (f.unassigned)
    where += *f.unassigned ? " AND awaiting_pool IS NOT NULL" : " AND awaiting_pool IS NULL";

  std::string sql;
  if (f.assignee && !f.by_score) {
    // A person's opportunities (the PSV queue, a sales person's open ones): the newest `limit`
    // of each assignee column, then merged (IN drops an opportunity listed by two columns).
    // With a status each is read in order from its (column, status, id) index; without one,
    // the column's ids come from the same index and only they are sorted, not whole rows.
    // The page's ids are chosen before any row is read (DISTINCT: one listed by two columns
    // counts once): PostgreSQL would otherwise fetch every candidate's document (up to 3 x
    // limit) and sort them.
    if (page.after) add_text("id <", *page.after);
    p.text(*f.assignee);
    const std::string a = next();
    p.integer(page.limit);
    const std::string limit = next();
    sql = "SELECT version, doc FROM opportunities WHERE id IN (SELECT DISTINCT id FROM (";
    std::string_view union_all;
    for (std::string_view column : {"assigned_psv", "assigned_west", "owner"}) {
      sql += cat(union_all, "(SELECT id FROM opportunities WHERE ", column, " = ", a, where,
                 " ORDER BY id DESC LIMIT ", limit, ")");
      union_all = " UNION ALL ";
    }
    sql +=
        cat(") AS candidates ORDER BY id DESC LIMIT ", limit, ") ORDER BY id DESC", for_update());
  } else if (!f.by_score && !f.status && (f.filteration_process || f.destination_id)) {
    // By process or destination without a status: their indexes are (column, status, id), so
    // the newest `limit` of each status are read in order, one sub-select per status, and
    // merged, choosing the page's ids before reading rows (13 x limit candidates, 50 fetched).
    // (An index on (column, id) alone would cost every lead's write an index entry.)
    if (page.after) add_text("id <", *page.after);
    p.integer(page.limit);
    const std::string limit = next();
    sql = "SELECT version, doc FROM opportunities WHERE id IN (SELECT DISTINCT id FROM (";
    std::string_view union_all;
    for (std::string_view status : all_opportunity_statuses()) {
      sql += cat(union_all, "(SELECT id FROM opportunities WHERE status = '", status, "'", where,
                 " ORDER BY id DESC LIMIT ", limit, ")");
      union_all = " UNION ALL ";
    }
    sql +=
        cat(") AS candidates ORDER BY id DESC LIMIT ", limit, ") ORDER BY id DESC", for_update());
  } else {
    if (f.assignee) {
      // By score: every opportunity the person has, by one indexed lookup per assignee column
      // (an OR across columns could not use them); no index holds them in score order, so
      // they are gathered whole.
      p.text(*f.assignee);
      const std::string a = next();
      where += cat(" AND id IN (SELECT id FROM opportunities WHERE assigned_psv = ", a,
                   " UNION ALL SELECT id FROM opportunities WHERE assigned_west = ", a,
                   " UNION ALL SELECT id FROM opportunities WHERE owner = ", a, ")");
    }
    if (f.by_score) {
      // Keyset paging in (score desc, id desc) order from the cursor row.
      if (page.after) {
        p.text(*page.after);
        const std::string c = next();
        where += cat(" AND (score, id) < (SELECT score, id FROM opportunities WHERE id = ", c, ")");
      }
      p.integer(page.limit);
      where += cat(" ORDER BY score DESC, id DESC LIMIT ", next(), for_update());
    } else {
      if (page.after) add_text("id <", *page.after);
      p.integer(page.limit);
      where += cat(" ORDER BY id DESC LIMIT ", next(), for_update());
    }
    sql = "SELECT version, doc FROM opportunities WHERE true" + where;
  }

  auto q = prepare(sql, std::move(p));
  return sql::collect<Opportunity>(q, sql::read_opportunity);
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
