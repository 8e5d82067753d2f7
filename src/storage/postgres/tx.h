// The PostgreSQL adapter's transaction object: one class implements both ReadTx and WriteTx over
// a Connection on which the store has already begun a transaction (write(): READ COMMITTED;
// read(): REPEATABLE READ READ ONLY). What both stores share is sql::SqlTx's (storage/sql); this
// class adds how statements run on its connection, its locking and the SQL that is PostgreSQL's.
//
// Locking (write transactions only, `locking` = true; see pg_store.h for the why). No lead holds
// a lock that every lead of a pool, a destination, a URL or a person needs through its COMMIT:
// - round robin: the pool is ranked unlocked (ranked_pool_for_update) and the one POC taken is
//   claimed (claim_poc): a row lock taken without waiting (SKIP LOCKED) on the POC whose counts
//   are still those ranked; a busy POC is ranked as if its holder's lead were counted, and a POC
//   whose counts moved is re-ranked (app/poc_claim.h). A pool where an available POC has rules
//   (weight, cap, quota, languages, night desk) is ranked under the pool's advisory lock, as all
//   pools were before: its choice depends on more than who has the least count;
// - availabilities otherwise (admin changes, the waiting queue): one advisory lock per pool
//   (lock_pool) and FOR UPDATE on the POCs read;
// - streaks: an advisory lock on (pool, destination key) when the choice depends on the streak
//   (max_streak > 1); otherwise read unlocked and written only if that lock is free;
// - routing entries: unlocked when the destination has one active entry (nothing is written);
//   FOR UPDATE when it has several, whose loadShare split counters are written;
// - URL hits: counted with atomic increments kept until flush_counters(), which the store runs
//   just before COMMIT, so a popular URL's row is locked only for the commit itself;
// - the open_counts rollup (storage/sql/open_counts.h): a person's (person, status, stage) row is
//   written by every change of their leads, so its changes are kept too, netted per row, and
//   flush_counters() applies them after the URL hits, in key order: locked only for the commit,
//   and always in one order, so two transactions changing many opportunities of the same people
//   (handovers, import batches) cannot deadlock on these rows;
// - destinations: FOR SHARE on every row read;
// - every other entity read: FOR UPDATE (weburls, users, maps, opportunities, ...), so a row
//   read then written back cannot lose a concurrent update;
// - duplicates, idempotency keys and login throttles: an advisory lock on the key before the
//   lookup.
// In READ COMMITTED each statement sees what was committed before it started, so a statement
// that runs after a lock was granted sees everything the previous holder wrote.
//
// A failed statement aborts a PostgreSQL transaction: the first driver error is remembered and
// every later call returns it again, so the root cause is what the caller reports.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  // The row claim described above (tx_availabilities.cpp).
  Result<PocClaim> claim_poc(const RankedPoc& seen, bool wait) override;
  Status release_poc_claim() override;
  // Not on PostgreSQL: its import is bound by round trips, not by index pages, so building the
  // indexes after the rows would gain little (docs/benchmarks.md §36).
  Result<int> defer_indexes(RecordKind) override { return 0; }
  Result<int> restore_indexes() override { return 0; }

  // The live events written in this write transaction (live_payload texts), for the store to
  // NOTIFY after the COMMIT (pg_store.cpp says why not within it).
  std::vector<std::string> take_notices() { return std::move(notices_); }

  // Applies the hot counters changed in this transaction: the URL hits counted (weburl_hit), in
  // id order, then the net changes of the open_counts rollup (open_count_moved), in (person,
  // status, stage) order, each row's once and none that nets to 0. One order for every transaction,
  // so two never wait for each other in opposite orders; the store calls it just before COMMIT. A
  // transaction run again gets a new PgTx, so nothing kept by an aborted run is applied.
  Status flush_counters();

  // The rollup including this transaction's own changes: in a write transaction the changes
  // kept so far are applied first, their rows then locked until the COMMIT. No write path reads
  // the rollup (the people report reads it in a read transaction); one that did would still see
  // its own changes.
  Result<std::vector<HeldCount>> count_held_open() override;

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
  // The OR of the three columns: both of PostgreSQL's plans read the person's entries of the
  // three assignee indexes (a BitmapOr). The ids-per-column form is a join of the period's rows
  // to the person's ids, and the generic plan a cached statement runs after five calls, made
  // without the values, estimates the period's id range at a row or so and runs that join as a
  // nested loop over every row of the period: 0.3-0.7 s for the funnel of one person at 50,000
  // rows, against 0.2 ms (docs/benchmarks.md section 29).
  sql::AssigneeForm counted_assignee() const override { return sql::AssigneeForm::kAnyColumn; }
  bool locking() const override { return locking_; }
  // Keeps the event for take_notices() (a write transaction), or NOTIFYs kLiveChannel with it
  // at once (live_listener.h).
  Status live_event_written(const LiveEvent& e) override;
  Status lock_key(LockKind kind, std::string_view a, std::string_view b) override {
    // A pool is named by its wire name alone; the others by "<a>|<b>".
    if (kind == LockKind::kPool) return advisory_lock(kind, a);
    return advisory_lock(kind, std::string(a).append("|").append(b));
  }
  Result<bool> try_lock_key(LockKind kind, std::string_view a, std::string_view b) override;
  Status weburl_hit(const Id& url_id, Timestamp at, const std::string& day) override {
    if (!locking_) return apply_weburl_hit(url_id, at, day);
    hits_.push_back(PendingHit{url_id, at, day});
    return ok_status();
  }
  Status open_count_moved(const sql::HeldKey& key, std::int64_t n) override {
    if (!locking_) return apply_open_count(key, n);
    open_counts_[key] += n;
    return ok_status();
  }
  // Applies the open_counts changes kept (flush_counters) and forgets them.
  Status flush_open_counts();

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
  struct PendingHit {
    Id url_id;
    Timestamp at;
    std::string day;
  };
  std::vector<PendingHit> hits_;  // URL hits for flush_counters()
  // The net open_counts changes for flush_counters(), by (person, status, stage).
  std::map<sql::HeldKey, std::int64_t> open_counts_;
  std::vector<std::string> notices_;  // live events for take_notices()
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
