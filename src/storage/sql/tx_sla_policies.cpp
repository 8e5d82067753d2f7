// SqlTx: escalation policies and the steps they took (domain/sla_policy.h; migration 26).
#include "storage/sql/columns.h"
#include "storage/sql/rows.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "id, process, stage, after_minutes, warn_before_minutes, action, created_by, created_at, "
    "updated_at";

Result<SlaPolicy> read_policy(const Row& q) {
  SlaPolicy p;
  p.id = q.text_at(0);
  auto process = require(parse_activity_phase(q.text_at(1)), "sla_policies.process", q.text_at(1));
  if (!process) return process.error();
  p.process = *process;
  p.stage = q.text_at(2);
  p.after_minutes = static_cast<int>(q.int_at(3));
  p.warn_before_minutes = static_cast<int>(q.int_at(4));
  auto action = require(parse_sla_action(q.text_at(5)), "sla_policies.action", q.text_at(5));
  if (!action) return action.error();
  p.action = *action;
  p.created_by = q.opt_text_at(6);
  p.created_at = from_ms(q.int_at(7));
  p.updated_at = from_ms(q.int_at(8));
  return p;
}

void bind_policy(Stmt& q, const SlaPolicy& p) {
  q.bind_text(1, p.id);
  q.bind_text(2, to_string(p.process));
  q.bind_text(3, p.stage);
  q.bind_int(4, p.after_minutes);
  q.bind_int(5, p.warn_before_minutes);
  q.bind_text(6, to_string(p.action));
  q.bind_opt_text(7, p.created_by);
  q.bind_int(8, to_ms(p.created_at));
  q.bind_int(9, to_ms(p.updated_at));
}

}  // namespace

Result<std::vector<SlaPolicy>> SqlTx::list_sla_policies() {
  auto q = prepare(cat("SELECT ", kColumns, " FROM sla_policies ORDER BY id"));
  if (!q) return q.error();
  return collect<SlaPolicy>(*q, read_policy);
}

Result<std::optional<SlaPolicy>> SqlTx::get_sla_policy(const std::string& id) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM sla_policies WHERE id = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<SlaPolicy>(*q, read_policy);
}

Result<std::vector<Opportunity>> SqlTx::sla_candidates(const SlaPolicy& p, Timestamp from,
                                                       Timestamp to, int limit) {
  if (limit <= 0) return std::vector<Opportunity>{};
  // The clock's start and the stage, per process (domain/sla_policy.h): PSV and WEST leads not
  // moved on from their fresh stage are the held ones at the funnel's "assigned" step.
  std::string where;
  std::string_view start = "created_at";
  switch (p.process) {
    case ActivityPhase::kCrm:
      where = "status = 'Open' AND crm_stage = 'fresh_lead' AND owner IS NOT NULL";
      start = "crm_entry_at";
      break;
    case ActivityPhase::kWest:
      where = cat("status = 'InWEST' AND assigned_west IS NOT NULL AND funnel_step = ",
                  std::to_string(static_cast<int>(FunnelStep::kAssigned)));
      break;
    default:
      where = cat("status = 'InPSV' AND assigned_psv IS NOT NULL AND funnel_step = ",
                  std::to_string(static_cast<int>(FunnelStep::kAssigned)));
      break;
  }
  auto q = prepare(cat("SELECT version, doc FROM opportunities o WHERE ", where, " AND ", start,
                       " >= ?1 AND ", start, " <= ?2 AND NOT EXISTS (SELECT 1 FROM sla_steps s ",
                       "WHERE s.opp_id = o.id AND s.policy_id = ?3 AND s.step = 'act') ",
                       "ORDER BY ", start, ", id LIMIT ?4"));
  if (!q) return q.error();
  q->bind_int(1, to_ms(from));
  q->bind_int(2, to_ms(to));
  q->bind_text(3, p.id);
  q->bind_int(4, limit);
  return collect<Opportunity>(*q, read_opportunity);
}

Result<std::vector<SlaStepCount>> SqlTx::count_sla_steps(Timestamp from, Timestamp to) {
  auto q = prepare(
      "SELECT policy_id, step, COUNT(*) FROM sla_steps WHERE at >= ?1 AND at < ?2 "
      "GROUP BY policy_id, step ORDER BY policy_id, step");
  if (!q) return q.error();
  q->bind_int(1, to_ms(from));
  q->bind_int(2, to_ms(to));
  return collect<SlaStepCount>(*q, [](const Row& r) -> Result<SlaStepCount> {
    return SlaStepCount{r.text_at(0), r.text_at(1), static_cast<int>(r.int_at(2))};
  });
}

Status SqlTx::insert_sla_policy(const SlaPolicy& p) {
  auto q = prepare(
      cat("INSERT INTO sla_policies (", kColumns, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  if (!q) return q.error();
  bind_policy(*q, p);
  return q->run();
}

Status SqlTx::update_sla_policy(const SlaPolicy& p) {
  auto q = prepare(
      "UPDATE sla_policies SET process = ?2, stage = ?3, after_minutes = ?4, "
      "warn_before_minutes = ?5, action = ?6, created_by = ?7, created_at = ?8, updated_at = ?9 "
      "WHERE id = ?1");
  if (!q) return q.error();
  bind_policy(*q, p);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "escalation policy", p.id);
}

Status SqlTx::delete_sla_policy(const std::string& id) {
  auto steps = prepare("DELETE FROM sla_steps WHERE policy_id = ?1");
  if (!steps) return steps.error();
  steps->bind_text(1, id);
  if (auto s = steps->run(); !s) return s;
  auto q = prepare("DELETE FROM sla_policies WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, id);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "escalation policy", id);
}

Result<bool> SqlTx::claim_sla_step(const std::string& policy_id, const Id& opp_id, SlaStep step,
                                   Timestamp at) {
  auto q = prepare(
      "INSERT INTO sla_steps (opp_id, policy_id, step, at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT DO NOTHING");
  if (!q) return q.error();
  q->bind_text(1, opp_id);
  q->bind_text(2, policy_id);
  q->bind_text(3, to_string(step));
  q->bind_int(4, to_ms(at));
  if (auto s = q->run(); !s) return s.error();
  return q->changes() == 1;
}

}  // namespace leadproc::sql
