// PgTx: statement execution and advisory locks shared by the per-entity files.
#include "storage/postgres/tx.h"

#include <algorithm>

#include "storage/postgres/live_listener.h"

namespace leadproc::postgres {

// A statement of the shared SQL layer on PostgreSQL: the bindings are collected in Params and the
// statement runs, through PgTx::run (which remembers a failure), at the first step; the rows are
// then read from the result.
class PgStatement final : public sql::Statement {
 public:
  PgStatement(PgTx& tx, std::string_view sql, Params params = {})
      : tx_(tx), sql_(sql), params_(std::move(params)) {}

  void bind_null(int i) override { params_.at(i).null(); }
  void bind_int(int i, std::int64_t v) override { params_.at(i).integer(v); }
  void bind_double(int i, double v) override { params_.at(i).real(v); }
  void bind_bool(int i, bool v) override { params_.at(i).boolean(v); }
  void bind_text(int i, std::string_view v) override { params_.at(i).text(v); }

  Result<bool> step() override {
    if (!rows_) {
      auto rows = tx_.run(sql_, params_);
      if (!rows) return rows.error();
      rows_.emplace(std::move(*rows));
    }
    return ++at_ < rows_->size();
  }
  int changes() const override { return rows_ ? rows_->affected() : 0; }
  std::string_view sql() const override { return sql_; }
  void release() override {}

  bool is_null(int col) const override { return row().is_null(col); }
  std::int64_t int_at(int col) const override { return row().int_at(col); }
  double double_at(int col) const override { return row().double_at(col); }
  bool bool_at(int col) const override { return row().bool_at(col); }
  std::string_view view_at(int col) const override { return row().view_at(col); }

 private:
  postgres::Row row() const { return (*rows_)[at_]; }

  PgTx& tx_;
  std::string sql_;
  Params params_;
  std::optional<Rows> rows_;  // once run
  int at_ = -1;               // the current row
};

Result<sql::Stmt> PgTx::prepare(std::string_view sql) {
  return sql::Stmt(std::make_unique<PgStatement>(*this, sql));
}

sql::Stmt PgTx::prepare(std::string_view sql, Params params) {
  return sql::Stmt(std::make_unique<PgStatement>(*this, sql, std::move(params)));
}

Result<Rows> PgTx::run(std::string_view sql, const Params& params) {
  // After a failure the server refuses every statement until ROLLBACK ("current transaction is
  // aborted"); report the failure that aborted it instead.
  if (first_error_) return *first_error_;
  auto rows = c_.query(sql, params);
  if (!rows) {
    failure_ = c_.last_failure();
    first_error_ = rows.error();
  }
  return rows;
}

Status PgTx::advisory_lock(LockKind kind, std::string_view name) {
  if (!locking_) return ok_status();
  // Transaction-scoped locks are held until COMMIT/ROLLBACK: taking one twice is a wasted round
  // trip, so remember what is held.
  if (!held_.emplace(static_cast<int>(kind), std::string(name)).second) return ok_status();
  auto rows = run("SELECT pg_advisory_xact_lock($1::integer, hashtext($2::text))",
                  Params().integer(static_cast<int>(kind)).text(name));
  if (!rows) {
    held_.erase({static_cast<int>(kind), std::string(name)});
    return rows.error();
  }
  return ok_status();
}

Result<bool> PgTx::try_lock_key(LockKind kind, std::string_view a, std::string_view b) {
  if (!locking_) return true;
  std::string name = std::string(a).append("|").append(b);
  if (held_.contains({static_cast<int>(kind), name})) return true;
  auto rows = run("SELECT pg_try_advisory_xact_lock($1::integer, hashtext($2::text))",
                  Params().integer(static_cast<int>(kind)).text(name));
  if (!rows) return rows.error();
  if (rows->empty() || !(*rows)[0].bool_at(0)) return false;
  held_.emplace(static_cast<int>(kind), std::move(name));
  return true;
}

Status PgTx::flush_counters() {
  std::stable_sort(hits_.begin(), hits_.end(),
                   [](const PendingHit& x, const PendingHit& y) { return x.url_id < y.url_id; });
  for (const auto& h : hits_)
    if (auto s = apply_weburl_hit(h.url_id, h.at, h.day); !s) return s;
  hits_.clear();
  return flush_open_counts();
}

Status PgTx::flush_open_counts() {
  for (const auto& [key, n] : open_counts_) {  // std::map: in key order
    if (n == 0) continue;
    if (auto s = apply_open_count(key, n); !s) return s;
  }
  open_counts_.clear();
  return ok_status();
}

Result<std::vector<HeldCount>> PgTx::count_held_open() {
  if (auto s = flush_open_counts(); !s) return s.error();
  return SqlTx::count_held_open();
}

Status PgTx::live_event_written(const LiveEvent& e) {
  if (locking_) {
    notices_.push_back(live_payload(e));
    return ok_status();
  }
  auto r = run("SELECT pg_notify('" + std::string(kLiveChannel) + "', ?1)",
               Params().text(live_payload(e)));
  if (!r) return r.error();
  return ok_status();
}

}  // namespace leadproc::postgres
