#include "storage/sqlite/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace leadproc::sqlite {
namespace {

constexpr const char* kVfsName = "leadproc-wal-write-buffer";

constexpr int kFrameHeaderBytes = 24;                     // SQLite's WAL format
constexpr sqlite3_int64 kMaxBuffered = 16 * 1024 * 1024;  // beyond: written out, then resumed
constexpr sqlite3_int64 kFirstCapacity = 256 * 1024;
// The unix VFS writes at most 128 KiB - 1 bytes per call (seekAndWriteFd masks the length to 17
// bits), so the buffer goes out in pieces of at most this, each ending on a 4 KiB file boundary.
constexpr sqlite3_int64 kMaxWrite = 128 * 1024 - 1;
constexpr sqlite3_int64 kFileBlock = 4096;

struct DbFile;

// A WAL file: SQLite's handle first, then the default VFS's own file in the same allocation
// (szOsFile below). Plain data: SQLite allocates and frees it.
struct WalFile {
  sqlite3_file base;
  sqlite3_file* real;
  unsigned char* buffer;  // sqlite3_malloc64'd, `capacity` bytes
  sqlite3_int64 capacity;
  sqlite3_int64 length;  // bytes buffered, not yet written
  sqlite3_int64 start;   // the file offset of buffer[0]
  // The end of everything written (or buffered) since the WAL last started over at offset 0.
  // A write below it is SQLite changing what it wrote before (a page rewritten in the same
  // transaction, or the frame headers whose checksums walRewriteChecksums corrects AFTER the
  // commit frame): such a write goes straight to the file, never into the buffer.
  sqlite3_int64 high_water;
  // The last frame header written was a commit frame's: the writes that follow (its page) are
  // written out at once.
  bool in_commit;
  // Written through, never buffered: without powersafe overwrite (SQLite pads a synced commit
  // with copies of its last frame and splits one around a sync, so a frame is not a header
  // write and a page write), or without a database file of ours whose locks show a
  // transaction's end.
  bool unbuffered;
  DbFile* db;  // the database file of the same connection, if it was opened through this VFS
};

// A database file: only its locks are watched (db_shm_lock, db_lock). SQLite calls a database
// file and its WAL from one connection's thread at a time, so neither needs a mutex.
struct DbFile {
  sqlite3_file base;
  sqlite3_file* real;
  WalFile* wal;    // its WAL, while open
  int lock_level;  // SQLITE_LOCK_NONE .. SQLITE_LOCK_EXCLUSIVE
};

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

WalFile* wal(sqlite3_file* f) {
  return reinterpret_cast<WalFile*>(f);
}
DbFile* db(sqlite3_file* f) {
  return reinterpret_cast<DbFile*>(f);
}

// Bytes 4..7 of a frame header: the database size in pages after a commit, 0 in other frames.
bool is_commit_header(const void* data) {
  const auto* b = static_cast<const unsigned char*>(data);
  return (b[4] | b[5] | b[6] | b[7]) != 0;
}

// Writes the buffer to the file in order. On failure the bytes not written stay buffered and
// are tried again before anything else touches the file, until the transaction ends (shm_lock):
// SQLite believes them written, so they are never dropped while it may still commit.
int write_out(WalFile* p) {
  sqlite3_int64 done = 0;
  int rc = SQLITE_OK;
  while (done < p->length) {
    const sqlite3_int64 offset = p->start + done;
    sqlite3_int64 end = std::min(p->start + p->length, offset + kMaxWrite);
    if (end < p->start + p->length) end -= end % kFileBlock;
    rc = p->real->pMethods->xWrite(p->real, p->buffer + done, static_cast<int>(end - offset),
                                   offset);
    if (rc != SQLITE_OK) break;
    done = end - p->start;
  }
  if (done > 0 && done < p->length)
    std::memmove(p->buffer, p->buffer + done, static_cast<std::size_t>(p->length - done));
  p->start += done;
  p->length -= done;
  return rc;
}

// The transaction ended without publishing what is buffered (a commit leaves nothing buffered):
// those frames are garbage now, and another connection may write where they would go.
void discard(WalFile* p) {
  if (p->length > 0) p->high_water = std::min(p->high_water, p->start);
  p->length = 0;
  p->in_commit = false;
}

// write_out() before an operation that reads the file or depends on its content or size. A
// failure is reported as a failed write (SQLITE_IOERR_WRITE, never SQLITE_FULL), so that SQLite
// rolls back the whole transaction rather than one statement.
int write_out_before(WalFile* p) {
  const int rc = write_out(p);
  return rc == SQLITE_OK ? rc : SQLITE_IOERR_WRITE;
}

bool reserve(WalFile* p, sqlite3_int64 need) {
  if (need <= p->capacity) return true;
  const sqlite3_int64 capacity = std::max({need, kFirstCapacity, p->capacity * 2});
  void* grown = sqlite3_realloc64(p->buffer, static_cast<sqlite3_uint64>(capacity));
  if (grown == nullptr) return false;
  p->buffer = static_cast<unsigned char*>(grown);
  p->capacity = capacity;
  return true;
}

int write_through(WalFile* p, const void* data, int amount, sqlite3_int64 offset) {
  if (const int rc = write_out(p); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xWrite(p->real, data, amount, offset);
}

int buffered_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* p = wal(f);
  // In exclusive locking mode SQLite keeps the WAL write lock in its own memory and never
  // releases it through the database file, so the end of a transaction would not be seen.
  if (p->unbuffered || p->db->lock_level >= SQLITE_LOCK_EXCLUSIVE)
    return write_through(p, data, amount, offset);
  if (offset == 0) p->high_water = 0;  // the WAL header: a new generation of frames
  const bool frame_header = amount == kFrameHeaderBytes;
  if (frame_header) p->in_commit = is_commit_header(data);
  const bool appends = offset >= p->high_water;
  p->high_water = std::max(p->high_water, offset + amount);
  if (!appends) return write_through(p, data, amount, offset);
  if (p->length > 0 && (offset != p->start + p->length || p->length + amount > kMaxBuffered)) {
    if (const int rc = write_out(p); rc != SQLITE_OK) return rc;
  }
  if (!reserve(p, p->length + amount))  // no memory: unbuffered
    return write_through(p, data, amount, offset);
  if (p->length == 0) p->start = offset;
  std::memcpy(p->buffer + p->length, data, static_cast<std::size_t>(amount));
  p->length += amount;
  // Every frame of the transaction is in the file before SQLite publishes the commit, and a
  // failure fails the commit.
  return p->in_commit && !frame_header ? write_out(p) : SQLITE_OK;
}

int close_wal(sqlite3_file* f) {
  WalFile* p = wal(f);
  discard(p);  // uncommitted: a commit writes its frames before it returns
  if (p->db != nullptr) p->db->wal = nullptr;
  const int closed = p->real->pMethods->xClose(p->real);
  sqlite3_free(p->buffer);
  p->buffer = nullptr;
  return closed;
}

// The WAL's other methods: write the buffer out first where the file's content or size
// matters, then the default VFS's.
int read_wal(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  return wal(f)->real->pMethods->xRead(wal(f)->real, out, amount, offset);
}
int truncate_wal(sqlite3_file* f, sqlite3_int64 size) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  wal(f)->high_water = std::min(wal(f)->high_water, size);
  return wal(f)->real->pMethods->xTruncate(wal(f)->real, size);
}
int sync_wal(sqlite3_file* f, int flags) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  return wal(f)->real->pMethods->xSync(wal(f)->real, flags);
}
int wal_size(sqlite3_file* f, sqlite3_int64* size) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  return wal(f)->real->pMethods->xFileSize(wal(f)->real, size);
}
int wal_file_control(sqlite3_file* f, int op, void* arg) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  return wal(f)->real->pMethods->xFileControl(wal(f)->real, op, arg);
}

// Forwarded as they are, for both kinds of file (F: WalFile or DbFile).
template <typename F>
sqlite3_file* real(sqlite3_file* f) {
  return reinterpret_cast<F*>(f)->real;
}
template <typename F>
int read_file(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  return real<F>(f)->pMethods->xRead(real<F>(f), out, amount, offset);
}
template <typename F>
int write_file(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  return real<F>(f)->pMethods->xWrite(real<F>(f), data, amount, offset);
}
template <typename F>
int truncate_file(sqlite3_file* f, sqlite3_int64 size) {
  return real<F>(f)->pMethods->xTruncate(real<F>(f), size);
}
template <typename F>
int sync_file(sqlite3_file* f, int flags) {
  return real<F>(f)->pMethods->xSync(real<F>(f), flags);
}
template <typename F>
int file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real<F>(f)->pMethods->xFileSize(real<F>(f), size);
}
template <typename F>
int lock(sqlite3_file* f, int level) {
  return real<F>(f)->pMethods->xLock(real<F>(f), level);
}
template <typename F>
int unlock(sqlite3_file* f, int level) {
  return real<F>(f)->pMethods->xUnlock(real<F>(f), level);
}
template <typename F>
int check_reserved_lock(sqlite3_file* f, int* out) {
  return real<F>(f)->pMethods->xCheckReservedLock(real<F>(f), out);
}
template <typename F>
int file_control(sqlite3_file* f, int op, void* arg) {
  return real<F>(f)->pMethods->xFileControl(real<F>(f), op, arg);
}
// The database file's file control: as the underlying VFS's, except that SQLITE_FCNTL_VFSNAME
// names this VFS in front of it ("leadproc-wal-write-buffer/unix"), as SQLite's shim VFSes do,
// so that the store can report which VFS its writer really uses.
int db_file_control(sqlite3_file* f, int op, void* arg) {
  const int rc = file_control<DbFile>(f, op, arg);
  if (op == SQLITE_FCNTL_VFSNAME && rc == SQLITE_OK) {
    char** name = static_cast<char**>(arg);
    char* below = *name;
    *name = sqlite3_mprintf("%s/%s", kVfsName, below ? below : "");
    sqlite3_free(below);
  }
  return rc;
}

template <typename F>
int sector_size(sqlite3_file* f) {
  return real<F>(f)->pMethods->xSectorSize(real<F>(f));
}
template <typename F>
int device_characteristics(sqlite3_file* f) {
  return real<F>(f)->pMethods->xDeviceCharacteristics(real<F>(f));
}
template <typename F>
int shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real<F>(f)->pMethods->xShmMap(real<F>(f), page, size, extend, out);
}
template <typename F>
int shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real<F>(f)->pMethods->xShmLock(real<F>(f), offset, n, flags);
}
template <typename F>
void shm_barrier(sqlite3_file* f) {
  real<F>(f)->pMethods->xShmBarrier(real<F>(f));
}
template <typename F>
int shm_unmap(sqlite3_file* f, int delete_flag) {
  return real<F>(f)->pMethods->xShmUnmap(real<F>(f), delete_flag);
}
template <typename F>
int fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real<F>(f)->pMethods->xFetch(real<F>(f), offset, amount, out);
}
template <typename F>
int unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return real<F>(f)->pMethods->xUnfetch(real<F>(f), offset, page);
}

// SQLite holds the WAL write lock (shared-memory lock 0, exclusive) for a whole write
// transaction; releasing it ends the transaction, committed or rolled back. Whatever the WAL
// still buffers then was never published, and from now on another connection may write there.
constexpr int kWalWriteLock = 0;
int db_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  const int rc = shm_lock<DbFile>(f, offset, n, flags);
  if (offset == kWalWriteLock && flags == (SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE) &&
      db(f)->wal != nullptr)
    discard(db(f)->wal);
  return rc;
}
int db_lock(sqlite3_file* f, int level) {
  const int rc = lock<DbFile>(f, level);
  if (rc == SQLITE_OK) db(f)->lock_level = std::max(db(f)->lock_level, level);
  return rc;
}
int db_unlock(sqlite3_file* f, int level) {
  const int rc = unlock<DbFile>(f, level);
  if (rc == SQLITE_OK) db(f)->lock_level = std::min(db(f)->lock_level, level);
  return rc;
}

int close_db(sqlite3_file* f) {
  DbFile* d = db(f);
  if (d->wal != nullptr) {  // SQLite closes the WAL first; if not, nothing more is buffered
    discard(d->wal);
    d->wal->unbuffered = true;
    d->wal->db = nullptr;
  }
  return d->real->pMethods->xClose(d->real);
}

const sqlite3_io_methods kWalMethods = {
    3,
    close_wal,
    read_wal,
    buffered_write,
    truncate_wal,
    sync_wal,
    wal_size,
    lock<WalFile>,
    unlock<WalFile>,
    check_reserved_lock<WalFile>,
    wal_file_control,
    sector_size<WalFile>,
    device_characteristics<WalFile>,
    shm_map<WalFile>,
    shm_lock<WalFile>,
    shm_barrier<WalFile>,
    shm_unmap<WalFile>,
    fetch<WalFile>,
    unfetch<WalFile>,
};

const sqlite3_io_methods kDbMethods = {
    3,
    close_db,
    read_file<DbFile>,
    write_file<DbFile>,
    truncate_file<DbFile>,
    sync_file<DbFile>,
    file_size<DbFile>,
    db_lock,
    db_unlock,
    check_reserved_lock<DbFile>,
    db_file_control,
    sector_size<DbFile>,
    device_characteristics<DbFile>,
    shm_map<DbFile>,
    db_shm_lock,
    shm_barrier<DbFile>,
    shm_unmap<DbFile>,
    fetch<DbFile>,
    unfetch<DbFile>,
};

// Opens the default VFS's file in the same allocation, right after ours; its result code.
template <typename F>
int open_real(F* p, sqlite3_filename name, int flags, int* out_flags) {
  std::memset(p, 0, sizeof *p);
  p->real = reinterpret_cast<sqlite3_file*>(p + 1);
  const int rc = g_real->xOpen(g_real, name, p->real, flags, out_flags);
  if (rc != SQLITE_OK && p->real->pMethods != nullptr) p->real->pMethods->xClose(p->real);
  p->base.pMethods = nullptr;  // SQLite calls no method of a file that failed to open
  return rc;
}

int open_file(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0) {
    DbFile* d = db(f);
    if (const int rc = open_real(d, name, flags, out_flags); rc != SQLITE_OK) return rc;
    d->base.pMethods = &kDbMethods;
    return SQLITE_OK;
  }
  if ((flags & SQLITE_OPEN_WAL) == 0 || name == nullptr)
    return g_real->xOpen(g_real, name, f, flags, out_flags);
  WalFile* p = wal(f);
  if (const int rc = open_real(p, name, flags, out_flags); rc != SQLITE_OK) return rc;
  p->base.pMethods = &kWalMethods;
  // The connection's database file (sqlite3_database_file_object: the pager's own), which is
  // ours when the database was opened through this VFS; without it no transaction end is seen,
  // so nothing is buffered. Without powersafe overwrite, SQLite pads a synced commit with copies
  // of its last frame and splits one around a sync: not buffered either.
  sqlite3_file* database = sqlite3_database_file_object(name);
  if (database == nullptr || database->pMethods != &kDbMethods) {
    p->unbuffered = true;
    return SQLITE_OK;
  }
  p->db = db(database);
  p->db->wal = p;
  const int characteristics = p->db->real->pMethods->xDeviceCharacteristics(p->db->real);
  p->unbuffered = (characteristics & SQLITE_IOCAP_POWERSAFE_OVERWRITE) == 0;
  return SQLITE_OK;
}

// The VFS-level methods, forwarded (the default VFS's read its own sqlite3_vfs).
int delete_file(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_real->xDelete(g_real, name, sync_dir);
}
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return g_real->xFullPathname(g_real, name, size, out);
}
void* dl_open(sqlite3_vfs*, const char* name) {
  return g_real->xDlOpen(g_real, name);
}
void dl_error(sqlite3_vfs*, int size, char* out) {
  g_real->xDlError(g_real, size, out);
}
void (*dl_sym(sqlite3_vfs*, void* handle, const char* symbol))() {
  return g_real->xDlSym(g_real, handle, symbol);
}
void dl_close(sqlite3_vfs*, void* handle) {
  g_real->xDlClose(g_real, handle);
}
int randomness(sqlite3_vfs*, int size, char* out) {
  return g_real->xRandomness(g_real, size, out);
}
int vfs_sleep(sqlite3_vfs*, int microseconds) {
  return g_real->xSleep(g_real, microseconds);
}
int current_time(sqlite3_vfs*, double* out) {
  return g_real->xCurrentTime(g_real, out);
}
int last_error(sqlite3_vfs*, int size, char* out) {
  return g_real->xGetLastError(g_real, size, out);
}
int current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_real->xCurrentTimeInt64(g_real, out);
}
int set_system_call(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr call) {
  return g_real->xSetSystemCall(g_real, name, call);
}
sqlite3_syscall_ptr get_system_call(sqlite3_vfs*, const char* name) {
  return g_real->xGetSystemCall(g_real, name);
}
const char* next_system_call(sqlite3_vfs*, const char* name) {
  return g_real->xNextSystemCall(g_real, name);
}

}  // namespace

const char* wal_write_buffer_vfs() {
  static std::once_flag once;
  static const char* name = nullptr;
  std::call_once(once, [] {
    g_real = sqlite3_vfs_find(nullptr);
    // The forwarding above needs the version-3 methods of the default VFS (unix has them).
    if (g_real == nullptr || g_real->iVersion < 3) return;
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 3;
    g_vfs.szOsFile = static_cast<int>(std::max(sizeof(WalFile), sizeof(DbFile))) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = kVfsName;
    g_vfs.xOpen = open_file;
    g_vfs.xDelete = delete_file;
    g_vfs.xAccess = vfs_access;
    g_vfs.xFullPathname = full_pathname;
    g_vfs.xDlOpen = dl_open;
    g_vfs.xDlError = dl_error;
    g_vfs.xDlSym = dl_sym;
    g_vfs.xDlClose = dl_close;
    g_vfs.xRandomness = randomness;
    g_vfs.xSleep = vfs_sleep;
    g_vfs.xCurrentTime = current_time;
    g_vfs.xGetLastError = last_error;
    g_vfs.xCurrentTimeInt64 = current_time_int64;
    g_vfs.xSetSystemCall = set_system_call;
    g_vfs.xGetSystemCall = get_system_call;
    g_vfs.xNextSystemCall = next_system_call;
    if (sqlite3_vfs_register(&g_vfs, 0) == SQLITE_OK) name = g_vfs.zName;
  });
  return name;
}

}  // namespace leadproc::sqlite
