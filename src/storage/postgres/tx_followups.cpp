// PgTx: follow-ups (the spec's opportunityfollowups), the due lists built on them and on the
// PSV/WEST agents' nextFollowUpDate, and the CRM entries of the SLA report. One column per field;
// `version` guards concurrent changes like the opportunity's.
#include <limits>

#include "codec/json_codec.h"
#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kColumns =
    "id, opp_id, stage, sub_stage, not_interested_reason, count, note, reminder_date, status, "
    "completed_at, custom_remark, outcome, owner, created_by, modified_by, created_at, "
    "updated_at, version";

template <typename E>
std::optional<std::string> opt_enum(const std::optional<E>& v) {
  return v ? std::optional<std::string>(std::string(to_string(*v))) : std::nullopt;
}

Result<FollowUp> read_followup(const Row& r) {
  FollowUp f;
  f.id = r.text_at(0);
  f.opp_id = r.text_at(1);
  auto stage = require(parse_crm_stage(r.view_at(2)), "followups.stage", r.view_at(2));
  if (!stage) return stage.error();
  f.stage = *stage;
  if (auto sub = r.opt_text_at(3)) {
    auto parsed = require(parse_followup_sub_stage(*sub), "followups.sub_stage", *sub);
    if (!parsed) return parsed.error();
    f.sub_stage = *parsed;
  }
  f.not_interested_reason = r.opt_text_at(4);
  f.count = static_cast<int>(r.int_at(5));
  f.note = r.opt_text_at(6);
  f.reminder_date = from_ms(r.opt_int_at(7));
  auto status = require(parse_followup_status(r.view_at(8)), "followups.status", r.view_at(8));
  if (!status) return status.error();
  f.status = *status;
  f.completed_at = from_ms(r.opt_int_at(9));
  f.custom_remark = r.opt_text_at(10);
  if (auto outcome = r.opt_text_at(11)) {
    auto parsed = require(parse_followup_outcome(*outcome), "followups.outcome", *outcome);
    if (!parsed) return parsed.error();
    f.outcome = *parsed;
  }
  f.owner = r.opt_text_at(12);
  f.created_by = r.opt_text_at(13);
  f.modified_by = r.opt_text_at(14);
  f.created_at = from_ms(r.int_at(15));
  f.updated_at = from_ms(r.int_at(16));
  f.version = r.int_at(17);
  return f;
}

// The columns from `stage` to `modified_by` (13 values), appended to `p`.
void add_fields(Params& p, const FollowUp& f) {
  p.text(to_string(f.stage))
      .opt_text(opt_enum(f.sub_stage))
      .opt_text(f.not_interested_reason)
      .integer(f.count)
      .opt_text(f.note)
      .opt_integer(to_ms(f.reminder_date))
      .text(to_string(f.status))
      .opt_integer(to_ms(f.completed_at))
      .opt_text(f.custom_remark)
      .opt_text(opt_enum(f.outcome))
      .opt_text(f.owner)
      .opt_text(f.created_by)
      .opt_text(f.modified_by);
}

// The reminder window as bound values: an absent end becomes the widest value.
std::int64_t window_from(const DueWindow& w) {
  return w.from ? to_ms(*w.from) : std::numeric_limits<std::int64_t>::min();
}
std::int64_t window_to(const DueWindow& w) {
  return w.to ? to_ms(*w.to) : std::numeric_limits<std::int64_t>::max();
}

Result<Opportunity> read_opportunity_doc(const Row& r) {  // columns: version, doc
  auto doc = parse_object(r.view_at(1), "opportunities.doc");
  if (!doc) return doc.error();
  Opportunity o = codec::opportunity_from_json(*doc);
  o.version = r.int_at(0);
  return o;
}

}  // namespace

Result<std::optional<FollowUp>> PgTx::get_followup(const Id& id) {
  auto rows = run(cat("SELECT ", kColumns, " FROM followups WHERE id = $1", for_update()),
                  Params().text(id));
  if (!rows) return rows.error();
  return first<FollowUp>(*rows, read_followup);
}

Result<std::vector<FollowUp>> PgTx::list_followups(const Id& opp_id) {
  auto rows = run(
      cat("SELECT ", kColumns, " FROM followups WHERE opp_id = $1 ORDER BY id DESC", for_update()),
      Params().text(opp_id));
  if (!rows) return rows.error();
  return collect<FollowUp>(*rows, read_followup);
}

Result<std::vector<FollowUp>> PgTx::list_due_followups(const DueWindow& w) {
  if (w.limit <= 0) return std::vector<FollowUp>{};
  // Two fixed texts so that followups_due / followups_owner_due serve filter and order.
  Params p;
  p.integer(window_from(w)).integer(window_to(w)).integer(w.limit);
  if (w.owner) p.text(*w.owner);
  auto rows = run(
      cat("SELECT ", kColumns,
          " FROM followups WHERE status = 'active' AND reminder_date >= $1 "
          "AND reminder_date < $2",
          w.owner ? " AND owner = $4" : "", " ORDER BY reminder_date, id LIMIT $3", for_update()),
      p);
  if (!rows) return rows.error();
  return collect<FollowUp>(*rows, read_followup);
}

Result<std::vector<Opportunity>> PgTx::list_filtration_due(const DueWindow& w) {
  if (w.limit <= 0) return std::vector<Opportunity>{};
  // Everyone's: the partial index opportunities_filtration_due. One agent's: their assignee
  // indexes, which lead with (assigned_*, status).
  Params p;
  p.integer(window_from(w)).integer(window_to(w)).integer(w.limit);
  if (w.owner) p.text(*w.owner);
  auto rows = run(cat("SELECT version, doc FROM opportunities WHERE status IN ('InPSV', 'InWEST') "
                      "AND next_follow_up_date IS NOT NULL AND next_follow_up_date >= $1 "
                      "AND next_follow_up_date < $2",
                      w.owner ? " AND id IN (SELECT id FROM opportunities WHERE assigned_psv = $4 "
                                "UNION ALL SELECT id FROM opportunities WHERE assigned_west = $4)"
                              : "",
                      " ORDER BY next_follow_up_date, id LIMIT $3", for_update()),
                  p);
  if (!rows) return rows.error();
  return collect<Opportunity>(*rows, read_opportunity_doc);
}

Result<std::vector<CrmEntry>> PgTx::list_crm_entries(Timestamp from, Timestamp to) {
  // A report: read, never locked.
  auto rows =
      run("SELECT o.id, o.owner, o.crm_entry_at, f.completed_at, f.owner "
          "FROM opportunities o LEFT JOIN followups f ON f.id = ("
          "  SELECT id FROM followups WHERE opp_id = o.id AND sub_stage = 'first_contact' "
          "  AND status = 'completed' ORDER BY completed_at, id LIMIT 1) "
          "WHERE o.crm_entry_at >= $1 AND o.crm_entry_at < $2 ORDER BY o.crm_entry_at, o.id",
          Params().integer(to_ms(from)).integer(to_ms(to)));
  if (!rows) return rows.error();
  return collect<CrmEntry>(*rows, [](const Row& row) -> Result<CrmEntry> {
    CrmEntry e;
    e.opp_id = row.text_at(0);
    e.owner = row.opt_text_at(1);
    e.crm_entry_at = from_ms(row.int_at(2));
    e.first_contact_completed_at = from_ms(row.opt_int_at(3));
    e.first_contact_owner = row.opt_text_at(4);
    return e;
  });
}

Status PgTx::insert_followup(const FollowUp& f) {
  auto rows = run(cat("INSERT INTO followups (", kColumns,
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, ",
                      "$15, $16, $17, $18)"),
                  [&] {
                    Params p;
                    p.text(f.id).text(f.opp_id);
                    add_fields(p, f);
                    p.integer(to_ms(f.created_at)).integer(to_ms(f.updated_at)).integer(f.version);
                    return p;
                  }());
  if (!rows) return rows.error();
  return ok_status();
}

Status PgTx::update_followup(const FollowUp& f, std::int64_t expected_version) {
  Params p;
  p.text(f.id);
  add_fields(p, f);
  p.integer(to_ms(f.updated_at)).integer(expected_version + 1).integer(expected_version);
  auto rows = run(
      "UPDATE followups SET stage = $2, sub_stage = $3, not_interested_reason = $4, count = $5, "
      "note = $6, reminder_date = $7, status = $8, completed_at = $9, custom_remark = $10, "
      "outcome = $11, owner = $12, created_by = $13, modified_by = $14, updated_at = $15, "
      "version = $16 WHERE id = $1 AND version = $17",
      p);
  if (!rows) return rows.error();
  if (rows->affected() == 1) return ok_status();
  auto current = run("SELECT version FROM followups WHERE id = $1", Params().text(f.id));
  if (!current) return current.error();
  if (current->empty()) return Error::not_found("follow-up " + f.id + " not found");
  return Error{ErrorCode::kPreconditionFailed,
               "follow-up " + f.id + " is at version " + std::to_string((*current)[0].int_at(0)) +
                   ", not " + std::to_string(expected_version),
               {},
               {},
               0};
}

}  // namespace leadproc::postgres
