// A thin RAII layer over the SQLite C API, private to the SQLite adapter: a Connection owns one
// sqlite3 handle and a cache of its prepared statements (keyed by SQL text), each a Statement of
// the shared SQL layer's interface (storage/sql/statement.h); a Query (sql::Stmt) is one use of
// one, and resets it when it goes away, so it never holds a read lock or a binding past its scope.
//
// Every failure comes back as a domain Error (see translate()); nothing throws except bad_alloc.
// A Connection is not thread-safe: the store hands each one to a single thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "domain/result.h"
#include "storage/sql/handles.h"
#include "storage/sql/statement.h"

struct sqlite3;
struct sqlite3_stmt;

namespace leadproc::sqlite {

// Maps an SQLite (extended) result code to a domain error, as the Store contract requires:
// UNIQUE / PRIMARY KEY violations -> kConflict (the detail is SQLite's message alone, which names
// the index or columns); BUSY, LOCKED, IOERR, FULL, CANTOPEN -> kUnavailable; anything else ->
// kInternal (a bug or a corrupt database). `context` (the statement) is appended to the detail of
// non-conflict errors.
Error translate(int extended_code, std::string_view message, std::string_view context);

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const;
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// One prepared statement of a Connection, cached by its SQL text; handed out as a sql::Stmt
// (statement.h states the contract). release() resets it and clears its bindings.
class Statement final : public sql::Statement {
 public:
  Statement(StmtPtr stmt, bool* in_use) : stmt_(std::move(stmt)), in_use_(in_use) {}

  void bind_null(int i) override;
  void bind_int(int i, std::int64_t v) override;
  void bind_double(int i, double v) override;
  void bind_bool(int i, bool v) override { bind_int(i, v ? 1 : 0); }
  void bind_text(int i, std::string_view v) override;

  Result<bool> step() override;
  // sqlite3_changes of the connection when the statement finished.
  int changes() const override { return changes_; }
  std::string_view sql() const override;
  void release() override;

  bool is_null(int col) const override;
  std::int64_t int_at(int col) const override;
  double double_at(int col) const override;
  bool bool_at(int col) const override { return int_at(col) != 0; }
  std::string_view view_at(int col) const override;  // "" for NULL

 private:
  Error error(int rc) const;

  StmtPtr stmt_;
  bool* in_use_;     // the cache entry's flag, cleared on release; null for an uncached statement
  int bind_rc_ = 0;  // first failed bind, 0 (SQLITE_OK) if none
  int changes_ = 0;
};

// A use of a Statement (bind by 1-based index, step, read columns by 0-based index).
using Query = sql::Stmt;

class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens (kReadWrite: creating) the database file, with extended result codes on and the given
  // busy timeout, through the named VFS (nullptr: the default). Pragmas are the caller's
  // business (see sqlite_store.cpp).
  static Result<std::unique_ptr<Connection>> open(const std::string& path, Mode mode,
                                                  int busy_timeout_ms, const char* vfs = nullptr);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows (DDL, BEGIN/COMMIT, pragmas); not cached.
  Status exec(std::string_view sql);

  // PRAGMA mmap_size: the first `mib` MiB of the database file are read through a memory map
  // (SQLite caps it at its compile-time SQLITE_MAX_MMAP_SIZE); 0 turns it off.
  Status set_mmap_mib(int mib);

  // The statement for `sql`, prepared once per connection and cached. If that statement is in
  // use (a Query over it is still alive), a fresh uncached statement is prepared instead, so
  // nested use of the same SQL is safe.
  Result<Query> query(std::string_view sql);

  // True iff a transaction is open (BEGIN was run and neither COMMIT nor ROLLBACK ended it, nor
  // an error rolled it back).
  bool in_transaction() const;
  // ROLLBACK if a transaction is open (for RollbackGuard); a failure is ignored.
  void rollback_open_transaction();

  // While set, query() refuses (kUnavailable) to prepare a statement outside a transaction.
  // After SQLITE_FULL, IOERR and the like SQLite may roll back the whole transaction by itself;
  // a statement run after that would commit on its own (autocommit), outside the transaction its
  // caller believes it is in. The writer sets this for the length of each transaction.
  void set_transaction_required(bool required) { transaction_required_ = required; }

  // The connection's last error as a domain error.
  Error last_error(int rc, std::string_view context) const;

  // Replaces SQLite's automatic checkpoints on this connection: after each commit it makes,
  // `hook(context, frames in the WAL)` is called (sqlite3_wal_hook) and must return 0.
  using WalHook = int (*)(void* context, int wal_frames);
  void set_wal_hook(WalHook hook, void* context);

  // A PASSIVE checkpoint (sqlite3_wal_checkpoint_v2): copies what it can of the WAL into the
  // database without waiting for, or blocking, readers and the writer.
  Status checkpoint_passive();

  // The main database's WAL file as SQLite names it (symlinks resolved, URI parameters
  // stripped): the file to sync, which "<path>-wal" is not when the path is a symlink.
  std::string wal_path() const;
  // The main database file as SQLite names it (symlinks resolved, URI parameters stripped).
  std::string database_path() const;

  // The VFS stack the main database is opened through, as SQLite reports it
  // (SQLITE_FCNTL_VFSNAME): "unix", or e.g. "leadproc-wal-write-buffer/unix".
  std::string vfs_name() const;

 private:
  struct DbDeleter {
    void operator()(sqlite3* db) const;
  };
  struct CachedStmt {
    std::unique_ptr<Statement> stmt;
    bool in_use = false;
  };
  // A private key: the constructor is public for std::make_unique, but only members can name
  // Tag, so only open() constructs a Connection.
  struct Tag {
    explicit Tag() = default;
  };

 public:
  Connection(Tag, sqlite3* db);

 private:
  // Declared first so that it is destroyed last, after every cached statement is finalized.
  std::unique_ptr<sqlite3, DbDeleter> db_;
  std::pair<WalHook, void*> wal_hook_{nullptr, nullptr};  // set_wal_hook()
  bool transaction_required_ = false;                     // set_transaction_required()
  // Node-based: an entry's address (and its in_use flag) is stable across rehashing.
  std::unordered_map<std::string, CachedStmt> cache_;
};

using RollbackGuard = sql::RollbackGuard<Connection>;

}  // namespace leadproc::sqlite
