// A fixed-size pool of read-only connections to one database, opened on first use. acquire()
// hands one connection to one thread; the Lease gives it back when destroyed.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/result.h"
#include "storage/sql/handles.h"
#include "storage/sqlite/connection.h"

namespace leadproc::sqlite {

class ReaderPool {
 public:
  using Lease = sql::Lease<ReaderPool, Connection>;

  // `mmap_mib`: PRAGMA mmap_size of each connection (SqliteOptions::mmap_mib); 0: none.
  ReaderPool(std::string path, int size, int busy_timeout_ms, int mmap_mib = 0);

  // A free connection, opening one if fewer than `size` exist, else waiting for one.
  Result<Lease> acquire();

 private:
  friend Lease;
  void release(std::unique_ptr<Connection> conn);

  const std::string path_;
  const int size_;
  const int busy_timeout_ms_;
  const int mmap_mib_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  int opened_ = 0;                                 // guarded by mutex_
};

}  // namespace leadproc::sqlite
