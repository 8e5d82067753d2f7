// SqlTx: login sessions and login throttles (authentication).
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kSessionColumns =
    "id, user_id, token_hash, expiry, is_active, created_at";

Result<Session> read_session(const Row& q) {
  Session s;
  s.id = q.text_at(0);
  s.user_id = q.text_at(1);
  s.token_hash = q.text_at(2);
  s.expiry = from_ms(q.int_at(3));
  s.is_active = q.bool_at(4);
  s.created_at = from_ms(q.int_at(5));
  return s;
}

constexpr std::string_view kThrottleColumns =
    "email, address, failures, last_failure_at, blocked_until";

Result<LoginThrottle> read_throttle(const Row& q) {
  LoginThrottle t;
  t.email = q.text_at(0);
  t.address = q.text_at(1);
  t.failures = static_cast<int>(q.int_at(2));
  t.last_failure_at = from_ms(q.int_at(3));
  t.blocked_until = from_ms(q.int_at(4));
  return t;
}

}  // namespace

Result<std::optional<Session>> SqlTx::find_session(const std::string& token_hash) {
  auto q = prepare(
      cat("SELECT ", kSessionColumns, " FROM sessions WHERE token_hash = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, token_hash);
  return first<Session>(*q, read_session);
}

Status SqlTx::insert_session(const Session& s) {
  auto q =
      prepare(cat("INSERT INTO sessions (", kSessionColumns, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  if (!q) return q.error();
  q->bind_text(1, s.id);
  q->bind_text(2, s.user_id);
  q->bind_text(3, s.token_hash);
  q->bind_int(4, to_ms(s.expiry));
  q->bind_bool(5, s.is_active);
  q->bind_int(6, to_ms(s.created_at));
  return q->run();
}

Status SqlTx::end_session(const Id& session_id) {
  auto q = prepare(cat("UPDATE sessions SET is_active = ", sql_false(), " WHERE id = ?1"));
  if (!q) return q.error();
  q->bind_text(1, session_id);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "session", session_id);
}

Result<int> SqlTx::end_user_sessions(const Id& user_id) {
  auto q = prepare(cat("UPDATE sessions SET is_active = ", sql_false(),
                       " WHERE user_id = ?1 AND is_active = ", sql_true()));
  if (!q) return q.error();
  q->bind_text(1, user_id);
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Result<int> SqlTx::end_other_sessions(const Id& user_id, const Id& keep_session_id) {
  auto q = prepare(cat("UPDATE sessions SET is_active = ", sql_false(),
                       " WHERE user_id = ?1 AND is_active = ", sql_true(), " AND id <> ?2"));
  if (!q) return q.error();
  q->bind_text(1, user_id);
  q->bind_text(2, keep_session_id);
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Result<int> SqlTx::purge_sessions(Timestamp now) {
  auto q = prepare(cat("DELETE FROM sessions WHERE expiry <= ?1 OR is_active = ", sql_false()));
  if (!q) return q.error();
  q->bind_int(1, to_ms(now));
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Result<std::vector<LoginThrottle>> SqlTx::list_login_throttles(Timestamp now, int limit) {
  auto q = prepare(cat("SELECT ", kThrottleColumns,
                       " FROM login_throttles WHERE blocked_until > ?1"
                       " ORDER BY last_failure_at DESC, email, address LIMIT ?2"));
  if (!q) return q.error();
  q->bind_int(1, to_ms(now));
  q->bind_int(2, limit);
  return collect<LoginThrottle>(*q, read_throttle);
}

// Locked by its key, not FOR UPDATE: the first attempt of a pair finds no row to lock, and two
// first attempts must still be counted one after the other.
Result<LoginThrottle> SqlTx::login_throttle_for_update(const std::string& email,
                                                       const std::string& address) {
  if (auto s = lock_key(LockKind::kLoginThrottle, email, address); !s) return s.error();
  auto q = prepare(
      cat("SELECT ", kThrottleColumns, " FROM login_throttles WHERE email = ?1 AND address = ?2"));
  if (!q) return q.error();
  q->bind_text(1, email);
  q->bind_text(2, address);
  auto found = first<LoginThrottle>(*q, read_throttle);
  if (!found) return found.error();
  if (*found) return std::move(**found);
  return LoginThrottle{email, address};
}

Status SqlTx::save_login_throttle(const LoginThrottle& t) {
  auto q = prepare(cat("INSERT INTO login_throttles (", kThrottleColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (email, address) DO UPDATE SET ",
                       "failures = excluded.failures, last_failure_at = excluded.last_failure_at, ",
                       "blocked_until = excluded.blocked_until"));
  if (!q) return q.error();
  q->bind_text(1, t.email);
  q->bind_text(2, t.address);
  q->bind_int(3, t.failures);
  q->bind_int(4, to_ms(t.last_failure_at));
  q->bind_int(5, to_ms(t.blocked_until));
  return q->run();
}

Result<int> SqlTx::clear_login_throttles(const ThrottleSelector& which) {
  if (!which.email && !which.address) return 0;
  auto q = prepare(
      "DELETE FROM login_throttles WHERE (CAST(?1 AS TEXT) IS NULL OR email = ?1) AND "
      "(CAST(?2 AS TEXT) IS NULL OR address = ?2)");
  if (!q) return q.error();
  if (which.email) q->bind_text(1, *which.email);
  if (which.address) q->bind_text(2, *which.address);
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Result<int> SqlTx::purge_login_throttles(Timestamp idle_before, Timestamp now) {
  auto q =
      prepare("DELETE FROM login_throttles WHERE last_failure_at < ?1 AND blocked_until <= ?2");
  if (!q) return q.error();
  q->bind_int(1, to_ms(idle_before));
  q->bind_int(2, to_ms(now));
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

}  // namespace leadproc::sql
