// SqlTx: the counts behind the reports (app/funnel_report.h). The funnel counts the rows the
// opportunities list would list for the same filter (opportunity_where.h), grouped in SQL by the
// projected funnel columns (migration 15), so neither store reads a document.
#include "storage/sql/columns.h"
#include "storage/sql/opportunity_where.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

// 15 minutes in milliseconds: the width of FunnelGroup::kQuarterHour.
constexpr std::int64_t kQuarterHourMs = 15 * 60 * 1000;

// The rows of opportunities matching `where`, once per distinct person among assigned_psv,
// assigned_west and owner (a column repeating an earlier column's person is skipped), as
// "SELECT <person> AS k, <columns> ... UNION ALL ...": what the list filtered by assignee lists
// for each person.
std::string per_person(std::string_view columns, std::string_view where) {
  return cat("SELECT assigned_psv AS k, ", columns,
             " FROM opportunities WHERE assigned_psv IS NOT NULL", where,
             " UNION ALL SELECT assigned_west AS k, ", columns,
             " FROM opportunities WHERE assigned_west IS NOT NULL AND assigned_west <> ",
             "COALESCE(assigned_psv, '')", where, " UNION ALL SELECT owner AS k, ", columns,
             " FROM opportunities WHERE owner IS NOT NULL AND owner <> COALESCE(assigned_psv, '') ",
             "AND owner <> COALESCE(assigned_west, '')", where);
}

}  // namespace

Result<std::vector<FunnelCount>> SqlTx::count_funnel(const OpportunityFilter& f, FunnelGroup by) {
  Binds b;
  auto conditions = filter_conditions(f, b, {sql_false(), sql_true()});
  if (!conditions) return std::vector<FunnelCount>{};
  std::string where = std::move(*conditions);
  if (f.assignee) where += assignee_condition(*f.assignee, b);
  // funnel_kind() in SQL: 0 lead, 1 duplicate, 2 unknown (FunnelKind's order).
  const std::string kind = cat("CASE WHEN is_duplicate = ", sql_true(),
                               " THEN 1 WHEN destination_key = '' THEN 2 ELSE 0 END");
  const std::string counted = cat(kind, " AS kind, funnel_step, funnel_outcome");
  std::string sql;
  if (by == FunnelGroup::kAgent) {
    // Each distinct person of a row once: a column repeating an earlier column's person is
    // skipped, so a person's count is what the list filtered by assignee lists.
    sql = cat(
        "SELECT k, kind, funnel_step, funnel_outcome, COUNT(*) FROM (",
        "SELECT assigned_psv AS k, ", counted, " FROM opportunities WHERE assigned_psv IS NOT NULL",
        where, " UNION ALL SELECT assigned_west AS k, ", counted,
        " FROM opportunities WHERE assigned_west IS NOT NULL AND assigned_west <> ",
        "COALESCE(assigned_psv, '')", where, " UNION ALL SELECT owner AS k, ", counted,
        " FROM opportunities WHERE owner IS NOT NULL AND owner <> COALESCE(assigned_psv, '') ",
        "AND owner <> COALESCE(assigned_west, '')", where,
        ") AS per_person GROUP BY k, kind, funnel_step, funnel_outcome");
  } else {
    std::string key;
    switch (by) {
      case FunnelGroup::kPlatform:
        key = "platform";
        break;
      case FunnelGroup::kCampaign:
        key = "campaign";
        break;
      case FunnelGroup::kDestination:
        key = "destination_key";
        break;
      case FunnelGroup::kQuarterHour:
        key = cat("created_at / ", std::to_string(kQuarterHourMs));
        break;
      default:
        key = "0";  // one group
        break;
    }
    const std::string grouped = by == FunnelGroup::kNone ? "" : cat(key, ", ");
    sql = cat("SELECT ", key, " AS k, ", counted, ", COUNT(*) FROM opportunities WHERE 1 = 1",
              where, " GROUP BY ", grouped, kind, ", funnel_step, funnel_outcome");
  }
  auto q = prepare(sql);
  if (!q) return q.error();
  b.bind(*q);
  std::vector<FunnelCount> out;
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    FunnelCount c;
    if (by == FunnelGroup::kQuarterHour)
      c.bucket = q->int_at(0);
    else if (by != FunnelGroup::kNone)
      c.key = q->text_at(0);
    const auto kind_code = q->int_at(1);
    const auto step_code = q->int_at(2);
    if (kind_code < 0 || kind_code > 2 || step_code < 0 || step_code > 4)
      return corrupt("opportunities.funnel_step", std::to_string(step_code));
    c.kind = static_cast<FunnelKind>(kind_code);
    c.step = static_cast<FunnelStep>(step_code);
    if (auto outcome = q->opt_text_at(3)) {
      c.outcome = parse_funnel_outcome(*outcome);
      if (!c.outcome) return corrupt("opportunities.funnel_outcome", *outcome);
    }
    c.count = q->int_at(4);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace leadproc::sql
