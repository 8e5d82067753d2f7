// SqliteTx: login sessions and failed logins (authentication).
#include "storage/sqlite/columns.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {
namespace {

constexpr std::string_view kSessionColumns =
    "id, user_id, token_hash, expiry, is_active, created_at";

Result<Session> read_session(const Query& q) {
  Session s;
  s.id = q.text_at(0);
  s.user_id = q.text_at(1);
  s.token_hash = q.text_at(2);
  s.expiry = from_ms(q.int_at(3));
  s.is_active = q.bool_at(4);
  s.created_at = from_ms(q.int_at(5));
  return s;
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

Result<int> SqliteTx::purge_sessions(Timestamp now) {
  auto q = c_.query("DELETE FROM sessions WHERE expiry <= ?1 OR is_active = 0");
  if (!q) return q.error();
  q->bind_int(1, to_ms(now));
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

Result<LoginFailures> SqliteTx::login_failures(const std::string& subject, Timestamp since) {
  auto q = c_.query("SELECT COUNT(*), MIN(at) FROM login_failures WHERE subject = ?1 AND at >= ?2");
  if (!q) return q.error();
  q->bind_text(1, subject);
  q->bind_int(2, to_ms(since));
  auto row = q->step();
  if (!row) return row.error();
  LoginFailures out;
  if (!*row) return out;
  out.count = static_cast<int>(q->int_at(0));
  out.oldest = from_ms(q->opt_int_at(1));
  return out;
}

Status SqliteTx::record_login_failure(const std::string& subject, Timestamp at) {
  auto q = c_.query("INSERT INTO login_failures (subject, at) VALUES (?1, ?2)");
  if (!q) return q.error();
  q->bind_text(1, subject);
  q->bind_int(2, to_ms(at));
  return q->run();
}

Status SqliteTx::clear_login_failures(const std::string& subject) {
  auto q = c_.query("DELETE FROM login_failures WHERE subject = ?1");
  if (!q) return q.error();
  q->bind_text(1, subject);
  return q->run();
}

Result<int> SqliteTx::purge_login_failures(Timestamp before) {
  auto q = c_.query("DELETE FROM login_failures WHERE at < ?1");
  if (!q) return q.error();
  q->bind_int(1, to_ms(before));
  if (auto s = q->run(); !s) return s.error();
  return q->changes();
}

}  // namespace leadproc::sqlite
