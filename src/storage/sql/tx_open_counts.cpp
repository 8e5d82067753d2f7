// SqlTx: the open_counts rollup (open_counts.h, migrations 34, 38 and 41): its upkeep, called by
// insert_opportunity and update_opportunity (each change applied at once, or kept by PgTx until
// its flush_counters()), and its one reader, count_held_open.
#include <map>
#include <utility>

#include "domain/assignees.h"
#include "domain/lifecycle.h"
#include "storage/sql/open_counts.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {

namespace {

Holding holding_of(std::string status, const std::optional<std::string>& crm_stage,
                   const std::optional<std::string>& filtration_stage, bool closed,
                   const Assignees& people) {
  Holding h{std::move(status), "", {}};
  h.stage = held_stage(h.status, crm_stage, filtration_stage);
  if (!closed) h.people.assign(people.begin(), people.end());
  return h;
}

}  // namespace

std::string held_stage(std::string_view status, const std::optional<std::string>& crm_stage,
                       const std::optional<std::string>& filtration_stage) {
  if (status == to_string(OpportunityStatus::kInPsv) ||
      status == to_string(OpportunityStatus::kInWest))
    return filtration_stage.value_or("");
  const bool open = status == to_string(OpportunityStatus::kOpen);
  if (!open && status != to_string(OpportunityStatus::kDormant)) return "";
  if (crm_stage) return *crm_stage;
  return open ? std::string(to_string(CrmStage::kFollowup)) : "";
}

std::optional<std::string> filtration_stage_of(const Opportunity& o) {
  const bool filtering =
      o.status == OpportunityStatus::kInPsv || o.status == OpportunityStatus::kInWest;
  if (!filtering || !o.filtration_status) return std::nullopt;
  return o.filtration_status->stage;
}

Holding holding_of(std::string status, const std::optional<std::string>& crm_stage,
                   const std::optional<std::string>& filtration_stage, bool closed,
                   const std::optional<std::string>& psv, const std::optional<std::string>& west,
                   const std::optional<std::string>& owner) {
  return holding_of(std::move(status), crm_stage, filtration_stage, closed,
                    Assignees(psv, west, owner));
}

Holding holding_of(const Opportunity& o) {
  // The stages as the crm_stage and filtration_stage columns store them (tx_opportunities.cpp),
  // so that the part added here is the part holding_of(columns) reads back before the next change.
  std::optional<std::string> crm_stage;
  if (o.crm_stage_meta) crm_stage = std::string(to_string(o.crm_stage_meta->stage));
  return holding_of(std::string(to_string(o.status)), crm_stage, filtration_stage_of(o),
                    is_closed(o), Assignees(o));
}

Status SqlTx::move_holding(const Holding& before, const Holding& after) {
  if (before == after) return ok_status();
  // The net change per (person, status, stage), in key order (where it is applied at once, two
  // transactions that change the same rows take their locks in the same order).
  std::map<HeldKey, std::int64_t> delta;
  for (const auto& p : before.people) delta[{p, before.status, before.stage}] -= 1;
  for (const auto& p : after.people) delta[{p, after.status, after.stage}] += 1;
  for (const auto& [key, n] : delta) {
    if (n == 0) continue;
    if (auto s = open_count_moved(key, n); !s) return s;
  }
  return ok_status();
}

Status SqlTx::apply_open_count(const HeldKey& key, std::int64_t n) {
  auto q = prepare(
      "INSERT INTO open_counts (person, status, stage, n) "
      "VALUES (?1, ?2, ?3, CAST(?4 AS BIGINT)) "
      "ON CONFLICT (person, status, stage) DO UPDATE SET n = open_counts.n + excluded.n");
  if (!q) return q.error();
  q->bind_text(1, key.person);
  q->bind_text(2, key.status);
  q->bind_text(3, key.stage);
  q->bind_int(4, n);
  return q->run();
}

Result<std::vector<HeldCount>> SqlTx::count_held_open() {
  // A row whose count went back to 0 stays (it is written again soon); it is not a holding.
  auto q = prepare("SELECT person, status, stage, n FROM open_counts WHERE n <> 0");
  if (!q) return q.error();
  std::vector<HeldCount> out;
  for (;;) {
    auto more = q->step();
    if (!more) return more.error();
    if (!*more) break;
    out.push_back({q->text_at(0), q->text_at(1), q->text_at(2), q->int_at(3)});
  }
  return out;
}

}  // namespace leadproc::sql
