#include "storage/sqlite/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace leadproc::sqlite {
namespace {

constexpr int kFrameHeaderBytes = 24;                     // SQLite's WAL format
constexpr sqlite3_int64 kMaxBuffered = 16 * 1024 * 1024;  // beyond: written out, then resumed
constexpr sqlite3_int64 kFirstCapacity = 256 * 1024;
// The unix VFS writes at most 128 KiB - 1 bytes per call (seekAndWriteFd masks the length to 17
// bits), so the buffer goes out in pieces of at most this, each ending on a 4 KiB file boundary.
constexpr sqlite3_int64 kMaxWrite = 128 * 1024 - 1;
constexpr sqlite3_int64 kFileBlock = 4096;

// A WAL file: SQLite's handle first, then the default VFS's own file in the same allocation
// (szOsFile below), then nothing else. Plain data: SQLite allocates and frees it.
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
  // Since the last appended frame header, that header was a commit frame's: the writes that
  // follow (its page; with synchronous=FULL and psow=0 also padding frames, the last one split
  // around a sync) complete the commit, and each is written out at once.
  bool in_commit;
};

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

WalFile* wal(sqlite3_file* f) {
  return reinterpret_cast<WalFile*>(f);
}

// Bytes 4..7 of a frame header: the database size in pages after a commit, 0 in other frames.
bool is_commit_header(const void* data) {
  const auto* b = static_cast<const unsigned char*>(data);
  return (b[4] | b[5] | b[6] | b[7]) != 0;
}

// Writes the buffer to the file in order. On failure the bytes not written stay buffered and
// are tried again before anything else touches the file: SQLite believes them written (a
// statement's failure may roll back only the statement, and the transaction then commits), so
// dropping them would publish frames that are not in the file.
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
  if (offset == 0) p->high_water = 0;  // the WAL header: a new generation of frames
  const bool appends = offset >= p->high_water;
  p->high_water = std::max(p->high_water, offset + amount);
  if (!appends) return write_through(p, data, amount, offset);
  const bool frame_header = amount == kFrameHeaderBytes;
  if (frame_header) p->in_commit = is_commit_header(data);
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

int close_file(sqlite3_file* f) {
  WalFile* p = wal(f);
  const int written = write_out(p);
  const int closed = p->real->pMethods->xClose(p->real);
  sqlite3_free(p->buffer);
  p->buffer = nullptr;
  return written != SQLITE_OK ? written : closed;
}

// Every other method: write the buffer out first where the file's content or size matters,
// then the default VFS's.
int read_file(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  return wal(f)->real->pMethods->xRead(wal(f)->real, out, amount, offset);
}
int truncate_file(sqlite3_file* f, sqlite3_int64 size) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  wal(f)->high_water = std::min(wal(f)->high_water, size);
  return wal(f)->real->pMethods->xTruncate(wal(f)->real, size);
}
int sync_file(sqlite3_file* f, int flags) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  return wal(f)->real->pMethods->xSync(wal(f)->real, flags);
}
int file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  return wal(f)->real->pMethods->xFileSize(wal(f)->real, size);
}
int file_control(sqlite3_file* f, int op, void* arg) {
  if (const int rc = write_out_before(wal(f)); rc != SQLITE_OK) return rc;
  return wal(f)->real->pMethods->xFileControl(wal(f)->real, op, arg);
}
int lock(sqlite3_file* f, int level) {
  return wal(f)->real->pMethods->xLock(wal(f)->real, level);
}
int unlock(sqlite3_file* f, int level) {
  return wal(f)->real->pMethods->xUnlock(wal(f)->real, level);
}
int check_reserved_lock(sqlite3_file* f, int* out) {
  return wal(f)->real->pMethods->xCheckReservedLock(wal(f)->real, out);
}
int sector_size(sqlite3_file* f) {
  return wal(f)->real->pMethods->xSectorSize(wal(f)->real);
}
int device_characteristics(sqlite3_file* f) {
  return wal(f)->real->pMethods->xDeviceCharacteristics(wal(f)->real);
}
int shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return wal(f)->real->pMethods->xShmMap(wal(f)->real, page, size, extend, out);
}
int shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return wal(f)->real->pMethods->xShmLock(wal(f)->real, offset, n, flags);
}
void shm_barrier(sqlite3_file* f) {
  wal(f)->real->pMethods->xShmBarrier(wal(f)->real);
}
int shm_unmap(sqlite3_file* f, int delete_flag) {
  return wal(f)->real->pMethods->xShmUnmap(wal(f)->real, delete_flag);
}
int fetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;  // no memory-mapped reads of a WAL: SQLite falls back to xRead
  return SQLITE_OK;
}
int unfetch(sqlite3_file*, sqlite3_int64, void*) {
  return SQLITE_OK;
}

const sqlite3_io_methods kWalMethods = {
    3,
    close_file,
    read_file,
    buffered_write,
    truncate_file,
    sync_file,
    file_size,
    lock,
    unlock,
    check_reserved_lock,
    file_control,
    sector_size,
    device_characteristics,
    shm_map,
    shm_lock,
    shm_barrier,
    shm_unmap,
    fetch,
    unfetch,
};

int open_file(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) return g_real->xOpen(g_real, name, f, flags, out_flags);
  WalFile* p = wal(f);
  std::memset(p, 0, sizeof *p);
  p->real = reinterpret_cast<sqlite3_file*>(p + 1);
  const int rc = g_real->xOpen(g_real, name, p->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (p->real->pMethods != nullptr) p->real->pMethods->xClose(p->real);
    p->base.pMethods = nullptr;  // SQLite calls no method of a file that failed to open
    return rc;
  }
  p->base.pMethods = &kWalMethods;
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
    g_vfs.szOsFile = static_cast<int>(sizeof(WalFile)) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = "leadproc-wal-write-buffer";
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
