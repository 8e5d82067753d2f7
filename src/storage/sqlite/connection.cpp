#include "storage/sqlite/connection.h"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>

namespace leadproc::sqlite {

Error translate(int extended_code, std::string_view message, std::string_view context) {
  // A conflict's detail is SQLite's message alone ("UNIQUE constraint failed: index
  // 'destinations_name_unique'" or "... users.id"): it names the constraint and may reach a
  // client. Other errors also carry the statement, for the logs.
  if (extended_code == SQLITE_CONSTRAINT_UNIQUE || extended_code == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Error::conflict(std::string(message));
  std::string detail(message);
  if (!context.empty()) detail.append(" (").append(context).append(")");
  switch (extended_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
      return Error::unavailable(std::move(detail));
    default:
      return Error::internal(std::move(detail));
  }
}

void StmtDeleter::operator()(sqlite3_stmt* s) const {
  sqlite3_finalize(s);
}

// Statement

void Statement::release() {
  // Errors from reset repeat the last step's error, which was already reported.
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_rc_ = SQLITE_OK;
  changes_ = 0;
  if (in_use_ != nullptr) *in_use_ = false;
}

std::string_view Statement::sql() const {
  return sqlite3_sql(stmt_.get());
}

Error Statement::error(int rc) const {
  sqlite3* db = sqlite3_db_handle(stmt_.get());
  int code = sqlite3_extended_errcode(db);
  if (code == SQLITE_OK) code = rc;
  return translate(code, sqlite3_errmsg(db), sqlite3_sql(stmt_.get()));
}

namespace {
void remember(int& first, int rc) {
  if (first == SQLITE_OK && rc != SQLITE_OK) first = rc;
}
}  // namespace

void Statement::bind_null(int i) {
  remember(bind_rc_, sqlite3_bind_null(stmt_.get(), i));
}
void Statement::bind_int(int i, std::int64_t v) {
  remember(bind_rc_, sqlite3_bind_int64(stmt_.get(), i, v));
}
void Statement::bind_double(int i, double v) {
  remember(bind_rc_, sqlite3_bind_double(stmt_.get(), i, v));
}
void Statement::bind_text(int i, std::string_view v) {
  // SQLITE_TRANSIENT: SQLite copies the text, so `v` need not outlive the statement.
  remember(bind_rc_,
           sqlite3_bind_text64(stmt_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) {
    return Error::internal(std::string("bind failed: ") + sqlite3_errstr(bind_rc_) + ": " +
                           sqlite3_sql(stmt_.get()));
  }
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    changes_ = sqlite3_changes(sqlite3_db_handle(stmt_.get()));
    return false;
  }
  return error(rc);
}

bool Statement::is_null(int col) const {
  return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL;
}
std::int64_t Statement::int_at(int col) const {
  return sqlite3_column_int64(stmt_.get(), col);
}
double Statement::double_at(int col) const {
  return sqlite3_column_double(stmt_.get(), col);
}

std::string_view Statement::view_at(int col) const {
  const auto* p = sqlite3_column_text(stmt_.get(), col);
  if (p == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), col)));
}

// Connection

void Connection::DbDeleter::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}

Connection::Connection(Tag, sqlite3* db) : db_(db) {}
Connection::~Connection() = default;

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, Mode mode,
                                                     int busy_timeout_ms, const char* vfs) {
  // NOMUTEX: the store guarantees one thread at a time per connection.
  int flags =
      SQLITE_OPEN_NOMUTEX | (mode == Mode::kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                                      : SQLITE_OPEN_READONLY);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, vfs);
  // sqlite3_open_v2 allocates a handle even on failure (except out of memory); own it at once.
  auto conn = std::make_unique<Connection>(Tag{}, raw);
  if (raw == nullptr) return Error::unavailable("sqlite: out of memory opening " + path);
  if (rc != SQLITE_OK) return conn->last_error(rc, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  rc = sqlite3_busy_timeout(raw, busy_timeout_ms);
  if (rc != SQLITE_OK) return conn->last_error(rc, "busy_timeout");
  return conn;
}

Status Connection::set_mmap_mib(int mib) {
  return exec("PRAGMA mmap_size=" + std::to_string(static_cast<std::int64_t>(mib) << 20));
}

Status Connection::exec(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec needs a NUL-terminated string
  char* message = nullptr;
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  std::unique_ptr<char, decltype(&sqlite3_free)> owned(message, &sqlite3_free);
  if (rc == SQLITE_OK) return ok_status();
  int code = sqlite3_extended_errcode(db_.get());
  return translate(code == SQLITE_OK ? rc : code, message ? message : sqlite3_errstr(rc), sql);
}

Result<Query> Connection::query(std::string_view sql) {
  if (transaction_required_ && !in_transaction())
    return Error::unavailable("the transaction was rolled back by SQLite; not running " +
                              std::string(sql.substr(0, 60)) + " on its own");
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Query(*it->second.stmt);
  }
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) return last_error(rc, std::string("prepare ") + std::string(sql));
  if (stmt == nullptr) return Error::internal("empty SQL statement");
  if (it != cache_.end())  // nested use: an uncached statement, finalized after its use
    return Query(std::make_unique<Statement>(std::move(stmt), nullptr));
  auto [pos, inserted] = cache_.emplace(std::string(sql), CachedStmt{nullptr, true});
  pos->second.stmt = std::make_unique<Statement>(std::move(stmt), &pos->second.in_use);
  return Query(*pos->second.stmt);
}

bool Connection::in_transaction() const {
  return sqlite3_get_autocommit(db_.get()) == 0;
}

Error Connection::last_error(int rc, std::string_view context) const {
  int code = sqlite3_extended_errcode(db_.get());
  return translate(code == SQLITE_OK ? rc : code, sqlite3_errmsg(db_.get()), context);
}

namespace {
int call_wal_hook(void* hook_and_context, sqlite3*, const char*, int frames) {
  auto* h = static_cast<std::pair<Connection::WalHook, void*>*>(hook_and_context);
  return h->first(h->second, frames);
}
}  // namespace

void Connection::set_wal_hook(WalHook hook, void* context) {
  wal_hook_ = {hook, context};
  sqlite3_wal_hook(db_.get(), &call_wal_hook, &wal_hook_);
}

Status Connection::checkpoint_passive() {
  int rc =
      sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK) return last_error(rc, "wal_checkpoint(PASSIVE)");
  return ok_status();
}

std::string Connection::wal_path() const {
  const char* wal = sqlite3_filename_wal(sqlite3_db_filename(db_.get(), "main"));
  return wal ? wal : "";
}

std::string Connection::database_path() const {
  const char* path = sqlite3_db_filename(db_.get(), "main");
  return path ? path : "";
}

std::string Connection::vfs_name() const {
  char* name = nullptr;
  if (sqlite3_file_control(db_.get(), "main", SQLITE_FCNTL_VFSNAME, &name) != SQLITE_OK || !name)
    return "";
  std::string out(name);
  sqlite3_free(name);
  return out;
}

void Connection::rollback_open_transaction() {
  if (in_transaction()) (void)exec("ROLLBACK");
}

}  // namespace leadproc::sqlite
