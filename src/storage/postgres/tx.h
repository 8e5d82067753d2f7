// The PostgreSQL adapter's transaction object: one class implements both ReadTx and WriteTx over
// a Connection on which the store has already begun a transaction (write(): READ COMMITTED;
// read(): REPEATABLE READ READ ONLY). Its methods are defined per entity in tx_*.cpp.
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
#include "storage/sql/columns.h"
#include "storage/sql/sql_tx.h"

namespace leadproc::postgres {

// Kinds of transaction-scoped advisory locks: the first key of pg_advisory_xact_lock(int, int);
// the second is hashtext() of the locked name (a hash collision only serialises more).
enum class LockKind : int {
  kPool = 1,           // an availability pool (AvailabilityProcess wire name)
  kOpenOriginal = 2,   // "<e164>|<destination id or ''>"
  kIdempotency = 3,    // "<scope>|<key>": one caller's idempotency key
  kLoginThrottle = 4,  // "<email or ''>|<address>" (a login throttle)
};

class PgTx final : public sql::SqlTx {
 public:
  PgTx(Connection& conn, bool locking) : c_(conn), locking_(locking) {}

  // The first driver failure seen in this transaction (kNone if none).
  Failure failure() const { return failure_; }

  // ---- ReadTx ----
  Result<std::optional<Destination>> get_destination(const Id& id) override;
  Result<std::optional<Destination>> find_destination_by_name(const std::string& name) override;
  // In the order of `slugs` (each slug once), then by destination id.
  Result<std::vector<std::pair<std::string, Destination>>> find_destinations_by_slugs(
      const std::vector<std::string>& slugs) override;
  // Ordered by name, case-insensitively (ASCII), then id.
  Result<std::vector<Destination>> list_destinations(bool include_deleted) override;

  Result<std::optional<ProcessDestinationMap>> get_process_map(const Id& id) override;
  Result<std::optional<ProcessDestinationMap>> find_process_map(FiltrationProcess p) override;
  // Ordered by id.
  Result<std::vector<ProcessDestinationMap>> list_process_maps(bool include_deleted) override;

  Result<std::optional<Availability>> get_availability(const Id& id) override;
  // Ordered by id.
  Result<std::vector<Availability>> list_availabilities(const AvailabilityFilter& f) override;

  Result<std::optional<Lead>> get_lead(const Id& id) override;
  Result<std::optional<Opportunity>> get_opportunity(const Id& id) override;
  // From opportunity_terms (search_terms.h).
  Result<std::vector<Opportunity>> search_opportunities(const SearchFilter& f,
                                                        const Page& page) override;
  // A page.limit <= 0 gives an empty page.
  Result<std::vector<Opportunity>> list_opportunities(const OpportunityFilter& filter,
                                                      const Page& page) override;
  Result<std::vector<Activity>> list_activities(const Id& opp_id, const Page& page) override;

  Result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& scope,
                                                            const std::string& key) override;

  // ---- ReadTx: Authentication (tx_sessions.cpp, tx_api_keys.cpp) ----
  Result<std::optional<Session>> find_session(const std::string& token_hash) override;
  Result<std::vector<LoginThrottle>> list_login_throttles(Timestamp now, int limit) override;

  // ---- ReadTx: Follow-ups and notes (tx_followups.cpp, tx_notes.cpp) ----
  Result<std::optional<FollowUp>> get_followup(const Id& id) override;
  Result<std::vector<FollowUp>> list_followups(const Id& opp_id) override;
  // A w.limit <= 0 gives an empty list.
  Result<std::vector<FollowUp>> list_due_followups(const DueWindow& w) override;
  Result<std::vector<Opportunity>> list_filtration_due(const DueWindow& w) override;
  Result<std::vector<Note>> list_notes(const Id& opp_id, const Page& page) override;
  // From the opportunities.crm_entry_at column (migration 2); never locks.
  Result<std::vector<CrmEntry>> list_crm_entries(Timestamp from, Timestamp to) override;

  // ---- WriteTx ----
  // update_*: kNotFound when no row has the id.
  Status insert_destination(const Destination& d) override;
  Status update_destination(const Destination& d) override;

  Status insert_process_map(const ProcessDestinationMap& m) override;
  // Replaces the map's entries with m.destinations.
  Status update_process_map(const ProcessDestinationMap& m) override;

  Status insert_availability(const Availability& a) override;
  Status update_availability(const Availability& a) override;
  // Ordered by id; available or not.
  Result<std::vector<Availability>> pool_for_update(AvailabilityProcess process) override;
  Result<std::vector<RankedPoc>> ranked_pool_for_update(AvailabilityProcess process,
                                                        const std::optional<Id>& destination_id,
                                                        Platform platform) override;
  Status count_assignment(const Id& availability_id) override;

  // Ordered by process name.
  Result<std::vector<RoutingEntry>> routing_entries_for_update(const Id& destination_id) override;
  Status save_routing_counter(const Id& map_id, const Id& destination_id,
                              std::int64_t counter) override;

  Result<std::optional<Streak>> streak_for_update(AvailabilityProcess pool,
                                                  const std::string& destination_key) override;
  Status save_streak(AvailabilityProcess pool, const std::string& destination_key,
                     const Streak& streak) override;

  Result<std::optional<Opportunity>> find_open_original_for_update(
      const std::string& e164, const std::optional<Id>& destination_id) override;

  Status insert_lead(const Lead& lead) override;
  Status insert_opportunity(const Opportunity& opp) override;
  // Stores version expected_version + 1 (in the column and in the document), whatever
  // opp.version says; kNotFound when the id does not exist.
  Status update_opportunity(const Opportunity& opp, std::int64_t expected_version) override;
  Result<std::vector<Opportunity>> waiting_for_pool(AvailabilityProcess process,
                                                    int limit) override;

  Status insert_activity(const Activity& a) override;

  // Inserts, or replaces the record with the same key (an expired one being reused).
  Status save_idempotency(const IdempotencyRecord& r) override;

  // ---- WriteTx: Authentication (tx_sessions.cpp, tx_api_keys.cpp) ----
  Status insert_session(const Session& s) override;
  Status end_session(const Id& session_id) override;
  Result<int> end_user_sessions(const Id& user_id) override;
  Result<int> end_other_sessions(const Id& user_id, const Id& keep_session_id) override;
  Result<int> purge_sessions(Timestamp now) override;
  Result<LoginThrottle> login_throttle_for_update(const std::string& email,
                                                  const std::string& address) override;
  Status save_login_throttle(const LoginThrottle& t) override;
  Result<int> clear_login_throttles(const ThrottleSelector& which) override;
  Result<int> purge_login_throttles(Timestamp idle_before, Timestamp now) override;

  // ---- WriteTx: Follow-ups and notes (tx_followups.cpp, tx_notes.cpp) ----
  Status insert_followup(const FollowUp& f) override;
  Status update_followup(const FollowUp& f, std::int64_t expected_version) override;
  Status insert_note(const Note& n) override;

  // ---- ReadTx: Scoring, URL insight, jobs (tx_scoring.cpp, tx_opportunities.cpp) ----
  Result<std::vector<ScoreConfig>> list_score_configs() override;
  Result<std::optional<ScoreConfig>> get_score_config(const Id& id) override;
  Result<std::optional<ScoreConfig>> active_score_config() override;
  Result<std::int64_t> score_configs_stamp() override;
  Result<std::vector<Opportunity>> travel_month_due(Timestamp from, Timestamp to,
                                                    Timestamp stamped_before, int limit) override;
  Result<std::vector<DailyHits>> weburl_daily_hits(const Id& url_id, const std::string& from_day,
                                                   const std::string& to_day) override;
  Result<std::vector<WebUrlRangeHits>> list_weburls_hit_between(const WebUrlFilter& f,
                                                                const std::string& from_day,
                                                                const std::string& to_day) override;
  Result<std::vector<JobRun>> list_job_runs(const std::string& job, int limit) override;

  // ---- WriteTx: Scoring, URL insight, jobs ----
  Status insert_score_config(const ScoreConfig& c) override;
  Status activate_score_config(const Id& id, Timestamp now) override;
  Result<std::vector<Opportunity>> resolving_from_url(const std::string& normalized_url,
                                                      int limit) override;
  Status count_weburl_daily_hit(const Id& url_id, const std::string& day) override;
  Result<bool> claim_job_run(const JobRun& job_run) override;
  Status finish_job_run(const JobRun& job_run) override;

  // ---- ReadTx: Import (tx_import.cpp) ----

 private:
  friend class PgStatement;
  // A statement of the shared SQL layer, run through run() at its first step.
  Result<sql::Stmt> prepare(std::string_view sql) override;
  std::string_view sql_false() const override { return "FALSE"; }
  std::string_view json_elements() const override {
    return "SELECT jsonb_array_elements_text(?1::jsonb)";
  }
  std::string_view sql_true() const override { return "TRUE"; }
  std::string_view for_update() const override { return locking_ ? " FOR UPDATE" : ""; }
  std::string_view for_share() const override { return locking_ ? " FOR SHARE" : ""; }

  // Runs a statement; a failure is remembered (see the file comment).
  Result<Rows> run(std::string_view sql, const Params& params = {});
  // run() as a RunSql (search_terms.h).
  RunSql run_sql() {
    return [this](std::string_view sql, const Params& p) { return run(sql, p); };
  }
  // Takes the transaction-scoped advisory lock (kind, hashtext(name)); a no-op in a read
  // transaction.
  Status advisory_lock(LockKind kind, std::string_view name);
  Status lock_pool(AvailabilityProcess p);
  // Every pool, in a fixed order (so two transactions locking several never deadlock).
  Status lock_all_pools();

  Result<std::vector<ProcessMapEntry>> map_entries(const Id& map_id);
  Result<std::optional<ProcessDestinationMap>> with_entries(
      Result<std::optional<ProcessDestinationMap>> found);
  Status write_map_entries(const ProcessDestinationMap& m);
  Status write_slugs(const Destination& d);

  Connection& c_;
  const bool locking_;
  Failure failure_ = Failure::kNone;
  std::optional<Error> first_error_;
  std::set<std::pair<int, std::string>> held_;  // advisory locks taken (kind, name)
};

using sql::cat;
using sql::require_changed;
// The column conversions (storage/sql/columns.h).
using sql::ascii_lower;
using sql::changes_from_json;
using sql::changes_to_json;
using sql::corrupt;
using sql::from_ms;
using sql::parse_object;
using sql::platforms_from_json;
using sql::platforms_to_json;
using sql::refs_from_json;
using sql::refs_to_json;
using sql::require;
using sql::strings_from_json;
using sql::strings_to_json;
using sql::table_of;
using sql::to_ms;

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
