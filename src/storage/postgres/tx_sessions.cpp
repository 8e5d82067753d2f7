// PgTx: login sessions and failed logins (authentication).
#include "storage/postgres/columns.h"
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

Result<int> PgTx::purge_sessions(Timestamp now) {
  return affected(run("DELETE FROM sessions WHERE expiry <= $1 OR NOT is_active",
                      Params().integer(to_ms(now))));
}

Result<LoginFailures> PgTx::login_failures(const std::string& subject, Timestamp since) {
  auto rows = run("SELECT COUNT(*), MIN(at) FROM login_failures WHERE subject = $1 AND at >= $2",
                  Params().text(subject).integer(to_ms(since)));
  if (!rows) return rows.error();
  LoginFailures out;
  if (rows->empty()) return out;
  out.count = static_cast<int>((*rows)[0].int_at(0));
  out.oldest = from_ms((*rows)[0].opt_int_at(1));
  return out;
}

Status PgTx::record_login_failure(const std::string& subject, Timestamp at) {
  auto rows = run("INSERT INTO login_failures (subject, at) VALUES ($1, $2)",
                  Params().text(subject).integer(to_ms(at)));
  if (!rows) return rows.error();
  return ok_status();
}

Status PgTx::clear_login_failures(const std::string& subject) {
  auto rows = run("DELETE FROM login_failures WHERE subject = $1", Params().text(subject));
  if (!rows) return rows.error();
  return ok_status();
}

Result<int> PgTx::purge_login_failures(Timestamp before) {
  return affected(run("DELETE FROM login_failures WHERE at < $1", Params().integer(to_ms(before))));
}

}  // namespace leadproc::postgres
