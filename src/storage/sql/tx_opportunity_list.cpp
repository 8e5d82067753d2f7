// SqlTx: the filtered, keyset-paged list of opportunities and its counts per status. The WHERE
// clause is assembled from fixed fragments, one per filter given, with every value bound; each
// distinct shape is prepared once per connection and cached. Newest first by id, with the cursor
// as `id < after`, so the (column, ..., id) indexes serve both the filter and the order. The
// other orders (store.h OpportunitySort) page by (key, id) after the cursor row. Two shapes are
// tuned per database (SqlTx::newest_of, after_in_order); the rest is the same SQL on both.
#include <variant>

#include "domain/lifecycle.h"
#include "domain/object_id.h"
#include "storage/sql/columns.h"
#include "storage/sql/opportunity_where.h"
#include "storage/sql/rows.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {

std::string Binds::text(std::string v) {
  values_.emplace_back(std::move(v));
  return next();
}

std::string Binds::integer(std::int64_t v) {
  values_.emplace_back(v);
  return next();
}

void Binds::bind(Stmt& q) const {
  int i = 1;
  for (const auto& v : values_) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      q.bind_int(i++, *n);
    } else {
      q.bind_text(i++, std::get<std::string>(v));
    }
  }
}

std::string Binds::next() const {
  return "?" + std::to_string(values_.size());
}

std::optional<std::string> filter_conditions(const OpportunityFilter& f, Binds& b,
                                             const BoolLiterals& bools) {
  std::string where;
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
    if (!low) return std::nullopt;  // later than any id
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
  if (f.campaign) add("campaign =", b.text(*f.campaign));
  if (f.kind) {
    // The same tests as funnel_kind(): is_duplicate, then an empty destination_key.
    if (*f.kind == FunnelKind::kDuplicate) {
      where += cat(" AND is_duplicate = ", bools.true_literal);
    } else {
      where += cat(" AND is_duplicate = ", bools.false_literal, " AND destination_key ",
                   *f.kind == FunnelKind::kUnknown ? "=" : "<>", " ''");
    }
  }
  if (f.reached) add("funnel_step >=", b.integer(static_cast<int>(*f.reached)));
  if (f.outcome) add("funnel_outcome =", b.text(std::string(to_string(*f.outcome))));
  if (f.follow_up_before) add("next_follow_up_date <", b.integer(to_ms(*f.follow_up_before)));
  return where;
}

std::string assignee_condition(const std::string& person, Binds& b) {
  const std::string a = b.text(person);
  return cat(" AND id IN (SELECT id FROM opportunities WHERE assigned_psv = ", a,
             " UNION ALL SELECT id FROM opportunities WHERE assigned_west = ", a,
             " UNION ALL SELECT id FROM opportunities WHERE owner = ", a, ")");
}

std::optional<std::string_view> facet_column(FunnelGroup by) {
  switch (by) {
    case FunnelGroup::kPlatform:
      return "platform";
    case FunnelGroup::kCampaign:
      return "campaign";
    case FunnelGroup::kDestination:
      return "destination_key";
    default:
      return std::nullopt;
  }
}

std::optional<std::string> SqlTx::counted_conditions(const OpportunityFilter& f, Binds& b) {
  auto where = filter_conditions(f, b, {sql_false(), sql_true()});
  if (!where || !f.assignee) return where;
  if (counted_assignee() == AssigneeForm::kIdsPerColumn) {
    *where += assignee_condition(*f.assignee, b);
  } else {
    const std::string a = b.text(*f.assignee);
    *where += cat(" AND (assigned_psv = ", a, " OR assigned_west = ", a, " OR owner = ", a, ")");
  }
  return where;
}

namespace {

// The order's key and direction; an empty key is the id itself. A missing nextFollowUpDate
// sorts last as the largest key (every stored time is smaller).
struct Order {
  std::string_view key;
  bool descending = true;
};

Order order_of(OpportunitySort sort) {
  switch (sort) {
    case OpportunitySort::kNewest:
      return {"", true};
    case OpportunitySort::kOldest:
      return {"", false};
    case OpportunitySort::kScore:
      return {"score", true};
    case OpportunitySort::kNextFollowUp:
      return {"COALESCE(next_follow_up_date, 9223372036854775807)", false};
  }
  return {"", true};
}

}  // namespace

Result<std::vector<Opportunity>> SqlTx::list_opportunities(const OpportunityFilter& f,
                                                           const Page& page) {
  if (page.limit <= 0) return std::vector<Opportunity>{};
  Binds b;
  // " AND ..." for each filter but the assignee
  auto conditions = filter_conditions(f, b, {sql_false(), sql_true()});
  if (!conditions) return std::vector<Opportunity>{};
  std::string where = std::move(*conditions);
  const bool newest = f.sort == OpportunitySort::kNewest;

  std::string sql;
  if (f.assignee && newest) {
    // A person's opportunities (the PSV queue, a sales person's open ones): the newest `limit`
    // of each assignee column, then merged (one listed by two columns counts once). With a
    // status each is read in order from its (column, status, id) index; without one, the
    // column's ids come from the same index and only they are sorted, not whole rows.
    if (page.after) where += cat(" AND id < ", b.text(*page.after));
    const std::string a = b.text(*f.assignee);
    const std::string limit = b.integer(page.limit);
    std::vector<std::string> arms;
    for (std::string_view column : {"assigned_psv", "assigned_west", "owner"})
      arms.push_back(cat("SELECT id FROM opportunities WHERE ", column, " = ", a, where,
                         " ORDER BY id DESC LIMIT ", limit));
    sql = newest_of(arms, limit);
  } else if (newest && !f.status && (f.filteration_process || f.destination_id)) {
    // By process or destination without a status: their indexes are (column, status, id), so
    // the newest `limit` of each status are read in order, one sub-select per status, and
    // merged. (An index on (column, id) alone would cost every lead's write an index entry.)
    if (page.after) where += cat(" AND id < ", b.text(*page.after));
    const std::string limit = b.integer(page.limit);
    std::vector<std::string> arms;
    for (std::string_view status : all_opportunity_statuses())
      arms.push_back(cat("SELECT id FROM opportunities WHERE status = '", status, "'", where,
                         " ORDER BY id DESC LIMIT ", limit));
    sql = newest_of(arms, limit);
  } else {
    // Another order, or no index to merge from: a person's are gathered whole (no index holds
    // them in another order); everyone's are read in order from the primary key (newest,
    // oldest) or opportunities_score, or sorted (the next follow-up).
    if (f.assignee) where += assignee_condition(*f.assignee, b);
    const Order order = order_of(f.sort);
    const std::string_view dir = order.descending ? " DESC" : "";
    if (page.after) {
      const std::string cursor = b.text(*page.after);
      where += order.key.empty() ? cat(" AND id ", order.descending ? "<" : ">", " ", cursor)
                                 : after_in_order(order.key, cursor, order.descending);
    }
    where += order.key.empty() ? cat(" ORDER BY id", dir)
                               : cat(" ORDER BY ", order.key, dir, ", id", dir);
    where += cat(" LIMIT ", b.integer(page.limit));
    sql = cat("SELECT version, doc FROM opportunities WHERE 1 = 1", where, for_update());
  }

  auto q = prepare(sql);
  if (!q) return q.error();
  b.bind(*q);
  return collect<Opportunity>(*q, read_opportunity);
}

Result<OpportunityCounts> SqlTx::count_opportunities(const OpportunityFilter& f) {
  OpportunityCounts out;
  Binds b;
  OpportunityFilter unfiltered_status = f;  // counted per status: every status
  unfiltered_status.status.reset();
  auto where = counted_conditions(unfiltered_status, b);
  if (!where) return out;
  // Every (column, status, id) index and opportunities_status read the statuses in order.
  auto q = prepare(cat("SELECT status, COUNT(*) FROM opportunities WHERE 1 = 1", *where,
                       " GROUP BY status ORDER BY status"));
  if (!q) return q.error();
  b.bind(*q);
  while (true) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    auto status = parse_opportunity_status(q->view_at(0));
    if (!status) continue;  // a status this version does not know: in no tab
    const std::int64_t n = q->int_at(1);
    out.by_status.emplace_back(*status, n);
    out.total += n;
  }
  return out;
}

Result<std::vector<StageCount>> SqlTx::count_opportunities_by_stage(const OpportunityFilter& f) {
  std::vector<StageCount> out;
  Binds b;
  auto where = counted_conditions(f, b);
  if (!where) return out;
  auto q = prepare(cat("SELECT status, crm_stage, crm_sub_stage, COUNT(*) FROM opportunities ",
                       "WHERE 1 = 1", *where, " GROUP BY status, crm_stage, crm_sub_stage ",
                       "ORDER BY status, crm_stage, crm_sub_stage"));
  if (!q) return q.error();
  b.bind(*q);
  while (true) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    auto status = parse_opportunity_status(q->view_at(0));
    if (!status) continue;  // a status this version does not know: on no board
    StageCount c{*status, std::nullopt, std::nullopt, q->int_at(3)};
    if (!q->is_null(1)) {
      c.stage = parse_crm_stage(q->view_at(1));
      if (!c.stage) continue;  // likewise a stage
    }
    if (!q->is_null(2)) c.sub_stage = std::string(q->view_at(2));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace leadproc::sql
