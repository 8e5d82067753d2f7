// Group commit in the SQLite adapter (sqlite_store.h): concurrent write() calls share one
// transaction, yet each keeps the contract of a transaction of its own — ok means committed, a
// failure or an exception leaves no trace of that call, and the others are unaffected.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "backends.h"
#include "domain/object_id.h"
#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc {
namespace {

Destination destination(const std::string& name) {
  static ObjectIdGenerator ids(0x0102030405, 1);
  Destination d;
  d.id = ids.next(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
  d.name = name;
  return d;
}

class SqliteGroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = sqlite::SqliteStore::open((dir_.path() / "test.db").string());
    ASSERT_TRUE(store) << store.error().detail;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->migrate());
  }
  void TearDown() override { store_.reset(); }

  bool exists(const std::string& name) {
    bool found = false;
    auto s = store_->read([&](ReadTx& tx) -> Status {
      auto d = tx.find_destination_by_name(name);
      if (!d) return d.error();
      found = d->has_value();
      return ok_status();
    });
    EXPECT_TRUE(s) << s.error().detail;
    return found;
  }

  // Starts a write that holds the store's transaction open until `n` more write() calls are
  // queued behind it, so that those `n` are then committed together, as one batch. Returns
  // once that transaction is open.
  std::thread hold_until_queued(std::size_t n) {
    std::atomic<bool> holding{false};
    std::thread holder([this, n, &holding] {
      auto s = store_->write([&](WriteTx& tx) -> Status {
        holding = true;
        while (store_->write_stats().queued < n) std::this_thread::yield();
        return tx.insert_destination(destination("first"));
      });
      EXPECT_TRUE(s) << s.error().detail;
    });
    while (!holding) std::this_thread::yield();
    return holder;
  }

  storage_test::TempDir dir_{"group-commit"};
  std::unique_ptr<sqlite::SqliteStore> store_;
};

// Three kinds of caller in one batch: ones that succeed, one whose function fails after
// writing, and one whose function throws after writing.
TEST_F(SqliteGroupCommitTest, OneBatchKeepsEachCallsOutcomeApart) {
  constexpr int kGood = 6;
  std::thread holder = hold_until_queued(kGood + 2);

  std::vector<std::thread> callers;
  std::atomic<int> good_ok{0};
  for (int i = 0; i < kGood; ++i) {
    callers.emplace_back([&, i] {
      auto s = store_->write([i](WriteTx& tx) {
        return tx.insert_destination(destination("good-" + std::to_string(i)));
      });
      if (s) ++good_ok;
    });
  }
  Status failed = ok_status();
  callers.emplace_back([&] {
    failed = store_->write([](WriteTx& tx) -> Status {
      if (auto s = tx.insert_destination(destination("failing-partial")); !s) return s;
      return tx.insert_destination(destination("first"));  // the name is taken: a conflict
    });
  });
  bool threw = false;
  callers.emplace_back([&] {
    try {
      (void)store_->write([](WriteTx& tx) -> Status {
        if (auto s = tx.insert_destination(destination("throwing-partial")); !s) return s;
        throw std::runtime_error("boom");
      });
    } catch (const std::runtime_error& e) {
      threw = std::string(e.what()) == "boom";
    }
  });
  for (auto& t : callers) t.join();
  holder.join();

  EXPECT_EQ(good_ok.load(), kGood);
  for (int i = 0; i < kGood; ++i) EXPECT_TRUE(exists("good-" + std::to_string(i))) << i;
  EXPECT_TRUE(exists("first"));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(exists("failing-partial"));
  EXPECT_TRUE(threw);
  EXPECT_FALSE(exists("throwing-partial"));

  // The holder's transaction, then everyone who queued behind it, together.
  auto stats = store_->write_stats();
  EXPECT_EQ(stats.writes, static_cast<std::uint64_t>(kGood + 3));
  EXPECT_EQ(stats.commits, 2u);
}

// Functions in one batch see the writes of those before them, as if run one after another:
// of many callers inserting the same name, exactly one wins.
TEST_F(SqliteGroupCommitTest, LaterCallsInABatchSeeEarlierOnes) {
  constexpr int kCallers = 8;
  std::thread holder = hold_until_queued(kCallers);
  std::vector<std::thread> callers;
  std::atomic<int> won{0};
  std::atomic<int> conflicts{0};
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      auto s = store_->write([](WriteTx& tx) -> Status {
        auto d = tx.find_destination_by_name("contested");
        if (!d) return d.error();
        if (*d) return Error::conflict("taken");
        return tx.insert_destination(destination("contested"));
      });
      if (s)
        ++won;
      else if (s.error().code == ErrorCode::kConflict)
        ++conflicts;
    });
  }
  for (auto& t : callers) t.join();
  holder.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(conflicts.load(), kCallers - 1);
  EXPECT_EQ(store_->write_stats().commits, 2u);
}

// A lone caller is its own batch and is committed before write() returns: a new store on the
// same file sees it.
TEST_F(SqliteGroupCommitTest, ALoneWriteIsCommittedWhenItReturns) {
  ASSERT_TRUE(
      store_->write([](WriteTx& tx) { return tx.insert_destination(destination("solo")); }));
  auto other = sqlite::SqliteStore::open((dir_.path() / "test.db").string());
  ASSERT_TRUE(other);
  bool found = false;
  ASSERT_TRUE((*other)->read([&](ReadTx& tx) -> Status {
    auto d = tx.find_destination_by_name("solo");
    if (!d) return d.error();
    found = d->has_value();
    return ok_status();
  }));
  EXPECT_TRUE(found);
  EXPECT_EQ(store_->write_stats().commits, 1u);
}

// synchronous_full (the default): write() returns ok only after a sync of the WAL that started
// after its commit (wal_sync.h). Lone writes each need their own; a write that failed, none.
TEST_F(SqliteGroupCommitTest, EachAcknowledgedWriteWaitedForASync) {
  const auto before = store_->write_stats().syncs;
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(store_->write(
        [&](WriteTx& tx) { return tx.insert_destination(destination("d" + std::to_string(i))); }));
  EXPECT_EQ(store_->write_stats().syncs - before, 3u);
  EXPECT_FALSE(store_->write([](WriteTx&) -> Status { return Error::conflict("refused"); }));
  EXPECT_EQ(store_->write_stats().syncs - before, 3u);
}

TEST_F(SqliteGroupCommitTest, WithoutSynchronousFullNothingIsSynced) {
  sqlite::SqliteOptions opts;
  opts.synchronous_full = false;
  auto relaxed = sqlite::SqliteStore::open((dir_.path() / "relaxed.db").string(), opts);
  ASSERT_TRUE(relaxed);
  ASSERT_TRUE((*relaxed)->migrate());
  ASSERT_TRUE((*relaxed)->write(
      [](WriteTx& tx) { return tx.insert_destination(destination("unsynced")); }));
  EXPECT_EQ((*relaxed)->write_stats().syncs, 0u);
}

// SQLite keeps the WAL next to the real file when the database path is a symlink: that file is
// the one synced (a "<link>-wal" would be a different, empty file, and syncing it proves nothing).
TEST_F(SqliteGroupCommitTest, SyncsTheWalOfASymlinkedDatabase) {
  std::filesystem::create_directory(dir_.path() / "real");
  const auto link = dir_.path() / "link.db";
  std::filesystem::create_symlink(dir_.path() / "real" / "data.db", link);
  auto linked = sqlite::SqliteStore::open(link.string());
  ASSERT_TRUE(linked) << linked.error().detail;
  ASSERT_TRUE((*linked)->migrate());
  const auto before = (*linked)->write_stats().syncs;
  auto s = (*linked)->write(
      [](WriteTx& tx) { return tx.insert_destination(destination("through a link")); });
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ((*linked)->write_stats().syncs - before, 1u);
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "real" / "data.db-wal"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "link.db-wal"));
}

// The WAL stays bounded: the checkpointer thread copies it as it grows and catches up from
// checkpoint_frames on (SQLite then reuses the file from its start); the writer checkpoints
// itself only at twice that, if the thread has not caught up by then.
TEST_F(SqliteGroupCommitTest, CheckpointsKeepTheWalBounded) {
  sqlite::SqliteOptions opts;
  opts.checkpoint_frames = 40;
  const auto path = dir_.path() / "small-wal.db";
  auto store = sqlite::SqliteStore::open(path.string(), opts);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->migrate());
  // The migrations' own frames (every table and index of the schema: about 120 frames, more with
  // each migration) are in the WAL until a checkpoint, which on a busy machine may come after the
  // first writes: the bound is on what the writes add.
  const std::uintmax_t schema = std::filesystem::exists(path.string() + "-wal")
                                    ? std::filesystem::file_size(path.string() + "-wal")
                                    : 0;
  constexpr int kWrites = 300;  // each dirties a few pages: many times 40 frames in all
  std::uintmax_t largest = 0;
  for (int i = 0; i < kWrites; ++i) {
    ASSERT_TRUE((*store)->write(
        [&](WriteTx& tx) { return tx.insert_destination(destination("w" + std::to_string(i))); }));
    largest = std::max(largest, std::filesystem::file_size(path.string() + "-wal"));
  }
  // At most 2 x 40 frames of a 4 KiB page (plus a 24-byte header each), plus what the commit
  // that crossed it wrote: well under 4 x 40 frames.
  EXPECT_LT(largest,
            std::max<std::uintmax_t>(schema + 80u * (4096u + 24u), 4u * 40u * (4096u + 24u)))
      << "the WAL grew without checkpoints";
  // The thread's checkpoints run asynchronously: wait for one (it was asked several times).
  for (int i = 0; i < 1000 && (*store)->write_stats().background_checkpoints == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GT((*store)->write_stats().background_checkpoints, 0u);
}

// A catch-up copies the whole WAL, so that the writer's next transaction starts it over.
TEST_F(SqliteGroupCommitTest, CheckpointerCatchUpCopiesTheWholeWal) {
  const auto path = (dir_.path() / "catch-up.db").string();
  auto writer = sqlite::Connection::open(path, sqlite::Connection::Mode::kReadWrite, 1000);
  ASSERT_TRUE(writer) << writer.error().detail;
  ASSERT_TRUE((*writer)->exec("PRAGMA journal_mode=WAL; CREATE TABLE t (x BLOB)"));
  // The WAL's length after each commit (the hook replaces SQLite's automatic checkpoints).
  int wal_frames = 0;
  (*writer)->set_wal_hook(
      [](void* frames, int n) {
        *static_cast<int*>(frames) = n;
        return 0;
      },
      &wal_frames);
  for (int i = 0; i < 50; ++i)  // 50 commits of a few pages each: none copied yet
    ASSERT_TRUE((*writer)->exec("INSERT INTO t VALUES (randomblob(10000))"));
  ASSERT_GT(wal_frames, 100);
  auto conn = sqlite::Checkpointer::open(path);
  ASSERT_TRUE(conn) << conn.error().detail;
  std::mutex writer_lock;
  auto checkpointer = std::make_unique<sqlite::Checkpointer>(std::move(*conn), writer_lock);
  checkpointer->request(sqlite::Checkpointer::Until::kAllCopied);
  for (int i = 0; i < 1000 && checkpointer->checkpoints() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  checkpointer.reset();  // waits for the pass under way
  // Everything was copied, so the next commit writes the WAL from its start.
  ASSERT_TRUE((*writer)->exec("INSERT INTO t VALUES (1)"));
  EXPECT_LT(wal_frames, 10);
}

// A catch-up syncs the database file before it holds the writer's lock (checkpointer.h): the
// pages its unlocked passes copied are flushed while the writer runs, not in the locked pass.
TEST_F(SqliteGroupCommitTest, CheckpointerCatchUpSyncsTheDatabaseWithoutHoldingTheWriter) {
  const auto path = (dir_.path() / "sync-first.db").string();
  auto writer = sqlite::Connection::open(path, sqlite::Connection::Mode::kReadWrite, 1000);
  ASSERT_TRUE(writer) << writer.error().detail;
  ASSERT_TRUE((*writer)->exec("PRAGMA journal_mode=WAL; CREATE TABLE t (x BLOB)"));
  (*writer)->set_wal_hook([](void*, int) { return 0; }, nullptr);
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE((*writer)->exec("INSERT INTO t VALUES (randomblob(10000))"));
  auto conn = sqlite::Checkpointer::open(path);
  ASSERT_TRUE(conn) << conn.error().detail;
  std::mutex writer_lock;
  std::atomic<int> syncs{0}, syncs_while_held{0};
  auto checkpointer =
      std::make_unique<sqlite::Checkpointer>(std::move(*conn), writer_lock, [&]() -> Status {
        ++syncs;
        if (writer_lock.try_lock()) {
          writer_lock.unlock();
        } else {
          ++syncs_while_held;
        }
        return ok_status();
      });
  checkpointer->request(sqlite::Checkpointer::Until::kOnePass);
  for (int i = 0; i < 1000 && checkpointer->checkpoints() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(syncs.load(), 0) << "a pass that is not a catch-up leaves the sync to SQLite";
  const auto before = checkpointer->checkpoints();
  checkpointer->request(sqlite::Checkpointer::Until::kAllCopied);
  for (int i = 0; i < 1000 && checkpointer->checkpoints() == before; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  checkpointer.reset();
  EXPECT_EQ(syncs.load(), 1);
  EXPECT_EQ(syncs_while_held.load(), 0) << "the database was synced holding the writer's lock";
}

// A catch-up ends level with a writer that keeps committing: its last pass holds the writer's
// lock, so the WAL starts over even though every unlocked pass has frames committed beside it.
TEST_F(SqliteGroupCommitTest, CheckpointerCatchUpEndsLevelWithABusyWriter) {
  const auto path = (dir_.path() / "busy.db").string();
  auto writer = sqlite::Connection::open(path, sqlite::Connection::Mode::kReadWrite, 1000);
  ASSERT_TRUE(writer) << writer.error().detail;
  ASSERT_TRUE((*writer)->exec("PRAGMA journal_mode=WAL; CREATE TABLE t (x BLOB)"));
  struct Wal {
    int frames = 0;
    bool restarted = false;  // a commit found the WAL shorter than the one before
  } wal;
  (*writer)->set_wal_hook(
      [](void* w, int n) {
        auto* wal = static_cast<Wal*>(w);
        if (n < wal->frames) wal->restarted = true;
        wal->frames = n;
        return 0;
      },
      &wal);
  auto conn = sqlite::Checkpointer::open(path);
  ASSERT_TRUE(conn) << conn.error().detail;
  std::mutex writer_lock;  // held through each commit, as SqliteStore's writer does
  auto checkpointer = std::make_unique<sqlite::Checkpointer>(std::move(*conn), writer_lock);
  auto commit = [&] {
    std::lock_guard lock(writer_lock);
    return (*writer)->exec("INSERT INTO t VALUES (randomblob(20000))");
  };
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(commit());
  std::atomic<bool> asked{false};
  std::thread busy([&] {
    // Commits until the catch-up has run and the WAL has started over.
    for (int i = 0; i < 100000; ++i) {
      {
        std::lock_guard lock(writer_lock);
        if (asked && wal.restarted) return;
      }
      if (!commit()) return;
    }
  });
  checkpointer->request(sqlite::Checkpointer::Until::kAllCopied);
  asked = true;
  busy.join();
  std::lock_guard lock(writer_lock);
  EXPECT_TRUE(wal.restarted) << "the WAL never started over: " << wal.frames << " frames";
}

// Many writers at once: every call returns with its own outcome (none is lost in the hand-over
// from one leader to the next while a sync runs), and commits are shared.
TEST_F(SqliteGroupCommitTest, ManyConcurrentWritersAllReturnCommitted) {
  const auto before = store_->write_stats();  // migrate() synced once, outside any commit
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string name = "c" + std::to_string(t) + "-" + std::to_string(i);
        if (store_->write([&](WriteTx& tx) { return tx.insert_destination(destination(name)); }))
          ok++;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, kThreads * kEach);
  for (int t = 0; t < kThreads; ++t) EXPECT_TRUE(exists("c" + std::to_string(t) + "-24"));
  const auto stats = store_->write_stats();
  EXPECT_LE(stats.syncs - before.syncs, stats.commits - before.commits);
}

}  // namespace
}  // namespace leadproc
