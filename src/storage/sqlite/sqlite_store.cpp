#include "storage/sqlite/sqlite_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <vector>

#include <time.h>

#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/reader_pool.h"
#include "storage/sqlite/tx.h"
#include "storage/sqlite/wal_sync.h"
#include "storage/sqlite/wal_write_buffer.h"
#include "storage/sqlite/writer_cpu.h"

namespace leadproc::sqlite {

// One caller of write() waiting for its function to be run and committed. Each has its own
// condition variable, so that a finished batch wakes its own callers and the next leader only
// (a shared one woke every waiting worker per batch: a quarter of the server's CPU went to
// context switches).
struct PendingWrite {
  explicit PendingWrite(const std::function<Status(WriteTx&)>* f) : fn(f) {}

  const std::function<Status(WriteTx&)>* fn;
  Status status = ok_status();
  std::exception_ptr thrown;  // what fn threw, rethrown in the caller's thread
  bool taken = false;         // in a leader's batch; guarded by Impl::queue_mutex
  bool done = false;          // guarded by Impl::queue_mutex
  std::condition_variable wake;
  std::vector<LiveEvent> live;  // the live events fn wrote, published once committed
};

struct SqliteStore::Impl {
  Impl(std::unique_ptr<Connection> w, std::function<Status()> sync_wal,
       std::unique_ptr<Connection> checkpoint_conn, const std::string& path,
       const SqliteOptions& opts)
      : checkpointer(std::make_unique<Checkpointer>(std::move(checkpoint_conn), writer_mutex)),
        checkpoint_frames(std::max(4, opts.checkpoint_frames)),
        durable(opts.synchronous_full),
        wal_sync(std::move(sync_wal)),
        writer(std::move(w)),
        readers(path, opts.readers, opts.busy_timeout_ms, opts.mmap_mib),
        max_batch(static_cast<std::size_t>(std::max(1, opts.max_batch))),
        sync_gather(
            static_cast<std::size_t>(std::clamp(opts.sync_gather, 1, std::max(1, opts.max_batch)))),
        path(path),
        writer_vfs(writer->vfs_name()),
        writer_cpu(opts.dedicated_writer_cpu ? WriterCpu::claim() : nullptr) {}

  // Runs `batch` in one transaction (see write()) and sets each one's outcome. Returns the
  // commit's number (WalSync) when some write of it was committed, else 0.
  std::uint64_t run_batch(std::vector<PendingWrite*>& batch);
  // One attempt at the batch. False when the transaction was lost midway (SQLite rolled it back
  // by itself after an error such as SQLITE_FULL): the caller runs the rest again. Sets `commit`
  // as run_batch() returns it.
  bool try_batch(std::vector<PendingWrite*>& batch, std::uint64_t& commit);

  // Called by SQLite inside each COMMIT of the writer, in place of its automatic checkpoint:
  // asks the checkpointer for a checkpoint every quarter of checkpoint_frames, for a catch-up
  // from checkpoint_frames on, and checkpoints itself at twice that (checkpointer.h).
  static int on_commit(void* impl, int wal_frames);

  std::mutex writer_mutex;                     // before `checkpointer`, which uses it
  std::unique_ptr<Checkpointer> checkpointer;  // before `writer`, whose hook uses it
  const int checkpoint_frames;
  int wal_frames_requested = 0;  // the WAL's length at the last request; guarded by writer_mutex
  std::atomic<std::uint64_t> writer_checkpoints = 0;  // run by the writer itself (on_commit)
  const bool durable;  // synchronous_full: a write returns once its commit is synced
  WalSync wal_sync;
  std::unique_ptr<Connection> writer;  // guarded by writer_mutex
  ReaderPool readers;
  const std::size_t max_batch;
  const std::size_t sync_gather;  // see SqliteOptions
  const std::string path;
  const std::string writer_vfs;       // as SQLite reports it (describe())
  const WriterCpu* const writer_cpu;  // where transactions run; nullptr: wherever the leader is

  std::mutex queue_mutex;
  std::deque<PendingWrite*> queue;  // guarded by queue_mutex
  bool leader_active = false;       // guarded by queue_mutex
  int syncing = 0;                  // leaders syncing their commit; guarded by queue_mutex
  WriteStats stats;                 // guarded by queue_mutex
  PoolCache pools;                  // guarded by writer_mutex; see pool_cache.h
  LiveSink live_sink;               // set once before serving (set_live_sink)
};

namespace {

// CPU time of the calling thread, in seconds.
double thread_cpu_seconds() {
  timespec t{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0) return 0;
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

Status create_parent_directory(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return ok_status();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) return Error::unavailable("cannot create " + parent.string() + ": " + ec.message());
  return ok_status();
}

// Pragmas of the writer connection. journal_mode=WAL is persistent in the file, so the read-only
// connections opened later find the database in WAL mode.
Status configure_writer(Connection& c, const SqliteOptions& opts) {
  auto mode = c.query("PRAGMA journal_mode=WAL");
  if (!mode) return mode.error();
  auto row = mode->step();
  if (!row) return row.error();
  if (!*row || mode->text_at(0) != "wal")
    return Error::unavailable("the database cannot use WAL mode (journal_mode=" +
                              (*row ? mode->text_at(0) : std::string("?")) + ")");
  // NORMAL: a COMMIT writes the WAL without syncing it. With synchronous_full the store syncs
  // it before answering (wal_sync.h), outside the writer's critical section.
  if (auto s = c.exec("PRAGMA synchronous=NORMAL"); !s) return s;
  // temp_store=MEMORY keeps each write's savepoint journal (the pages it changed, for ROLLBACK
  // TO) in memory: in a temporary file, writing it cost more than writing the WAL itself.
  if (auto s = c.exec("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY"); !s) return s;
  // Every lead updates ~25 B-trees; with SQLite's default 2 MB cache the writer re-read their
  // pages from the OS on the 1M-row database (7-15% of its rate).
  if (auto s =
          c.exec("PRAGMA cache_size=-" + std::to_string(std::max(1, opts.writer_cache_mib) * 1024));
      !s)
    return s;
  return c.set_mmap_mib(opts.mmap_mib);
}

// Runs one statement prepared once per connection (sqlite3_exec would parse it on every call:
// the writer runs these several times per write).
Status run_prepared(Connection& c, std::string_view sql) {
  auto q = c.query(sql);
  if (!q) return q.error();
  return q->run();
}

// Changes whenever another connection (of this process or another) has committed since the
// previous call on `c`.
Result<std::int64_t> data_version(Connection& c) {
  auto q = c.query("PRAGMA data_version");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return Error::internal("PRAGMA data_version returned no row");
  return q->int_at(0);
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       SqliteOptions opts) {
  if (auto s = create_parent_directory(path); !s) return s.error();
  auto writer = Connection::open(path, Connection::Mode::kReadWrite, opts.busy_timeout_ms,
                                 opts.buffer_wal_writes ? wal_write_buffer_vfs() : nullptr);
  if (!writer) return writer.error();
  if (auto s = configure_writer(**writer, opts); !s) return s.error();
  auto sync_wal = WalSync::fdatasync_file((*writer)->wal_path());
  if (!sync_wal) return sync_wal.error();
  auto checkpointer = Checkpointer::open(path);
  if (!checkpointer) return checkpointer.error();
  auto impl = std::make_unique<Impl>(std::move(*writer), std::move(*sync_wal),
                                     std::move(*checkpointer), path, opts);
  impl->writer->set_wal_hook(&Impl::on_commit, impl.get());
  return std::make_unique<SqliteStore>(std::move(impl));
}

// A WAL longer than SQLite's default 1000 pages costs less per lead (a page written by many
// commits is copied once per checkpoint); the checkpointer does the copying (checkpointer.h).
int SqliteStore::Impl::on_commit(void* impl, int wal_frames) {
  auto* self = static_cast<Impl*>(impl);
  if (wal_frames < self->wal_frames_requested) self->wal_frames_requested = 0;  // WAL restarted
  if (wal_frames >= 2 * self->checkpoint_frames) {
    // The checkpointer has not caught up (or a reader holds the WAL): copy here, as SQLite's own
    // automatic checkpoint would. A failure leaves the WAL longer; the commit has succeeded
    // either way.
    (void)self->writer->checkpoint_passive();
    ++self->writer_checkpoints;
  } else if (wal_frames >= self->checkpoint_frames) {
    self->checkpointer->request(Checkpointer::Until::kAllCopied);
  } else if (wal_frames - self->wal_frames_requested >= self->checkpoint_frames / 4) {
    self->wal_frames_requested = wal_frames;
    self->checkpointer->request(Checkpointer::Until::kOnePass);
  }
  return 0;  // SQLITE_OK
}

bool SqliteStore::Impl::try_batch(std::vector<PendingWrite*>& batch, std::uint64_t& commit) {
  commit = 0;
  Connection& c = *writer;
  if (durable) {
    // After a failed sync nothing more may be committed: it could never be acknowledged.
    if (auto failed = wal_sync.failed()) {
      for (PendingWrite* p : batch) p->status = *failed;
      return true;
    }
  }
  if (auto s = run_prepared(c, "BEGIN IMMEDIATE"); !s) {
    for (PendingWrite* p : batch) p->status = s;
    return true;
  }
  RollbackGuard guard(c);
  // From here on a statement may only run inside this transaction (connection.h).
  struct RequireTransaction {
    Connection& c;
    explicit RequireTransaction(Connection& conn) : c(conn) { c.set_transaction_required(true); }
    ~RequireTransaction() { c.set_transaction_required(false); }
  } require_transaction(c);
  // Whatever this transaction does not commit may be in the pool cache: drop the cache then.
  struct DropCacheUnlessCommitted {
    PoolCache& pools;
    bool committed = false;
    ~DropCacheUnlessCommitted() {
      if (!committed) pools.invalidate();
    }
  } drop_cache{pools};
  if (auto v = data_version(c); v) {
    pools.check_data_version(*v);
  } else {
    pools.invalidate();
  }
  SqliteTx tx(c, &pools);
  std::vector<PendingWrite*> applied;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    PendingWrite* p = batch[i];
    if (auto s = run_prepared(c, "SAVEPOINT w"); !s) {
      p->status = s;
      continue;
    }
    Status result = ok_status();
    p->live.clear();  // a batch run again runs fn again
    tx.keep_live_events_in(&p->live);
    try {
      result = (*p->fn)(tx);
    } catch (...) {
      p->thrown = std::current_exception();
      result = Error::internal("the write function threw");
    }
    if (!c.in_transaction()) {
      // SQLite abandoned the whole transaction: this function failed; those before it were
      // lost with it and run again in a new transaction.
      p->status = result ? Error::unavailable("the transaction was rolled back") : result;
      batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      batch.insert(batch.begin(), applied.begin(), applied.end());
      return false;
    }
    if (result) {
      if (auto s = run_prepared(c, "RELEASE w"); !s) result = s;
    }
    if (!result) {
      p->status = result;
      p->live.clear();
      pools.invalidate();
      // Undo this function's changes only; the savepoint is then released, empty.
      if (!run_prepared(c, "ROLLBACK TO w")) {
        // They cannot be undone alone, and COMMIT would keep them: give up the transaction
        // (the guard rolls it back) and run the others again in a new one.
        batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        batch.insert(batch.begin(), applied.begin(), applied.end());
        return false;
      }
      (void)run_prepared(c, "RELEASE w");
      continue;
    }
    applied.push_back(p);
  }
  if (auto s = c.exec("COMMIT"); !s) {
    Status failed = Error::unavailable("commit failed: " + s.error().detail);  // guard rolls back
    for (PendingWrite* p : applied) p->status = failed;
    return true;
  }
  guard.dismiss();
  drop_cache.committed = true;
  if (!applied.empty()) commit = wal_sync.committed();
  return true;
}

std::uint64_t SqliteStore::Impl::run_batch(std::vector<PendingWrite*>& batch) {
  std::lock_guard lock(writer_mutex);
  std::vector<PendingWrite*> remaining = batch;
  std::uint64_t commit = 0;
  while (!remaining.empty() && !try_batch(remaining, commit)) {
  }
  return commit;
}

Status SqliteStore::write(const std::function<Status(WriteTx&)>& fn) {
  PendingWrite self(&fn);
  Impl& m = *impl_;
  std::unique_lock lock(m.queue_mutex);
  m.queue.push_back(&self);
  for (;;) {
    // Wait until done, or until this call is first in line, no transaction runs, and no commit
    // is being synced, or sync_gather calls were queued when the last one began its sync
    // ("Group commit" in sqlite_store.h; the check runs when this call is woken).
    self.wake.wait(lock, [&] {
      return self.done || (!self.taken && !m.leader_active && m.queue.front() == &self &&
                           (m.syncing == 0 || m.queue.size() >= m.sync_gather));
    });
    if (self.done) break;
    // Lead: take what is queued (this call included), run it as one transaction, hand each
    // caller its outcome. Calls arriving meanwhile queue up for the next leader.
    std::vector<PendingWrite*> batch;
    batch.reserve(std::min(m.queue.size(), m.max_batch));  // may throw: before leading
    m.leader_active = true;
    while (!m.queue.empty() && batch.size() < m.max_batch) {
      batch.push_back(m.queue.front());
      batch.back()->taken = true;
      m.queue.pop_front();
    }
    lock.unlock();
    const auto wall0 = std::chrono::steady_clock::now();
    const double cpu0 = thread_cpu_seconds();
    std::uint64_t commit = 0;
    try {
      const WriterCpu::OnWriterCpu on_writer_cpu(m.writer_cpu);
      commit = m.run_batch(batch);
    } catch (...) {
      // Only resource exhaustion gets here (fn's own exceptions are caught in try_batch). The
      // transaction was rolled back; the batch's callers must still be answered and the next
      // leader woken, or every later write would wait forever.
      for (PendingWrite* p : batch) p->status = Error::internal("the SQLite writer failed");
    }
    const double cpu = thread_cpu_seconds() - cpu0;
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wall0;
    lock.lock();
    m.leader_active = false;
    m.stats.writer_busy_seconds += wall.count();
    m.stats.writer_cpu_seconds += cpu;
    ++m.stats.commits;
    m.stats.writes += batch.size();
    if (m.durable && commit != 0) {
      // The next leader may start while this batch's commit is synced (once enough are queued).
      ++m.syncing;
      if (!m.queue.empty()) m.queue.front()->wake.notify_one();
      lock.unlock();
      Status synced = ok_status();
      try {
        synced = m.wal_sync.sync_through(commit);
      } catch (...) {  // the count must come down, or later writes would wait for ever
        synced = Error::unavailable("the WAL sync threw");
      }
      lock.lock();
      --m.syncing;
      if (!synced) {
        for (PendingWrite* p : batch)
          if (p->status) p->status = synced;
      }
    }
    // The first in line leads now (or waits on, while another commit is being synced).
    if (!m.queue.empty()) m.queue.front()->wake.notify_one();
    for (PendingWrite* p : batch) {
      p->done = true;
      if (p != &self) p->wake.notify_one();
    }
  }
  if (self.thrown) std::rethrow_exception(self.thrown);
  // Committed (and synced): only now may anyone be told (app/store.h LiveSink).
  if (self.status && !self.live.empty()) {
    if (m.live_sink) m.live_sink(self.live);
  }
  return self.status;
}

WriteStats SqliteStore::write_stats() {
  std::lock_guard lock(impl_->queue_mutex);
  WriteStats stats = impl_->stats;
  stats.queued = impl_->queue.size();
  stats.syncs = impl_->wal_sync.syncs();
  stats.background_checkpoints = impl_->checkpointer->checkpoints();
  stats.writer_checkpoints = impl_->writer_checkpoints.load();
  return stats;
}

void SqliteStore::set_live_sink(LiveSink sink) {
  impl_->live_sink = std::move(sink);
}

std::string SqliteStore::describe() {
  std::string out = "sqlite " + impl_->path + ", writer VFS " + impl_->writer_vfs;
  if (impl_->writer_cpu) out += ", writer CPU " + std::to_string(impl_->writer_cpu->cpu());
  return out;
}

std::vector<StoreCounter> SqliteStore::counters() {
  const WriteStats s = write_stats();
  return {{"leadproc_sqlite_write_transactions_total",
           "SQLite write transactions committed or attempted (each holds one or more writes)",
           static_cast<double>(s.commits)},
          {"leadproc_sqlite_writes_total",
           "use-case writes run through the SQLite writer (group-committed in transactions)",
           static_cast<double>(s.writes)},
          {"leadproc_sqlite_wal_syncs_total",
           "fdatasync calls of the WAL, each making the commits before it durable (failed ones "
           "included; after a failure no write succeeds)",
           static_cast<double>(s.syncs)},
          {"leadproc_sqlite_writer_busy_seconds_total",
           "wall time the single writer spent in transactions (its utilisation: the rate of this "
           "counter; near 1 means writes queue behind it)",
           s.writer_busy_seconds},
          {"leadproc_sqlite_writer_cpu_seconds_total",
           "CPU time of the writer's transactions (per write: its rate over that of "
           "leadproc_sqlite_writes_total)",
           s.writer_cpu_seconds}};
}

Status SqliteStore::read(const std::function<Status(ReadTx&)>& fn) {
  auto lease = impl_->readers.acquire();
  if (!lease) return lease.error();
  Connection& c = **lease;
  // BEGIN is deferred: the snapshot is taken by the first read and holds until COMMIT.
  if (auto s = c.exec("BEGIN"); !s) return s;
  RollbackGuard guard(c);
  SqliteTx tx(c);
  Status result = fn(tx);
  if (!result) return result;
  if (auto s = c.exec("COMMIT"); !s) return s;
  guard.dismiss();
  return result;
}

Result<int> SqliteStore::migrate() {
  std::unique_lock lock(impl_->writer_mutex);
  impl_->pools.invalidate();
  auto version = sqlite::migrate(*impl_->writer);
  if (!version || !impl_->durable) return version;
  const std::uint64_t commit = impl_->wal_sync.committed();
  lock.unlock();
  if (auto s = impl_->wal_sync.sync_through(commit); !s) return s.error();
  return version;
}

bool SqliteStore::ready() {
  if (impl_->durable && impl_->wal_sync.failed()) return false;
  auto lease = impl_->readers.acquire();
  if (!lease) return false;
  auto q = (*lease)->query("SELECT 1");
  return q && q->step().ok();
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, SqliteOptions opts) {
  auto store = SqliteStore::open(path, opts);
  if (!store) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace leadproc::sqlite
