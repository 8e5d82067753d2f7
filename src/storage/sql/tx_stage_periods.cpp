// SqlTx: stage periods (app/stage_periods.h; migration 21): one row per stay of an opportunity in
// a status and stage, opened and closed in the change's transaction, and the two reads of the
// time-in-stage report, each one range of one covering index (migration 32). A stay carries its
// opportunity's platform, destination_key and campaign under the opportunity's own column names,
// so the list's conditions for them (opportunity_where.h) apply to the stays as they are; and
// the opportunity carries its milestones (reached_*_at), the first entry of a stay at or past
// contacted, qualified and won.
#include <array>
#include <optional>
#include <string_view>

#include "domain/assignees.h"
#include "storage/sql/columns.h"
#include "storage/sql/opportunity_where.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

// The opportunity's milestone columns (migration 32) and the step each records.
constexpr std::array<std::pair<FunnelStep, std::string_view>, 3> kMilestones{{
    {FunnelStep::kContacted, "reached_contacted_at"},
    {FunnelStep::kQualified, "reached_qualified_at"},
    {FunnelStep::kWon, "reached_won_at"},
}};

}  // namespace

Status SqlTx::enter_stage(const Id& opp_id, const std::string& status, const std::string& stage,
                          FunnelStep step, const std::optional<Id>& person, Timestamp at,
                          EarlierStay earlier) {
  if (earlier == EarlierStay::kMayBeOpen) {
    auto close =
        prepare("UPDATE stage_periods SET left_at = ?2 WHERE opp_id = ?1 AND left_at IS NULL");
    if (!close) return close.error();
    close->bind_text(1, opp_id);
    close->bind_int(2, to_ms(at));
    if (auto s = close->run(); !s) return s;
  }
  // The facets from the opportunity's row, written before its change is recorded.
  auto open = prepare(
      "INSERT INTO stage_periods (opp_id, stay_status, stay_stage, stay_person, stay_step, "
      "entered_at, platform, destination_key, campaign) SELECT id, ?2, ?3, ?4, CAST(?5 AS BIGINT), "
      "CAST(?6 AS BIGINT), platform, destination_key, campaign FROM opportunities WHERE id = ?1");
  if (!open) return open.error();
  open->bind_text(1, opp_id);
  open->bind_text(2, status);
  open->bind_text(3, stage);
  open->bind_opt_text(4, person);
  open->bind_int(5, static_cast<std::int64_t>(step));
  open->bind_int(6, to_ms(at));
  if (auto s = open->run(); !s) return s;
  // Each milestone the stay's step is at or past: the earliest entry (MIN over the stays, kept
  // as they are written; a lead that steps back and on again keeps its first time).
  std::string set;
  for (const auto& [milestone, column] : kMilestones) {
    if (step < milestone) break;
    set += cat(set.empty() ? "" : ", ", column, " = CASE WHEN ", column, " IS NULL OR ", column,
               " > ?2 THEN ?2 ELSE ", column, " END");
  }
  if (set.empty()) return ok_status();
  auto reached = prepare(cat("UPDATE opportunities SET ", set, " WHERE id = ?1"));
  if (!reached) return reached.error();
  reached->bind_text(1, opp_id);
  reached->bind_int(2, to_ms(at));
  return reached->run();
}

Result<std::vector<StageStay>> SqlTx::list_stage_stays(const OpportunityFilter& f,
                                                       Timestamp left_from, Timestamp left_to,
                                                       FunnelGroup by, TextTable& texts) {
  Binds b;
  // Only the facets (store.h): the conditions name the stay's copies of them.
  OpportunityFilter facets;
  facets.platform = f.platform;
  facets.campaign = f.campaign;
  facets.destination_id = f.destination_id;
  auto conditions = filter_conditions(facets, b, {sql_false(), sql_true()});
  if (!conditions) return std::vector<StageStay>{};
  if (f.assignee) *conditions += cat(" AND stay_person = ", b.text(*f.assignee));
  const std::string lo = b.integer(to_ms(left_from));
  const std::string hi = b.integer(to_ms(left_to));
  std::string_view key = "NULL";
  if (by == FunnelGroup::kAgent) key = "stay_person";
  if (auto facet = facet_column(by)) key = *facet;
  // One range of stage_periods_left (migration 32), which holds every column named here.
  auto q = prepare(cat("SELECT stay_status, stay_stage, ", key,
                       ", left_at - entered_at FROM stage_periods WHERE left_at >= ", lo,
                       " AND left_at < ", hi, *conditions));
  if (!q) return q.error();
  b.bind(*q);
  // A facet's NULL is its "" (none), as the opportunity's; a stay nobody worked has no agent.
  const bool agent = by == FunnelGroup::kAgent;
  const bool keyed = agent || facet_column(by);
  return collect<StageStay>(*q, [agent, keyed, &texts](const Row& r) -> Result<StageStay> {
    std::optional<TextTable::Index> key;
    if (keyed && !(agent && r.is_null(2))) key = texts.index_of(r.view_at(2));
    return StageStay{texts.index_of(r.view_at(0)), texts.index_of(r.view_at(1)), key, r.int_at(3)};
  });
}

Result<std::vector<StageMilestones>> SqlTx::list_stage_milestones(const OpportunityFilter& f,
                                                                  FunnelGroup by,
                                                                  TextTable& texts) {
  Binds b;
  auto conditions = counted_conditions(f, b);
  if (!conditions) return std::vector<StageMilestones>{};
  std::string keys;  // the columns of the keys, from column 4
  if (by == FunnelGroup::kAgent) keys = ", assigned_psv, assigned_west, owner";
  if (auto facet = facet_column(by)) keys = cat(", ", *facet);
  // A later milestone implies the first (its stays are among those past contacted): an
  // opportunity without reached_contacted_at has no duration to give. On SQLite the period is
  // one range of opportunities_funnel_cover, which holds every column named here.
  auto q = prepare(cat("SELECT created_at, reached_contacted_at, reached_qualified_at, ",
                       "reached_won_at", keys, " FROM opportunities WHERE reached_contacted_at IS ",
                       "NOT NULL", *conditions));
  if (!q) return q.error();
  b.bind(*q);
  const bool agent = by == FunnelGroup::kAgent;
  const bool has_key = !keys.empty();
  return collect<StageMilestones>(
      *q, [agent, has_key, &texts](const Row& r) -> Result<StageMilestones> {
        StageMilestones m;
        m.created_at = from_ms(r.int_at(0));
        m.contacted_at = from_ms(r.opt_int_at(1));
        m.qualified_at = from_ms(r.opt_int_at(2));
        m.won_at = from_ms(r.opt_int_at(3));
        if (agent) {
          for (const auto person : Assignees(r.opt_view_at(4), r.opt_view_at(5), r.opt_view_at(6)))
            m.keys[m.key_count++] = texts.index_of(person);
        } else if (has_key) {
          m.keys[m.key_count++] = texts.index_of(r.view_at(4));
        }
        return m;
      });
}

}  // namespace leadproc::sql
