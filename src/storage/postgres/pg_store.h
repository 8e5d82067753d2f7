// The server storage adapter: the Store port over PostgreSQL (libpq), for one or several
// stateless leadproc instances sharing one database.
//
// Concurrency: a bounded pool of connections (PgOptions::pool_size); each write() is one READ
// COMMITTED transaction on one connection, each read() one REPEATABLE READ READ ONLY snapshot.
// Exactness across instances comes from locks, taken inside write transactions only, and no
// lead holds a lock that all leads of a pool, a destination or a page URL need through its
// COMMIT (whose WAL flush is most of a lead's time in the database), so leads commit side by
// side and their flushes are shared (tx.h has the details):
// - round robin: a lead ranks its pool unlocked and claims only the POC it takes, with a row
//   lock taken without waiting (FOR UPDATE SKIP LOCKED) while the POC's counts are still those
//   it ranked; a POC another lead holds is ranked as if that lead were counted, one whose counts
//   moved with its committed counts, and the choice is made again (app/poc_claim.h). Each lead
//   takes a POC with the least count including the leads in flight, so the counts stay within
//   one of each other. A pool where an available POC has rules (weight, cap, quota, languages,
//   night desk), whose choice depends on more than the least count, is still ranked under one
//   advisory lock per pool, held to the COMMIT: its leads are serialised;
// - a streak that decides the choice (a destination's preference below 1) is locked by an
//   advisory lock on (pool, destination), which serialises that destination's leads; one that
//   only informs the routing record is read unlocked and written when its lock is free;
// - other writers of a pool (the admin's changes, the waiting queue) take one advisory lock per
//   pool and row-lock the POCs they read, so a claim and a POC written back exclude each other;
// - routing entries are row-locked (FOR UPDATE) only for a loadShare split, so its counters are
//   exact; a destination with one active entry is read unlocked;
// - a page URL's hit counters are atomic increments applied just before COMMIT;
// - find_open_original_for_update takes an advisory lock on (number, destination) first, so two
//   racing leads for one number are serialised and the second sees the first as its original
//   (the partial unique index remains the backstop: a second original is kConflict);
// - find_idempotency takes an advisory lock on the caller's key (scope and key), so a retried
//   request waits for the first and replays its answer;
// - every other row a write transaction reads is locked until it ends (destinations FOR SHARE,
//   everything else FOR UPDATE), so read-modify-write use cases cannot lose a concurrent update.
// A deadlock or serialization failure (40P01, 40001) re-runs the transaction (up to
// PgOptions::max_attempts), as does a connection lost before COMMIT was sent; `fn` must therefore
// be safe to run more than once (use cases assign their outputs rather than append).
//
// Errors: a unique violation is kConflict; a lost connection, a server that is down, a statement
// timeout or an exhausted pool is kUnavailable with retry_after_seconds = 1 (HTTP 503 with
// Retry-After). A broken connection is closed and a new one is opened on the next request, so
// service resumes without a restart once the server is back. A COMMIT whose answer is lost is
// reported kUnavailable although it may have committed (clients retry with an Idempotency-Key).
//
// open() does not connect; migrate() (run by `serve` and `migrate` at start-up) applies pending
// migrations under a session advisory lock, so instances starting together apply each once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/store.h"

namespace leadproc::postgres {

// Sees each statement the store sends, before it is sent: its SQL text and bound values ($1.. in
// order, as text; nullopt is NULL; none for BEGIN/COMMIT/SET...). For diagnostics and tests only
// (tests/storage/query_plan_pg_test.cpp records every statement and explains it). Called on the
// thread running the statement, from several connections at once: it must be thread-safe and
// must not throw; its arguments are valid during the call only.
using StatementObserver = std::function<void(
    std::string_view sql, const std::vector<std::optional<std::string>>& params)>;

struct PgOptions {
  int pool_size = 17;  // connections per instance, at most (LEADPROC_WORKERS' default + 1)
  std::chrono::milliseconds pool_wait{5000};           // waiting for a free connection
  int connect_timeout_s = 5;                           // libpq connect_timeout (min 2)
  std::chrono::milliseconds statement_timeout{15000};  // per statement, lock waits included
  int max_attempts = 5;  // runs of a write transaction on deadlock/serialization failure
  // Unset in production: costs one test of an empty std::function per statement. Also sees
  // migrate()'s statements.
  StatementObserver statement_observer{};
};

// Splits leadproc's own query parameters off a postgresql:// URL: pool_size, pool_wait_ms,
// statement_timeout_ms (integers > 0; libpq would refuse them). Returns the URL libpq gets and
// `defaults` with those parameters applied; kValidation for a bad value. Key=value conninfo
// strings are returned unchanged.
Result<std::pair<std::string, PgOptions>> split_url_options(const std::string& url,
                                                            PgOptions defaults = {});

class PgStore final : public Store {
 public:
  // Checks the connection string and sets up the pool; no connection is made yet (so a server
  // that is down is reported by migrate() or by the first request, as kUnavailable).
  // kValidation if `conninfo_or_url` does not parse.
  static Result<std::unique_ptr<PgStore>> open(const std::string& conninfo_or_url,
                                               PgOptions opts = {});
  ~PgStore() override;
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  // If `fn` throws, the transaction is rolled back and the exception propagates (no retry).
  Status write(const std::function<Status(WriteTx&)>& fn) override;
  Status read(const std::function<Status(ReadTx&)>& fn) override;
  Result<int> migrate() override;
  // True iff a connection answers `SELECT 1` within the pool's wait.
  bool ready() override;
  // Starts this instance's listener (live_listener.h): every instance's live events reach `sink`.
  void set_live_sink(LiveSink sink) override;

  struct Impl;  // defined in pg_store.cpp
  explicit PgStore(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

// Opens a PgStore from a postgresql:// URL (leadproc's parameters split off with
// split_url_options), as the port type (for the composition root).
Result<std::unique_ptr<Store>> open_pg_store(const std::string& url, PgOptions defaults = {});

}  // namespace leadproc::postgres
