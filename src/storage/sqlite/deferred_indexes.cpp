#include "storage/sqlite/deferred_indexes.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/sql/columns.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {
namespace {

using NamedStatements = std::vector<std::pair<std::string, std::string>>;

// The (index name, CREATE statement) rows that `sql` reads (its ?1 bound to `table`, if given),
// all read and the statement released before the caller acts on any of them: DDL waits for no
// statement of the connection that is still open.
Result<NamedStatements> names_and_statements(Connection& c, std::string_view sql,
                                             std::optional<std::string_view> table = {}) {
  auto q = c.query(sql);
  if (!q) return q.error();
  if (table) q->bind_text(1, *table);
  NamedStatements out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.emplace_back(q->text_at(0), q->text_at(1));
  }
}

}  // namespace

Result<int> defer_indexes(Connection& c, std::string_view table) {
  {
    auto rows = c.query(std::string("SELECT 1 FROM \"") + std::string(table) + "\" LIMIT 1");
    if (!rows) return rows.error();
    auto any = rows->step();
    if (!any) return any.error();
    if (*any) return 0;  // not a load into an empty table: its indexes serve the rows it holds
  }
  // The statements as SQLite keeps them (sqlite_master.sql), so each is built again exactly.
  // Indexes SQLite makes itself (primary keys, UNIQUE constraints) have no statement and stay.
  auto indexes = names_and_statements(
      c,
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 "
      "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %' ORDER BY name",
      table);
  if (!indexes) return indexes.error();
  for (const auto& [name, sql] : *indexes) {
    auto keep = c.query("INSERT INTO deferred_indexes (name, sql) VALUES (?1, ?2)");
    if (!keep) return keep.error();
    keep->bind_text(1, name);
    keep->bind_text(2, sql);
    if (auto s = keep->run(); !s) return s.error();
    if (auto s = c.exec("DROP INDEX \"" + name + "\""); !s) return s.error();
  }
  return static_cast<int>(indexes->size());
}

Result<int> restore_indexes(Connection& c) {
  auto indexes = names_and_statements(c, "SELECT name, sql FROM deferred_indexes ORDER BY name");
  if (!indexes) return indexes.error();
  for (const auto& [name, sql] : *indexes) {
    if (auto s = c.exec(sql); !s) return s.error();
    auto forget = c.query("DELETE FROM deferred_indexes WHERE name = ?1");
    if (!forget) return forget.error();
    forget->bind_text(1, name);
    if (auto s = forget->run(); !s) return s.error();
  }
  return static_cast<int>(indexes->size());
}

Status restore_left_indexes(Connection& c) {
  {
    auto q = c.query("SELECT 1 FROM deferred_indexes LIMIT 1");
    if (!q) return q.error();
    auto any = q->step();
    if (!any) return any.error();
    if (!*any) return ok_status();
  }
  RollbackGuard guard(c);
  if (auto s = c.exec("BEGIN IMMEDIATE"); !s) return s;
  if (auto built = restore_indexes(c); !built) return built.error();
  if (auto s = c.exec("COMMIT"); !s) return s;
  guard.dismiss();
  return ok_status();
}

Result<int> SqliteTx::defer_indexes(RecordKind kind) {
  return sqlite::defer_indexes(c_, sql::table_of(kind));
}

Result<int> SqliteTx::restore_indexes() {
  return sqlite::restore_indexes(c_);
}

}  // namespace leadproc::sqlite
