// Makes commits durable after the writer has moved on (group commit with early lock release).
//
// With synchronous=FULL, SQLite syncs the WAL inside every COMMIT, so the single writer sits idle
// for the fsync (0.4-0.6 ms here, about a fifth of its time under ingestion) while other writes
// wait behind it. Instead the writer commits with synchronous=NORMAL (the WAL is written, not
// synced), numbers the commit (committed()), and starts the next transaction at once; whoever
// waits for that commit calls sync_through(n), and one fdatasync of the WAL file then makes
// commit n and every commit before it durable. Concurrent callers share one sync.
//
// Why that is durable: the WAL is a log; after a power loss SQLite replays it up to the last
// commit frame whose checksums hold, so a synced commit frame recovers its transaction and all
// earlier ones. SQLite syncs the WAL itself before every checkpoint copies it into the database
// (and syncs the database after), so restarting the WAL never overwrites unsynced commits.
// What changes: a commit is visible to readers up to one sync (about a millisecond) before it is
// durable. A 2xx still waits for the sync.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "domain/result.h"

namespace leadproc::sqlite {

class WalSync {
 public:
  // `sync` makes everything written to the WAL so far durable (fdatasync of the file).
  explicit WalSync(std::function<Status()> sync);

  // fdatasync of the file `path` (the WAL: Connection::wal_path(); the checkpointer syncs the
  // database file with it too), opened now (read-only; created if missing, as the WAL may be)
  // and kept open: an error opening it is the caller's to report at start-up, never a failed
  // sync.
  static Result<std::function<Status()>> fdatasync_file(const std::string& path);

  // Called by the writer right after each successful COMMIT: that commit's number.
  std::uint64_t committed();

  // Returns once commit `n` is durable: at once when a sync that started after it has ended,
  // otherwise after one more sync (waiting for a sync under way first). A failed sync is final:
  // it and every later call fail (kUnavailable), because after a failed fsync the kernel may have
  // dropped the unsynced pages and a later "successful" one proves nothing. PostgreSQL stops for
  // the same reason; here the operator restarts the server, and SQLite recovers from the WAL.
  Status sync_through(std::uint64_t n);

  std::uint64_t syncs() const;  // syncs run so far (failed ones included)
  // The error of the failed sync, once one failed; the store then starts no transaction.
  std::optional<Error> failed() const;

 private:
  std::function<Status()> sync_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::uint64_t committed_ = 0;  // guarded by mutex_
  std::uint64_t durable_ = 0;    // every commit up to this one is synced; guarded by mutex_
  bool syncing_ = false;         // guarded by mutex_
  std::optional<Error> failed_;  // the failed sync's error; guarded by mutex_
  std::uint64_t syncs_ = 0;      // guarded by mutex_
};

}  // namespace leadproc::sqlite
