// WalSync (storage/sqlite/wal_sync.h): a write is acknowledged only once a sync that started
// after its commit has ended; concurrent waiters share syncs; a failed sync is final.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "storage/sqlite/wal_sync.h"

namespace leadproc::sqlite {
namespace {

TEST(WalSync, OneSyncCoversEveryCommitBeforeIt) {
  int syncs = 0;
  WalSync wal([&] {
    ++syncs;
    return ok_status();
  });
  const auto first = wal.committed();
  const auto second = wal.committed();
  const auto third = wal.committed();
  ASSERT_TRUE(wal.sync_through(third));
  EXPECT_EQ(syncs, 1);
  EXPECT_TRUE(wal.sync_through(first));
  EXPECT_TRUE(wal.sync_through(second));
  EXPECT_EQ(syncs, 1) << "commits 1 and 2 were in the WAL when the sync started";

  const auto fourth = wal.committed();
  ASSERT_TRUE(wal.sync_through(fourth));
  EXPECT_EQ(syncs, 2) << "a commit after the last sync needs a sync of its own";
  EXPECT_EQ(wal.syncs(), 2u);
}

// A sync under way does not cover a commit made during it: its waiters wait for it to end, then
// one of them runs a single further sync for all of them.
TEST(WalSync, WaitersDuringASyncShareTheNextOne) {
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> started{0};
  WalSync wal([&] {
    started++;
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return release; });
    return ok_status();
  });

  const auto first = wal.committed();
  std::thread a([&] { EXPECT_TRUE(wal.sync_through(first)); });
  while (started == 0) std::this_thread::yield();

  const auto second = wal.committed();
  const auto third = wal.committed();
  std::thread b([&] { EXPECT_TRUE(wal.sync_through(second)); });
  std::thread c([&] { EXPECT_TRUE(wal.sync_through(third)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(started, 1) << "nobody may start a second sync while one is under way";
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  a.join();
  b.join();
  c.join();
  EXPECT_EQ(wal.syncs(), 2u);
}

TEST(WalSync, AFailedSyncIsFinal) {
  int syncs = 0;
  bool fail = true;
  WalSync wal([&]() -> Status {
    ++syncs;
    if (fail) return Error::unavailable("fdatasync: EIO");
    return ok_status();
  });
  auto s = wal.sync_through(wal.committed());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(s.error().detail.find("EIO"), std::string::npos) << s.error().detail;

  // The kernel may have dropped the unsynced pages: a later sync that "succeeds" proves nothing.
  fail = false;
  EXPECT_FALSE(wal.sync_through(wal.committed()));
  EXPECT_EQ(syncs, 1);
}

}  // namespace
}  // namespace leadproc::sqlite
