// A SQLite VFS that gathers a transaction's writes to its WAL file into one write per commit.
//
// Why: SQLite writes each WAL frame with two pwrite calls (a 24-byte header, then the page), so a
// commit of N pages costs 2N system calls and, because frames are not page-aligned in the file,
// about 3N page-cache updates in the kernel. On this project's ingest path that was a quarter of
// the single writer's time. Gathered, a commit is one pwrite of contiguous bytes.
//
// Contract (what keeps it as safe as SQLite's own writes):
// - Only files SQLite opens as a WAL (SQLITE_OPEN_WAL) are buffered; every other file, and every
//   other method, is the default VFS's, untouched.
// - Writes are kept only while they extend the buffered range; anything else (a write elsewhere,
//   a read, sync, truncate, size query, close) writes the buffer out first.
// - The write that completes a commit frame (a frame header whose "database size after commit"
//   is non-zero, then its page) writes the buffer out before returning, and returns that write's
//   result. SQLite publishes a commit to readers (the wal-index header) only after its frame
//   writes return, so readers of this or any other process never see a commit whose frames are
//   not in the file, and a failed write fails the commit like a failed pwrite of SQLite's own.
// - Nothing is buffered across commits, so a crash loses at most an uncommitted transaction,
//   which recovery ignores as it always does.
#pragma once

namespace leadproc::sqlite {

// Registers the VFS (once per process, thread-safe; not the default VFS) and returns its name for
// sqlite3_open_v2. nullptr if SQLite has no default VFS to wrap.
const char* wal_write_buffer_vfs();

}  // namespace leadproc::sqlite
