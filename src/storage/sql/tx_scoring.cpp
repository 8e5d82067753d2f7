// SqlTx: score configurations, daily web URL hits and job runs (migration 4).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kConfigColumns =
    "id, paid_ads, website_organic, instagram, instagram_qualified, whatsapp, "
    "whatsapp_qualified, direct_call, re_enquiries, visa, flights_booked, ex_client, hot_lead, "
    "is_active, created_by, updated_by, created_at, updated_at";

Result<ScoreConfig> read_config(const Row& q) {
  ScoreConfig c;
  c.id = q.text_at(0);
  double* weights[] = {&c.paid_ads, &c.website_organic,    &c.instagram,   &c.instagram_qualified,
                       &c.whatsapp, &c.whatsapp_qualified, &c.direct_call, &c.re_enquiries,
                       &c.visa,     &c.flights_booked,     &c.ex_client,   &c.hot_lead};
  for (int i = 0; i < 12; ++i) *weights[i] = q.double_at(1 + i);
  c.is_active = q.bool_at(13);
  c.created_by = q.opt_text_at(14);
  c.updated_by = q.opt_text_at(15);
  c.created_at = from_ms(q.int_at(16));
  c.updated_at = from_ms(q.int_at(17));
  return c;
}

constexpr std::string_view kRunColumns =
    "job, slot, instance, started_at, finished_at, outcome, counts, error";

Result<JobRun> read_run(const Row& q) {
  JobRun r;
  r.job = q.text_at(0);
  r.slot = from_ms(q.int_at(1));
  r.instance = q.text_at(2);
  r.started_at = from_ms(q.int_at(3));
  r.finished_at = from_ms(q.opt_int_at(4));
  r.outcome = q.text_at(5);
  r.counts_json = q.text_at(6);
  r.error = q.opt_text_at(7);
  return r;
}

}  // namespace

Result<std::vector<ScoreConfig>> SqlTx::list_score_configs() {
  auto q = prepare(cat("SELECT ", kConfigColumns, " FROM score_configurations ORDER BY id DESC"));
  if (!q) return q.error();
  return collect<ScoreConfig>(*q, read_config);
}

Result<std::optional<ScoreConfig>> SqlTx::get_score_config(const Id& id) {
  auto q = prepare(cat("SELECT ", kConfigColumns, " FROM score_configurations WHERE id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<ScoreConfig>(*q, read_config);
}

Result<std::optional<ScoreConfig>> SqlTx::active_score_config() {
  auto q = prepare(
      cat("SELECT ", kConfigColumns, " FROM score_configurations WHERE is_active = ", sql_true()));
  if (!q) return q.error();
  return first<ScoreConfig>(*q, read_config);
}

Result<std::int64_t> SqlTx::score_configs_stamp() {
  auto q = prepare("SELECT COALESCE(MAX(updated_at), 0) FROM score_configurations");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  return q->int_at(0);
}

Status SqlTx::insert_score_config(const ScoreConfig& c) {
  auto q = prepare(cat("INSERT INTO score_configurations (", kConfigColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                       "?15, ?16, ?17, ?18)"));
  if (!q) return q.error();
  q->bind_text(1, c.id);
  const double weights[] = {c.paid_ads, c.website_organic,    c.instagram,   c.instagram_qualified,
                            c.whatsapp, c.whatsapp_qualified, c.direct_call, c.re_enquiries,
                            c.visa,     c.flights_booked,     c.ex_client,   c.hot_lead};
  for (int i = 0; i < 12; ++i) q->bind_double(2 + i, weights[i]);
  q->bind_bool(14, c.is_active);
  q->bind_opt_text(15, c.created_by);
  q->bind_opt_text(16, c.updated_by);
  q->bind_int(17, to_ms(c.created_at));
  q->bind_int(18, to_ms(c.updated_at));
  return q->run();
}

Status SqlTx::activate_score_config(const Id& id, Timestamp now) {
  // Every row that changes is locked by the updates; the target first, so two activations
  // serialise on it (or on the active row) rather than both clearing and both setting.
  {
    auto q = prepare(cat("SELECT 1 FROM score_configurations WHERE id = ?1", for_update()));
    if (!q) return q.error();
    q->bind_text(1, id);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("score configuration " + id + " not found");
  }
  // Deactivate first: the partial unique index allows one active row at a time.
  auto off = prepare(cat("UPDATE score_configurations SET is_active = ", sql_false(),
                         ", updated_at = ?2 WHERE is_active = ", sql_true(), " AND id <> ?1"));
  if (!off) return off.error();
  off->bind_text(1, id);
  off->bind_int(2, to_ms(now));
  if (auto s = off->run(); !s) return s;
  auto on = prepare(cat("UPDATE score_configurations SET is_active = ", sql_true(),
                        ", updated_at = ?2 WHERE id = ?1"));
  if (!on) return on.error();
  on->bind_text(1, id);
  on->bind_int(2, to_ms(now));
  return on->run();
}

Result<std::vector<DailyHits>> SqlTx::weburl_daily_hits(const Id& url_id,
                                                        const std::string& from_day,
                                                        const std::string& to_day) {
  auto q = prepare(
      "SELECT day, hits FROM weburl_hits_daily WHERE url_id = ?1 AND day >= ?2 AND day <= ?3 "
      "ORDER BY day");
  if (!q) return q.error();
  q->bind_text(1, url_id);
  q->bind_text(2, from_day);
  q->bind_text(3, to_day);
  return collect<DailyHits>(*q, [](const Row& r) -> Result<DailyHits> {
    return DailyHits{r.text_at(0), r.int_at(1)};
  });
}

Result<std::vector<WebUrlRangeHits>> SqlTx::list_weburls_hit_between(const WebUrlFilter& f,
                                                                     const std::string& from_day,
                                                                     const std::string& to_day) {
  if (f.limit <= 0) return std::vector<WebUrlRangeHits>{};
  auto q =
      prepare(cat("SELECT w.id, w.url, w.consumed, w.destination_id, w.destination_name, w.hits, "
                  "w.last_hit_at, w.created_at, w.updated_at, h.total FROM (SELECT url_id, "
                  "CAST(SUM(hits) AS BIGINT) AS total "
                  "FROM weburl_hits_daily WHERE day >= ?1 AND day <= ?2 GROUP BY url_id) h "
                  "JOIN weburls w ON w.id = h.url_id",
                  f.consumed ? " WHERE w.consumed = ?5" : "",
                  " ORDER BY h.total DESC, w.url LIMIT ?3 OFFSET ?4"));
  if (!q) return q.error();
  q->bind_text(1, from_day);
  q->bind_text(2, to_day);
  q->bind_int(3, f.limit);
  q->bind_int(4, f.offset < 0 ? 0 : f.offset);
  if (f.consumed) q->bind_bool(5, *f.consumed);
  return collect<WebUrlRangeHits>(*q, [](const Row& r) -> Result<WebUrlRangeHits> {
    WebUrlRangeHits out;
    out.url.id = r.text_at(0);
    out.url.url = r.text_at(1);
    out.url.consumed = r.bool_at(2);
    if (!r.is_null(3)) out.url.destination = NamedRef{r.text_at(3), r.text_at(4)};
    out.url.hits = r.int_at(5);
    out.url.last_hit_at = from_ms(r.opt_int_at(6));
    out.url.created_at = from_ms(r.int_at(7));
    out.url.updated_at = from_ms(r.int_at(8));
    out.hits = r.int_at(9);
    return out;
  });
}

Status SqlTx::count_weburl_daily_hit(const Id& url_id, const std::string& day) {
  auto q = prepare(
      "INSERT INTO weburl_hits_daily (url_id, day, hits) VALUES (?1, ?2, 1) "
      "ON CONFLICT (url_id, day) DO UPDATE SET hits = weburl_hits_daily.hits + 1");
  if (!q) return q.error();
  q->bind_text(1, url_id);
  q->bind_text(2, day);
  return q->run();
}

Result<std::vector<JobRun>> SqlTx::list_job_runs(const std::string& job, int limit) {
  if (limit <= 0) return std::vector<JobRun>{};
  auto q = prepare(
      cat("SELECT ", kRunColumns, " FROM job_runs WHERE job = ?1 ORDER BY slot DESC LIMIT ?2"));
  if (!q) return q.error();
  q->bind_text(1, job);
  q->bind_int(2, limit);
  return collect<JobRun>(*q, read_run);
}

Result<bool> SqlTx::claim_job_run(const JobRun& job_run) {
  auto q = prepare(cat("INSERT INTO job_runs (", kRunColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING"));
  if (!q) return q.error();
  q->bind_text(1, job_run.job);
  q->bind_int(2, to_ms(job_run.slot));
  q->bind_text(3, job_run.instance);
  q->bind_int(4, to_ms(job_run.started_at));
  q->bind_opt_int(5, to_ms(job_run.finished_at));
  q->bind_text(6, job_run.outcome);
  q->bind_text(7, job_run.counts_json);
  q->bind_opt_text(8, job_run.error);
  if (auto s = q->run(); !s) return s.error();
  return q->changes() == 1;
}

Result<int> SqlTx::purge_job_runs(const std::string& job, Timestamp before) {
  auto q = prepare("DELETE FROM job_runs WHERE job = ?1 AND slot < ?2");
  if (!q) return q.error();
  q->bind_text(1, job);
  q->bind_int(2, to_ms(before));
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Status SqlTx::finish_job_run(const JobRun& job_run) {
  auto q = prepare(
      "UPDATE job_runs SET finished_at = ?3, outcome = ?4, counts = ?5, error = ?6 "
      "WHERE job = ?1 AND slot = ?2");
  if (!q) return q.error();
  q->bind_text(1, job_run.job);
  q->bind_int(2, to_ms(job_run.slot));
  q->bind_opt_int(3, to_ms(job_run.finished_at));
  q->bind_text(4, job_run.outcome);
  q->bind_text(5, job_run.counts_json);
  q->bind_opt_text(6, job_run.error);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "job run", job_run.job);
}

}  // namespace leadproc::sql
