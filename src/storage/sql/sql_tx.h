// The shared half of both adapters' transaction objects (PowerDNS's GSQLBackend is the model):
// every Store method whose SQL is the same in SQLite and PostgreSQL is written once here, over the
// statement interface of statement.h, with the column lists, row readers and binders of
// rows.h. SqliteTx and PgTx derive from SqlTx and add what differs: how a statement is prepared
// on their connection, row locking, and the methods whose SQL is dialect (upserts, RETURNING,
// JSON, advisory locks). The definitions are in sql/tx_*.cpp, one file per entity.
//
// Shared SQL is written with ?N placeholders (statement.h) and in the SQL both databases accept:
// CAST(?N AS TEXT) where PostgreSQL must be told a parameter's type, NOT for a boolean column
// read as a condition, and sql_false() / sql_true() where a boolean is compared with a literal that
// a SQLite partial index must match (SQLite stores booleans as 0 and 1).
#pragma once

#include <string>
#include <string_view>

#include "app/store.h"
#include "storage/sql/statement.h"

namespace leadproc::sql {

class SqlTx : public WriteTx {
 public:
  // ---- users (tx_users.cpp) ----
  Result<std::optional<User>> get_user(const Id& id) override;
  // Case-insensitive; prefers the non-deleted user when a deleted one had the same address.
  Result<std::optional<User>> find_user_by_email(const std::string& email) override;
  // Ordered by id.
  Result<std::vector<User>> list_users(const UserFilter& filter) override;
  // update_*: kNotFound when no row has the id.
  Status insert_user(const User& u) override;
  Status update_user(const User& u) override;

  // ---- API keys (tx_api_keys.cpp) ----
  Result<std::optional<ApiKey>> get_api_key(const Id& id) override;
  Result<std::optional<ApiKey>> find_api_key(const std::string& key_hash) override;
  Result<std::vector<ApiKey>> list_api_keys() override;
  Status insert_api_key(const ApiKey& k) override;
  Status update_api_key(const ApiKey& k) override;

  // ---- web URLs (tx_weburls.cpp) ----
  Result<std::optional<WebUrl>> get_weburl(const Id& id) override;
  Result<std::optional<WebUrl>> find_weburl(const std::string& normalized_url) override;
  Result<std::vector<WebUrl>> list_weburls(const WebUrlFilter& filter) override;
  Status insert_weburl(const WebUrl& w) override;
  Status update_weburl(const WebUrl& w) override;

  // ---- import (tx_import.cpp) ----
  Result<std::vector<Id>> existing_ids(RecordKind kind, const std::vector<Id>& ids) override;

 protected:
  SqlTx() = default;
  ~SqlTx() override = default;

  // The statement for `sql` on this transaction's connection, prepared once and cached.
  virtual Result<Stmt> prepare(std::string_view sql) = 0;

  // The clause that locks the rows a write transaction reads so it can write them back
  // (" FOR UPDATE" / " FOR SHARE" on PostgreSQL; "" on SQLite, whose single writer excludes
  // every other writer, and in a read transaction).
  virtual std::string_view for_update() const { return ""; }
  virtual std::string_view for_share() const { return ""; }

  // The boolean literals as the schema stores them: "0"/"1" on SQLite, FALSE/TRUE on PostgreSQL.
  virtual std::string_view sql_false() const = 0;
  virtual std::string_view sql_true() const = 0;

  // A subquery that reads the strings of the JSON array bound as ?1, one row each.
  virtual std::string_view json_elements() const = 0;
};

}  // namespace leadproc::sql
