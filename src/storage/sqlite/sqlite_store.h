// The embedded storage adapter: the Store port over one SQLite database file in WAL mode.
//
// Concurrency: one writer connection behind a mutex (write() and migrate() take it; a write
// transaction is BEGIN IMMEDIATE ... COMMIT, so it also excludes writers in other processes),
// and a small pool of read-only connections, each read() a snapshot (BEGIN ... COMMIT). Readers
// never block the writer nor each other. With synchronous_full (the default) write() returns
// only once its commit survives power loss, which is what a 2xx promises: the writer commits
// without syncing and starts the next transaction while the commit is synced (wal_sync.h).
//
// Group commit: concurrent write() calls share transactions. The first caller to find no
// transaction running leads: it runs every queued function (up to max_batch) in one
// BEGIN IMMEDIATE ... COMMIT, each inside its own SAVEPOINT, and wakes each caller after the
// COMMIT. So one fsync covers many writes, and still:
// - write() returns ok only once its function's changes are committed (durable);
// - a function that fails (or throws) is rolled back to its savepoint alone: it leaves no trace
//   and the others in the batch are unaffected;
// - each function sees the committed data plus the writes of those before it in the batch,
//   exactly as if they had run one after another;
// - a failed COMMIT fails every function of the batch (nothing of it was written).
// A lone caller runs at once, so an idle store adds no latency. When a commit's sync begins, the
// next transaction starts at once if sync_gather calls are queued, else when the sync ends: its
// writes could not be acknowledged before that sync ended anyway, and a bigger batch writes the
// pages every lead touches (the tables' last pages, the counters) to the WAL once instead of
// once per small batch (docs/benchmarks.md §22: ~2.4 writes per transaction before, ~14 % more
// leads/s with 4).
//
// write() and read() are not re-entrant: calling either from inside `fn` may deadlock (the
// writer mutex; a pool with no free reader). One use case = one transaction.
//
// The path must name a file (":memory:" would give each connection its own database); its
// parent directory is created if missing. open() does not migrate: call migrate() (the `migrate`
// command, or `serve` at start-up) before using a new database.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "app/store.h"

namespace leadproc::sqlite {

struct SqliteOptions {
  int readers = 8;               // read-only connections, opened on first use (at least 1)
  bool synchronous_full = true;  // write() returns once its commit is synced (wal_sync.h);
                                 // false: SQLite's NORMAL, which may lose the last commits on
                                 // power loss (never corrupts)
  int busy_timeout_ms = 5000;    // how long a statement waits for another process's lock
  int max_batch = 64;            // write() calls at most per group-committed transaction
  int sync_gather = 4;           // queued calls that start a transaction while a sync runs
  // The writer connection's page cache (readers keep SQLite's 2 MB). Not larger: at every
  // commit that follows a B-tree page split, SQLite walks the writer's whole cache (its
  // pcache1 truncation after a page was re-keyed to the pending-byte page), ~9 % of ingest's CPU
  // with 64 MiB (docs/benchmarks.md section 10); mmap_mib serves what the cache does not hold.
  int writer_cache_mib = 16;
  // Bytes of the database file each connection reads through a memory map (PRAGMA mmap_size),
  // without a read() system call and its copy; 0: off. A failing disk then shows as SIGBUS
  // rather than an I/O error (SQLite's documented trade-off; README's settings table).
  int mmap_mib = 1024;
  // WAL pages (4 KiB) from which the checkpointer thread catches up with the writer (so that the
  // WAL starts over); it checkpoints every quarter of it before, and the writer itself at twice
  // it (checkpointer.h). Each checkpoint copies the hot index pages again, so fewer copy
  // less: 16,000 (a 64 MiB WAL) cost ~8 % less CPU per lead than 4,000 (docs/benchmarks.md §10).
  int checkpoint_frames = 16000;
  bool buffer_wal_writes = true;  // the writer writes each commit's WAL frames in one write
                                  // (wal_write_buffer.h); false: SQLite's two writes per frame
  // The writer runs its transactions on a CPU of its own and every other thread of the process
  // on the other CPUs (writer_cpu.h), when the process may use two or more. It moves threads
  // process-wide, so it is for the server (`serve`, `import`), not for a library caller.
  bool dedicated_writer_cpu = false;
};

// Group-commit counters since open(): `writes` functions in `commits` transactions, and the
// calls queued now behind the running transaction.
struct WriteStats {
  std::uint64_t commits = 0;
  std::uint64_t writes = 0;
  std::uint64_t syncs = 0;  // WAL syncs that made commits durable (synchronous_full only)
  std::uint64_t background_checkpoints = 0;  // passes of the checkpointer thread (checkpointer.h)
  std::uint64_t writer_checkpoints = 0;  // run by the writer: the WAL reached twice its threshold
  // Time spent running transactions (BEGIN to COMMIT, retries included; not the WAL syncs):
  // wall time, and the CPU time of the thread running them. The writer is one thread at a time,
  // so busy/elapsed is its utilisation, and cpu/writes what one write costs it.
  double writer_busy_seconds = 0;
  double writer_cpu_seconds = 0;
  std::size_t queued = 0;
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

  // A failed COMMIT gives kUnavailable (nothing was written). If `fn` throws, its changes are
  // rolled back and the exception propagates to this caller.
  Status write(const std::function<Status(WriteTx&)>& fn) override;
  // Waits for a free reader when all are busy.
  Status read(const std::function<Status(ReadTx&)>& fn) override;
  Result<int> migrate() override;
  bool ready() override;

  WriteStats write_stats();
  // leadproc_sqlite_write_transactions_total, leadproc_sqlite_writes_total, the WAL syncs and the
  // writer's busy and CPU seconds (write_stats()).
  std::vector<StoreCounter> counters() override;
  // "sqlite <path>, writer VFS <vfs>[, writer CPU <n>]": the VFS read back from SQLite, so the
  // start-up log shows whether SqliteOptions::buffer_wal_writes took effect, and the writer's
  // CPU when it has one (dedicated_writer_cpu).
  std::string describe() override;
  // Live events are published in this process, by the writing thread once its commit is synced.
  void set_live_sink(LiveSink sink) override;

  struct Impl;  // defined in sqlite_store.cpp
  explicit SqliteStore(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

// The same as SqliteStore::open, as the port type (for the composition root).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, SqliteOptions opts = {});

}  // namespace leadproc::sqlite
