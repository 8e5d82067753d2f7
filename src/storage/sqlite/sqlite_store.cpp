#include "storage/sqlite/sqlite_store.h"

#include <filesystem>
#include <mutex>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/reader_pool.h"
#include "storage/sqlite/tx.h"

namespace leadproc::sqlite {

struct SqliteStore::Impl {
  Impl(std::unique_ptr<Connection> w, const std::string& path, const SqliteOptions& opts)
      : writer(std::move(w)), readers(path, opts.readers, opts.busy_timeout_ms) {}
  std::mutex writer_mutex;
  std::unique_ptr<Connection> writer;  // guarded by writer_mutex
  ReaderPool readers;
};

namespace {

Status create_parent_directory(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return ok_status();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) return Error::unavailable("cannot create " + parent.string() + ": " + ec.message());
  return ok_status();
}

// Pragmas of the writer connection. journal_mode=WAL is persistent in the file, so the read-only
// connections opened later find the database in WAL mode.
Status configure_writer(Connection& c, const SqliteOptions& opts) {
  auto mode = c.query("PRAGMA journal_mode=WAL");
  if (!mode) return mode.error();
  auto row = mode->step();
  if (!row) return row.error();
  if (!*row || mode->text_at(0) != "wal")
    return Error::unavailable("the database cannot use WAL mode (journal_mode=" +
                              (*row ? mode->text_at(0) : std::string("?")) + ")");
  return c.exec(opts.synchronous_full ? "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON"
                                      : "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       SqliteOptions opts) {
  if (auto s = create_parent_directory(path); !s) return s.error();
  auto writer = Connection::open(path, Connection::Mode::kReadWrite, opts.busy_timeout_ms);
  if (!writer) return writer.error();
  if (auto s = configure_writer(**writer, opts); !s) return s.error();
  auto impl = std::make_unique<Impl>(std::move(*writer), path, opts);
  return std::make_unique<SqliteStore>(std::move(impl));
}

Status SqliteStore::write(const std::function<Status(WriteTx&)>& fn) {
  std::lock_guard lock(impl_->writer_mutex);
  Connection& c = *impl_->writer;
  if (auto s = c.exec("BEGIN IMMEDIATE"); !s) return s;
  RollbackGuard guard(c);
  SqliteTx tx(c);
  Status result = fn(tx);
  if (!result) return result;  // the guard rolls back
  if (auto s = c.exec("COMMIT"); !s) {
    return Error::unavailable("commit failed: " + s.error().detail);  // guard rolls back
  }
  guard.dismiss();
  return result;
}

Status SqliteStore::read(const std::function<Status(ReadTx&)>& fn) {
  auto lease = impl_->readers.acquire();
  if (!lease) return lease.error();
  Connection& c = **lease;
  // BEGIN is deferred: the snapshot is taken by the first read and holds until COMMIT.
  if (auto s = c.exec("BEGIN"); !s) return s;
  RollbackGuard guard(c);
  SqliteTx tx(c);
  Status result = fn(tx);
  if (!result) return result;
  if (auto s = c.exec("COMMIT"); !s) return s;
  guard.dismiss();
  return result;
}

Result<int> SqliteStore::migrate() {
  std::lock_guard lock(impl_->writer_mutex);
  return sqlite::migrate(*impl_->writer);
}

bool SqliteStore::ready() {
  auto lease = impl_->readers.acquire();
  if (!lease) return false;
  auto q = (*lease)->query("SELECT 1");
  return q && q->step().ok();
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, SqliteOptions opts) {
  auto store = SqliteStore::open(path, opts);
  if (!store) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace leadproc::sqlite
