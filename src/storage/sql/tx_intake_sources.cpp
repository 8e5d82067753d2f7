// SqlTx: intake sources and the Google leads taken in (migration 22; docs/intake.md).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kSourceColumns =
    "id, kind, name, source_key, secret, mapping, last_lead_at, last_error, created_at, "
    "updated_at";

Result<IntakeSource> read_source(const Row& q) {
  IntakeSource s;
  s.id = q.text_at(0);
  s.kind = q.text_at(1);
  s.name = q.text_at(2);
  s.key = q.text_at(3);
  s.secret = q.text_at(4);
  s.mapping_json = q.text_at(5);
  if (auto at = q.opt_int_at(6)) s.last_lead_at = from_ms(*at);
  s.last_error = q.opt_text_at(7);
  s.created_at = from_ms(q.int_at(8));
  s.updated_at = from_ms(q.int_at(9));
  return s;
}

constexpr std::string_view kGoogleLeadColumns = "lead_id, source_id, opp_id, is_test, received_at";

Result<GoogleLeadRecord> read_google_lead(const Row& q) {
  GoogleLeadRecord r;
  r.lead_id = q.text_at(0);
  r.source_id = q.text_at(1);
  r.opportunity_id = q.text_at(2);
  r.is_test = q.bool_at(3);
  r.received_at = from_ms(q.int_at(4));
  return r;
}

}  // namespace

Result<std::optional<IntakeSource>> SqlTx::get_intake_source(const Id& id) {
  auto q = prepare(cat("SELECT ", kSourceColumns, " FROM intake_sources WHERE id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<IntakeSource>(*q, read_source);
}

Result<std::optional<IntakeSource>> SqlTx::find_intake_source(const std::string& kind,
                                                              const std::string& key) {
  auto q = prepare(
      cat("SELECT ", kSourceColumns, " FROM intake_sources WHERE kind = ?1 AND source_key = ?2"));
  if (!q) return q.error();
  q->bind_text(1, kind);
  q->bind_text(2, key);
  return first<IntakeSource>(*q, read_source);
}

Result<std::vector<IntakeSource>> SqlTx::list_intake_sources() {
  auto q = prepare(cat("SELECT ", kSourceColumns, " FROM intake_sources ORDER BY kind, name, id"));
  if (!q) return q.error();
  return collect<IntakeSource>(*q, read_source);
}

Result<std::optional<GoogleLeadRecord>> SqlTx::find_google_lead(const std::string& lead_id) {
  auto q = prepare(cat("SELECT ", kGoogleLeadColumns, " FROM google_leads WHERE lead_id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, lead_id);
  return first<GoogleLeadRecord>(*q, read_google_lead);
}

Status SqlTx::save_intake_source(const IntakeSource& s) {
  auto q = prepare(cat("INSERT INTO intake_sources (", kSourceColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                       "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                       "source_key = excluded.source_key, secret = excluded.secret, "
                       "mapping = excluded.mapping, last_lead_at = excluded.last_lead_at, "
                       "last_error = excluded.last_error, updated_at = excluded.updated_at"));
  if (!q) return q.error();
  q->bind_text(1, s.id);
  q->bind_text(2, s.kind);
  q->bind_text(3, s.name);
  q->bind_text(4, s.key);
  q->bind_text(5, s.secret);
  q->bind_text(6, s.mapping_json);
  q->bind_opt_int(
      7, s.last_lead_at ? std::optional<std::int64_t>(to_ms(*s.last_lead_at)) : std::nullopt);
  q->bind_opt_text(8, s.last_error);
  q->bind_int(9, to_ms(s.created_at));
  q->bind_int(10, to_ms(s.updated_at));
  return q->run();
}

Result<bool> SqlTx::delete_intake_source(const Id& id) {
  auto q = prepare("DELETE FROM intake_sources WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, id);
  if (auto s = q->run(); !s) return s.error();
  return q->changes() == 1;
}

Status SqlTx::note_intake_source(const Id& id, std::optional<Timestamp> last_lead_at,
                                 const std::optional<std::string>& last_error) {
  auto q = prepare(
      "UPDATE intake_sources SET last_lead_at = COALESCE(?2, last_lead_at), last_error = ?3 "
      "WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, id);
  q->bind_opt_int(2,
                  last_lead_at ? std::optional<std::int64_t>(to_ms(*last_lead_at)) : std::nullopt);
  q->bind_opt_text(3, last_error);
  return q->run();
}

Result<bool> SqlTx::insert_google_lead(const GoogleLeadRecord& r) {
  auto q = prepare(cat("INSERT INTO google_leads (", kGoogleLeadColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING"));
  if (!q) return q.error();
  q->bind_text(1, r.lead_id);
  q->bind_text(2, r.source_id);
  q->bind_text(3, r.opportunity_id);
  q->bind_bool(4, r.is_test);
  q->bind_int(5, to_ms(r.received_at));
  if (auto s = q->run(); !s) return s.error();
  return q->changes() == 1;
}

}  // namespace leadproc::sql
