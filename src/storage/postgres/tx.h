// The PostgreSQL adapter's transaction object: one class implements both ReadTx and WriteTx over
// a Connection on which the store has already begun a transaction (write(): READ COMMITTED;
// read(): REPEATABLE READ READ ONLY). What both stores share is sql::SqlTx's (storage/sql); this
// class adds how statements run on its connection, its locking and the SQL that is PostgreSQL's.
//
// Locking (write transactions only, `locking` = true; see pg_store.h for the why):
// - availabilities: one advisory lock per pool (lock_pool) before any read or write of a pool;
// - destinations: FOR SHARE on every row read;
// - every other entity read: FOR UPDATE (routing entries, streaks, weburls, users, maps,
//   opportunities, ...), so a row read then written back cannot lose a concurrent update;
// - duplicates, idempotency keys and login throttles: an advisory lock on the key before the
//   lookup.
// In READ COMMITTED each statement sees what was committed before it started, so a statement
// that runs after a lock was granted sees everything the previous holder wrote.
//
// A failed statement aborts a PostgreSQL transaction: the first driver error is remembered and
// every later call returns it again, so the root cause is what the caller reports.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "app/store.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/search_terms.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::postgres {

// Advisory locks are transaction-scoped: pg_advisory_xact_lock(kind, hashtext("<a>|<b>")), the
// kind being sql::LockKind (a hash collision only serialises more).
using sql::LockKind;

class PgTx final : public sql::SqlTx {
 public:
  PgTx(Connection& conn, bool locking) : c_(conn), locking_(locking) {}

  // The first driver failure seen in this transaction (kNone if none).
  Failure failure() const { return failure_; }

  // The Store methods whose SQL is PostgreSQL's own; the others are SqlTx's. The ranking is
  // SQL over the pool's rows, the search reads opportunity_terms (search_terms.h).
  Result<std::vector<RankedPoc>> ranked_pool_for_update(AvailabilityProcess process,
                                                        const std::optional<Id>& destination_id,
                                                        Platform platform) override;
  Result<std::vector<Opportunity>> search_opportunities(const SearchFilter& f,
                                                        const Page& page) override;

 private:
  friend class PgStatement;
  // A statement of the shared SQL layer, run through run() at its first step.
  Result<sql::Stmt> prepare(std::string_view sql) override;
  // A statement with its parameters already bound ($N), for SQL assembled with them.
  sql::Stmt prepare(std::string_view sql, Params params);
  std::string newest_of(const std::vector<std::string>& arms, std::string_view limit) override;
  std::string after_in_order(std::string_view key, std::string_view cursor,
                             bool descending) override;
  Status index_terms(const Id& opp_id, const std::vector<std::string>& before,
                     const std::vector<std::string>& after) override {
    return reindex_terms(run_sql(), opp_id, before, after);
  }
  std::string_view sql_false() const override { return "FALSE"; }
  std::string_view json_elements() const override {
    return "SELECT jsonb_array_elements_text(?1::jsonb)";
  }
  std::string_view sql_true() const override { return "TRUE"; }
  bool locking() const override { return locking_; }
  // NOTIFY kLiveChannel with the event (live_listener.h): delivered to every instance at commit.
  Status live_event_written(const LiveEvent& e) override;
  Status lock_key(LockKind kind, std::string_view a, std::string_view b) override {
    // A pool is named by its wire name alone; the others by "<a>|<b>".
    if (kind == LockKind::kPool) return advisory_lock(kind, a);
    return advisory_lock(kind, std::string(a).append("|").append(b));
  }

  // Runs a statement; a failure is remembered (see the file comment).
  Result<Rows> run(std::string_view sql, const Params& params = {});
  // run() as a RunSql (search_terms.h).
  RunSql run_sql() {
    return [this](std::string_view sql, const Params& p) { return run(sql, p); };
  }
  // Takes the transaction-scoped advisory lock (kind, hashtext(name)); a no-op in a read
  // transaction.
  Status advisory_lock(LockKind kind, std::string_view name);

  Connection& c_;
  const bool locking_;
  Failure failure_ = Failure::kNone;
  std::optional<Error> first_error_;
  std::set<std::pair<int, std::string>> held_;  // advisory locks taken (kind, name)
};

using sql::cat;

// Every row of `rows` mapped with `map` (a Result<T>(const Row&)).
template <typename T, typename Map>
Result<std::vector<T>> collect(const Rows& rows, Map map) {
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto v = map(rows[i]);
    if (!v) return v.error();
    out.push_back(std::move(*v));
  }
  return out;
}

// The first row of `rows` mapped with `map`, or nullopt when there is none.
template <typename T, typename Map>
Result<std::optional<T>> first(const Rows& rows, Map map) {
  if (rows.empty()) return std::optional<T>();
  auto v = map(rows[0]);
  if (!v) return v.error();
  return std::optional<T>(std::move(*v));
}

}  // namespace leadproc::postgres
