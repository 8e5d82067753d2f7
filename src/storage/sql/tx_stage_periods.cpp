// SqlTx: stage periods (app/stage_periods.h; migration 21): one row per stay of an opportunity in
// a status and stage, opened and closed in the change's transaction, and the two reads of the
// time-in-stage report. Both reads join the opportunities filtered by the list's own conditions
// (opportunity_where.h); stage_periods has no column those conditions name (no `id`, every other
// column prefixed), so they read the opportunity's.
#include "storage/sql/columns.h"
#include "storage/sql/opportunity_where.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

// The opportunities of `f` joined to their stays: " FROM stage_periods JOIN opportunities ...
// WHERE 1 = 1 <conditions>", or nullopt when nothing can match.
std::optional<std::string> stays_of(const OpportunityFilter& f, Binds& b,
                                    const BoolLiterals& bools) {
  auto conditions = all_conditions(f, b, bools);
  if (!conditions) return std::nullopt;
  return cat(" FROM stage_periods JOIN opportunities ON opportunities.id = stage_periods.opp_id",
             " WHERE 1 = 1", *conditions);
}

}  // namespace

Status SqlTx::enter_stage(const Id& opp_id, const std::string& status, const std::string& stage,
                          FunnelStep step, const std::optional<Id>& person, Timestamp at) {
  auto close =
      prepare("UPDATE stage_periods SET left_at = ?2 WHERE opp_id = ?1 AND left_at IS NULL");
  if (!close) return close.error();
  close->bind_text(1, opp_id);
  close->bind_int(2, to_ms(at));
  if (auto s = close->run(); !s) return s;
  auto open = prepare(
      "INSERT INTO stage_periods (opp_id, stay_status, stay_stage, stay_person, stay_step, "
      "entered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!open) return open.error();
  open->bind_text(1, opp_id);
  open->bind_text(2, status);
  open->bind_text(3, stage);
  open->bind_opt_text(4, person);
  open->bind_int(5, static_cast<std::int64_t>(step));
  open->bind_int(6, to_ms(at));
  return open->run();
}

Result<std::vector<StageStay>> SqlTx::list_stage_stays(const OpportunityFilter& f,
                                                       Timestamp left_from, Timestamp left_to) {
  Binds b;
  auto from = stays_of(f, b, {sql_false(), sql_true()});
  if (!from) return std::vector<StageStay>{};
  const std::string lo = b.integer(to_ms(left_from));
  const std::string hi = b.integer(to_ms(left_to));
  auto q = prepare(cat("SELECT stay_status, stay_stage, stay_person, platform, destination_key, ",
                       "campaign, left_at - entered_at", *from, " AND left_at >= ", lo,
                       " AND left_at < ", hi));
  if (!q) return q.error();
  b.bind(*q);
  return collect<StageStay>(*q, [](const Row& r) -> Result<StageStay> {
    return StageStay{r.text_at(0), r.text_at(1), r.opt_text_at(2), r.text_at(3),
                     r.text_at(4), r.text_at(5), r.int_at(6)};
  });
}

Result<std::vector<StageMilestones>> SqlTx::list_stage_milestones(const OpportunityFilter& f) {
  Binds b;
  auto from = stays_of(f, b, {sql_false(), sql_true()});
  if (!from) return std::vector<StageMilestones>{};
  // The first entry at or past each step (a lead can step back: "reached" is the earliest).
  auto first_at = [](FunnelStep step) {
    return cat("MIN(CASE WHEN stay_step >= ", std::to_string(static_cast<int>(step)),
               " THEN entered_at END)");
  };
  auto q = prepare(cat("SELECT opportunities.created_at, ", first_at(FunnelStep::kContacted), ", ",
                       first_at(FunnelStep::kQualified), ", ", first_at(FunnelStep::kWon),
                       ", platform, destination_key, campaign, assigned_psv, assigned_west, owner",
                       *from,
                       " GROUP BY opportunities.id, opportunities.created_at, platform, "
                       "destination_key, campaign, assigned_psv, assigned_west, owner"));
  if (!q) return q.error();
  b.bind(*q);
  return collect<StageMilestones>(*q, [](const Row& r) -> Result<StageMilestones> {
    StageMilestones m;
    m.created_at = from_ms(r.int_at(0));
    m.contacted_at = from_ms(r.opt_int_at(1));
    m.qualified_at = from_ms(r.opt_int_at(2));
    m.won_at = from_ms(r.opt_int_at(3));
    m.platform = r.text_at(4);
    m.destination_key = r.text_at(5);
    m.campaign = r.text_at(6);
    for (int col = 7; col <= 9; ++col) {
      auto person = r.opt_text_at(col);
      if (!person) continue;
      if (std::find(m.people.begin(), m.people.end(), *person) == m.people.end())
        m.people.push_back(std::move(*person));
    }
    return m;
  });
}

}  // namespace leadproc::sql
