// A SQLite VFS that gathers a transaction's writes to its WAL file into one write per commit.
//
// Why: SQLite writes each WAL frame with two pwrite calls (a 24-byte header, then the page), so a
// commit of N pages costs 2N system calls and, because frames are not page-aligned in the file,
// about 3N page-cache updates in the kernel. On this project's ingest path that was a quarter of
// the single writer's time. Gathered, a commit is one pwrite of contiguous bytes.
//
// Contract (what keeps it as safe as SQLite's own writes):
// - Only the WAL of a database opened through this VFS is buffered; every other file is the
//   default VFS's, and of the database file only the locks are watched.
// - Only appends are buffered, while they extend the buffered range. A write below the end of
//   what was already written (SQLite rewriting a page of the same transaction, or correcting
//   frame checksums after the commit frame) goes straight to the file, after the buffer.
// - After a commit frame's header (its "database size after commit" is non-zero), the next
//   write (the commit's page) writes the buffer out before returning, and returns that write's
//   result. SQLite publishes a commit to readers (the wal-index header) only after its frame
//   writes return, so readers of this or any other process never see a commit whose frames are
//   not in the file, and a failed write fails the commit like a failed pwrite of SQLite's own.
// - A read, sync, truncate, size query or file control writes the buffer out first; if that
//   fails, the operation fails as a failed write (SQLite then rolls back the whole transaction)
//   and the bytes stay buffered, to be written before anything else while the transaction
//   lasts: SQLite believes them written.
// - When the transaction ends (SQLite releases the WAL write lock), whatever is still buffered
//   was never published (a commit leaves nothing), and is dropped: another connection may write
//   there next. Closing drops it too.
// - Nothing is buffered across commits, so a crash loses at most an uncommitted transaction,
//   which recovery ignores as it always does.
// - Not buffered: psow=0 (SQLite pads synced commits and splits a frame around a sync), and
//   exclusive locking mode (the WAL write lock never reaches the database file).
// - After a transaction that spilled frames is rolled back, its frames' offsets are written
//   through until the WAL starts over (slower, not less safe); spills need a transaction larger
//   than the writer's page cache.
#pragma once

namespace leadproc::sqlite {

// Registers the VFS (once per process, thread-safe; not the default VFS) and returns its name for
// sqlite3_open_v2. nullptr if SQLite has no default VFS to wrap.
const char* wal_write_buffer_vfs();

}  // namespace leadproc::sqlite
