// SqliteTx: the two opportunity queries whose SQL is tuned for SQLite (the rest of the
// opportunities is in storage/sql/tx_opportunities.cpp): the filtered list and the search.
#include <algorithm>
#include <variant>

#include "domain/object_id.h"
#include "domain/search_text.h"
#include "storage/sql/rows.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {
namespace {

// A bound value of a dynamically assembled WHERE clause.
using Arg = std::variant<std::int64_t, std::string>;

}  // namespace

Result<std::vector<Opportunity>> SqliteTx::list_opportunities(const OpportunityFilter& f,
                                                              const Page& page) {
  if (page.limit <= 0) return std::vector<Opportunity>{};
  // The WHERE clause is assembled from fixed fragments, one per filter given, with every value
  // bound; each distinct shape is prepared once and cached. Newest first by id, with the cursor
  // as `id < after`, so the (column, ..., id) indexes serve both the filter and the order.
  std::string where;  // " AND ..." for each filter but the assignee
  std::vector<Arg> where_args;
  auto add = [&](std::string_view fragment, Arg value) {
    where += fragment;
    where_args.push_back(std::move(value));
  };
  if (f.status) add(" AND status = ?", std::string(to_string(*f.status)));
  if (f.filteration_process)
    add(" AND filteration_process = ?", std::string(to_string(*f.filteration_process)));
  if (f.destination_id) add(" AND destination_key = ?", *f.destination_id);
  if (f.platform) add(" AND platform = ?", std::string(to_string(*f.platform)));
  if (f.created_from) {
    // Also as an id range (store.h OpportunityFilter), which the primary key reads in order.
    auto low = object_id_lower_bound(*f.created_from - kCreatedIdSkew);
    if (!low) return std::vector<Opportunity>{};  // later than any id
    add(" AND id >= ?", *low);
    add(" AND created_at >= ?", to_ms(*f.created_from));
  }
  if (f.created_to) {
    if (auto high = object_id_lower_bound(*f.created_to + kCreatedIdSkew))
      add(" AND id < ?", *high);
    add(" AND created_at < ?", to_ms(*f.created_to));
  }
  if (f.unassigned)
    where += *f.unassigned ? " AND awaiting_pool IS NOT NULL" : " AND awaiting_pool IS NULL";

  std::string sql;
  std::vector<Arg> args;
  if (f.assignee && !f.by_score) {
    // A person's opportunities (the PSV queue, a sales person's open ones): the newest `limit`
    // of each assignee column, then merged (IN drops an opportunity listed by two columns).
    // With a status each is read in order from its (column, status, id) index; without one,
    // the column's ids come from the same index and only they are sorted, not whole rows.
    if (page.after) add(" AND id < ?", *page.after);
    sql = "SELECT version, doc FROM opportunities WHERE id IN (";
    const char* union_all = "";
    for (std::string_view column : {"assigned_psv", "assigned_west", "owner"}) {
      sql += cat(union_all, "SELECT id FROM (SELECT id FROM opportunities WHERE ", column, " = ?",
                 where, " ORDER BY id DESC LIMIT ?)");
      union_all = " UNION ALL ";
      args.emplace_back(*f.assignee);
      args.insert(args.end(), where_args.begin(), where_args.end());
      args.emplace_back(std::int64_t{page.limit});
    }
    sql += ") ORDER BY id DESC LIMIT ?";
    args.emplace_back(std::int64_t{page.limit});
  } else if (!f.by_score && !f.status && (f.filteration_process || f.destination_id)) {
    // By process or destination without a status: their indexes are (column, status, id), so
    // the newest `limit` of each status are read in order, one sub-select per status, and
    // merged. (An index on (column, id) alone would cost every lead's write a page of WAL.)
    if (page.after) add(" AND id < ?", *page.after);
    sql = "SELECT version, doc FROM opportunities WHERE id IN (";
    const char* union_all = "";
    for (std::string_view status : all_opportunity_statuses()) {
      sql += cat(union_all, "SELECT id FROM (SELECT id FROM opportunities WHERE status = '", status,
                 "'", where, " ORDER BY id DESC LIMIT ?)");
      union_all = " UNION ALL ";
      args.insert(args.end(), where_args.begin(), where_args.end());
      args.emplace_back(std::int64_t{page.limit});
    }
    sql += ") ORDER BY id DESC LIMIT ?";
    args.emplace_back(std::int64_t{page.limit});
  } else {
    if (f.assignee) {
      // By score: every opportunity the person has, by one indexed lookup per assignee column
      // (an OR across columns could not use them); no index holds them in score order, so
      // they are gathered whole.
      where +=
          " AND id IN (SELECT id FROM opportunities WHERE assigned_psv = ?"
          " UNION ALL SELECT id FROM opportunities WHERE assigned_west = ?"
          " UNION ALL SELECT id FROM opportunities WHERE owner = ?)";
      for (int i = 0; i < 3; ++i) where_args.emplace_back(*f.assignee);
    }
    if (f.by_score) {
      // Keyset paging in (score desc, id desc) order from the cursor row.
      if (page.after) {
        where +=
            " AND (score < (SELECT score FROM opportunities WHERE id = ?) OR (score = (SELECT "
            "score FROM opportunities WHERE id = ?) AND id < ?))";
        for (int i = 0; i < 3; ++i) where_args.emplace_back(*page.after);
      }
      add(" ORDER BY score DESC, id DESC LIMIT ?", std::int64_t{page.limit});
    } else {
      if (page.after) add(" AND id < ?", *page.after);
      add(" ORDER BY id DESC LIMIT ?", std::int64_t{page.limit});
    }
    sql = "SELECT version, doc FROM opportunities WHERE 1 = 1" + where;
    args = std::move(where_args);
  }

  auto q = c_.query(sql);
  if (!q) return q.error();
  int index = 1;
  for (const auto& a : args) {
    if (const auto* n = std::get_if<std::int64_t>(&a)) {
      q->bind_int(index++, *n);
    } else {
      q->bind_text(index++, std::get<std::string>(a));
    }
  }
  return collect<Opportunity>(*q, sql::read_opportunity);
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
