#include "cli/store_factory.h"

#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace leadproc::cli {

Result<std::unique_ptr<Store>> open_store(const std::string& url, const SqliteTuning& sqlite) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return postgres::open_pg_store(url);
  std::string path;
  if (url.rfind("sqlite:", 0) == 0) {
    path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
  } else if (url.size() > 3 && url.ends_with(".db")) {
    path = url;
  } else {
    return Error::validation({{"database-url", "must be sqlite:PATH or postgresql://..."}},
                             "unsupported database URL: " + url);
  }
  if (path.empty()) return Error::validation({{"database-url", "has no path"}});
  if (sqlite.group_commit < 1)
    return Error::validation({{"sqlite-group-commit", "must be at least 1"}},
                             "bad LEADPROC_SQLITE_GROUP_COMMIT (--sqlite-group-commit): " +
                                 std::to_string(sqlite.group_commit) + " (must be at least 1)");
  if (sqlite.cache_mib < 1)
    return Error::validation({{"sqlite-cache-mib", "must be at least 1"}},
                             "bad LEADPROC_SQLITE_CACHE_MIB: " + std::to_string(sqlite.cache_mib) +
                                 " (must be at least 1)");
  if (sqlite.mmap_mib < 0)
    return Error::validation({{"sqlite-mmap-mib", "must be 0 or more"}},
                             "bad LEADPROC_SQLITE_MMAP_MIB: " + std::to_string(sqlite.mmap_mib) +
                                 " (must be 0 or more)");
  sqlite::SqliteOptions options;
  options.max_batch = sqlite.group_commit;
  options.buffer_wal_writes = sqlite.wal_write_buffer;
  options.writer_cache_mib = sqlite.cache_mib;
  options.mmap_mib = sqlite.mmap_mib;
  options.dedicated_writer_cpu = sqlite.writer_cpu;
  auto store = sqlite::SqliteStore::open(path, options);
  if (!store) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace leadproc::cli
