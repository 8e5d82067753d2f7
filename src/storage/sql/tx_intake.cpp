// SqlTx: intake receipts and pages (migration 16; docs/intake.md).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kReceiptColumns =
    "leadgen_id, page_id, form_id, ad_id, adgroup_id, created_time, status, attempts, "
    "next_attempt_at, reason, opp_id, received_at, updated_at";

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
  return r;
}

constexpr std::string_view kPageColumns =
    "page_id, access_token, instagram_platform, mapping, updated_at";

Result<MetaPage> read_page(const Row& q) {
  MetaPage p;
  p.page_id = q.text_at(0);
  p.access_token = q.text_at(1);
  p.instagram_platform = q.bool_at(2);
  p.mapping_json = q.text_at(3);
  p.updated_at = from_ms(q.int_at(4));
  return p;
}

}  // namespace

Result<std::optional<MetaReceipt>> SqlTx::get_meta_receipt(const std::string& leadgen_id) {
  auto q = prepare(cat("SELECT ", kReceiptColumns, " FROM meta_receipts WHERE leadgen_id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, leadgen_id);
  return first<MetaReceipt>(*q, read_receipt);
}

Result<std::vector<MetaReceipt>> SqlTx::list_meta_receipts(const std::optional<std::string>& status,
                                                           int limit) {
  if (limit <= 0) return std::vector<MetaReceipt>{};
  auto q = prepare(cat("SELECT ", kReceiptColumns, " FROM meta_receipts",
                       status ? " WHERE status = ?2" : "",
                       " ORDER BY received_at DESC, leadgen_id DESC LIMIT ?1"));
  if (!q) return q.error();
  q->bind_int(1, limit);
  if (status) q->bind_text(2, *status);
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

Result<bool> SqlTx::insert_meta_receipt(const MetaReceipt& r) {
  auto q = prepare(cat("INSERT INTO meta_receipts (", kReceiptColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
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
  auto q = prepare(cat("INSERT INTO meta_pages (", kPageColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (page_id) DO UPDATE SET "
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

}  // namespace leadproc::sql
