// PgTx: activities, the append-only audit trail of an opportunity (never updated: no locks).
#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kColumns =
    "id, opp_id, activity_by, phase, description, changes, created_at";

Result<Activity> read_activity(const Row& r) {
  Activity a;
  a.id = r.text_at(0);
  a.opp_id = r.text_at(1);
  a.activity_by = r.opt_text_at(2);
  auto phase = require(parse_activity_phase(r.view_at(3)), "activities.phase", r.view_at(3));
  if (!phase) return phase.error();
  a.activity_phase = *phase;
  a.description = r.text_at(4);
  auto changes = changes_from_json(r.view_at(5));
  if (!changes) return changes.error();
  a.changes = std::move(*changes);
  a.created_at = from_ms(r.int_at(6));
  return a;
}

}  // namespace

Result<std::vector<Activity>> PgTx::list_activities(const Id& opp_id, const Page& page) {
  if (page.limit <= 0) return std::vector<Activity>{};
  // Two fixed texts (with or without the cursor) so that activities_opp serves both in order.
  Params p;
  p.text(opp_id).integer(page.limit);
  if (page.after) p.text(*page.after);
  auto rows = run(cat("SELECT ", kColumns, " FROM activities WHERE opp_id = $1",
                      page.after ? " AND id < $3" : "", " ORDER BY id DESC LIMIT $2"),
                  p);
  if (!rows) return rows.error();
  return collect<Activity>(*rows, read_activity);
}

Status PgTx::insert_activity(const Activity& a) {
  auto rows =
      run(cat("INSERT INTO activities (", kColumns, ") VALUES ($1, $2, $3, $4, $5, $6, $7)"),
          Params()
              .text(a.id)
              .text(a.opp_id)
              .opt_text(a.activity_by)
              .text(to_string(a.activity_phase))
              .text(a.description)
              .text(changes_to_json(a.changes))
              .integer(to_ms(a.created_at)));
  if (!rows) return rows.error();
  return ok_status();
}

}  // namespace leadproc::postgres
