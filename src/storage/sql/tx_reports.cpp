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

// PSV/WEST next attempts: the opportunities waiting for an agent's next call.
constexpr std::string_view kAttempts =
    "status IN ('InPSV', 'InWEST') AND next_follow_up_date IS NOT NULL";

}  // namespace

Result<std::vector<FunnelCount>> SqlTx::count_funnel(const OpportunityFilter& f, FunnelGroup by) {
  Binds b;
  auto conditions = counted_conditions(f, b);
  if (!conditions) return std::vector<FunnelCount>{};
  std::string where = std::move(*conditions);
  // funnel_kind() in SQL: 0 lead, 1 duplicate, 2 unknown (FunnelKind's order).
  const std::string kind = cat("CASE WHEN is_duplicate = ", sql_true(),
                               " THEN 1 WHEN destination_key = '' THEN 2 ELSE 0 END");
  const std::string counted = cat(kind, " AS kind, funnel_step, funnel_outcome");
  std::string sql;
  if (by == FunnelGroup::kAgent) {
    // Each distinct person of a row once: a person's count is what the list filtered by assignee
    // lists.
    sql = cat("SELECT k, kind, funnel_step, funnel_outcome, COUNT(*) FROM (",
              per_person(counted, where),
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

Result<std::vector<RevenueSum>> SqlTx::sum_revenue(const OpportunityFilter& f, bool per_person_) {
  Binds b;
  auto conditions = counted_conditions(f, b);
  if (!conditions) return std::vector<RevenueSum>{};
  std::string where = std::move(*conditions);
  where += " AND deal_amount IS NOT NULL";
  constexpr std::string_view kSums = "deal_currency, CAST(SUM(deal_amount) AS BIGINT), COUNT(*)";
  auto q = prepare(per_person_ ? cat("SELECT k, ", kSums, " FROM (",
                                     per_person("deal_currency, deal_amount", where),
                                     ") AS deals GROUP BY k, deal_currency")
                               : cat("SELECT '', ", kSums, " FROM opportunities WHERE 1 = 1", where,
                                     " GROUP BY deal_currency"));
  if (!q) return q.error();
  b.bind(*q);
  std::vector<RevenueSum> out;
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    out.push_back({q->text_at(0), q->text_at(1), q->int_at(2), q->int_at(3)});
  }
  return out;
}

Result<std::vector<OverdueCount>> SqlTx::count_overdue(Timestamp now) {
  // CRM follow-ups by their owner (followups_owner_due), next attempts by either agent column
  // (as the agents' due lists read them; opportunities_attempts). Each arm reads its
  // partial index alone (migration 34: each holds every column named here).
  auto q = prepare(
      cat("SELECT owner, COUNT(*) FROM followups WHERE status = 'active' AND reminder_date < ?1 ",
          "AND owner IS NOT NULL GROUP BY owner UNION ALL SELECT assigned_psv, COUNT(*) FROM ",
          "opportunities WHERE ", kAttempts, " AND next_follow_up_date < ?1 AND assigned_psv IS ",
          "NOT NULL GROUP BY assigned_psv UNION ALL SELECT assigned_west, COUNT(*) FROM ",
          "opportunities WHERE ", kAttempts, " AND next_follow_up_date < ?1 AND assigned_west IS ",
          "NOT NULL AND assigned_west <> COALESCE(assigned_psv, '') GROUP BY assigned_west"));
  if (!q) return q.error();
  q->bind_int(1, to_ms(now));
  std::vector<OverdueCount> out;
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    out.push_back({q->text_at(0), q->int_at(1)});
  }
  return out;
}

Result<NowCounts> SqlTx::now_counts(Timestamp now) {
  NowCounts n;
  auto waiting = [&](std::string_view sql, bool with_now, std::string what,
                     bool grouped) -> Result<std::vector<Waiting>> {
    auto q = prepare(sql);
    if (!q) return q.error();
    if (with_now) q->bind_int(1, to_ms(now));
    std::vector<Waiting> out;
    for (;;) {
      auto more = q->step();
      if (!more) return more.error();
      if (!*more) break;
      const int c = grouped ? 1 : 0;
      out.push_back({grouped ? q->text_at(0) : what, q->int_at(c), from_ms(q->opt_int_at(c + 1))});
    }
    return out;
  };
  auto pools = waiting(
      "SELECT awaiting_pool, COUNT(*), MIN(created_at) FROM opportunities "
      "WHERE awaiting_pool IS NOT NULL GROUP BY awaiting_pool ORDER BY awaiting_pool",
      false, "", true);
  if (!pools) return pools.error();
  n.unassigned = std::move(*pools);
  auto one = [&](std::string_view sql, bool with_now, std::string what) -> Result<Waiting> {
    auto rows = waiting(sql, with_now, what, false);
    if (!rows) return rows.error();
    if (rows->empty()) return Waiting{std::move(what), 0, std::nullopt};
    return rows->front();
  };
  auto resolving =
      one("SELECT COUNT(*), MIN(created_at) FROM opportunities WHERE status = 'ResolvingUnknown'",
          false, "resolvingUnknown");
  if (!resolving) return resolving.error();
  n.resolving_unknown = std::move(*resolving);
  auto followups =
      one("SELECT COUNT(*), MIN(reminder_date) FROM followups WHERE status = 'active' "
          "AND reminder_date < ?1",
          true, "overdueFollowUps");
  if (!followups) return followups.error();
  n.overdue_followups = std::move(*followups);
  auto attempts = one(cat("SELECT COUNT(*), MIN(next_follow_up_date) FROM opportunities WHERE ",
                          kAttempts, " AND next_follow_up_date < ?1"),
                      true, "overdueAttempts");
  if (!attempts) return attempts.error();
  n.overdue_attempts = std::move(*attempts);
  return n;
}

}  // namespace leadproc::sql
