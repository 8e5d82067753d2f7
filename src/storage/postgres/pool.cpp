#include "storage/postgres/pool.h"

#include <algorithm>

namespace leadproc::postgres {

ConnectionPool::ConnectionPool(ConnectSettings connect, PoolSettings settings)
    : connect_(std::move(connect)), settings_(settings) {}

Result<ConnectionPool::Lease> ConnectionPool::acquire() {
  const int max_size = std::max(1, settings_.max_size);
  std::unique_lock lock(mutex_);
  const bool got = freed_.wait_for(lock, settings_.acquire_timeout,
                                   [&] { return !idle_.empty() || open_ < max_size; });
  if (!got) {
    return Error::unavailable(
        "postgresql: all " + std::to_string(max_size) + " connections are busy", 1);
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(conn));
  }
  if (last_connect_error_ && std::chrono::steady_clock::now() < refuse_until_)
    return *last_connect_error_;
  ++open_;  // reserve the slot, then connect without holding the lock
  lock.unlock();
  auto conn = Connection::open(connect_);
  lock.lock();
  if (!conn) {
    --open_;
    last_connect_error_ = conn.error();
    refuse_until_ = std::chrono::steady_clock::now() + settings_.reconnect_backoff;
    lock.unlock();
    freed_.notify_one();
    return conn.error();
  }
  last_connect_error_.reset();
  return Lease(*this, std::move(*conn));
}

void ConnectionPool::drop_idle() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= static_cast<int>(closing.size());
  }
  freed_.notify_all();
  // `closing` closes the connections here, outside the lock.
}

void ConnectionPool::release(std::unique_ptr<Connection> conn) {
  // A broken connection, or one left inside a transaction (a failed ROLLBACK), is not reused.
  const bool reusable = !conn->broken() && !conn->in_transaction();
  if (!reusable) conn.reset();
  {
    std::lock_guard lock(mutex_);
    if (reusable) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  freed_.notify_one();
}

}  // namespace leadproc::postgres
