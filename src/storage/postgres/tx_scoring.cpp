// PgTx: score configurations, daily web URL hits and job runs (migration 4).
#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kConfigColumns =
    "id, paid_ads, website_organic, instagram, instagram_qualified, whatsapp, "
    "whatsapp_qualified, direct_call, re_enquiries, visa, flights_booked, ex_client, hot_lead, "
    "is_active, created_by, updated_by, created_at, updated_at";

Result<ScoreConfig> read_config(const Row& r) {
  ScoreConfig c;
  c.id = r.text_at(0);
  double* weights[] = {&c.paid_ads, &c.website_organic,    &c.instagram,   &c.instagram_qualified,
                       &c.whatsapp, &c.whatsapp_qualified, &c.direct_call, &c.re_enquiries,
                       &c.visa,     &c.flights_booked,     &c.ex_client,   &c.hot_lead};
  for (int i = 0; i < 12; ++i) *weights[i] = r.double_at(1 + i);
  c.is_active = r.bool_at(13);
  c.created_by = r.opt_text_at(14);
  c.updated_by = r.opt_text_at(15);
  c.created_at = from_ms(r.int_at(16));
  c.updated_at = from_ms(r.int_at(17));
  return c;
}

constexpr std::string_view kRunColumns =
    "job, slot, instance, started_at, finished_at, outcome, counts, error";

Result<JobRun> read_run(const Row& r) {
  JobRun out;
  out.job = r.text_at(0);
  out.slot = from_ms(r.int_at(1));
  out.instance = r.text_at(2);
  out.started_at = from_ms(r.int_at(3));
  out.finished_at = from_ms(r.opt_int_at(4));
  out.outcome = r.text_at(5);
  out.counts_json = r.text_at(6);
  out.error = r.opt_text_at(7);
  return out;
}

}  // namespace

Result<std::vector<ScoreConfig>> PgTx::list_score_configs() {
  auto rows = run(cat("SELECT ", kConfigColumns, " FROM score_configurations ORDER BY id DESC"));
  if (!rows) return rows.error();
  return collect<ScoreConfig>(*rows, read_config);
}

Result<std::optional<ScoreConfig>> PgTx::get_score_config(const Id& id) {
  auto rows = run(cat("SELECT ", kConfigColumns, " FROM score_configurations WHERE id = $1"),
                  Params().text(id));
  if (!rows) return rows.error();
  return first<ScoreConfig>(*rows, read_config);
}

Result<std::optional<ScoreConfig>> PgTx::active_score_config() {
  auto rows = run(cat("SELECT ", kConfigColumns, " FROM score_configurations WHERE is_active"));
  if (!rows) return rows.error();
  return first<ScoreConfig>(*rows, read_config);
}

Result<std::int64_t> PgTx::score_configs_stamp() {
  auto rows = run("SELECT COALESCE(MAX(updated_at), 0) FROM score_configurations");
  if (!rows) return rows.error();
  return (*rows)[0].int_at(0);
}

Status PgTx::insert_score_config(const ScoreConfig& c) {
  Params p;
  p.text(c.id)
      .real(c.paid_ads)
      .real(c.website_organic)
      .real(c.instagram)
      .real(c.instagram_qualified)
      .real(c.whatsapp)
      .real(c.whatsapp_qualified)
      .real(c.direct_call)
      .real(c.re_enquiries)
      .real(c.visa)
      .real(c.flights_booked)
      .real(c.ex_client)
      .real(c.hot_lead)
      .boolean(c.is_active)
      .opt_text(c.created_by)
      .opt_text(c.updated_by)
      .integer(to_ms(c.created_at))
      .integer(to_ms(c.updated_at));
  auto rows = run(cat("INSERT INTO score_configurations (", kConfigColumns,
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, ",
                      "$15, $16, $17, $18)"),
                  p);
  if (!rows) return rows.error();
  return ok_status();
}

Status PgTx::activate_score_config(const Id& id, Timestamp now) {
  // Every row that changes is locked by the updates; the target first, so two activations
  // serialise on it (or on the active row) rather than both clearing and both setting.
  auto target =
      run("SELECT 1 FROM score_configurations WHERE id = $1 FOR UPDATE", Params().text(id));
  if (!target) return target.error();
  if (target->empty()) return Error::not_found("score configuration " + id + " not found");
  auto off =
      run("UPDATE score_configurations SET is_active = false, updated_at = $2 "
          "WHERE is_active AND id <> $1",
          Params().text(id).integer(to_ms(now)));
  if (!off) return off.error();
  auto on = run("UPDATE score_configurations SET is_active = true, updated_at = $2 WHERE id = $1",
                Params().text(id).integer(to_ms(now)));
  if (!on) return on.error();
  return ok_status();
}

Result<std::vector<DailyHits>> PgTx::weburl_daily_hits(const Id& url_id,
                                                       const std::string& from_day,
                                                       const std::string& to_day) {
  auto rows =
      run("SELECT day, hits FROM weburl_hits_daily WHERE url_id = $1 AND day >= $2 AND day <= $3 "
          "ORDER BY day",
          Params().text(url_id).text(from_day).text(to_day));
  if (!rows) return rows.error();
  return collect<DailyHits>(*rows, [](const Row& r) -> Result<DailyHits> {
    return DailyHits{r.text_at(0), r.int_at(1)};
  });
}

Result<std::vector<WebUrlRangeHits>> PgTx::list_weburls_hit_between(const WebUrlFilter& f,
                                                                    const std::string& from_day,
                                                                    const std::string& to_day) {
  if (f.limit <= 0) return std::vector<WebUrlRangeHits>{};
  Params p;
  p.text(from_day).text(to_day).integer(f.limit).integer(f.offset < 0 ? 0 : f.offset);
  if (f.consumed) p.boolean(*f.consumed);
  auto rows =
      run(cat("SELECT w.id, w.url, w.consumed, w.destination_id, w.destination_name, w.hits, ",
              "w.last_hit_at, w.created_at, w.updated_at, h.total FROM (SELECT url_id, ",
              "SUM(hits)::bigint AS total FROM weburl_hits_daily WHERE day >= $1 AND day <= $2 ",
              "GROUP BY url_id) h JOIN weburls w ON w.id = h.url_id",
              f.consumed ? " WHERE w.consumed = $5" : "",
              " ORDER BY h.total DESC, w.url LIMIT $3 OFFSET $4"),
          p);
  if (!rows) return rows.error();
  return collect<WebUrlRangeHits>(*rows, [](const Row& r) -> Result<WebUrlRangeHits> {
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

Status PgTx::count_weburl_daily_hit(const Id& url_id, const std::string& day) {
  auto rows =
      run("INSERT INTO weburl_hits_daily (url_id, day, hits) VALUES ($1, $2, 1) "
          "ON CONFLICT (url_id, day) DO UPDATE SET hits = weburl_hits_daily.hits + 1",
          Params().text(url_id).text(day));
  if (!rows) return rows.error();
  return ok_status();
}

Result<std::vector<JobRun>> PgTx::list_job_runs(const std::string& job, int limit) {
  if (limit <= 0) return std::vector<JobRun>{};
  auto rows =
      run(cat("SELECT ", kRunColumns, " FROM job_runs WHERE job = $1 ORDER BY slot DESC LIMIT $2"),
          Params().text(job).integer(limit));
  if (!rows) return rows.error();
  return collect<JobRun>(*rows, read_run);
}

Result<bool> PgTx::claim_job_run(const JobRun& job_run) {
  Params p;
  p.text(job_run.job)
      .integer(to_ms(job_run.slot))
      .text(job_run.instance)
      .integer(to_ms(job_run.started_at))
      .opt_integer(to_ms(job_run.finished_at))
      .text(job_run.outcome)
      .text(job_run.counts_json)
      .opt_text(job_run.error);
  auto rows = run(cat("INSERT INTO job_runs (", kRunColumns,
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"),
                  p);
  if (!rows) return rows.error();
  return rows->affected() == 1;
}

Status PgTx::finish_job_run(const JobRun& job_run) {
  auto rows =
      run("UPDATE job_runs SET finished_at = $3, outcome = $4, counts = $5, error = $6 "
          "WHERE job = $1 AND slot = $2",
          Params()
              .text(job_run.job)
              .integer(to_ms(job_run.slot))
              .opt_integer(to_ms(job_run.finished_at))
              .text(job_run.outcome)
              .text(job_run.counts_json)
              .opt_text(job_run.error));
  if (!rows) return rows.error();
  return require_changed(rows->affected(), "job run", job_run.job);
}

}  // namespace leadproc::postgres
