#include "storage/sqlite/checkpointer.h"

namespace leadproc::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::string& path) {
  auto conn = Connection::open(path, Connection::Mode::kReadWrite, 0);
  if (!conn) return conn.error();
  if (auto s = (*conn)->exec("PRAGMA synchronous=NORMAL"); !s) return s.error();
  return std::make_unique<Checkpointer>(std::move(*conn));
}

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn)
    : conn_(std::move(conn)), thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Checkpointer::request() {
  {
    std::lock_guard lock(mutex_);
    wanted_ = true;
  }
  cv_.notify_one();
}

std::uint64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    cv_.wait(lock, [this] { return wanted_ || stopping_; });
    if (stopping_) return;
    wanted_ = false;
    lock.unlock();
    // A failure (SQLITE_BUSY: the writer or another process is checkpointing; an I/O error)
    // leaves the work to the writer's own checkpoint at the full threshold.
    (void)conn_->checkpoint_passive();
    lock.lock();
    ++checkpoints_;
  }
}

}  // namespace leadproc::sqlite
