// SqlTx: activities, the append-only audit trail of an opportunity.
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "id, opp_id, activity_by, phase, description, changes, created_at";

Result<Activity> read_activity(const Row& q) {
  Activity a;
  a.id = q.text_at(0);
  a.opp_id = q.text_at(1);
  a.activity_by = q.opt_text_at(2);
  auto phase = require(parse_activity_phase(q.text_at(3)), "activities.phase", q.text_at(3));
  if (!phase) return phase.error();
  a.activity_phase = *phase;
  a.description = q.text_at(4);
  auto changes = changes_from_json(q.view_at(5));
  if (!changes) return changes.error();
  a.changes = std::move(*changes);
  a.created_at = from_ms(q.int_at(6));
  return a;
}

}  // namespace

Result<std::vector<Activity>> SqlTx::list_activities(const Id& opp_id, const Page& page) {
  if (page.limit <= 0) return std::vector<Activity>{};
  // Two fixed texts (with or without the cursor) so that activities_opp serves both in order.
  auto q = prepare(cat("SELECT ", kColumns, " FROM activities WHERE opp_id = ?1",
                       page.after ? " AND id < ?3" : "", " ORDER BY id DESC LIMIT ?2"));
  if (!q) return q.error();
  q->bind_text(1, opp_id);
  q->bind_int(2, page.limit);
  if (page.after) q->bind_text(3, *page.after);
  return collect<Activity>(*q, read_activity);
}

Status SqlTx::insert_activity(const Activity& a) {
  auto q =
      prepare(cat("INSERT INTO activities (", kColumns, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  if (!q) return q.error();
  q->bind_text(1, a.id);
  q->bind_text(2, a.opp_id);
  q->bind_opt_text(3, a.activity_by);
  q->bind_text(4, to_string(a.activity_phase));
  q->bind_text(5, a.description);
  q->bind_text(6, changes_to_json(a.changes));
  q->bind_int(7, to_ms(a.created_at));
  return q->run();
}

}  // namespace leadproc::sql
