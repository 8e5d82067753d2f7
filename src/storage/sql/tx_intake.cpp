// SqlTx: intake receipts and pages (migration 16), the reconciler's forms (migration 29) and
// their answer mappings (migration 31; docs/intake.md).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kReceiptColumns =
    "leadgen_id, page_id, form_id, ad_id, adgroup_id, created_time, status, attempts, "
    "next_attempt_at, reason, opp_id, received_at, updated_at, via";

Result<MetaReceipt> read_receipt(const Row& q) {
  MetaReceipt r;
  r.leadgen_id = q.text_at(0);
  r.page_id = q.text_at(1);
  r.form_id = q.opt_text_at(2);
  r.ad_id = q.opt_text_at(3);
  r.adgroup_id = q.opt_text_at(4);
  r.created_time = q.opt_int_at(5);
  r.status = q.text_at(6);
  r.attempts = static_cast<int>(q.int_at(7));
  r.next_attempt_at = from_ms(q.int_at(8));
  r.reason = q.opt_text_at(9);
  r.opportunity_id = q.opt_text_at(10);
  r.received_at = from_ms(q.int_at(11));
  r.updated_at = from_ms(q.int_at(12));
  r.via = q.text_at(13);
  return r;
}

// The first five are what save_meta_page writes; the sync columns are note_meta_page_sync's.
constexpr std::string_view kPageColumns =
    "page_id, access_token, instagram_platform, mapping, updated_at, synced_at, sync_error";

Result<MetaPage> read_page(const Row& q) {
  MetaPage p;
  p.page_id = q.text_at(0);
  p.access_token = q.text_at(1);
  p.instagram_platform = q.bool_at(2);
  p.mapping_json = q.text_at(3);
  p.updated_at = from_ms(q.int_at(4));
  p.synced_at = from_ms(q.opt_int_at(5));
  p.sync_error = q.opt_text_at(6);
  return p;
}

// The first six are what save_meta_form writes; the mapping is save_meta_form_mapping's.
constexpr std::string_view kFormSyncColumns = "page_id, form_id, name, watermark, synced_at, error";
constexpr std::string_view kFormColumns =
    "page_id, form_id, name, watermark, synced_at, error, mapping";

Result<MetaForm> read_form(const Row& q) {
  MetaForm f;
  f.page_id = q.text_at(0);
  f.form_id = q.text_at(1);
  f.name = q.opt_text_at(2);
  f.watermark = q.opt_int_at(3);
  f.synced_at = from_ms(q.opt_int_at(4));
  f.error = q.opt_text_at(5);
  f.mapping_json = q.text_at(6);
  return f;
}

}  // namespace

Result<std::optional<MetaReceipt>> SqlTx::get_meta_receipt(const std::string& leadgen_id) {
  auto q = prepare(cat("SELECT ", kReceiptColumns, " FROM meta_receipts WHERE leadgen_id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, leadgen_id);
  return first<MetaReceipt>(*q, read_receipt);
}

Result<std::vector<MetaReceipt>> SqlTx::list_meta_receipts(
    const std::optional<std::string>& status, const std::optional<std::string>& page_id,
    int limit) {
  if (limit <= 0) return std::vector<MetaReceipt>{};
  // Placeholders numbered without gaps (PostgreSQL must know every parameter's type).
  const int page_at = status ? 3 : 2;
  auto q = prepare(cat("SELECT ", kReceiptColumns, " FROM meta_receipts WHERE 1 = 1",
                       status ? " AND status = ?2" : "",
                       page_id ? cat(" AND page_id = ?", std::to_string(page_at)) : "",
                       " ORDER BY received_at DESC, leadgen_id DESC LIMIT ?1"));
  if (!q) return q.error();
  q->bind_int(1, limit);
  if (status) q->bind_text(2, *status);
  if (page_id) q->bind_text(page_at, *page_id);
  return collect<MetaReceipt>(*q, read_receipt);
}

Result<std::vector<MetaReceipt>> SqlTx::due_meta_receipts(Timestamp now, int limit) {
  if (limit <= 0) return std::vector<MetaReceipt>{};
  auto q = prepare(cat("SELECT ", kReceiptColumns,
                       " FROM meta_receipts WHERE status = 'pending' AND next_attempt_at <= ?1 "
                       "ORDER BY next_attempt_at, leadgen_id LIMIT ?2"));
  if (!q) return q.error();
  q->bind_int(1, to_ms(now));
  q->bind_int(2, limit);
  return collect<MetaReceipt>(*q, read_receipt);
}

Result<std::int64_t> SqlTx::count_meta_receipts(const std::string& status) {
  auto q = prepare("SELECT COUNT(*) FROM meta_receipts WHERE status = ?1");
  if (!q) return q.error();
  q->bind_text(1, status);
  auto row = q->step();
  if (!row) return row.error();
  return *row ? q->int_at(0) : 0;
}

Result<std::optional<MetaPage>> SqlTx::get_meta_page(const std::string& page_id) {
  auto q = prepare(cat("SELECT ", kPageColumns, " FROM meta_pages WHERE page_id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, page_id);
  return first<MetaPage>(*q, read_page);
}

Result<std::vector<MetaPage>> SqlTx::list_meta_pages() {
  auto q = prepare(cat("SELECT ", kPageColumns, " FROM meta_pages ORDER BY page_id"));
  if (!q) return q.error();
  return collect<MetaPage>(*q, read_page);
}

Result<std::vector<MetaForm>> SqlTx::list_meta_forms(const std::string& page_id) {
  auto q =
      prepare(cat("SELECT ", kFormColumns, " FROM meta_forms WHERE page_id = ?1 ORDER BY form_id"));
  if (!q) return q.error();
  q->bind_text(1, page_id);
  return collect<MetaForm>(*q, read_form);
}

Result<std::optional<MetaForm>> SqlTx::get_meta_form(const std::string& page_id,
                                                     const std::string& form_id) {
  auto q =
      prepare(cat("SELECT ", kFormColumns, " FROM meta_forms WHERE page_id = ?1 AND form_id = ?2"));
  if (!q) return q.error();
  q->bind_text(1, page_id);
  q->bind_text(2, form_id);
  return first<MetaForm>(*q, read_form);
}

Result<MetaPageStats> SqlTx::meta_page_stats(const std::string& page_id) {
  auto q = prepare(
      "SELECT MAX(CASE WHEN status = 'ingested' THEN updated_at END), "
      "COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) "
      "FROM meta_receipts WHERE page_id = ?1");
  if (!q) return q.error();
  q->bind_text(1, page_id);
  auto row = q->step();
  if (!row) return row.error();
  MetaPageStats out;
  if (!*row) return out;
  out.last_lead_at = from_ms(q->opt_int_at(0));
  out.failed = q->int_at(1);
  out.pending = q->int_at(2);
  return out;
}

Result<bool> SqlTx::insert_meta_receipt(const MetaReceipt& r) {
  auto q = prepare(cat("INSERT INTO meta_receipts (", kReceiptColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                       "ON CONFLICT DO NOTHING"));
  if (!q) return q.error();
  q->bind_text(1, r.leadgen_id);
  q->bind_text(2, r.page_id);
  q->bind_opt_text(3, r.form_id);
  q->bind_opt_text(4, r.ad_id);
  q->bind_opt_text(5, r.adgroup_id);
  q->bind_opt_int(6, r.created_time);
  q->bind_text(7, r.status);
  q->bind_int(8, r.attempts);
  q->bind_int(9, to_ms(r.next_attempt_at));
  q->bind_opt_text(10, r.reason);
  q->bind_opt_text(11, r.opportunity_id);
  q->bind_int(12, to_ms(r.received_at));
  q->bind_int(13, to_ms(r.updated_at));
  q->bind_text(14, r.via);
  if (auto s = q->run(); !s) return s.error();
  return q->changes() == 1;
}

Status SqlTx::update_meta_receipt(const MetaReceipt& r) {
  auto q = prepare(
      "UPDATE meta_receipts SET status = ?2, attempts = ?3, next_attempt_at = ?4, reason = ?5, "
      "opp_id = ?6, updated_at = ?7 WHERE leadgen_id = ?1 AND status <> 'ingested'");
  if (!q) return q.error();
  q->bind_text(1, r.leadgen_id);
  q->bind_text(2, r.status);
  q->bind_int(3, r.attempts);
  q->bind_int(4, to_ms(r.next_attempt_at));
  q->bind_opt_text(5, r.reason);
  q->bind_opt_text(6, r.opportunity_id);
  q->bind_int(7, to_ms(r.updated_at));
  if (auto s = q->run(); !s) return s;
  if (q->changes() == 1) return ok_status();
  auto stored = get_meta_receipt(r.leadgen_id);
  if (!stored) return stored.error();
  if (!*stored) return Error::not_found("no Meta receipt has leadgen_id " + r.leadgen_id);
  return Error{ErrorCode::kPreconditionFailed,
               "the lead of leadgen_id " + r.leadgen_id + " is already ingested",
               {},
               {},
               0};
}

Result<int> SqlTx::requeue_failed_meta_receipts(const std::string& page_id, Timestamp now) {
  auto q = prepare(
      cat("UPDATE meta_receipts SET status = 'pending', next_attempt_at = ?1, updated_at = ?1 "
          "WHERE status = 'failed'",
          page_id.empty() ? "" : " AND page_id = ?2"));
  if (!q) return q.error();
  q->bind_int(1, to_ms(now));
  if (!page_id.empty()) q->bind_text(2, page_id);
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Status SqlTx::save_meta_page(const MetaPage& p) {
  auto q =
      prepare(cat("INSERT INTO meta_pages (page_id, access_token, instagram_platform, mapping, "
                  "updated_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (page_id) DO UPDATE SET "
                  "access_token = excluded.access_token, "
                  "instagram_platform = excluded.instagram_platform, "
                  "mapping = excluded.mapping, updated_at = excluded.updated_at"));
  if (!q) return q.error();
  q->bind_text(1, p.page_id);
  q->bind_text(2, p.access_token);
  q->bind_bool(3, p.instagram_platform);
  q->bind_text(4, p.mapping_json);
  q->bind_int(5, to_ms(p.updated_at));
  return q->run();
}

Result<bool> SqlTx::delete_meta_page(const std::string& page_id) {
  auto q = prepare("DELETE FROM meta_pages WHERE page_id = ?1");
  if (!q) return q.error();
  q->bind_text(1, page_id);
  if (auto s = q->run(); !s) return s.error();
  return q->changes() > 0;
}

Status SqlTx::note_meta_page_sync(const std::string& page_id, Timestamp at,
                                  const std::optional<std::string>& error) {
  auto q = prepare("UPDATE meta_pages SET synced_at = ?2, sync_error = ?3 WHERE page_id = ?1");
  if (!q) return q.error();
  q->bind_text(1, page_id);
  q->bind_int(2, to_ms(at));
  q->bind_opt_text(3, error);
  return q->run();
}

Status SqlTx::save_meta_form(const MetaForm& f) {
  auto q = prepare(cat("INSERT INTO meta_forms (", kFormSyncColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (page_id, form_id) DO UPDATE "
                       "SET name = excluded.name, watermark = excluded.watermark, "
                       "synced_at = excluded.synced_at, error = excluded.error"));
  if (!q) return q.error();
  q->bind_text(1, f.page_id);
  q->bind_text(2, f.form_id);
  q->bind_opt_text(3, f.name);
  q->bind_opt_int(4, f.watermark);
  q->bind_opt_int(5, to_ms(f.synced_at));
  q->bind_opt_text(6, f.error);
  return q->run();
}

Status SqlTx::save_meta_form_mapping(const MetaForm& f) {
  auto q = prepare(
      "INSERT INTO meta_forms (page_id, form_id, name, mapping) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (page_id, form_id) DO UPDATE SET mapping = excluded.mapping, "
      "name = COALESCE(excluded.name, meta_forms.name)");
  if (!q) return q.error();
  q->bind_text(1, f.page_id);
  q->bind_text(2, f.form_id);
  q->bind_opt_text(3, f.name);
  q->bind_text(4, f.mapping_json);
  return q->run();
}

}  // namespace leadproc::sql
