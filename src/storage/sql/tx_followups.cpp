// SqlTx: follow-ups (the spec's opportunityfollowups), the due lists built on them and on the
// PSV/WEST agents' nextFollowUpDate, and the CRM entries of the SLA report. One column per field;
// `version` guards concurrent changes like the opportunity's.

#include "storage/sql/columns.h"
#include "storage/sql/rows.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "id, opp_id, stage, sub_stage, not_interested_reason, count, note, reminder_date, status, "
    "completed_at, custom_remark, outcome, owner, created_by, modified_by, created_at, "
    "updated_at, version";

template <typename E>
std::optional<std::string> opt_enum(const std::optional<E>& v) {
  return v ? std::optional<std::string>(std::string(to_string(*v))) : std::nullopt;
}

Result<FollowUp> read_followup(const Row& q) {
  FollowUp f;
  f.id = q.text_at(0);
  f.opp_id = q.text_at(1);
  auto stage = require(parse_crm_stage(q.text_at(2)), "followups.stage", q.text_at(2));
  if (!stage) return stage.error();
  f.stage = *stage;
  if (auto sub = q.opt_text_at(3)) {
    auto parsed = require(parse_followup_sub_stage(*sub), "followups.sub_stage", *sub);
    if (!parsed) return parsed.error();
    f.sub_stage = *parsed;
  }
  f.not_interested_reason = q.opt_text_at(4);
  f.count = static_cast<int>(q.int_at(5));
  f.note = q.opt_text_at(6);
  f.reminder_date = from_ms(q.opt_int_at(7));
  auto status = require(parse_followup_status(q.text_at(8)), "followups.status", q.text_at(8));
  if (!status) return status.error();
  f.status = *status;
  f.completed_at = from_ms(q.opt_int_at(9));
  f.custom_remark = q.opt_text_at(10);
  if (auto outcome = q.opt_text_at(11)) {
    auto parsed = require(parse_followup_outcome(*outcome), "followups.outcome", *outcome);
    if (!parsed) return parsed.error();
    f.outcome = *parsed;
  }
  f.owner = q.opt_text_at(12);
  f.created_by = q.opt_text_at(13);
  f.modified_by = q.opt_text_at(14);
  f.created_at = from_ms(q.int_at(15));
  f.updated_at = from_ms(q.int_at(16));
  f.version = q.int_at(17);
  return f;
}

// Binds the columns from `stage` to `modified_by` (13 values) from parameter `at`.
void bind_fields(Stmt& q, const FollowUp& f, int at) {
  q.bind_text(at, to_string(f.stage));
  q.bind_opt_text(at + 1, opt_enum(f.sub_stage));
  q.bind_opt_text(at + 2, f.not_interested_reason);
  q.bind_int(at + 3, f.count);
  q.bind_opt_text(at + 4, f.note);
  q.bind_opt_int(at + 5, to_ms(f.reminder_date));
  q.bind_text(at + 6, to_string(f.status));
  q.bind_opt_int(at + 7, to_ms(f.completed_at));
  q.bind_opt_text(at + 8, f.custom_remark);
  q.bind_opt_text(at + 9, opt_enum(f.outcome));
  q.bind_opt_text(at + 10, f.owner);
  q.bind_opt_text(at + 11, f.created_by);
  q.bind_opt_text(at + 12, f.modified_by);
}

// The reminder window as bound values: an absent end becomes the widest value.
std::int64_t window_from(const DueWindow& w) {
  return w.from ? to_ms(*w.from) : std::numeric_limits<std::int64_t>::min();
}
std::int64_t window_to(const DueWindow& w) {
  return w.to ? to_ms(*w.to) : std::numeric_limits<std::int64_t>::max();
}

// " AND ..." keeping the entries after w.after in (time_column, id) order, or nothing. Its
// parameters follow the owner's ?4 (when there is one) without a gap: PostgreSQL cannot type a
// parameter no statement text uses.
int after_due_first(const DueWindow& w) {
  return w.owner ? 5 : 4;
}
std::string after_due(std::string_view time_column, const DueWindow& w) {
  if (!w.after) return "";
  const std::string t = "?" + std::to_string(after_due_first(w));
  const std::string id = "?" + std::to_string(after_due_first(w) + 1);
  return cat(" AND (", time_column, " > ", t, " OR (", time_column, " = ", t, " AND id > ", id,
             "))");
}

void bind_after_due(Stmt& q, const DueWindow& w) {
  if (!w.after) return;
  q.bind_int(after_due_first(w), to_ms(w.after->reminder));
  q.bind_text(after_due_first(w) + 1, w.after->id);
}

}  // namespace

Result<std::optional<FollowUp>> SqlTx::get_followup(const Id& id) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM followups WHERE id = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<FollowUp>(*q, read_followup);
}

Result<std::vector<FollowUp>> SqlTx::list_followups(const Id& opp_id) {
  auto q = prepare(
      cat("SELECT ", kColumns, " FROM followups WHERE opp_id = ?1 ORDER BY id DESC", for_update()));
  if (!q) return q.error();
  q->bind_text(1, opp_id);
  return collect<FollowUp>(*q, read_followup);
}

Result<std::vector<FollowUp>> SqlTx::list_due_followups(const DueWindow& w) {
  if (w.limit <= 0) return std::vector<FollowUp>{};
  // Fixed texts so that followups_due / followups_owner_due serve filter and order.
  auto q = prepare(cat("SELECT ", kColumns,
                       " FROM followups WHERE status = 'active' AND reminder_date >= ?1 "
                       "AND reminder_date < ?2",
                       w.owner ? " AND owner = ?4" : "", after_due("reminder_date", w),
                       " ORDER BY reminder_date, id LIMIT ?3", for_update()));
  if (!q) return q.error();
  q->bind_int(1, window_from(w));
  q->bind_int(2, window_to(w));
  q->bind_int(3, w.limit);
  if (w.owner) q->bind_text(4, *w.owner);
  bind_after_due(*q, w);
  return collect<FollowUp>(*q, read_followup);
}

Result<std::vector<Opportunity>> SqlTx::list_filtration_due(const DueWindow& w) {
  if (w.limit <= 0) return std::vector<Opportunity>{};
  // Everyone's: the partial index opportunities_filtration_due. One agent's: their assignee
  // indexes, which lead with (assigned_*, status).
  auto q =
      prepare(cat("SELECT version, doc FROM opportunities WHERE status IN ('InPSV', 'InWEST') "
                  "AND next_follow_up_date IS NOT NULL AND next_follow_up_date >= ?1 "
                  "AND next_follow_up_date < ?2",
                  w.owner ? " AND id IN (SELECT id FROM opportunities WHERE assigned_psv = ?4 "
                            "UNION ALL SELECT id FROM opportunities WHERE assigned_west = ?4)"
                          : "",
                  after_due("next_follow_up_date", w), " ORDER BY next_follow_up_date, id LIMIT ?3",
                  for_update()));
  if (!q) return q.error();
  q->bind_int(1, window_from(w));
  q->bind_int(2, window_to(w));
  q->bind_int(3, w.limit);
  if (w.owner) q->bind_text(4, *w.owner);
  bind_after_due(*q, w);
  return collect<Opportunity>(*q, read_opportunity);
}

Result<std::vector<CrmEntry>> SqlTx::list_crm_entries(Timestamp from, Timestamp to) {
  // A report: read, never locked. One range of opportunities_crm_entry, which holds every column
  // asked for (migration 37: each entry's first contact is on its row), so no table row and no
  // follow-up is read.
  auto q = prepare(
      "SELECT id, owner, crm_entry_at, first_contact_at, first_contact_by FROM opportunities "
      "WHERE crm_entry_at >= ?1 AND crm_entry_at < ?2 ORDER BY crm_entry_at, id");
  if (!q) return q.error();
  q->bind_int(1, to_ms(from));
  q->bind_int(2, to_ms(to));
  return collect<CrmEntry>(*q, [](const Row& row) -> Result<CrmEntry> {
    CrmEntry e;
    e.opp_id = row.text_at(0);
    e.owner = row.opt_text_at(1);
    e.crm_entry_at = from_ms(row.int_at(2));
    if (!row.is_null(3)) {
      e.first_contact_completed_at = from_ms(row.int_at(3));
      e.first_contact_owner = row.opt_text_at(4);
    }
    return e;
  });
}

std::string earliest_first_contact(std::string_view column) {
  return cat("(SELECT ", column,
             " FROM followups WHERE opp_id = ?1 AND sub_stage = 'first_contact' AND status = "
             "'completed' ORDER BY completed_at, id LIMIT 1)");
}

Status SqlTx::refresh_first_contact(const Id& opp_id) {
  auto q = prepare(
      cat("UPDATE opportunities SET first_contact_at = ", earliest_first_contact("completed_at"),
          ", first_contact_by = ", earliest_first_contact("owner"), " WHERE id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, opp_id);
  return q->run();
}

Status SqlTx::insert_followup(const FollowUp& f) {
  auto q = prepare(cat("INSERT INTO followups (", kColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                       "?15, ?16, ?17, ?18)"));
  if (!q) return q.error();
  q->bind_text(1, f.id);
  q->bind_text(2, f.opp_id);
  bind_fields(*q, f, 3);
  q->bind_int(16, to_ms(f.created_at));
  q->bind_int(17, to_ms(f.updated_at));
  q->bind_int(18, f.version);
  if (auto s = q->run(); !s) return s;
  if (f.sub_stage == FollowUpSubStage::kFirstContact && f.status == FollowUpStatus::kCompleted)
    return refresh_first_contact(f.opp_id);
  return ok_status();
}

Status SqlTx::update_followup(const FollowUp& f, std::int64_t expected_version) {
  {
    auto q = prepare(
        "UPDATE followups SET stage = ?2, sub_stage = ?3, not_interested_reason = ?4, count = ?5, "
        "note = ?6, reminder_date = ?7, status = ?8, completed_at = ?9, custom_remark = ?10, "
        "outcome = ?11, owner = ?12, created_by = ?13, modified_by = ?14, updated_at = ?15, "
        "version = ?16 WHERE id = ?1 AND version = ?17");
    if (!q) return q.error();
    q->bind_text(1, f.id);
    bind_fields(*q, f, 2);
    q->bind_int(15, to_ms(f.updated_at));
    q->bind_int(16, expected_version + 1);
    q->bind_int(17, expected_version);
    if (auto s = q->run(); !s) return s;
    // Completed, or no longer (whatever its status was): the opportunity's first contact.
    if (q->changes() == 1)
      return f.sub_stage == FollowUpSubStage::kFirstContact ? refresh_first_contact(f.opp_id)
                                                            : ok_status();
  }
  return version_moved("followups", "follow-up", f.id, expected_version);
}

}  // namespace leadproc::sql
