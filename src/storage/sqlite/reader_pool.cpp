#include "storage/sqlite/reader_pool.h"

#include <algorithm>

namespace leadproc::sqlite {

ReaderPool::ReaderPool(std::string path, int size, int busy_timeout_ms, int mmap_mib)
    : path_(std::move(path)),
      size_(std::max(1, size)),
      busy_timeout_ms_(busy_timeout_ms),
      mmap_mib_(std::max(0, mmap_mib)) {}

Result<ReaderPool::Lease> ReaderPool::acquire() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [&] { return !idle_.empty() || opened_ < size_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(conn));
  }
  ++opened_;  // reserve the slot, then open without holding the lock
  lock.unlock();
  auto conn = Connection::open(path_, Connection::Mode::kReadOnly, busy_timeout_ms_);
  if (conn) {
    if (auto s = (*conn)->set_mmap_mib(mmap_mib_); !s) conn = s.error();
  }
  if (!conn) {
    lock.lock();
    --opened_;
    freed_.notify_one();
    return conn.error();
  }
  return Lease(*this, std::move(*conn));
}

void ReaderPool::release(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
  }
  freed_.notify_one();
}

}  // namespace leadproc::sqlite
