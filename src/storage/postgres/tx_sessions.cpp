// PgTx: login sessions and login throttles (authentication).
#include "storage/sql/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
namespace {

constexpr std::string_view kSessionColumns =
    "id, user_id, token_hash, expiry, is_active, created_at";

Result<Session> read_session(const Row& r) {
  Session s;
  s.id = r.text_at(0);
  s.user_id = r.text_at(1);
  s.token_hash = r.text_at(2);
  s.expiry = from_ms(r.int_at(3));
  s.is_active = r.bool_at(4);
  s.created_at = from_ms(r.int_at(5));
  return s;
}

constexpr std::string_view kThrottleColumns =
    "email, address, failures, last_failure_at, blocked_until";

Result<LoginThrottle> read_throttle(const Row& r) {
  LoginThrottle t;
  t.email = r.text_at(0);
  t.address = r.text_at(1);
  t.failures = static_cast<int>(r.int_at(2));
  t.last_failure_at = from_ms(r.int_at(3));
  t.blocked_until = from_ms(r.int_at(4));
  return t;
}

Result<int> affected(Result<Rows> rows) {
  if (!rows) return rows.error();
  return rows->affected();
}

}  // namespace

Result<std::optional<Session>> PgTx::find_session(const std::string& token_hash) {
  auto rows =
      run(cat("SELECT ", kSessionColumns, " FROM sessions WHERE token_hash = $1", for_update()),
          Params().text(token_hash));
  if (!rows) return rows.error();
  return first<Session>(*rows, read_session);
}

Status PgTx::insert_session(const Session& s) {
  auto rows =
      run(cat("INSERT INTO sessions (", kSessionColumns, ") VALUES ($1, $2, $3, $4, $5, $6)"),
          Params()
              .text(s.id)
              .text(s.user_id)
              .text(s.token_hash)
              .integer(to_ms(s.expiry))
              .boolean(s.is_active)
              .integer(to_ms(s.created_at)));
  if (!rows) return rows.error();
  return ok_status();
}

Status PgTx::end_session(const Id& session_id) {
  auto rows = run("UPDATE sessions SET is_active = false WHERE id = $1", Params().text(session_id));
  if (!rows) return rows.error();
  return require_changed(rows->affected(), "session", session_id);
}

Result<int> PgTx::end_user_sessions(const Id& user_id) {
  return affected(run("UPDATE sessions SET is_active = false WHERE user_id = $1 AND is_active",
                      Params().text(user_id)));
}

Result<int> PgTx::end_other_sessions(const Id& user_id, const Id& keep_session_id) {
  return affected(
      run("UPDATE sessions SET is_active = false WHERE user_id = $1 AND is_active AND id <> $2",
          Params().text(user_id).text(keep_session_id)));
}

Result<int> PgTx::purge_sessions(Timestamp now) {
  return affected(run("DELETE FROM sessions WHERE expiry <= $1 OR NOT is_active",
                      Params().integer(to_ms(now))));
}

Result<std::vector<LoginThrottle>> PgTx::list_login_throttles(Timestamp now, int limit) {
  auto rows = run(cat("SELECT ", kThrottleColumns,
                      " FROM login_throttles WHERE blocked_until > $1"
                      " ORDER BY last_failure_at DESC, email, address LIMIT $2"),
                  Params().integer(to_ms(now)).integer(limit));
  if (!rows) return rows.error();
  return collect<LoginThrottle>(*rows, read_throttle);
}

// An advisory lock on the key, not FOR UPDATE: the first attempt of a pair finds no row to lock,
// and two first attempts must still be counted one after the other.
Result<LoginThrottle> PgTx::login_throttle_for_update(const std::string& email,
                                                      const std::string& address) {
  if (auto s = advisory_lock(LockKind::kLoginThrottle, email + "|" + address); !s) return s.error();
  auto rows = run(
      cat("SELECT ", kThrottleColumns, " FROM login_throttles WHERE email = $1 AND address = $2"),
      Params().text(email).text(address));
  if (!rows) return rows.error();
  auto found = first<LoginThrottle>(*rows, read_throttle);
  if (!found) return found.error();
  if (*found) return std::move(**found);
  return LoginThrottle{email, address};
}

Status PgTx::save_login_throttle(const LoginThrottle& t) {
  auto rows = run(cat("INSERT INTO login_throttles (", kThrottleColumns,
                      ") VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email, address) DO UPDATE SET "
                      "failures = EXCLUDED.failures, last_failure_at = EXCLUDED.last_failure_at, "
                      "blocked_until = EXCLUDED.blocked_until"),
                  Params()
                      .text(t.email)
                      .text(t.address)
                      .integer(t.failures)
                      .integer(to_ms(t.last_failure_at))
                      .integer(to_ms(t.blocked_until)));
  if (!rows) return rows.error();
  return ok_status();
}

Result<int> PgTx::clear_login_throttles(const ThrottleSelector& which) {
  if (!which.email && !which.address) return 0;
  return affected(
      run("DELETE FROM login_throttles WHERE ($1::text IS NULL OR email = $1) AND "
          "($2::text IS NULL OR address = $2)",
          Params().opt_text(which.email).opt_text(which.address)));
}

Result<int> PgTx::purge_login_throttles(Timestamp idle_before, Timestamp now) {
  return affected(
      run("DELETE FROM login_throttles WHERE last_failure_at < $1 AND blocked_until <= $2",
          Params().integer(to_ms(idle_before)).integer(to_ms(now))));
}

}  // namespace leadproc::postgres
