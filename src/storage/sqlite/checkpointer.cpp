#include "storage/sqlite/checkpointer.h"

#include "storage/sqlite/wal_sync.h"

namespace leadproc::sqlite {

Result<std::unique_ptr<Connection>> Checkpointer::open(const std::string& path) {
  auto conn = Connection::open(path, Connection::Mode::kReadWrite, 0);
  if (!conn) return conn.error();
  if (auto s = (*conn)->exec("PRAGMA synchronous=NORMAL"); !s) return s.error();
  return std::move(*conn);
}

namespace {

Checkpointer::SyncDatabase sync_of_database(const Connection& conn) {
  auto sync = WalSync::fdatasync_file(conn.database_path());
  return sync ? std::move(*sync) : Checkpointer::SyncDatabase{};
}

}  // namespace

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn, std::mutex& writer_lock,
                           SyncDatabase sync_database)
    : conn_(std::move(conn)),
      writer_lock_(writer_lock),
      sync_database_(sync_database ? std::move(sync_database) : sync_of_database(*conn_)),
      thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Checkpointer::request(Until until) {
  {
    std::lock_guard lock(mutex_);
    const bool asked = wanted_ && (catch_up_ || until == Until::kOnePass);
    wanted_ = true;
    if (until == Until::kAllCopied) catch_up_ = true;
    if (asked) return;  // the thread has this request already: no wake-up needed
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
    const bool catch_up = catch_up_;
    wanted_ = catch_up_ = false;
    lock.unlock();
    // A failure (SQLITE_BUSY: another process is checkpointing; an I/O error) leaves the work to
    // the next request, or to the writer's own checkpoint at twice the threshold.
    int passes = 1;
    const Status pass = conn_->checkpoint_passive();
    if (catch_up && pass) {
      // The pages that pass and the ones before it copied, flushed while the writer runs
      // (checkpointer.h). A failure leaves them to the locked pass's own sync.
      if (sync_database_) (void)sync_database_();
      // What the writer committed during that pass (the pass cannot tell: it copies up to the
      // WAL's end as it found it), with the writer held: a pass with nothing left costs nothing.
      std::lock_guard writer(writer_lock_);
      (void)conn_->checkpoint_passive();
      ++passes;
      // Every request made so far is met: the WAL is copied and nothing was committed since.
      std::lock_guard met(mutex_);
      wanted_ = catch_up_ = false;
    }
    lock.lock();
    checkpoints_ += passes;
  }
}

}  // namespace leadproc::sqlite
