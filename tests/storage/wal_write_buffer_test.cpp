// The WAL write buffer (storage/sqlite/wal_write_buffer.h): one write per commit instead of two
// per frame, and nothing that SQLite's own writes guarantee is lost on the way. Each case opens a
// raw SQLite connection through the buffering VFS and checks what other connections, a crash
// image of the files and a failing disk see. System calls are counted and failed through the
// unix VFS's xSetSystemCall, which SQLite provides for exactly this kind of test.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>

#include "backends.h"
#include "storage/sqlite/wal_write_buffer.h"

namespace leadproc::sqlite {
namespace {

// counting and failing the unix VFS's writes

int g_writes = 0;
bool g_fail_writes = false;
int g_fail_from_write = 0;  // > 0: the writes from this one on fail
sqlite3_syscall_ptr g_real_pwrite = nullptr;
sqlite3_syscall_ptr g_real_pwrite64 = nullptr;

bool should_fail() {
  return g_fail_writes || (g_fail_from_write > 0 && g_writes >= g_fail_from_write);
}

// pwrite and pwrite64 have the same signature on 64-bit Linux; `Real` is the one replaced.
template <sqlite3_syscall_ptr* Real>
ssize_t counting_pwrite(int fd, const void* buf, size_t n, off_t off) {
  ++g_writes;
  if (should_fail()) {
    errno = ENOSPC;
    return -1;
  }
  return reinterpret_cast<ssize_t (*)(int, const void*, size_t, off_t)>(*Real)(fd, buf, n, off);
}

// While alive, every pwrite of the unix VFS (whichever of pwrite/pwrite64 this SQLite uses) is
// counted in g_writes, and fails with ENOSPC while g_fail_writes is set.
class WriteInterceptor {
 public:
  WriteInterceptor() : unix_(sqlite3_vfs_find("unix")) {
    g_real_pwrite = unix_->xGetSystemCall(unix_, "pwrite");
    g_real_pwrite64 = unix_->xGetSystemCall(unix_, "pwrite64");
    if (g_real_pwrite)
      unix_->xSetSystemCall(
          unix_, "pwrite", reinterpret_cast<sqlite3_syscall_ptr>(&counting_pwrite<&g_real_pwrite>));
    if (g_real_pwrite64)
      unix_->xSetSystemCall(
          unix_, "pwrite64",
          reinterpret_cast<sqlite3_syscall_ptr>(&counting_pwrite<&g_real_pwrite64>));
    g_writes = 0;
    g_fail_writes = false;
    g_fail_from_write = 0;
  }
  ~WriteInterceptor() {
    if (g_real_pwrite) unix_->xSetSystemCall(unix_, "pwrite", nullptr);  // back to the default
    if (g_real_pwrite64) unix_->xSetSystemCall(unix_, "pwrite64", nullptr);
    g_fail_writes = false;
    g_fail_from_write = 0;
  }
  WriteInterceptor(const WriteInterceptor&) = delete;
  WriteInterceptor& operator=(const WriteInterceptor&) = delete;

 private:
  sqlite3_vfs* unix_;
};

// a database written through the buffer

class WalWriteBufferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(wal_write_buffer_vfs(), nullptr);
    path_ = (dir_.path() / "w.db").string();
    writer_ = open(path_, wal_write_buffer_vfs());
    // No automatic checkpoint: every write of a commit then goes to the WAL, and the WAL holds
    // every commit (what the crash image below must recover).
    exec(writer_,
         "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
         "PRAGMA wal_autocheckpoint=0; CREATE TABLE t(i INTEGER PRIMARY KEY, x BLOB)");
  }
  void TearDown() override {
    for (sqlite3* db : {reader_, writer_}) sqlite3_close(db);
  }

  static sqlite3* open(const std::string& path, const char* vfs) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
              SQLITE_OK);
    return db;
  }
  static int exec(sqlite3* db, const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    return rc;
  }
  static std::string text(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      return std::string("error: ") + sqlite3_errmsg(db);
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      out = std::string("error: ") + sqlite3_errmsg(db);
    sqlite3_finalize(st);
    return out;
  }

  // The content of row i after `round` updates: 3,000 bytes (about a page), one letter.
  static std::string content(const std::string& i, int round) {
    return "printf('%.*c', 3000, char(65 + (" + i + " + " + std::to_string(round) + ") % 26))";
  }
  // `rows` rows of content(i, 0).
  static std::string insert_rows(int from, int rows) {
    return "INSERT INTO t SELECT value, " + content("value", 0) +
           " FROM (WITH RECURSIVE n(value) AS (SELECT " + std::to_string(from) +
           " UNION ALL SELECT value + 1 FROM n WHERE value < " + std::to_string(from + rows - 1) +
           ") SELECT value FROM n)";
  }
  // Every row from content(i, round - 1) to content(i, round).
  static std::string update_all(int round) { return "UPDATE t SET x = " + content("i", round); }
  // The rows holding content(i, round), and the integrity check, as `db` sees them.
  static std::string state(sqlite3* db, int round = 0) {
    return text(db, "SELECT count(*) FROM t WHERE x = " + content("i", round)) + " intact rows, " +
           text(db, "PRAGMA integrity_check");
  }
  // A copy of the files as a crash would leave them: taken while the writer is still open, so
  // nothing the buffer might hold back is written by a close. Opened with SQLite's own VFS.
  sqlite3* crash_image() {
    const auto image = dir_.path() / ("image" + std::to_string(++images_));
    std::filesystem::create_directories(image);
    for (const char* suffix : {"", "-wal"})
      std::filesystem::copy_file(path_ + suffix, (image / "w.db").string() + suffix);
    return open((image / "w.db").string(), nullptr);
  }
  std::string crash_image_state(int round = 0) {
    sqlite3* recovered = crash_image();
    const std::string out = state(recovered, round);
    sqlite3_close(recovered);
    return out;
  }
  static std::string expected(int rows) { return std::to_string(rows) + " intact rows, ok"; }

  storage_test::TempDir dir_{"walbuf"};
  std::string path_;
  sqlite3* writer_ = nullptr;
  sqlite3* reader_ = nullptr;
  int images_ = 0;
};

TEST_F(WalWriteBufferTest, ACommitIsOneWriteInsteadOfTwoPerFrame) {
  WriteInterceptor writes;
  ASSERT_EQ(exec(writer_, insert_rows(0, 100)), SQLITE_OK);
  // About 100 frames (400 KiB): SQLite's unix VFS writes at most 128 KiB per call.
  EXPECT_LE(g_writes, 4) << "a commit of about 100 pages";

  // The same commit through SQLite's own VFS: two writes per frame (which shows the count works).
  sqlite3* plain = open(path_, nullptr);
  g_writes = 0;
  ASSERT_EQ(exec(plain, insert_rows(100, 100)), SQLITE_OK);
  EXPECT_GT(g_writes, 200);
  sqlite3_close(plain);
}

TEST_F(WalWriteBufferTest, EveryCommitIsInTheFileWhenItReturns) {
  reader_ = open(path_, nullptr);  // SQLite's own VFS: reads what is in the file
  for (int commit = 0; commit < 20; ++commit) {
    ASSERT_EQ(exec(writer_, insert_rows(commit * 30, 30)), SQLITE_OK);
    ASSERT_EQ(state(reader_), expected((commit + 1) * 30)) << "after commit " << commit;
  }
}

TEST_F(WalWriteBufferTest, ACrashImageHoldsEveryCommit) {
  for (int commit = 0; commit < 5; ++commit)
    ASSERT_EQ(exec(writer_, insert_rows(commit * 50, 50)), SQLITE_OK);
  EXPECT_EQ(crash_image_state(), expected(250));
}

// A transaction that spilled pages to the WAL and changes them again rewrites those frames in
// place, and after its commit frame SQLite corrects the frame headers' checksums. Buffered,
// the corrected headers were not in the file when the commit was published: recovery stopped
// at the first bad checksum and lost the whole acknowledged transaction.
TEST_F(WalWriteBufferTest, PagesChangedAgainAfterASpillAreInTheFileAtTheCommit) {
  ASSERT_EQ(exec(writer_, insert_rows(0, 300)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "PRAGMA cache_size=10"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "BEGIN"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, update_all(1)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, update_all(2)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "COMMIT"), SQLITE_OK);
  EXPECT_EQ(crash_image_state(2), expected(300));
  // The same after a checkpoint by another connection, as the checkpointer thread runs them:
  // a recovery that dropped frames would then mix old WAL pages into a newer database file.
  reader_ = open(path_, nullptr);
  ASSERT_EQ(exec(reader_, "PRAGMA wal_checkpoint(PASSIVE)"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "BEGIN"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, update_all(3)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, update_all(4)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "COMMIT"), SQLITE_OK);
  EXPECT_EQ(state(reader_, 4), expected(300));
  EXPECT_EQ(crash_image_state(4), expected(300));
}

TEST_F(WalWriteBufferTest, ATransactionReadsThePagesItSpilledToTheWal) {
  // A page cache of 10 pages makes SQLite write a large transaction's pages to the WAL before
  // the commit, and read them back from there.
  ASSERT_EQ(exec(writer_, "PRAGMA cache_size=10"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "BEGIN"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, insert_rows(0, 500)), SQLITE_OK);
  EXPECT_EQ(state(writer_), expected(500));
  ASSERT_EQ(exec(writer_, "COMMIT"), SQLITE_OK);
  reader_ = open(path_, nullptr);
  EXPECT_EQ(state(reader_), expected(500));
}

TEST_F(WalWriteBufferTest, AFailedWriteFailsTheCommitAndChangesNothing) {
  ASSERT_EQ(exec(writer_, insert_rows(0, 40)), SQLITE_OK);
  reader_ = open(path_, nullptr);
  {
    WriteInterceptor writes;
    g_fail_writes = true;  // the disk is full when the commit's frames are written
    EXPECT_NE(exec(writer_, insert_rows(40, 40)), SQLITE_OK);
  }
  if (sqlite3_get_autocommit(writer_) == 0) exec(writer_, "ROLLBACK");
  EXPECT_EQ(state(reader_), expected(40)) << "the failed commit must not be visible";
  // The disk has room again: the connection goes on, and the file holds what was committed.
  ASSERT_EQ(exec(writer_, insert_rows(40, 40)), SQLITE_OK);
  EXPECT_EQ(state(reader_), expected(80));
  EXPECT_EQ(crash_image_state(), expected(80));
}

TEST_F(WalWriteBufferTest, ACommitWhoseWriteFailsHalfwayChangesNothing) {
  ASSERT_EQ(exec(writer_, insert_rows(0, 40)), SQLITE_OK);
  reader_ = open(path_, nullptr);
  {
    WriteInterceptor writes;
    g_fail_from_write = 3;  // 100 pages go out in 4 writes: the first two land, then ENOSPC
    EXPECT_NE(exec(writer_, insert_rows(40, 100)), SQLITE_OK);
  }
  if (sqlite3_get_autocommit(writer_) == 0) exec(writer_, "ROLLBACK");
  EXPECT_EQ(state(reader_), expected(40));
  ASSERT_EQ(exec(writer_, insert_rows(40, 100)), SQLITE_OK);
  EXPECT_EQ(state(reader_), expected(140));
  EXPECT_EQ(crash_image_state(), expected(140));
}

// A failed write while a transaction reads pages it spilled: SQLite must not go on to commit
// with frames it believes written missing from the file (the buffer once dropped them, and a
// statement-level rollback then let the transaction commit: a malformed database).
TEST_F(WalWriteBufferTest, AFailedWriteOfSpilledFramesNeverCommitsWithoutThem) {
  ASSERT_EQ(exec(writer_, "PRAGMA cache_size=10"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "BEGIN"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "SAVEPOINT s"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, insert_rows(0, 300)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "RELEASE s"), SQLITE_OK);
  {
    WriteInterceptor writes;
    g_fail_writes = true;
    EXPECT_NE(exec(writer_, update_all(1)), SQLITE_OK);  // reads spilled pages
  }
  if (sqlite3_get_autocommit(writer_) == 0) exec(writer_, "COMMIT");
  reader_ = open(path_, nullptr);
  const std::string seen = state(reader_);
  EXPECT_TRUE(seen == expected(0) || seen == expected(300)) << seen;
  const std::string recovered = crash_image_state();
  EXPECT_TRUE(recovered == expected(0) || recovered == expected(300)) << recovered;
}

// Frames a rolled-back transaction spilled were never published: another connection then
// writes its commit where they would have gone. Kept after a failed write and written out late
// (at the writer's next read, or at close), they overwrote that commit: "file is not a database"
// for every connection.
TEST_F(WalWriteBufferTest, ARolledBackTransactionLeavesNothingToWriteLater) {
  ASSERT_EQ(exec(writer_, insert_rows(0, 20)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "PRAGMA cache_size=10"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "BEGIN"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, insert_rows(20, 300)), SQLITE_OK);  // spills pages to the WAL
  {
    WriteInterceptor writes;
    g_fail_writes = true;
    EXPECT_NE(exec(writer_, update_all(1)), SQLITE_OK);  // reads them: the write-out fails
  }
  if (sqlite3_get_autocommit(writer_) == 0) exec(writer_, "ROLLBACK");
  sqlite3* other = open(path_, nullptr);
  ASSERT_EQ(exec(other, insert_rows(20, 31)), SQLITE_OK);  // frames where the spill went
  EXPECT_EQ(state(writer_), expected(51));                 // the writer reads the WAL
  sqlite3_close(writer_);
  writer_ = nullptr;
  EXPECT_EQ(state(other), expected(51));
  sqlite3_close(other);  // the last connection: the WAL is copied into the database
  sqlite3* again = open(path_, nullptr);
  EXPECT_EQ(state(again), expected(51));
  sqlite3_close(again);
}

// In exclusive locking mode SQLite never releases the WAL write lock through the database file,
// so the end of a transaction is not seen: a rolled-back transaction's frames, kept after a
// failed write, made every later read fail while the disk stayed full.
TEST_F(WalWriteBufferTest, ExclusiveLockingModeReadsOnAfterARolledBackFailure) {
  ASSERT_EQ(exec(writer_, "PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=10"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, insert_rows(0, 20)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "BEGIN"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, insert_rows(20, 300)), SQLITE_OK);  // spills
  WriteInterceptor writes;
  g_fail_writes = true;  // and the disk stays full
  EXPECT_NE(exec(writer_, update_all(1)), SQLITE_OK);
  if (sqlite3_get_autocommit(writer_) == 0) exec(writer_, "ROLLBACK");
  EXPECT_EQ(text(writer_, "SELECT count(*) FROM t"), "20");
}

TEST_F(WalWriteBufferTest, ASavepointRolledBackAfterASpillThenCommitted) {
  ASSERT_EQ(exec(writer_, "PRAGMA cache_size=10"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "BEGIN"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, insert_rows(0, 100)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "SAVEPOINT s"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, update_all(1)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, insert_rows(100, 200)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "ROLLBACK TO s"), SQLITE_OK);  // the WAL is rewound to here
  ASSERT_EQ(exec(writer_, "RELEASE s"), SQLITE_OK);
  ASSERT_EQ(exec(writer_, insert_rows(100, 50)), SQLITE_OK);  // and written again
  ASSERT_EQ(exec(writer_, "COMMIT"), SQLITE_OK);
  reader_ = open(path_, nullptr);
  EXPECT_EQ(state(reader_), expected(150));
  EXPECT_EQ(crash_image_state(), expected(150));
}

TEST_F(WalWriteBufferTest, TheWalStartsOverAfterACheckpoint) {
  ASSERT_EQ(exec(writer_, insert_rows(0, 50)), SQLITE_OK);
  ASSERT_EQ(exec(writer_, "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);  // the WAL is emptied
  reader_ = open(path_, nullptr);
  for (int commit = 1; commit <= 3; ++commit) {
    ASSERT_EQ(exec(writer_, insert_rows(commit * 50, 50)), SQLITE_OK);
    EXPECT_EQ(state(reader_), expected((commit + 1) * 50));
  }
  EXPECT_EQ(crash_image_state(), expected(200));
}

TEST_F(WalWriteBufferTest, ACommitLargerThanTheBufferIsWhole) {
  ASSERT_EQ(exec(writer_, "PRAGMA cache_size=-200000"), SQLITE_OK);  // no spill: one commit
  ASSERT_EQ(exec(writer_, insert_rows(0, 6000)), SQLITE_OK);         // about 24 MiB of frames
  reader_ = open(path_, nullptr);
  EXPECT_EQ(state(reader_), expected(6000));
  EXPECT_EQ(crash_image_state(), expected(6000));
}

// Without powersafe overwrite (psow=0) and with synchronous=FULL, SQLite pads a commit with
// copies of its last frame to a sector boundary and splits one of them around a sync: the
// write after the sync is part of the commit too.
TEST_F(WalWriteBufferTest, APaddedCommitIsInTheFileWhenItReturns) {
  sqlite3_close(writer_);
  sqlite3* db = nullptr;
  const std::string uri = "file:" + (dir_.path() / "psow.db").string() + "?psow=0";
  ASSERT_EQ(sqlite3_open_v2(uri.c_str(), &db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                            wal_write_buffer_vfs()),
            SQLITE_OK);
  writer_ = db;
  // Small pages and one-row commits: over many commits the split falls on every position of a
  // frame, a header's included.
  ASSERT_EQ(exec(writer_,
                 "PRAGMA page_size=512; PRAGMA journal_mode=WAL; PRAGMA "
                 "synchronous=FULL; CREATE TABLE t(i INTEGER PRIMARY KEY, x BLOB)"),
            SQLITE_OK);
  reader_ = open((dir_.path() / "psow.db").string(), nullptr);
  for (int commit = 0; commit < 400; ++commit) {
    ASSERT_EQ(exec(writer_, "INSERT INTO t VALUES (" + std::to_string(commit) + ", " +
                                content(std::to_string(commit), 0) + ")"),
              SQLITE_OK);
    if (commit % 7 == 0 || commit > 100) {
      ASSERT_EQ(state(reader_), expected(commit + 1)) << "after commit " << commit;
    }
  }
}

}  // namespace
}  // namespace leadproc::sqlite
