#include "storage/sqlite/wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace leadproc::sqlite {

WalSync::WalSync(std::function<Status()> sync) : sync_(std::move(sync)) {}

namespace {

// The WAL file's descriptor, closed with the last copy of the sync function.
struct WalFile {
  std::string path;
  int fd = -1;
  ~WalFile() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<std::function<Status()>> WalSync::fdatasync_file(const std::string& path) {
  auto file = std::make_shared<WalFile>();
  file->path = path;
  // O_CREAT: SQLite creates the WAL on the first transaction; the file it then opens is this one
  // (same name, same inode), which SQLite never deletes while a connection has it open.
  file->fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  if (file->fd < 0)
    return Error::unavailable("cannot open " + path + " to sync it: " + std::strerror(errno));
  return std::function<Status()>([file]() -> Status {
    if (::fdatasync(file->fd) != 0)
      return Error::unavailable("fdatasync of " + file->path + " failed: " + std::strerror(errno));
    return ok_status();
  });
}

std::uint64_t WalSync::committed() {
  std::lock_guard lock(mutex_);
  return ++committed_;
}

Status WalSync::sync_through(std::uint64_t n) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (failed_) return *failed_;
    if (durable_ >= n) return ok_status();
    if (!syncing_) break;
    cv_.wait(lock);
  }
  syncing_ = true;
  const std::uint64_t covered = committed_;  // every one of these is in the WAL already
  lock.unlock();
  Status s = ok_status();
  try {
    s = sync_();
  } catch (...) {  // (bad_alloc building a message) must not leave syncing_ set forever
    s = Error::unavailable("the WAL sync threw");
  }
  lock.lock();
  syncing_ = false;
  ++syncs_;
  if (s) {
    durable_ = std::max(durable_, covered);
  } else {
    failed_ = Error::unavailable("the database cannot be made durable (" + s.error().detail +
                                 "); restart the server");
  }
  cv_.notify_all();
  return failed_ ? Status(*failed_) : ok_status();
}

std::optional<Error> WalSync::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

std::uint64_t WalSync::syncs() const {
  std::lock_guard lock(mutex_);
  return syncs_;
}

}  // namespace leadproc::sqlite
