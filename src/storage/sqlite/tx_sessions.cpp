// SqliteTx: login sessions and login throttles (authentication).
#include "storage/sql/columns.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {
namespace {

constexpr std::string_view kSessionColumns =
    "id, user_id, token_hash, expiry, is_active, created_at";

Result<Session> read_session(const sql::Row& q) {
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

Result<LoginThrottle> read_throttle(const sql::Row& q) {
  LoginThrottle t;
  t.email = q.text_at(0);
  t.address = q.text_at(1);
  t.failures = static_cast<int>(q.int_at(2));
  t.last_failure_at = from_ms(q.int_at(3));
  t.blocked_until = from_ms(q.int_at(4));
  return t;
}

}  // namespace

Result<std::optional<Session>> SqliteTx::find_session(const std::string& token_hash) {
  auto q = c_.query(cat("SELECT ", kSessionColumns, " FROM sessions WHERE token_hash = ?1"));
  if (!q) return q.error();
  q->bind_text(1, token_hash);
  return first<Session>(*q, read_session);
}

Status SqliteTx::insert_session(const Session& s) {
  auto q =
      c_.query(cat("INSERT INTO sessions (", kSessionColumns, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  if (!q) return q.error();
  q->bind_text(1, s.id);
  q->bind_text(2, s.user_id);
  q->bind_text(3, s.token_hash);
  q->bind_int(4, to_ms(s.expiry));
  q->bind_bool(5, s.is_active);
  q->bind_int(6, to_ms(s.created_at));
  return q->run();
}

Status SqliteTx::end_session(const Id& session_id) {
  auto q = c_.query("UPDATE sessions SET is_active = 0 WHERE id = ?1");
  if (!q) return q.error();
  q->bind_text(1, session_id);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "session", session_id);
}

Result<int> SqliteTx::end_user_sessions(const Id& user_id) {
  auto q = c_.query("UPDATE sessions SET is_active = 0 WHERE user_id = ?1 AND is_active = 1");
  if (!q) return q.error();
  q->bind_text(1, user_id);
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Result<int> SqliteTx::end_other_sessions(const Id& user_id, const Id& keep_session_id) {
  auto q = c_.query(
      "UPDATE sessions SET is_active = 0 WHERE user_id = ?1 AND is_active = 1 AND id <> ?2");
  if (!q) return q.error();
  q->bind_text(1, user_id);
  q->bind_text(2, keep_session_id);
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Result<int> SqliteTx::purge_sessions(Timestamp now) {
  auto q = c_.query("DELETE FROM sessions WHERE expiry <= ?1 OR is_active = 0");
  if (!q) return q.error();
  q->bind_int(1, to_ms(now));
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Result<std::vector<LoginThrottle>> SqliteTx::list_login_throttles(Timestamp now, int limit) {
  auto q = c_.query(cat("SELECT ", kThrottleColumns,
                        " FROM login_throttles WHERE blocked_until > ?1"
                        " ORDER BY last_failure_at DESC, email, address LIMIT ?2"));
  if (!q) return q.error();
  q->bind_int(1, to_ms(now));
  q->bind_int(2, limit);
  return collect<LoginThrottle>(*q, read_throttle);
}

// The writer is the only one (SQLite serialises write transactions), so a plain read is locked.
Result<LoginThrottle> SqliteTx::login_throttle_for_update(const std::string& email,
                                                          const std::string& address) {
  auto q = c_.query(
      cat("SELECT ", kThrottleColumns, " FROM login_throttles WHERE email = ?1 AND address = ?2"));
  if (!q) return q.error();
  q->bind_text(1, email);
  q->bind_text(2, address);
  auto found = first<LoginThrottle>(*q, read_throttle);
  if (!found) return found.error();
  if (*found) return std::move(**found);
  return LoginThrottle{email, address};
}

Status SqliteTx::save_login_throttle(const LoginThrottle& t) {
  auto q = c_.query(cat("INSERT OR REPLACE INTO login_throttles (", kThrottleColumns,
                        ") VALUES (?1, ?2, ?3, ?4, ?5)"));
  if (!q) return q.error();
  q->bind_text(1, t.email);
  q->bind_text(2, t.address);
  q->bind_int(3, t.failures);
  q->bind_int(4, to_ms(t.last_failure_at));
  q->bind_int(5, to_ms(t.blocked_until));
  return q->run();
}

Result<int> SqliteTx::clear_login_throttles(const ThrottleSelector& which) {
  if (!which.email && !which.address) return 0;
  auto q = c_.query(
      "DELETE FROM login_throttles WHERE (?1 IS NULL OR email = ?1) AND (?2 IS NULL OR address = "
      "?2)");
  if (!q) return q.error();
  if (which.email) q->bind_text(1, *which.email);
  if (which.address) q->bind_text(2, *which.address);
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Result<int> SqliteTx::purge_login_throttles(Timestamp idle_before, Timestamp now) {
  auto q =
      c_.query("DELETE FROM login_throttles WHERE last_failure_at < ?1 AND blocked_until <= ?2");
  if (!q) return q.error();
  q->bind_int(1, to_ms(idle_before));
  q->bind_int(2, to_ms(now));
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

}  // namespace leadproc::sqlite
