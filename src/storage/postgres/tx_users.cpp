// PgTx: users.
#include "storage/postgres/columns.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {
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

// Every column of `u` in kColumns order, as $1..$14.
Params user_params(const User& u) {
  Params p;
  p.text(u.id)
      .text(u.email)
      .opt_text(u.first_name)
      .opt_text(u.last_name)
      .text(u.credentials)
      .opt_text(u.phone ? std::optional(u.phone->country_code) : std::nullopt)
      .opt_text(u.phone ? std::optional(u.phone->number) : std::nullopt)
      .text(to_string(u.department))
      .boolean(u.is_active)
      .boolean(u.deleted)
      .opt_text(u.created_by)
      .opt_text(u.modified_by)
      .integer(to_ms(u.created_at))
      .integer(to_ms(u.updated_at));
  return p;
}

}  // namespace

Result<std::optional<User>> PgTx::get_user(const Id& id) {
  auto rows =
      run(cat("SELECT ", kColumns, " FROM users WHERE id = $1", for_update()), Params().text(id));
  if (!rows) return rows.error();
  return first<User>(*rows, read_user);
}

Result<std::optional<User>> PgTx::find_user_by_email(const std::string& email) {
  auto rows = run(cat("SELECT ", kColumns, " FROM users WHERE lower(email) = lower($1::text) ",
                      "ORDER BY deleted, id DESC LIMIT 1", for_update()),
                  Params().text(email));
  if (!rows) return rows.error();
  return first<User>(*rows, read_user);
}

Result<std::vector<User>> PgTx::list_users(const UserFilter& f) {
  Params p;
  p.opt_text(f.department ? std::optional<std::string>(to_string(*f.department)) : std::nullopt);
  if (f.is_active) {
    p.boolean(*f.is_active);
  } else {
    p.null();
  }
  p.boolean(f.include_deleted);
  auto rows = run(cat("SELECT ", kColumns, " FROM users WHERE ($1::text IS NULL OR department = ",
                      "$1::text) AND ($2::boolean IS NULL OR is_active = $2::boolean) ",
                      "AND ($3::boolean OR NOT deleted) ORDER BY id", for_update()),
                  p);
  if (!rows) return rows.error();
  return collect<User>(*rows, read_user);
}

Status PgTx::insert_user(const User& u) {
  auto rows = run(cat("INSERT INTO users (", kColumns,
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"),
                  user_params(u));
  if (!rows) return rows.error();
  return ok_status();
}

Status PgTx::update_user(const User& u) {
  auto rows = run(
      "UPDATE users SET email = $2, first_name = $3, last_name = $4, credentials = $5, "
      "phone_country_code = $6, phone_number = $7, department = $8, is_active = $9, deleted = $10, "
      "created_by = $11, modified_by = $12, created_at = $13, updated_at = $14 WHERE id = $1",
      user_params(u));
  if (!rows) return rows.error();
  return require_changed(rows->affected(), "user", u.id);
}

}  // namespace leadproc::postgres
