#include "storage/postgres/pg_store.h"

#include "storage/postgres/live_listener.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <random>
#include <thread>

#include "storage/postgres/connection.h"
#include "storage/postgres/migrations.h"
#include "storage/postgres/pool.h"
#include "storage/postgres/tx.h"

namespace leadproc::postgres {

struct PgStore::Impl {
  Impl(ConnectSettings c, const PgOptions& o)
      : connect(std::move(c)),
        opts(o),
        pool(connect, PoolSettings{o.pool_size, o.pool_wait, std::chrono::milliseconds(250)}) {}
  const ConnectSettings connect;
  const PgOptions opts;
  ConnectionPool pool;
  std::unique_ptr<LiveListener> listener;  // set_live_sink; stopped before the pool goes
};

namespace {

bool is_url(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

Result<int> positive_int(std::string_view name, std::string_view value) {
  int out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || end != value.data() + value.size() || out <= 0)
    return Error::validation({{"database-url", std::string(name) + " must be a positive integer"}},
                             "bad PostgreSQL URL parameter " + std::string(name));
  return out;
}

// A short random pause before running a transaction again, so that the transactions that
// deadlocked do not meet again in lockstep.
void backoff(int attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  std::uniform_int_distribution<int> ms(1, 5 * attempt);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms(rng)));
}

// What one run of a transaction asks of the loop around it.
enum class Next { kDone, kRetry };

}  // namespace

Result<std::pair<std::string, PgOptions>> split_url_options(const std::string& url,
                                                            PgOptions defaults) {
  auto q = url.find('?');
  if (!is_url(url) || q == std::string::npos) return std::pair{url, defaults};
  std::string kept;
  std::string_view rest = std::string_view(url).substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view param = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    auto eq = param.find('=');
    std::string_view key = param.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : param.substr(eq + 1);
    if (key == "pool_size" || key == "pool_wait_ms" || key == "statement_timeout_ms") {
      auto n = positive_int(key, value);
      if (!n) return n.error();
      if (key == "pool_size") defaults.pool_size = *n;
      if (key == "pool_wait_ms") defaults.pool_wait = std::chrono::milliseconds(*n);
      if (key == "statement_timeout_ms") defaults.statement_timeout = std::chrono::milliseconds(*n);
      continue;
    }
    if (param.empty()) continue;
    kept.append(kept.empty() ? "?" : "&").append(param);
  }
  return std::pair{url.substr(0, q) + kept, defaults};
}

PgStore::PgStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgStore::~PgStore() = default;

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& conninfo_or_url, PgOptions opts) {
  char* err = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo_or_url.c_str(), &err);
  std::unique_ptr<char, decltype(&PQfreemem)> err_owner(err, &PQfreemem);
  if (parsed == nullptr) {
    std::string why = err ? err : "cannot be parsed";
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return Error::validation({{"database-url", why}}, "bad PostgreSQL connection string");
  }
  PQconninfoFree(parsed);
  ConnectSettings connect;
  connect.conninfo = conninfo_or_url;
  connect.connect_timeout_s = std::max(2, opts.connect_timeout_s);
  connect.statement_timeout = opts.statement_timeout;
  connect.observer = opts.statement_observer;
  return std::make_unique<PgStore>(std::make_unique<Impl>(std::move(connect), opts));
}

namespace {

// Sends a committed transaction's live events (live_listener.h) in a transaction of their own,
// just after its COMMIT. Not within it: a NOTIFY holds a lock on the cluster's notification
// queue from before the commit until its end, WAL flush included, so every lead's commit would
// wait for the previous one's flush. Here the lock is held only for this short transaction,
// which has nothing to keep and so does not wait for its flush (synchronous_commit off). The
// events are already stored (live_events): if this fails, or the instance dies before it, they
// are not pushed, and a listener that reconnects reads them from the table.
void notify(Connection& c, const std::vector<std::string>& payloads) {
  if (payloads.empty()) return;
  // One round trip (the simple protocol runs the statements in turn and stops at an error).
  std::string sql = "BEGIN; SET LOCAL synchronous_commit TO off;";
  for (const auto& p : payloads) {
    auto quoted = c.literal(p);
    if (!quoted) return;  // nothing sent: listeners read the events from the table
    sql += cat(" SELECT pg_notify('", kLiveChannel, "', ", *quoted, ");");
  }
  sql += " COMMIT";
  if (!c.exec(sql)) c.rollback_open_transaction();
}

}  // namespace

Status PgStore::write(const std::function<Status(WriteTx&)>& fn) {
  ConnectionPool& pool = impl_->pool;
  // One run of the transaction; `next` says whether running it again may succeed.
  auto run_once = [&](Next& next) -> Status {
    next = Next::kDone;
    auto lease = pool.acquire();
    if (!lease) return lease.error();
    Connection& c = **lease;
    auto lost = [&] {  // nothing was committed: safe to run again on a fresh connection
      pool.drop_idle();
      next = Next::kRetry;
    };
    if (auto s = c.exec("BEGIN ISOLATION LEVEL READ COMMITTED"); !s) {
      if (c.broken()) lost();  // an idle connection the server closed (a restart)
      return s;
    }
    RollbackGuard guard(c);
    PgTx tx(c, true);
    Status result = fn(tx);
    // The hot counters last, so their rows are locked only for the COMMIT (tx.h).
    if (result) result = tx.flush_counters();
    switch (tx.failure()) {
      case Failure::kRetryable:
        next = Next::kRetry;
        break;
      case Failure::kConnectionLost:
        lost();
        break;
      default:
        break;
    }
    if (!result) return result;  // the guard rolls back
    if (tx.failure() != Failure::kNone || c.in_failed_transaction()) {
      // `fn` went on after a failed statement and returned ok: the server aborted the
      // transaction, so nothing of it can be committed.
      return Error::internal("the transaction was aborted by an earlier error that was ignored");
    }
    if (auto s = c.exec("COMMIT"); !s) {
      // A COMMIT sent but not answered may have committed: not run again (the client may retry
      // with its Idempotency-Key).
      if (c.last_failure() == Failure::kRetryable) next = Next::kRetry;
      if (c.broken()) pool.drop_idle();
      return Error::unavailable("commit failed: " + s.error().detail, 1);
    }
    guard.dismiss();
    notify(c, tx.take_notices());
    return result;
  };
  const int attempts = std::max(1, impl_->opts.max_attempts);
  for (int attempt = 1;; ++attempt) {
    Next next = Next::kDone;
    Status s = run_once(next);
    if (s || next == Next::kDone || attempt >= attempts) return s;
    backoff(attempt);
  }
}

Status PgStore::read(const std::function<Status(ReadTx&)>& fn) {
  ConnectionPool& pool = impl_->pool;
  for (int attempt = 1;; ++attempt) {
    auto lease = pool.acquire();
    if (!lease) return lease.error();
    Connection& c = **lease;
    if (auto s = c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s) {
      if (!c.broken()) return s;
      pool.drop_idle();  // an idle connection the server closed: try once on a fresh one
      if (attempt >= 2) return s;
      continue;
    }
    RollbackGuard guard(c);
    PgTx tx(c, false);
    Status result = fn(tx);
    if (tx.failure() == Failure::kConnectionLost) pool.drop_idle();
    if (!result) return result;
    if (auto s = c.exec("COMMIT"); !s) {
      if (c.broken()) pool.drop_idle();
      return s;
    }
    guard.dismiss();
    return result;
  }
}

void PgStore::set_live_sink(LiveSink sink) {
  impl_->listener = std::make_unique<LiveListener>(impl_->connect, std::move(sink));
}

Result<int> PgStore::migrate() {
  // Its own connection, without the statement timeout: a migration may take long, and another
  // instance's migration may hold the lock for as long.
  ConnectSettings settings = impl_->connect;
  settings.statement_timeout = std::chrono::milliseconds(0);
  auto conn = Connection::open(settings);
  if (!conn) return conn.error();
  return postgres::migrate(**conn);
}

bool PgStore::ready() {
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto lease = impl_->pool.acquire();
    if (!lease) return false;
    auto rows = (*lease)->query("SELECT 1");
    if (rows) return true;
    if (!(*lease)->broken()) return false;
    impl_->pool.drop_idle();  // a connection the server closed: try once on a fresh one
  }
  return false;
}

Result<std::unique_ptr<Store>> open_pg_store(const std::string& url, PgOptions defaults) {
  auto split = split_url_options(url, defaults);
  if (!split) return split.error();
  auto store = PgStore::open(split->first, split->second);
  if (!store) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace leadproc::postgres
