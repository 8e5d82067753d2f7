// SqlTx: the filtered, keyset-paged list of opportunities. The WHERE clause is assembled from
// fixed fragments, one per filter given, with every value bound; each distinct shape is prepared
// once per connection and cached. Newest first by id, with the cursor as `id < after`, so the
// (column, ..., id) indexes serve both the filter and the order. Two shapes are tuned per
// database (SqlTx::newest_of, after_in_score_order); the rest is the same SQL on both.
#include <variant>

#include "domain/lifecycle.h"
#include "domain/object_id.h"
#include "storage/sql/columns.h"
#include "storage/sql/rows.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

// The values of a statement assembled with them: each added value is the next ?N.
class Binds {
 public:
  std::string text(std::string v) {
    values_.emplace_back(std::move(v));
    return next();
  }
  std::string integer(std::int64_t v) {
    values_.emplace_back(v);
    return next();
  }
  void bind(Stmt& q) const {
    int i = 1;
    for (const auto& v : values_) {
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        q.bind_int(i++, *n);
      } else {
        q.bind_text(i++, std::get<std::string>(v));
      }
    }
  }

 private:
  std::string next() const { return "?" + std::to_string(values_.size()); }

  std::vector<std::variant<std::int64_t, std::string>> values_;
};

}  // namespace

Result<std::vector<Opportunity>> SqlTx::list_opportunities(const OpportunityFilter& f,
                                                           const Page& page) {
  if (page.limit <= 0) return std::vector<Opportunity>{};
  Binds b;
  std::string where;  // " AND ..." for each filter but the assignee
  auto add = [&](std::string_view column_op, const std::string& param) {
    where += cat(" AND ", column_op, " ", param);
  };
  if (f.status) add("status =", b.text(std::string(to_string(*f.status))));
  if (f.filteration_process)
    add("filteration_process =", b.text(std::string(to_string(*f.filteration_process))));
  if (f.destination_id) add("destination_key =", b.text(*f.destination_id));
  if (f.platform) add("platform =", b.text(std::string(to_string(*f.platform))));
  if (f.created_from) {
    // Also as an id range (store.h OpportunityFilter), which the primary key reads in order.
    auto low = object_id_lower_bound(*f.created_from - kCreatedIdSkew);
    if (!low) return std::vector<Opportunity>{};  // later than any id
    add("id >=", b.text(*low));
    add("created_at >=", b.integer(to_ms(*f.created_from)));
  }
  if (f.created_to) {
    if (auto high = object_id_lower_bound(*f.created_to + kCreatedIdSkew))
      add("id <", b.text(*high));
    add("created_at <", b.integer(to_ms(*f.created_to)));
  }
  if (f.unassigned)
    where += *f.unassigned ? " AND awaiting_pool IS NOT NULL" : " AND awaiting_pool IS NULL";

  std::string sql;
  if (f.assignee && !f.by_score) {
    // A person's opportunities (the PSV queue, a sales person's open ones): the newest `limit`
    // of each assignee column, then merged (one listed by two columns counts once). With a
    // status each is read in order from its (column, status, id) index; without one, the
    // column's ids come from the same index and only they are sorted, not whole rows.
    if (page.after) add("id <", b.text(*page.after));
    const std::string a = b.text(*f.assignee);
    const std::string limit = b.integer(page.limit);
    std::vector<std::string> arms;
    for (std::string_view column : {"assigned_psv", "assigned_west", "owner"})
      arms.push_back(cat("SELECT id FROM opportunities WHERE ", column, " = ", a, where,
                         " ORDER BY id DESC LIMIT ", limit));
    sql = newest_of(arms, limit);
  } else if (!f.by_score && !f.status && (f.filteration_process || f.destination_id)) {
    // By process or destination without a status: their indexes are (column, status, id), so
    // the newest `limit` of each status are read in order, one sub-select per status, and
    // merged. (An index on (column, id) alone would cost every lead's write an index entry.)
    if (page.after) add("id <", b.text(*page.after));
    const std::string limit = b.integer(page.limit);
    std::vector<std::string> arms;
    for (std::string_view status : all_opportunity_statuses())
      arms.push_back(cat("SELECT id FROM opportunities WHERE status = '", status, "'", where,
                         " ORDER BY id DESC LIMIT ", limit));
    sql = newest_of(arms, limit);
  } else {
    if (f.assignee) {
      // By score: every opportunity the person has, by one indexed lookup per assignee column
      // (an OR across columns could not use them); no index holds them in score order, so
      // they are gathered whole.
      const std::string a = b.text(*f.assignee);
      where += cat(" AND id IN (SELECT id FROM opportunities WHERE assigned_psv = ", a,
                   " UNION ALL SELECT id FROM opportunities WHERE assigned_west = ", a,
                   " UNION ALL SELECT id FROM opportunities WHERE owner = ", a, ")");
    }
    if (f.by_score) {
      // Keyset paging in (score desc, id desc) order from the cursor row.
      if (page.after) where += after_in_score_order(b.text(*page.after));
      where += cat(" ORDER BY score DESC, id DESC LIMIT ", b.integer(page.limit));
    } else {
      if (page.after) add("id <", b.text(*page.after));
      where += cat(" ORDER BY id DESC LIMIT ", b.integer(page.limit));
    }
    sql = cat("SELECT version, doc FROM opportunities WHERE 1 = 1", where, for_update());
  }

  auto q = prepare(sql);
  if (!q) return q.error();
  b.bind(*q);
  return collect<Opportunity>(*q, read_opportunity);
}

}  // namespace leadproc::sql
