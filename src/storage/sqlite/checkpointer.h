// Copies most of the WAL into the database on a thread of its own, so that the single writer
// pauses less for checkpoints (docs/benchmarks.md, section 7).
//
// SQLite checkpoints inside the COMMIT that takes the WAL past its threshold, on the writer:
// the writer copies every page of the WAL into the database and syncs it while every write
// waits. Here the writer's commit hook (SqliteStore) asks this thread for a PASSIVE checkpoint
// each time the WAL has grown by a step; it copies the frames written so far without blocking
// the writer or readers. The writer still runs SQLite's own checkpoint at the full threshold,
// which then has only the last frames left to copy, and which lets SQLite restart the WAL from
// its beginning (a checkpoint running beside the writer never catches up with it entirely).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "domain/result.h"
#include "storage/sqlite/connection.h"

namespace leadproc::sqlite {

class Checkpointer {
 public:
  // Opens its own connection to `path` (synchronous=NORMAL: a checkpoint syncs the WAL before
  // copying and the database after) and starts the thread.
  static Result<std::unique_ptr<Checkpointer>> start(const std::string& path);
  explicit Checkpointer(std::unique_ptr<Connection> conn);
  ~Checkpointer();  // a checkpoint under way finishes first
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Asks for a checkpoint; returns at once (several requests before it runs make one).
  void request();
  std::uint64_t checkpoints() const;  // run so far

 private:
  void run();

  std::unique_ptr<Connection> conn_;  // used by the thread only
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool wanted_ = false;            // guarded by mutex_
  bool stopping_ = false;          // guarded by mutex_
  std::uint64_t checkpoints_ = 0;  // guarded by mutex_
  std::thread thread_;             // last: started once the members above exist
};

}  // namespace leadproc::sqlite
