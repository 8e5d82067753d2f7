// The shared half of both adapters' transaction objects (PowerDNS's GSQLBackend is the model):
// every Store method whose SQL both SQLite and PostgreSQL accept is written once here, over the
// statement interface of statement.h, with its column list, row reader and binder (rows.h holds
// the readers several files use). SqliteTx and PgTx derive from SqlTx and add what differs
// through the hooks below (how a statement is prepared, row and named locks, SQLite's pool cache,
// the term index, the list shapes each database plans differently) and the methods whose SQL is
// theirs alone (the pool ranking, the search). The definitions are in sql/tx_*.cpp, one file per
// entity.
//
// Shared SQL is written with ?N placeholders (statement.h) and in the SQL both databases accept:
// CAST(?N AS TEXT) where PostgreSQL must be told a parameter's type, NOT for a boolean column
// read as a condition, sql_false() / sql_true() where a boolean is compared with a literal that
// a SQLite partial index must match (SQLite stores booleans as 0 and 1), and ON CONFLICT for
// upserts.
#pragma once

#include <string>
#include <string_view>

#include "app/store.h"
#include "storage/sql/open_counts.h"
#include "storage/sql/opportunity_where.h"
#include "storage/sql/statement.h"

namespace leadproc::sql {

// What a transaction may lock by name (SqlTx::lock_key) before it reads a row it may then write:
// a row that may not exist yet cannot be locked FOR UPDATE.
enum class LockKind : int {
  kPool = 1,           // an availability pool (AvailabilityProcess wire name)
  kOpenOriginal = 2,   // (e164, destination id or ""): duplicate detection
  kIdempotency = 3,    // (scope, key): one caller's idempotency key
  kLoginThrottle = 4,  // (email or "", address): a login throttle
  kStreak = 5,         // (pool wire name, destination key): a routing streak
};

// A scalar subquery: `column` (completed_at or owner) of the earliest completed first-contact
// follow-up, by (completed_at, id), of the opportunity bound as ?1; NULL when it has none
// (followups_first_contact serves it). What an opportunity's first_contact_at and
// first_contact_by hold (migration 37; tx_followups.cpp).
std::string earliest_first_contact(std::string_view column);

class SqlTx : public WriteTx {
 public:
  // users (tx_users.cpp)
  Result<std::optional<User>> get_user(const Id& id) override;
  // Case-insensitive; prefers the non-deleted user when a deleted one had the same address.
  Result<std::optional<User>> find_user_by_email(const std::string& email) override;
  // Ordered by id.
  Result<std::vector<User>> list_users(const UserFilter& filter) override;
  // update_*: kNotFound when no row has the id.
  Status insert_user(const User& u) override;
  Status update_user(const User& u) override;

  // API keys (tx_api_keys.cpp)
  Result<std::optional<ApiKey>> get_api_key(const Id& id) override;
  Result<std::optional<ApiKey>> find_api_key(const std::string& key_hash) override;
  Result<std::vector<ApiKey>> list_api_keys() override;
  Status insert_api_key(const ApiKey& k) override;
  Status update_api_key(const ApiKey& k) override;

  // web URLs (tx_weburls.cpp)
  Result<std::optional<WebUrl>> get_weburl(const Id& id) override;
  Result<std::optional<WebUrl>> find_weburl(const std::string& normalized_url) override;
  Result<std::optional<WebUrl>> peek_weburl(const std::string& normalized_url) override;
  // Runs weburl_hit() (SQLite: apply_weburl_hit at once; PostgreSQL: before COMMIT).
  Status count_weburl_hit(const Id& url_id, Timestamp at, const std::string& day) override;
  Result<std::vector<WebUrl>> list_weburls(const WebUrlFilter& filter) override;
  Status insert_weburl(const WebUrl& w) override;
  Status update_weburl(const WebUrl& w) override;

  // import (tx_import.cpp)
  Result<std::vector<Id>> existing_ids(RecordKind kind, const std::vector<Id>& ids) override;

  // destinations (tx_destinations.cpp)
  Result<std::optional<Destination>> get_destination(const Id& id) override;
  Result<std::optional<Destination>> find_destination_by_name(const std::string& name) override;
  // In the order of `slugs` (each slug once), then by destination id.
  Result<std::vector<std::pair<std::string, Destination>>> find_destinations_by_slugs(
      const std::vector<std::string>& slugs) override;
  // Ordered by name, case-insensitively, then id.
  Result<std::vector<Destination>> list_destinations(bool include_deleted) override;
  // update_*: kNotFound when no row has the id.
  Status insert_destination(const Destination& d) override;
  Status update_destination(const Destination& d) override;

  // saved views (tx_saved_views.cpp)
  Result<std::vector<SavedView>> list_saved_views(const Id& owner) override;
  Result<std::optional<SavedView>> get_saved_view(const Id& id) override;
  Status insert_saved_view(const SavedView& v) override;
  Status update_saved_view(const SavedView& v) override;
  Status delete_saved_view(const Id& id) override;

  // notes (tx_notes.cpp)
  Result<std::vector<Note>> list_notes(const Id& opp_id, const Page& page) override;
  Status insert_note(const Note& n) override;

  // activities (tx_activities.cpp)
  Result<std::vector<Activity>> list_activities(const Id& opp_id, const Page& page) override;
  Status insert_activity(const Activity& a) override;

  // leads (tx_leads.cpp)
  Result<std::optional<Lead>> get_lead(const Id& id) override;
  Status insert_lead(const Lead& lead) override;

  // sessions and login throttles (tx_sessions.cpp)
  Result<std::optional<Session>> find_session(const std::string& token_hash) override;
  Result<std::vector<LoginThrottle>> list_login_throttles(Timestamp now, int limit) override;
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

  // idempotency records (tx_idempotency.cpp)
  Result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& scope,
                                                            const std::string& key) override;
  // Inserts, or replaces the record with the same key (an expired one being reused).
  Status save_idempotency(const IdempotencyRecord& r) override;
  Result<int> purge_idempotency(Timestamp before, int limit) override;

  // process maps (tx_process_maps.cpp)
  Result<std::optional<ProcessDestinationMap>> get_process_map(const Id& id) override;
  Result<std::optional<ProcessDestinationMap>> find_process_map(FiltrationProcess p) override;
  // Ordered by id.
  Result<std::vector<ProcessDestinationMap>> list_process_maps(bool include_deleted) override;
  Status insert_process_map(const ProcessDestinationMap& m) override;
  // Replaces the map's entries with m.destinations.
  Status update_process_map(const ProcessDestinationMap& m) override;
  // Ordered by process name.
  Result<std::vector<RoutingEntry>> routing_entries_for_update(const Id& destination_id) override;
  Status save_routing_counter(const Id& map_id, const Id& destination_id,
                              std::int64_t counter) override;

  // availabilities and routing streaks (tx_availabilities.cpp)
  Result<std::optional<Availability>> get_availability(const Id& id) override;
  // Ordered by id.
  Result<std::vector<Availability>> list_availabilities(const AvailabilityFilter& f) override;
  // Ordered by id; available or not.
  Result<std::vector<Availability>> pool_for_update(AvailabilityProcess process) override;
  Status insert_availability(const Availability& a) override;
  Status update_availability(const Availability& a) override;
  Status count_assignment(const Id& availability_id, std::int64_t local_day) override;
  Status lift_lead_count(const Id& availability_id, std::int64_t lead_count) override;
  Result<std::map<Id, std::int64_t>> fresh_lead_counts(AvailabilityProcess pool,
                                                       const std::vector<Id>& person_ids) override;
  Result<std::optional<Streak>> streak_for_update(AvailabilityProcess pool,
                                                  const std::string& destination_key) override;
  Status save_streak(AvailabilityProcess pool, const std::string& destination_key,
                     const Streak& streak) override;
  Result<std::optional<Streak>> peek_streak(AvailabilityProcess pool,
                                            const std::string& destination_key) override;
  Status note_streak(AvailabilityProcess pool, const std::string& destination_key,
                     const Streak& streak) override;
  // kTaken at once where writers are serialised (locking() false); PgTx claims the row.
  Result<PocClaim> claim_poc(const RankedPoc& seen, bool wait) override {
    (void)wait;
    return PocClaim{ClaimOutcome::kTaken, seen.lead_count, seen.today};
  }
  Status release_poc_claim() override { return ok_status(); }

  // follow-ups (tx_followups.cpp)
  Result<std::optional<FollowUp>> get_followup(const Id& id) override;
  Result<std::vector<FollowUp>> list_followups(const Id& opp_id) override;
  // A w.limit <= 0 gives an empty list.
  Result<std::vector<FollowUp>> list_due_followups(const DueWindow& w) override;
  Result<std::vector<Opportunity>> list_filtration_due(const DueWindow& w) override;
  // From the opportunities.crm_entry_at column (migration 2).
  Result<std::vector<CrmEntry>> list_crm_entries(Timestamp from, Timestamp to) override;
  // reports (tx_reports.cpp)
  Result<FunnelCounts> count_funnel(const OpportunityFilter& f, FunnelGroup by) override;
  // From the open_counts rollup (tx_open_counts.cpp).
  Result<std::vector<HeldCount>> count_held_open() override;
  Result<RevenueSums> sum_revenue(const OpportunityFilter& f) override;
  Result<std::vector<PersonCount>> count_overdue(Timestamp now) override;
  Result<std::vector<PersonCount>> count_reinquiries(Timestamp from, Timestamp to) override;
  Result<NowCounts> now_counts(Timestamp now) override;
  Status insert_followup(const FollowUp& f) override;
  Status update_followup(const FollowUp& f, std::int64_t expected_version) override;

  // score configurations, URL hits, job runs (tx_scoring.cpp)
  Result<std::vector<ScoreConfig>> list_score_configs() override;
  Result<std::optional<ScoreConfig>> get_score_config(const Id& id) override;
  Result<std::optional<ScoreConfig>> active_score_config() override;
  Result<std::int64_t> score_configs_stamp() override;
  Result<std::vector<DailyHits>> weburl_daily_hits(const Id& url_id, const std::string& from_day,
                                                   const std::string& to_day) override;
  Result<std::vector<WebUrlRangeHits>> list_weburls_hit_between(const WebUrlFilter& f,
                                                                const std::string& from_day,
                                                                const std::string& to_day) override;
  Result<std::vector<JobRun>> list_job_runs(const std::string& job, int limit) override;
  Status insert_score_config(const ScoreConfig& c) override;
  Status activate_score_config(const Id& id, Timestamp now) override;
  Status count_weburl_daily_hit(const Id& url_id, const std::string& day) override;
  Result<bool> claim_job_run(const JobRun& job_run) override;
  Status finish_job_run(const JobRun& job_run) override;
  Result<int> purge_job_runs(const std::string& job, Timestamp before) override;

  // intake receipts and pages (tx_intake.cpp)
  Result<std::optional<MetaReceipt>> get_meta_receipt(const std::string& leadgen_id) override;
  Result<std::vector<MetaReceipt>> list_meta_receipts(const std::optional<std::string>& status,
                                                      const std::optional<std::string>& page_id,
                                                      int limit) override;
  Result<std::vector<MetaReceipt>> due_meta_receipts(Timestamp now, int limit) override;
  Result<std::int64_t> count_meta_receipts(const std::string& status) override;
  Result<std::optional<MetaPage>> get_meta_page(const std::string& page_id) override;
  Result<std::vector<MetaPage>> list_meta_pages() override;
  Result<std::vector<MetaForm>> list_meta_forms(const std::string& page_id) override;
  Result<std::optional<MetaForm>> get_meta_form(const std::string& page_id,
                                                const std::string& form_id) override;
  Result<MetaPageStats> meta_page_stats(const std::string& page_id) override;
  Result<bool> insert_meta_receipt(const MetaReceipt& r) override;
  Status update_meta_receipt(const MetaReceipt& r) override;
  Result<int> requeue_failed_meta_receipts(const std::string& page_id, Timestamp now) override;
  Status save_meta_page(const MetaPage& p) override;
  Result<bool> delete_meta_page(const std::string& page_id) override;
  Status note_meta_page_sync(const std::string& page_id, Timestamp at,
                             const std::optional<std::string>& error) override;
  Status save_meta_form(const MetaForm& f) override;
  Status save_meta_form_mapping(const MetaForm& f) override;
  Result<std::optional<IntakeSource>> get_intake_source(const Id& id) override;
  Result<std::optional<IntakeSource>> find_intake_source(const std::string& kind,
                                                         const std::string& key) override;
  Result<std::vector<IntakeSource>> list_intake_sources() override;
  Result<std::optional<GoogleLeadRecord>> find_google_lead(const std::string& lead_id) override;
  Status save_intake_source(const IntakeSource& s) override;
  Result<bool> delete_intake_source(const Id& id) override;
  Status note_intake_source(const Id& id, std::optional<Timestamp> last_lead_at,
                            const std::optional<std::string>& last_error) override;
  Result<bool> insert_google_lead(const GoogleLeadRecord& r) override;

  // opportunities (tx_opportunities.cpp; list and search are each adapter's)
  Result<std::optional<Opportunity>> get_opportunity(const Id& id) override;
  Result<std::optional<Opportunity>> find_open_original_for_update(
      const std::string& e164, const std::optional<Id>& destination_id) override;
  Status insert_opportunity(const Opportunity& opp) override;
  // Stores version expected_version + 1 (in the column and in the document), whatever
  // opp.version says; kNotFound when the id does not exist.
  Status update_opportunity(const Opportunity& opp, std::int64_t expected_version) override;
  Result<std::vector<Opportunity>> waiting_for_pool(AvailabilityProcess process,
                                                    int limit) override;
  Result<std::vector<Opportunity>> travel_month_due(Timestamp from, Timestamp to,
                                                    Timestamp stamped_before, int limit) override;
  Result<std::vector<Opportunity>> resolving_from_url(const std::string& normalized_url, int limit,
                                                      const std::optional<Id>& after) override;

  // stage periods (tx_stage_periods.cpp)
  Result<std::vector<StageStay>> list_stage_stays(const OpportunityFilter& f, Timestamp left_from,
                                                  Timestamp left_to, FunnelGroup by,
                                                  TextTable& texts) override;
  Result<std::vector<StageMilestones>> list_stage_milestones(const OpportunityFilter& f,
                                                             FunnelGroup by,
                                                             TextTable& texts) override;
  Status enter_stage(const Id& opp_id, const std::string& status, const std::string& stage,
                     FunnelStep step, const std::optional<Id>& person, Timestamp at,
                     EarlierStay earlier) override;
  // routing settings and the sticky owner's look-up (tx_routing_settings.cpp)
  Result<std::optional<RoutingSettings>> get_routing_settings() override;
  Result<std::optional<ClosedOriginal>> latest_closed_original(
      const std::string& e164, const std::optional<Id>& destination_id, Timestamp since) override;
  Status put_routing_settings(const RoutingSettings& s, Timestamp at) override;
  // routing records (tx_routing_decisions.cpp)
  Result<std::vector<std::string>> list_routing_decisions(const Id& opp_id) override;
  Status insert_routing_decision(const Id& opp_id, Timestamp at, const std::string& doc) override;

  // escalation policies (tx_sla_policies.cpp)
  Result<std::vector<SlaPolicy>> list_sla_policies() override;
  Result<std::optional<SlaPolicy>> get_sla_policy(const std::string& id) override;
  Result<std::vector<Opportunity>> sla_candidates(const SlaPolicy& p, Timestamp from, Timestamp to,
                                                  int limit) override;
  Result<std::vector<SlaStepCount>> count_sla_steps(Timestamp from, Timestamp to) override;
  Status insert_sla_policy(const SlaPolicy& p) override;
  Status update_sla_policy(const SlaPolicy& p) override;
  Status delete_sla_policy(const std::string& id) override;
  Result<bool> claim_sla_step(const std::string& policy_id, const Id& opp_id, SlaStep step,
                              Timestamp at) override;

  // live events (tx_live_events.cpp)
  Result<std::vector<LiveEvent>> live_events_after(std::int64_t after_id,
                                                   const std::vector<std::string>& recipients,
                                                   int limit) override;
  Result<LiveEventBounds> live_event_bounds() override;
  Result<std::int64_t> insert_live_event(const LiveEvent& e) override;
  Result<int> purge_live_events(Timestamp before) override;

  // the outbox (tx_outbox.cpp)
  Result<std::vector<OutboxEvent>> outbox_events_after(std::int64_t after_seq, int limit) override;
  Status insert_outbox_event(const OutboxEvent& e) override;

  // webhooks (tx_webhooks.cpp)
  Result<std::vector<WebhookSubscription>> list_webhook_subscriptions() override;
  Result<std::optional<WebhookSubscription>> get_webhook_subscription(const Id& id) override;
  Result<std::vector<WebhookDelivery>> list_webhook_deliveries(
      const Id& subscription, const std::optional<std::string>& status, std::int64_t after_seq,
      int limit) override;
  Result<std::vector<WebhookAttempt>> list_webhook_attempts(const Id& subscription,
                                                            std::int64_t event_seq) override;
  Status insert_webhook_subscription(const WebhookSubscription& s) override;
  Status update_webhook_subscription(const WebhookSubscription& s) override;
  Status delete_webhook_subscription(const Id& id) override;
  Result<std::vector<OutboxEvent>> unfanned_outbox_events(int limit) override;
  Status mark_outbox_fanned_out(const std::vector<std::int64_t>& seqs) override;
  Status insert_webhook_delivery(const WebhookDelivery& d) override;
  Result<std::vector<WebhookDelivery>> claim_webhook_deliveries(const Id& subscription,
                                                                Timestamp now, Timestamp lease,
                                                                int limit) override;
  Status finish_webhook_delivery(const WebhookDelivery& d, const WebhookAttempt& attempt) override;
  Result<int> replay_webhook_deliveries(const Id& subscription,
                                        std::optional<std::int64_t> event_seq,
                                        Timestamp now) override;
  Result<int> purge_outbox(Timestamp before, int limit) override;

  // conversions (tx_conversions.cpp)
  Result<std::optional<std::string>> get_conversion_settings() override;
  Result<std::vector<Conversion>> list_conversions(const ConversionFilter& filter) override;
  Status put_conversion_settings(const std::string& doc, Timestamp at) override;
  Result<bool> insert_conversion(const Conversion& c) override;
  Result<std::vector<Conversion>> claim_conversions(const std::string& platform, Timestamp now,
                                                    Timestamp lease, int limit) override;
  Status finish_conversion(const Conversion& c) override;

  // the filtered list (tx_opportunity_list.cpp)
  // A page.limit <= 0 gives an empty page.
  Result<std::vector<Opportunity>> list_opportunities(const OpportunityFilter& filter,
                                                      const Page& page) override;
  Result<OpportunityCounts> count_opportunities(const OpportunityFilter& filter) override;
  Result<std::vector<StageCount>> count_opportunities_by_stage(
      const OpportunityFilter& filter) override;

 protected:
  SqlTx() = default;
  ~SqlTx() override = default;

  // The statement for `sql` on this transaction's connection, prepared once and cached.
  virtual Result<Stmt> prepare(std::string_view sql) = 0;

  // True in a transaction that locks the rows it reads so it can write them back (PostgreSQL's
  // write transactions); false on SQLite, whose single writer excludes every other writer, and
  // in read transactions.
  virtual bool locking() const { return false; }
  std::string_view for_update() const { return locking() ? " FOR UPDATE" : ""; }
  std::string_view for_share() const { return locking() ? " FOR SHARE" : ""; }

  // Locks the name (a, b) of `kind` (kPool: `a` alone) until the transaction ends (PostgreSQL: an
  // advisory lock); a no-op where writers are serialised anyway (SQLite) and in read transactions.
  virtual Status lock_key(LockKind kind, std::string_view a, std::string_view b) {
    (void)kind, (void)a, (void)b;
    return ok_status();
  }

  // lock_key() if no other transaction holds the name, without waiting: true iff it is held now
  // (always true where writers are serialised, and in read transactions).
  virtual Result<bool> try_lock_key(LockKind kind, std::string_view a, std::string_view b) {
    (void)kind, (void)a, (void)b;
    return true;
  }

  // A hit of a stored URL, as count_weburl_hit() describes it: applied at once here; PgTx keeps
  // it and applies it before COMMIT (hot rows locked last).
  virtual Status weburl_hit(const Id& url_id, Timestamp at, const std::string& day) {
    return apply_weburl_hit(url_id, at, day);
  }
  Status apply_weburl_hit(const Id& url_id, Timestamp at, const std::string& day);

  // A change of `n` (not 0) to the open_counts row `key` (person, status, stage), as move_holding
  // works it out: applied at once here; PgTx adds it to the transaction's net change of that row
  // and applies that before COMMIT (hot rows locked last, in key order).
  virtual Status open_count_moved(const HeldKey& key, std::int64_t n) {
    return apply_open_count(key, n);
  }
  Status apply_open_count(const HeldKey& key, std::int64_t n);

  // Called when an availability is written (pools_changed, before the write) and when a POC's
  // counts go up (pool_counted, after it): SQLite's writer keeps a copy of the pools.
  virtual void pools_changed() {}
  virtual void pool_counted(const Id& availability_id, std::int64_t local_day) {
    (void)availability_id;
    (void)local_day;
  }

  // Called with each live event as written (its id set), in its transaction: SQLite keeps it
  // for the store to publish after the commit; PostgreSQL sends it with NOTIFY, which every
  // instance's listener receives at the commit.
  virtual Status live_event_written(const LiveEvent& e) {
    (void)e;
    return ok_status();
  }

  // The two shapes of list_opportunities tuned per database. newest_of: the opportunities whose
  // ids the arms select (each "SELECT id ... ORDER BY id DESC LIMIT <limit>"), newest first, at
  // most `limit`. after_in_order: " AND ..." keeping the rows after the cursor row (whose id is
  // the parameter `cursor`) in (key, id) order, both descending or both ascending; `key` is a
  // column or an expression of the row's columns.
  virtual std::string newest_of(const std::vector<std::string>& arms, std::string_view limit) = 0;
  virtual std::string after_in_order(std::string_view key, std::string_view cursor,
                                     bool descending) = 0;

  // Rewrites the opportunity_terms rows of `opp_id` from the terms `before` to `after` (each
  // adapter's search_terms.h).
  virtual Status index_terms(const Id& opp_id, const std::vector<std::string>& before,
                             const std::vector<std::string>& after) = 0;

  // The boolean literals as the schema stores them: "0"/"1" on SQLite, FALSE/TRUE on PostgreSQL.
  virtual std::string_view sql_false() const = 0;
  virtual std::string_view sql_true() const = 0;

  // A subquery that reads the strings of the JSON array bound as ?1, one row each.
  virtual std::string_view json_elements() const = 0;

  // How a count or sum over a filter names one person's rows (opportunity_where.h).
  virtual AssigneeForm counted_assignee() const = 0;
  // " AND ..." for every condition of `f`, for the queries that count or sum its rows rather
  // than page through them: filter_conditions in this adapter's literals, and the assignee, if
  // any, in the form of counted_assignee().
  std::optional<std::string> counted_conditions(const OpportunityFilter& f, Binds& b);

 private:
  // Replaces the destination_slugs rows of `d` with its slugs (lower case, each once).
  Status write_slugs(const Destination& d);
  // lock_key() for one pool (its wire name), or for every pool in a fixed order (so two
  // transactions locking several never deadlock).
  Status lock_pool(AvailabilityProcess p);
  Status lock_all_pools();
  // Moves an opportunity's part in the open_counts rollup from `before` to `after` (open_counts.h;
  // tx_open_counts.cpp): called by insert_opportunity (before: nobody) and update_opportunity
  // once the row is written.
  Status move_holding(const Holding& before, const Holding& after);
  // Sets the opportunity's first_contact_at and first_contact_by (migration 37) from its
  // follow-ups as they are now: called when a first-contact follow-up is written.
  Status refresh_first_contact(const Id& opp_id);
  // A process map's entries, in order; replacing them with m.destinations.
  Result<std::vector<ProcessMapEntry>> map_entries(const Id& map_id);
  Result<std::optional<ProcessDestinationMap>> with_entries(
      Result<std::optional<ProcessDestinationMap>> found);
  Status write_map_entries(const ProcessDestinationMap& m);
  // The error for an update of `id` in `table` that changed no row: kNotFound, or
  // kPreconditionFailed naming the version it is at.
  Status version_moved(std::string_view table, std::string_view what, const Id& id,
                       std::int64_t expected_version);
};

}  // namespace leadproc::sql
