// SqlTx: the users table.
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::sql {
namespace {

constexpr std::string_view kColumns =
    "id, email, first_name, last_name, credentials, phone_country_code, phone_number, "
    "department, is_active, deleted, created_by, modified_by, created_at, updated_at";

Result<User> read_user(const Row& r) {
  User u;
  u.id = r.text_at(0);
  u.email = r.text_at(1);
  u.first_name = r.opt_text_at(2);
  u.last_name = r.opt_text_at(3);
  u.credentials = r.text_at(4);
  if (!r.is_null(5) || !r.is_null(6)) u.phone = PhoneParts{r.text_at(5), r.text_at(6)};
  auto dept = require(parse_department(r.view_at(7)), "users.department", r.view_at(7));
  if (!dept) return dept.error();
  u.department = *dept;
  u.is_active = r.bool_at(8);
  u.deleted = r.bool_at(9);
  u.created_by = r.opt_text_at(10);
  u.modified_by = r.opt_text_at(11);
  u.created_at = from_ms(r.int_at(12));
  u.updated_at = from_ms(r.int_at(13));
  return u;
}

// Binds every column of `u` in kColumns order, from parameter 1.
void bind_user(Stmt& q, const User& u) {
  q.bind_text(1, u.id);
  q.bind_text(2, u.email);
  q.bind_opt_text(3, u.first_name);
  q.bind_opt_text(4, u.last_name);
  q.bind_text(5, u.credentials);
  q.bind_opt_text(6, u.phone ? std::optional(u.phone->country_code) : std::nullopt);
  q.bind_opt_text(7, u.phone ? std::optional(u.phone->number) : std::nullopt);
  q.bind_text(8, to_string(u.department));
  q.bind_bool(9, u.is_active);
  q.bind_bool(10, u.deleted);
  q.bind_opt_text(11, u.created_by);
  q.bind_opt_text(12, u.modified_by);
  q.bind_int(13, to_ms(u.created_at));
  q.bind_int(14, to_ms(u.updated_at));
}

}  // namespace

Result<std::optional<User>> SqlTx::get_user(const Id& id) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM users WHERE id = ?1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, id);
  return first<User>(*q, read_user);
}

Result<std::optional<User>> SqlTx::find_user_by_email(const std::string& email) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM users WHERE lower(email) = ",
                       "lower(CAST(?1 AS TEXT)) ORDER BY deleted, id DESC LIMIT 1", for_update()));
  if (!q) return q.error();
  q->bind_text(1, email);
  return first<User>(*q, read_user);
}

Result<std::vector<User>> SqlTx::list_users(const UserFilter& f) {
  auto q = prepare(cat("SELECT ", kColumns, " FROM users WHERE (CAST(?1 AS TEXT) IS NULL OR ",
                       "department = ?1) AND (CAST(?2 AS BOOLEAN) IS NULL OR is_active = ?2) ",
                       "AND (CAST(?3 AS BOOLEAN) OR NOT deleted) ORDER BY id", for_update()));
  if (!q) return q.error();
  if (f.department) q->bind_text(1, to_string(*f.department));
  if (f.is_active) q->bind_bool(2, *f.is_active);
  q->bind_bool(3, f.include_deleted);
  return collect<User>(*q, read_user);
}

Status SqlTx::insert_user(const User& u) {
  auto q = prepare(cat("INSERT INTO users (", kColumns,
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
  if (!q) return q.error();
  bind_user(*q, u);
  return q->run();
}

Status SqlTx::update_user(const User& u) {
  auto q = prepare(
      "UPDATE users SET email = ?2, first_name = ?3, last_name = ?4, credentials = ?5, "
      "phone_country_code = ?6, phone_number = ?7, department = ?8, is_active = ?9, deleted = ?10, "
      "created_by = ?11, modified_by = ?12, created_at = ?13, updated_at = ?14 WHERE id = ?1");
  if (!q) return q.error();
  bind_user(*q, u);
  if (auto s = q->run(); !s) return s;
  return require_changed(q->changes(), "user", u.id);
}

}  // namespace leadproc::sql
