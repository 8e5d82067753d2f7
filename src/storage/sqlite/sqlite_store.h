// The embedded storage adapter: the Store port over one SQLite database file in WAL mode.
//
// Concurrency: one writer connection behind a mutex (write() and migrate() take it; a write
// transaction is BEGIN IMMEDIATE ... COMMIT, so it also excludes writers in other processes),
// and a small pool of read-only connections, each read() a snapshot (BEGIN ... COMMIT). Readers
// never block the writer nor each other. With synchronous_full (the default) a committed write
// survives power loss, which is what a 2xx promises.
//
// write() and read() are not re-entrant: calling either from inside `fn` may deadlock (the
// writer mutex; a pool with no free reader). One use case = one transaction.
//
// The path must name a file (":memory:" would give each connection its own database); its
// parent directory is created if missing. open() does not migrate: call migrate() (the `migrate`
// command, or `serve` at start-up) before using a new database.
#pragma once

#include <memory>
#include <string>

#include "app/store.h"

namespace leadproc::sqlite {

struct SqliteOptions {
  int readers = 4;               // read-only connections, opened on first use (at least 1)
  bool synchronous_full = true;  // PRAGMA synchronous=FULL; NORMAL may lose the last commits
                                 // on power loss (never corrupts)
  int busy_timeout_ms = 5000;    // how long a statement waits for another process's lock
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if missing) the database and its writer connection, in WAL mode with
  // foreign keys on. kUnavailable if the file or its directory cannot be opened or created.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   SqliteOptions opts = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // A failed COMMIT gives kUnavailable (nothing was written). If `fn` throws, the transaction
  // is rolled back and the exception propagates.
  Status write(const std::function<Status(WriteTx&)>& fn) override;
  // Waits for a free reader when all are busy.
  Status read(const std::function<Status(ReadTx&)>& fn) override;
  Result<int> migrate() override;
  bool ready() override;

  struct Impl;  // defined in sqlite_store.cpp
  explicit SqliteStore(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

// The same as SqliteStore::open, as the port type (for the composition root).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, SqliteOptions opts = {});

}  // namespace leadproc::sqlite
