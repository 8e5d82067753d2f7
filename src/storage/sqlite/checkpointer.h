// Copies the WAL into the database on a thread of its own, so that the single writer does not
// pause for checkpoints (docs/benchmarks.md, sections 7 and 32).
//
// SQLite checkpoints inside the COMMIT that takes the WAL past its threshold, on the writer:
// the writer copies every page of the WAL into the database and syncs both files while every
// write waits. Here the writer's commit hook (SqliteStore) asks this thread for a PASSIVE
// checkpoint each time the WAL has grown by a step; it copies the frames written so far without
// blocking the writer or readers. Once the WAL reaches its threshold the writer asks for a
// catch-up, so that SQLite can start the WAL over from its beginning at the writer's next
// transaction, which it does only once every frame is in the database. The writer commits
// while a checkpoint runs, so one beside it never ends level with it: a catch-up copies what the
// WAL holds, unlocked, and then, holding the writer's lock, the few frames committed
// meanwhile (a pause of the writer for those frames and two syncs, where its own checkpoint
// would copy everything since the last one). Only if the WAL still grows to twice its threshold
// (a reader holds old frames, or the thread is starved) does the writer checkpoint itself.
//
// SQLite syncs the database file only in a checkpoint that reaches the WAL's end: here the
// catch-up's locked pass, whose sync then flushed every page the unlocked passes had copied
// since the last catch-up (tens of MB under ingestion; ~20 ms in which no write could commit,
// every ~1.2 s: the p99 of ingest). So the catch-up syncs the database file itself first,
// unlocked, and the locked pass's sync has only its own few pages left (docs/benchmarks.md §37).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "domain/result.h"
#include "storage/sqlite/connection.h"

namespace leadproc::sqlite {

class Checkpointer {
 public:
  // Its own connection to `path` (synchronous=NORMAL: a checkpoint syncs the WAL before copying
  // and the database after).
  static Result<std::unique_ptr<Connection>> open(const std::string& path);
  // Makes the database file's written pages durable (fdatasync).
  using SyncDatabase = std::function<Status()>;

  // Starts the thread. `writer_lock` is held by the writer through each transaction; it must
  // outlive this object. `sync_database` is run before each catch-up's locked pass; empty: an
  // fdatasync of the connection's database file (if that cannot be opened, none: the locked
  // pass still syncs).
  Checkpointer(std::unique_ptr<Connection> conn, std::mutex& writer_lock,
               SyncDatabase sync_database = {});
  ~Checkpointer();  // a checkpoint under way finishes first
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  enum class Until {
    kOnePass,    // copy what the WAL holds now
    kAllCopied,  // then what was committed meanwhile, holding writer_lock: the WAL starts over
  };

  // Asks for a checkpoint; returns at once (several requests before it runs make one, the
  // catch-up if any of them asked for it).
  void request(Until until);
  std::uint64_t checkpoints() const;  // passes run so far

 private:
  void run();

  std::unique_ptr<Connection> conn_;  // used by the thread only
  std::mutex& writer_lock_;           // taken before mutex_, as the writer's request() does
  SyncDatabase sync_database_;        // used by the thread only
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool wanted_ = false;            // guarded by mutex_
  bool catch_up_ = false;          // guarded by mutex_
  bool stopping_ = false;          // guarded by mutex_
  std::uint64_t checkpoints_ = 0;  // guarded by mutex_
  std::thread thread_;             // last: started once the members above exist
};

}  // namespace leadproc::sqlite
