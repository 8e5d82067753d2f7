// The storage port: everything the use cases ask of a database, behind one interface that the
// SQLite and PostgreSQL adapters implement (src/storage/*). A use case runs inside one
// transaction: Store::write() or Store::read() calls it with a transaction object and commits
// only if it returns ok (a failed Status rolls back, so bad input changes nothing).
//
// Contracts shared by every adapter:
// - Methods named *_for_update lock what they return until the transaction ends (SQLite: the
//   single writer lock; PostgreSQL: row locks), so round-robin counts, split counters and
//   duplicate detection cannot be raced by another request or another instance.
// - update_opportunity() writes only if the stored version equals `expected_version` and bumps
//   it; otherwise it returns kPreconditionFailed and writes nothing.
// - Driver errors become domain errors: a unique violation -> kConflict, a lost connection or
//   a busy database -> kUnavailable.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/funnel.h"
#include "domain/login_throttle.h"
#include "domain/model.h"
#include "domain/result.h"
#include "domain/round_robin.h"
#include "domain/scoring.h"
#include "domain/sla_policy.h"

namespace leadproc {

struct Page {
  std::optional<Id> after;  // cursor: the last id of the previous page (newest-first lists)
  int limit = 50;
};

struct UserFilter {
  std::optional<Department> department;
  std::optional<bool> is_active;
  bool include_deleted = false;
};

struct AvailabilityFilter {
  std::optional<AvailabilityProcess> process;
  std::optional<Id> person_id;
  bool include_deleted = false;
};

struct WebUrlFilter {
  std::optional<bool> consumed;
  int limit = 100;
  int offset = 0;
};

// Hits of one web URL on one UTC day ("YYYY-MM-DD"), counted at ingestion.
struct DailyHits {
  std::string day;
  std::int64_t hits = 0;
};

// A web URL with its hits over a range of UTC days.
struct WebUrlRangeHits {
  WebUrl url;
  std::int64_t hits = 0;
};

// One run of a periodic job (src/jobs). (job, slot) is unique: the instance whose claim inserts
// the row runs the job; every other instance sees kConflict-free `false` and skips it.
struct JobRun {
  std::string job;
  Timestamp slot{};  // the scheduled instant (a manual run: the instant it was asked for)
  std::string instance;
  Timestamp started_at{};
  std::optional<Timestamp> finished_at;
  std::string outcome = "running";  // running | ok | failed
  std::string counts_json = "{}";   // the job's counts, a JSON object
  std::optional<std::string> error;
};

// How far an opportunity's id time may be from its createdAt for created windows to list it
// (OpportunityFilter). A wider skew costs every window's first page a read of that many more
// ids (1 hour: about 80 at 1M rows; 1 day: 1,500 and +2 ms).
inline constexpr std::chrono::seconds kCreatedIdSkew = std::chrono::hours(1);

// The orders of the opportunities list. kNewest: id desc (ObjectIds sort by creation time);
// kOldest: id asc (the longest waiting first); kScore: opportunityScore desc, then id desc;
// kNextFollowUp: nextFollowUpDate asc, those without one last, then id asc.
enum class OpportunitySort { kNewest, kOldest, kScore, kNextFollowUp };

// The opportunities of each status matching a filter (its `status` left out), and their sum.
struct OpportunityCounts {
  std::vector<std::pair<OpportunityStatus, std::int64_t>> by_status;  // statuses with rows only
  std::int64_t total = 0;
};

// How many opportunities of one status stand at one CRM stage and sub-stage (crmStageMeta; both
// unset before the CRM phase): the pipeline board's column totals (web/board.js).
struct StageCount {
  OpportunityStatus status = OpportunityStatus::kOpen;
  std::optional<CrmStage> stage;
  std::optional<std::string> sub_stage;
  std::int64_t count = 0;
};

struct OpportunityFilter {
  std::optional<OpportunityStatus> status;
  std::optional<FiltrationProcess> filteration_process;
  std::optional<Id> destination_id;  // "" : no destination (unknown)
  std::optional<Id> assignee;        // assignedPsv, assignedWest or opportunityOwner
  std::optional<Platform> platform;
  // A window on createdAt, [created_from, created_to). Adapters also bound the id by the window
  // widened by kCreatedIdSkew on each side (object_id_lower_bound), so that the primary key
  // serves the newest-first order instead of a sort of the whole window. The window therefore
  // lists an opportunity only if object_id_time(id) is less than kCreatedIdSkew away from its
  // createdAt. Ingestion mints the id just after reading createdAt's clock (same attempt), the
  // scale generator from the same instant, MongoDB when it creates the document; an import must
  // report records further apart (every other filter still lists them).
  std::optional<Timestamp> created_from;  // inclusive
  std::optional<Timestamp> created_to;    // exclusive
  std::optional<bool> unassigned;         // awaiting_pool is set
  // Overdue: a nextFollowUpDate earlier than this instant (the caller's now).
  std::optional<Timestamp> follow_up_before;
  // The order (OpportunitySort). The page cursor is an id in every order: the rows after that
  // row in this order (ties on the key broken by the id, in the key's direction).
  OpportunitySort sort = OpportunitySort::kNewest;
  // The funnel's facets (domain/funnel.h; docs/reports.md), so that every number of the funnel
  // report lists exactly its opportunities: the campaign ("" : none), the kind, a step reached
  // (that step or a later one) and the outcome.
  std::optional<std::string> campaign;
  std::optional<FunnelKind> kind;
  std::optional<FunnelStep> reached;
  std::optional<FunnelOutcome> outcome;
};

// What the funnel report's counts are grouped by (app/funnel_report.h). kQuarterHour groups by
// 15-minute intervals of createdAt since the epoch: every time zone's offset is a multiple of
// 15 minutes, so the use case can put each interval in its business day or week.
enum class FunnelGroup { kNone, kPlatform, kCampaign, kDestination, kAgent, kQuarterHour };

// How many opportunities of one group have one kind, step and outcome.
struct FunnelCount {
  std::string key;          // platform, campaign, destination id, person id; "" for kNone
  std::int64_t bucket = 0;  // kQuarterHour: createdAt (ms since the epoch) / 900000
  FunnelKind kind = FunnelKind::kLead;
  FunnelStep step = FunnelStep::kCaptured;
  std::optional<FunnelOutcome> outcome;
  std::int64_t count = 0;
};

// How many open (not closed) opportunities one person holds with one status (the people report).
struct HeldCount {
  Id person;
  std::string status;
  std::int64_t count = 0;
};

// The deal value of the won opportunities of one person (or of everyone: person "") in one
// currency, in minor units, and how many deals it adds up (the people report's revenue).
struct RevenueSum {
  Id person;
  std::string currency;
  std::int64_t minor = 0;
  std::int64_t deals = 0;
};

// One stay of an opportunity in a status and stage (app/stage_periods.h; migration 21), with the
// opportunity's facets the time-in-stage report groups by.
struct StageStay {
  std::string status;
  std::string stage;              // "" : none
  std::optional<Id> person;       // who worked it when it entered (app/change_facts.h holder_of)
  std::string platform;           // wire name
  std::string destination_key;    // "" : unknown
  std::string campaign;           // "" : none
  std::int64_t milliseconds = 0;  // left_at - entered_at
};

// When an opportunity first reached each funnel step after capture (nullopt: not yet), from its
// stays, with its facets and people (the time-in-stage report's milestones).
struct StageMilestones {
  Timestamp created_at{};
  std::optional<Timestamp> contacted_at;
  std::optional<Timestamp> qualified_at;
  std::optional<Timestamp> won_at;
  std::string platform;  // wire name
  std::string destination_key;
  std::string campaign;
  std::vector<Id> people;  // assignedPsv, assignedWest, opportunityOwner: each distinct one once
};

// How many of one person's reminders are overdue: active CRM follow-ups (by owner) and PSV/WEST
// next attempts (by agent) whose time is before `now` (the people report).
struct OverdueCount {
  Id person;
  std::int64_t count = 0;
};

// A number of waiting things and since when the oldest waits (the "now" report).
struct Waiting {
  std::string what;  // e.g. the pool of unassigned leads
  std::int64_t count = 0;
  std::optional<Timestamp> oldest;
};

// The morning's to-do list (the "now" report): unassigned leads per pool, leads resolving an
// unknown destination, overdue CRM follow-ups and PSV/WEST next attempts.
struct NowCounts {
  std::vector<Waiting> unassigned;  // what: the pool
  Waiting resolving_unknown;
  Waiting overdue_followups;
  Waiting overdue_attempts;
};

// A search of opportunities by their terms (domain/search_text.h): every term in `terms` and,
// when given, a term starting with `prefix` (the reversed last digits of a number). Adapters
// read the terms' index (opportunity_terms, migration 10), never the whole table.
struct SearchFilter {
  std::vector<std::string> terms;
  std::optional<std::string> prefix;
  // Only the opportunities this user may read as a non-admin (assignedPsv, assignedWest or
  // opportunityOwner: app/access.h can_access); everyone's when absent.
  std::optional<Id> visible_to;
};

// One routing entry of a destination: which process map lists it, and its split state.
struct RoutingEntry {
  Id map_id;
  FiltrationProcess process = FiltrationProcess::kPsv;
  ProcessMapEntry entry;
};

// The admin's routing settings (GET/PUT /api/v1/routing/settings; app/sticky_owner.h).
struct RoutingSettings {
  // A new enquiry whose number's earlier opportunity for the destination closed at most this many
  // days before goes to that opportunity's owner when they are working; 0: off.
  int sticky_owner_days = 30;
};

// A closed original opportunity and when it was closed (migration 28's closed_at).
struct ClosedOriginal {
  Opportunity opp;
  Timestamp closed_at{};
};

// The first answer to a request, kept under the key its caller sent. Keys are scoped to the
// caller (PRODUCT.md "Idempotency"): `scope` names it ("api-key:<id>", "user:<id>"; see
// app/ingest_lead.h), and the same key under two scopes is two records, so one lead source can
// neither block another's key nor read its answer. Records kept from before keys were scoped
// have the scope "", which no caller has.
struct IdempotencyRecord {
  std::string scope;
  std::string key;
  std::string request_hash;
  int status = 0;
  std::string response_body;
  Timestamp created_at{};
};

// Authentication: which login throttles (domain/login_throttle.h) an admin clears: with both,
// the one pair; with the email only, every pair of that email; with the address only, the
// address's own throttle and every pair from it.
struct ThrottleSelector {
  std::optional<std::string> email;  // lower-case
  std::optional<std::string> address;
};

// ---- Follow-ups and notes ----

// A window of follow-up reminders: reminder in [from, to) (an absent end is open), of one owner
// (everyone's when absent), at most `limit` rows.
// A place in a due list, ordered by (reminder time, id): the follow-up's id, or the
// opportunity's for a PSV/WEST agent's nextFollowUpDate.
struct DueCursor {
  Timestamp reminder{};
  Id id;
};

struct DueWindow {
  std::optional<Timestamp> from;  // inclusive
  std::optional<Timestamp> to;    // exclusive
  std::optional<Id> owner;
  int limit = 200;
  std::optional<DueCursor> after;  // only the entries after this one (paging an export)
};

// One opportunity's entry into the CRM phase, for the first-contact SLA report.
struct CrmEntry {
  Id opp_id;
  std::optional<Id> owner;  // the opportunity's current opportunityOwner
  Timestamp crm_entry_at{};
  // The earliest completed first_contact follow-up of the opportunity, if any: when it was
  // completed and whose it was (its `owner`).
  std::optional<Timestamp> first_contact_completed_at;
  std::optional<Id> first_contact_owner;
};

// ---- end of Follow-ups and notes ----

// ---- Import ----
// The tables that hold records with an ObjectId `_id` of one of the spec's collections, for
// asking which ids a table already holds (`leadproc import` skips those, so re-running an import
// writes nothing twice).
enum class RecordKind {
  kUser,
  kDestination,
  kProcessMap,
  kAvailability,
  kWebUrl,
  kLead,
  kOpportunity,
  kActivity,
  kFollowUp,
  kNote,
  kScoreConfig,
};
// ---- end of Import ----

// ---- Live events (docs/api-events.md) ----
// One thing a signed-in person is told about as it happens (GET /api/v1/events/stream): stored
// in the transaction of the change that raised it (live_events, migration 12), numbered by the
// store in increasing order, kept at least an hour for replay (Last-Event-ID).
struct LiveEvent {
  std::int64_t id = 0;    // set by the store when written
  std::string recipient;  // a user id, or kLiveEventAdmins
  std::string type;       // assigned | unassigned | reinquiry | stage_changed | followup_due |
                          // followup_overdue | waiting
  std::optional<Id> opp_id;
  Timestamp at{};
  std::string data;  // the payload: a JSON object's text (app/live_events.h)
};
// The recipient of the events every admin is told about (leads waiting unassigned).
inline constexpr std::string_view kLiveEventAdmins = "@ADMIN";
// The ids a store holds: [oldest, newest]; both 0 when it holds none.
struct LiveEventBounds {
  std::int64_t oldest = 0;
  std::int64_t newest = 0;
};
// Where a store hands the live events of committed transactions (Store::set_live_sink): called
// after the commit, from the committing thread (SQLite) or the listener's (PostgreSQL); must not
// block.
using LiveSink = std::function<void(const std::vector<LiveEvent>&)>;
// ---- end of Live events ----
// ---- Intake (docs/intake.md) ----
// The durable receipt of one Meta `leadgen` change (migration 16), stored before the webhook is
// answered. `leadgen_id` is the primary key, so a redelivery stores nothing new; the lead is
// fetched from the Graph API later, and the receipt is marked "ingested" in the transaction that
// stores the lead (app/meta_intake.h), so there is exactly one lead per leadgen_id. Ids are the
// decimal text Meta sent (they exceed a double's 53 bits).
struct MetaReceipt {
  std::string leadgen_id;
  std::string page_id;
  std::optional<std::string> form_id;
  std::optional<std::string> ad_id;
  std::optional<std::string> adgroup_id;
  std::optional<std::int64_t> created_time;  // seconds since the epoch, as Meta sent it
  std::string status = "pending";            // pending | ingested | failed
  int attempts = 0;                          // Graph fetches tried
  Timestamp next_attempt_at{};               // when a pending receipt is due
  std::optional<std::string> reason;         // why the last attempt failed, in plain words
  std::optional<Id> opportunity_id;          // the lead's opportunity, once ingested
  Timestamp received_at{};
  Timestamp updated_at{};
  std::string via = "webhook";  // webhook | sync (the reconciler found it: migration 29)
};

// A Facebook page whose leads leadproc fetches: its page access token (a secret: the API never
// shows it again) and how its forms' answers map to a lead (`mapping_json`, a JSON object of
// lead field -> question key; app/meta_intake.h).
struct MetaPage {
  std::string page_id;
  std::string access_token;
  bool instagram_platform = false;  // leads Meta marks `ig` get platform instagram
  std::string mapping_json = "{}";
  Timestamp updated_at{};
  // The reconciler's last sync of the page (migration 29; save_meta_page leaves these as they
  // are): when, and why listing its forms failed, if it did.
  std::optional<Timestamp> synced_at;
  std::optional<std::string> sync_error;
};

// One lead form of a page as the reconciler knows it (migration 29). `watermark` (Meta's
// time_created, seconds since the epoch) is such that every lead Meta listed for the form up to
// it has a receipt: it is written in the transaction that stores those receipts, and only after
// a complete listing, so it never passes a lead that was not stored (jobs/meta_reconcile.h).
struct MetaForm {
  std::string page_id;
  std::string form_id;
  std::optional<std::string> name;
  std::optional<std::int64_t> watermark;
  std::optional<Timestamp> synced_at;
  std::optional<std::string> error;  // why the form's last sync failed, in plain words
};

// What admins see of a page's receipts: when its newest lead was stored, and how many receipts
// wait or failed.
struct MetaPageStats {
  std::optional<Timestamp> last_lead_at;
  std::int64_t failed = 0;
  std::int64_t pending = 0;
};

// A lead source configured by an admin (migration 22; POST /api/v1/intake/sources). Kind
// "google", a Google Ads lead form, whose `key` is its form_id and `secret` the google_key
// Google sends with each lead (a secret: the API never shows it again); `mapping_json` maps lead
// fields to the form's column ids (app/google_intake.h). Kind "form", a website form
// (app/website_forms.h), whose `key` is its public form key, `secret` empty, and `mapping_json`
// its settings (thank-you and error URLs, allowed origins): the column holds each kind's own
// configuration as JSON, so a new kind needs no migration. (kind, key) is unique.
struct IntakeSource {
  Id id;
  std::string kind;
  std::string name;
  std::string key;
  std::string secret;
  std::string mapping_json = "{}";
  std::optional<Timestamp> last_lead_at;  // when its last lead was stored
  std::optional<std::string> last_error;  // why its last lead was refused, if it was
  Timestamp created_at{};
  Timestamp updated_at{};
};

// A Google lead taken in (migration 22): its lead_id is the primary key, written in the lead's
// own transaction, so Google's redeliveries store one lead.
struct GoogleLeadRecord {
  std::string lead_id;  // Google's int64 id, as its decimal digits
  Id source_id;
  Id opportunity_id;
  bool is_test = false;
  Timestamp received_at{};
};
// ---- end of Intake ----
// ---- Outbox (docs/events.md) ----
// One event for the world outside (webhooks, issue 20): written in the transaction of the change
// that raised it (outbox_events, migration 17), so it exists iff its change committed. `seq` is
// the store's order of events (increasing with each commit on SQLite; on PostgreSQL an identity,
// taken at insert); `id` is the event's stable id (an ObjectId), sent as `webhook-id` on every
// attempt. `body` is the exact JSON text every subscriber receives (app/outbox.h).
struct OutboxEvent {
  std::int64_t seq = 0;  // set by the store when written
  Id id;
  std::string type;  // lead.created | opportunity.assigned | ... (app/outbox.h)
  std::optional<Id> opp_id;
  // What a subscription's filters match (docs/events.md): the opportunity's filtration process
  // (PSV, WEST, ...), destination id and lead-source platform, when it has them.
  std::optional<std::string> process;
  std::optional<Id> destination;
  std::optional<std::string> platform;
  Timestamp at{};
  std::string body;
};
// ---- end of Outbox ----
// ---- Webhooks (docs/events.md) ----
// A webhook subscription (migration 18): where the events of `event_types` (patterns: a type,
// "opportunity.*", or "*") that pass its filters are POSTed, signed with `secret` (and with
// `previous_secret` until previous_secret_until: rotation).
struct WebhookSubscription {
  Id id;
  std::string url;
  std::vector<std::string> event_types;
  std::optional<std::string> process;   // filter: the opportunity's filtration process
  std::optional<Id> destination;        // filter: its destination id
  std::optional<std::string> platform;  // filter: its lead-source platform
  std::string secret;                   // whsec_...
  std::optional<std::string> previous_secret;
  std::optional<Timestamp> previous_secret_until;
  bool enabled = true;
  std::optional<std::string> disabled_reason;  // e.g. the subscriber answered 410 Gone
  std::optional<Timestamp> blocked_until;      // nothing is sent to it before (its backoff)
  Timestamp created_at{};
  Timestamp updated_at{};
};
// One event for one subscription: pending until a 2xx, dead after the last try.
struct WebhookDelivery {
  Id subscription_id;
  std::int64_t event_seq = 0;
  Id event_id;
  std::string event_type;
  std::optional<Id> opp_id;
  std::string status = "pending";  // pending | delivered | dead
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::optional<Timestamp> claimed_until;  // PostgreSQL: an instance is sending it until then
  std::optional<int> last_status;          // the last answer's HTTP status
  std::optional<std::string> last_error;   // the last attempt's failure, when it failed
  Timestamp created_at{};
  Timestamp updated_at{};
  std::string body;  // the event's body (read with it when claimed; not a column)
};
// One try of a delivery (the delivery log).
struct WebhookAttempt {
  Id subscription_id;
  std::int64_t event_seq = 0;
  int attempt = 0;
  Timestamp at{};
  int status = 0;  // the HTTP status; 0: no answer
  std::int64_t latency_ms = 0;
  std::optional<std::string> error;
  std::string response;  // the answer's first bytes (capped)
};
// ---- end of Webhooks ----

// ---- Conversions (docs/conversions.md) ----
// One stage of one opportunity for one ad platform (migration 25): made from the outbox's event
// that reached the stage (app/conversions.h), sent by the conversions-send job. The key
// (opp_id, platform, stage) makes it idempotent: a stage reached twice is one conversion.
struct Conversion {
  Id opp_id;
  std::string platform;  // meta | google
  std::string stage;     // meta: the status reached (e.g. "Won"); google: qualified | won
  std::string name;      // meta: the event_name; google: the conversion action's resource name
  std::int64_t event_seq = 0;  // the outbox event that reached the stage (the order)
  Id event_id;
  Timestamp event_at{};  // when the stage was reached: Meta's event_time, Google's date time
  std::string click_id;  // meta: the leadgen_id; google: the gclid
  std::optional<Timestamp> click_at;  // google: the lead's time (the 90-day window's start)
  std::optional<std::string> value;   // google, won: the deal value's amount ("125000.50")
  std::optional<std::string> currency;
  std::string status = "pending";  // pending | sent | rejected | expired
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::optional<Timestamp> claimed_until;
  std::optional<std::string> reason;  // rejected: the platform's; expired: the window; pending:
                                      // the last failure
  std::optional<std::string> trace;   // meta: the answer's fbtrace_id
  Timestamp created_at{};
  Timestamp updated_at{};
};
// What GET /api/v1/conversions lists, by (event_seq, platform), after the cursor.
struct ConversionFilter {
  std::optional<Id> opp_id;
  std::optional<std::string> platform;
  std::optional<std::string> status;
  std::int64_t after_seq = 0;  // with after_platform: the last row of the previous page
  std::string after_platform;  // "" : every platform of after_seq too
  int limit = 100;
};
// ---- end of Conversions ----

class ReadTx {
 public:
  virtual ~ReadTx() = default;

  virtual Result<std::optional<User>> get_user(const Id& id) = 0;
  virtual Result<std::optional<User>> find_user_by_email(const std::string& email) = 0;
  virtual Result<std::vector<User>> list_users(const UserFilter& filter) = 0;

  virtual Result<std::optional<Destination>> get_destination(const Id& id) = 0;
  // Case-insensitive, non-deleted only.
  virtual Result<std::optional<Destination>> find_destination_by_name(const std::string& name) = 0;
  // Non-deleted destinations having any of the (lower-case) slugs, each with the slug matched.
  virtual Result<std::vector<std::pair<std::string, Destination>>> find_destinations_by_slugs(
      const std::vector<std::string>& slugs) = 0;
  virtual Result<std::vector<Destination>> list_destinations(bool include_deleted) = 0;

  virtual Result<std::optional<ProcessDestinationMap>> get_process_map(const Id& id) = 0;
  // The non-deleted map of a process.
  virtual Result<std::optional<ProcessDestinationMap>> find_process_map(FiltrationProcess p) = 0;
  virtual Result<std::vector<ProcessDestinationMap>> list_process_maps(bool include_deleted) = 0;

  virtual Result<std::optional<Availability>> get_availability(const Id& id) = 0;
  virtual Result<std::vector<Availability>> list_availabilities(const AvailabilityFilter& f) = 0;

  virtual Result<std::optional<WebUrl>> get_weburl(const Id& id) = 0;
  virtual Result<std::optional<WebUrl>> find_weburl(const std::string& normalized_url) = 0;
  // Ordered by hits, most first, then url.
  virtual Result<std::vector<WebUrl>> list_weburls(const WebUrlFilter& filter) = 0;

  virtual Result<std::optional<Lead>> get_lead(const Id& id) = 0;
  virtual Result<std::optional<Opportunity>> get_opportunity(const Id& id) = 0;
  // In filter.sort order.
  virtual Result<std::vector<Opportunity>> list_opportunities(const OpportunityFilter& filter,
                                                              const Page& page) = 0;
  // How many opportunities match `filter` with its status left out, per status.
  virtual Result<OpportunityCounts> count_opportunities(const OpportunityFilter& filter) = 0;
  // How many opportunities match `filter` (its status included) per status, CRM stage and
  // sub-stage, in that order; only combinations with rows.
  virtual Result<std::vector<StageCount>> count_opportunities_by_stage(
      const OpportunityFilter& filter) = 0;
  // The opportunities matching `f`, newest first (id desc), after page.after, at most
  // page.limit. A filter with neither terms nor a prefix matches nothing.
  virtual Result<std::vector<Opportunity>> search_opportunities(const SearchFilter& f,
                                                                const Page& page) = 0;
  // Newest first.
  virtual Result<std::vector<Activity>> list_activities(const Id& opp_id, const Page& page) = 0;

  // The record of `key` sent by the caller `scope`; another caller's record is never returned.
  virtual Result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& scope,
                                                                    const std::string& key) = 0;

  // ---- Authentication ----
  // The session whose token hashes to `token_hash` (active or not, expired or not).
  virtual Result<std::optional<Session>> find_session(const std::string& token_hash) = 0;
  virtual Result<std::optional<ApiKey>> get_api_key(const Id& id) = 0;
  // The key (revoked or not) whose secret hashes to `key_hash`.
  virtual Result<std::optional<ApiKey>> find_api_key(const std::string& key_hash) = 0;
  // Every key, revoked ones too, ordered by id (oldest first).
  virtual Result<std::vector<ApiKey>> list_api_keys() = 0;
  // The throttles holding a delay that runs past `now`, most recently failed first, at most
  // `limit`.
  virtual Result<std::vector<LoginThrottle>> list_login_throttles(Timestamp now, int limit) = 0;
  // ---- end of Authentication ----

  // ---- Follow-ups and notes ----
  virtual Result<std::optional<FollowUp>> get_followup(const Id& id) = 0;
  // Every follow-up of the opportunity (any status), newest first.
  virtual Result<std::vector<FollowUp>> list_followups(const Id& opp_id) = 0;
  // Active follow-ups whose reminderDate is in the window (and whose owner is w.owner, when
  // given), earliest reminder first, then by id.
  virtual Result<std::vector<FollowUp>> list_due_followups(const DueWindow& w) = 0;
  // The PSV/WEST agents' follow-ups: opportunities with status InPSV or InWEST whose
  // nextFollowUpDate is in the window (and whose assignedPsv or assignedWest is w.owner, when
  // given), earliest first, then by id.
  virtual Result<std::vector<Opportunity>> list_filtration_due(const DueWindow& w) = 0;
  // Newest first.
  virtual Result<std::vector<Note>> list_notes(const Id& opp_id, const Page& page) = 0;
  // The opportunities whose crmStageMeta.crmEntryAt is in [from, to), earliest entry first, then
  // by id. Adapters keep crmEntryAt queryable (a column or an expression index).
  virtual Result<std::vector<CrmEntry>> list_crm_entries(Timestamp from, Timestamp to) = 0;
  // The opportunities that `f` lists (its order ignored), counted by `by`, kind,
  // step and outcome. kAgent counts an opportunity once for each distinct person among its
  // assignedPsv, assignedWest and opportunityOwner (none: not counted).
  virtual Result<std::vector<FunnelCount>> count_funnel(const OpportunityFilter& f,
                                                        FunnelGroup by) = 0;
  // Every person's open opportunities by status (each distinct person of a row once, as in
  // count_funnel's kAgent), and their overdue reminders as of `now`.
  virtual Result<std::vector<HeldCount>> count_held_open() = 0;
  // The deal values of the opportunities that `f` lists that have one, summed per currency: per
  // person (each distinct person of a row once, as in count_funnel's kAgent) when `per_person`,
  // else once over all (person "").
  virtual Result<std::vector<RevenueSum>> sum_revenue(const OpportunityFilter& f,
                                                      bool per_person) = 0;
  virtual Result<std::vector<OverdueCount>> count_overdue(Timestamp now) = 0;
  virtual Result<NowCounts> now_counts(Timestamp now) = 0;
  // ---- end of Follow-ups and notes ----

  // ---- Saved views ----
  // The person's views, by name.
  virtual Result<std::vector<SavedView>> list_saved_views(const Id& owner) = 0;
  virtual Result<std::optional<SavedView>> get_saved_view(const Id& id) = 0;
  // ---- end of Saved views ----

  // ---- Scoring, URL insight, jobs ----
  // Newest first.
  virtual Result<std::vector<ScoreConfig>> list_score_configs() = 0;
  virtual Result<std::optional<ScoreConfig>> get_score_config(const Id& id) = 0;
  virtual Result<std::optional<ScoreConfig>> active_score_config() = 0;
  // max(updated_at) over score configurations in ms (0 when none): every change bumps
  // updated_at, so a differing stamp means the cached active configuration may be stale.
  virtual Result<std::int64_t> score_configs_stamp() = 0;
  // Open opportunities (not closed, not duplicate) whose travelMonthDateFormat is in [from, to)
  // and whose scoreUpdatedForTraveMonthAt is absent or before `stamped_before`, by id, at most
  // `limit`.
  virtual Result<std::vector<Opportunity>> travel_month_due(Timestamp from, Timestamp to,
                                                            Timestamp stamped_before,
                                                            int limit) = 0;
  // The URL's hits per UTC day in [from_day, to_day] ("YYYY-MM-DD", inclusive), by day; days
  // without hits are left out.
  virtual Result<std::vector<DailyHits>> weburl_daily_hits(const Id& url_id,
                                                           const std::string& from_day,
                                                           const std::string& to_day) = 0;
  // Web URLs (filtered by f.consumed) with their hits in [from_day, to_day], most hits first
  // (then url), URLs without hits in the range left out, paged by f.limit / f.offset.
  virtual Result<std::vector<WebUrlRangeHits>> list_weburls_hit_between(
      const WebUrlFilter& f, const std::string& from_day, const std::string& to_day) = 0;
  // The latest runs of `job`, newest slot first.
  virtual Result<std::vector<JobRun>> list_job_runs(const std::string& job, int limit) = 0;
  // ---- end of Scoring, URL insight, jobs ----

  // ---- Import ----
  // The ids among `ids` that a record of `kind` has (deleted records included), in no particular
  // order, each once. An empty `ids` gives an empty answer without a query.
  virtual Result<std::vector<Id>> existing_ids(RecordKind kind, const std::vector<Id>& ids) = 0;
  // ---- end of Import ----

  // ---- Stage periods (app/stage_periods.h; migration 21) ----
  // The stays that ended in [left_from, left_to) of the opportunities matching `f`.
  virtual Result<std::vector<StageStay>> list_stage_stays(const OpportunityFilter& f,
                                                          Timestamp left_from,
                                                          Timestamp left_to) = 0;
  // The milestones of every opportunity matching `f` that has a stay.
  virtual Result<std::vector<StageMilestones>> list_stage_milestones(
      const OpportunityFilter& f) = 0;
  // ---- end of Stage periods ----

  // ---- Routing records (app/routing_decision.h; migration 20) ----
  // The routing records of an opportunity (JSON texts), oldest first.
  virtual Result<std::vector<std::string>> list_routing_decisions(const Id& opp_id) = 0;
  // ---- end of Routing records ----

  // ---- Routing settings and the sticky owner (app/sticky_owner.h; migration 28) ----
  // The admin's routing settings, nullopt when never saved.
  virtual Result<std::optional<RoutingSettings>> get_routing_settings() = 0;
  // The original (not a duplicate) opportunity with this number and destination (nullopt
  // destination matches leads with none) closed most recently, if it closed at or after `since`.
  virtual Result<std::optional<ClosedOriginal>> latest_closed_original(
      const std::string& e164, const std::optional<Id>& destination_id, Timestamp since) = 0;
  // ---- end of Routing settings ----

  // ---- Escalation policies (domain/sla_policy.h; migration 26) ----
  // Every policy, by creation (id).
  virtual Result<std::vector<SlaPolicy>> list_sla_policies() = 0;
  // Locked for the rest of a write transaction (PostgreSQL).
  virtual Result<std::optional<SlaPolicy>> get_sla_policy(const std::string& id) = 0;
  // The opportunities `p` watches that entered its stage in [from, to] and that it has not acted
  // on yet (no "act" row): still in the stage (PSV/WEST: status InPSV/InWEST not moved on from
  // the fresh-lead stage; CRM: status Open at fresh_lead) and held by someone; the earliest
  // entry first, at most `limit`.
  virtual Result<std::vector<Opportunity>> sla_candidates(const SlaPolicy& p, Timestamp from,
                                                          Timestamp to, int limit) = 0;
  // How many (policy, step) rows were written in [from, to), per policy id and step name.
  struct SlaStepCount {
    std::string policy_id;
    std::string step;
    int count = 0;
  };
  virtual Result<std::vector<SlaStepCount>> count_sla_steps(Timestamp from, Timestamp to) = 0;
  // ---- end of Escalation policies ----

  // ---- Live events ----
  // The events after `after_id` addressed to any of `recipients`, by id, at most `limit`.
  virtual Result<std::vector<LiveEvent>> live_events_after(
      std::int64_t after_id, const std::vector<std::string>& recipients, int limit) = 0;
  virtual Result<LiveEventBounds> live_event_bounds() = 0;
  // ---- end of Live events ----
  // ---- Intake (docs/intake.md) ----
  virtual Result<std::optional<MetaReceipt>> get_meta_receipt(const std::string& leadgen_id) = 0;
  // Receipts with `status` of page `page_id` (every status, every page when absent), newest
  // received first, at most `limit`.
  virtual Result<std::vector<MetaReceipt>> list_meta_receipts(
      const std::optional<std::string>& status, const std::optional<std::string>& page_id,
      int limit) = 0;
  // Pending receipts due at `now` (next_attempt_at <= now), earliest due first, at most `limit`.
  virtual Result<std::vector<MetaReceipt>> due_meta_receipts(Timestamp now, int limit) = 0;
  // How many receipts have `status`.
  virtual Result<std::int64_t> count_meta_receipts(const std::string& status) = 0;
  virtual Result<std::optional<MetaPage>> get_meta_page(const std::string& page_id) = 0;
  // Ordered by page id.
  virtual Result<std::vector<MetaPage>> list_meta_pages() = 0;
  // The forms of a page the reconciler has met, ordered by form id.
  virtual Result<std::vector<MetaForm>> list_meta_forms(const std::string& page_id) = 0;
  virtual Result<std::optional<MetaForm>> get_meta_form(const std::string& page_id,
                                                        const std::string& form_id) = 0;
  virtual Result<MetaPageStats> meta_page_stats(const std::string& page_id) = 0;
  virtual Result<std::optional<IntakeSource>> get_intake_source(const Id& id) = 0;
  virtual Result<std::optional<IntakeSource>> find_intake_source(const std::string& kind,
                                                                 const std::string& key) = 0;
  // Ordered by kind, then name.
  virtual Result<std::vector<IntakeSource>> list_intake_sources() = 0;
  virtual Result<std::optional<GoogleLeadRecord>> find_google_lead(const std::string& lead_id) = 0;
  // ---- end of Intake ----
  // ---- Outbox ----
  // The events after `after_seq`, by seq, at most `limit`.
  virtual Result<std::vector<OutboxEvent>> outbox_events_after(std::int64_t after_seq,
                                                               int limit) = 0;
  // ---- end of Outbox ----
  // ---- Webhooks ----
  virtual Result<std::vector<WebhookSubscription>> list_webhook_subscriptions() = 0;
  virtual Result<std::optional<WebhookSubscription>> get_webhook_subscription(const Id& id) = 0;
  // The deliveries of `subscription` with `status` (any when absent), by event seq, after
  // `after_seq`, at most `limit`.
  virtual Result<std::vector<WebhookDelivery>> list_webhook_deliveries(
      const Id& subscription, const std::optional<std::string>& status, std::int64_t after_seq,
      int limit) = 0;
  // The attempts of one delivery, in order.
  virtual Result<std::vector<WebhookAttempt>> list_webhook_attempts(const Id& subscription,
                                                                    std::int64_t event_seq) = 0;
  // ---- end of Webhooks ----
  // ---- Conversions ----
  // The admin's conversion settings (JSON), nullopt when never saved.
  virtual Result<std::optional<std::string>> get_conversion_settings() = 0;
  virtual Result<std::vector<Conversion>> list_conversions(const ConversionFilter& filter) = 0;
  // ---- end of Conversions ----
};

class WriteTx : public ReadTx {
 public:
  virtual Status insert_user(const User& u) = 0;
  virtual Status update_user(const User& u) = 0;

  virtual Status insert_destination(const Destination& d) = 0;
  virtual Status update_destination(const Destination& d) = 0;

  virtual Status insert_process_map(const ProcessDestinationMap& m) = 0;
  virtual Status update_process_map(const ProcessDestinationMap& m) = 0;

  virtual Status insert_availability(const Availability& a) = 0;
  virtual Status update_availability(const Availability& a) = 0;
  // All non-deleted POCs of a process, locked for the rest of the transaction.
  virtual Result<std::vector<Availability>> pool_for_update(AvailabilityProcess process) = 0;
  // rank_pool(pool_for_update(process), destination_id, platform) (round_robin.h), ordered by
  // id and locked alike, as the transaction sees the pool (other instances' commits included,
  // nothing of a rolled-back write). Round robin needs these few fields of the POCs that can take
  // the lead, not every POC's whole record (a JSON parse of each one's lists on every lead), so
  // adapters compute it cheaply: PostgreSQL in SQL, SQLite over the writer's cached pool.
  virtual Result<std::vector<RankedPoc>> ranked_pool_for_update(
      AvailabilityProcess process, const std::optional<Id>& destination_id, Platform platform) = 0;
  // leadCount += 1 and totalCount += 1, and one more lead on the local day `local_day`
  // (WorkTime::local_day; the count restarts at 1 on a new day).
  virtual Status count_assignment(const Id& availability_id, std::int64_t local_day) = 0;
  // leadCount = max(leadCount, lead_count): round_robin.h's lift_returning, stored.
  virtual Status lift_lead_count(const Id& availability_id, std::int64_t lead_count) = 0;
  // How many open opportunities each person holds in the pool's fresh stage, not yet touched
  // (PSV/WEST: funnel step "assigned"; Sales: CRM stage fresh_lead): the POCs' cap. Every id
  // asked is in the answer.
  virtual Result<std::map<Id, std::int64_t>> fresh_lead_counts(
      AvailabilityProcess pool, const std::vector<Id>& person_ids) = 0;

  virtual Status insert_weburl(const WebUrl& w) = 0;
  virtual Status update_weburl(const WebUrl& w) = 0;

  // The active entries for a destination across the non-deleted process maps, locked.
  virtual Result<std::vector<RoutingEntry>> routing_entries_for_update(
      const Id& destination_id) = 0;
  virtual Status save_routing_counter(const Id& map_id, const Id& destination_id,
                                      std::int64_t counter) = 0;

  // Streak state per (pool, destination key); the key is "" for leads with no destination.
  virtual Result<std::optional<Streak>> streak_for_update(AvailabilityProcess pool,
                                                          const std::string& destination_key) = 0;
  virtual Status save_streak(AvailabilityProcess pool, const std::string& destination_key,
                             const Streak& streak) = 0;

  // The open (not closed, not duplicate) opportunity with this number and destination (nullopt
  // destination matches leads with none), locked. At most one exists: adapters enforce it with a
  // unique index, so a racing insert of a second original fails with kConflict.
  virtual Result<std::optional<Opportunity>> find_open_original_for_update(
      const std::string& e164, const std::optional<Id>& destination_id) = 0;

  virtual Status insert_lead(const Lead& lead) = 0;
  virtual Status insert_opportunity(const Opportunity& opp) = 0;
  virtual Status update_opportunity(const Opportunity& opp, std::int64_t expected_version) = 0;
  // Opportunities awaiting assignment whose pool is `process`, oldest first.
  virtual Result<std::vector<Opportunity>> waiting_for_pool(AvailabilityProcess process,
                                                            int limit) = 0;

  virtual Status insert_activity(const Activity& a) = 0;

  // Stores `r` under (r.scope, r.key), replacing that caller's earlier record of the key.
  virtual Status save_idempotency(const IdempotencyRecord& r) = 0;

  // ---- Authentication ----
  // A duplicate token_hash is kConflict.
  virtual Status insert_session(const Session& s) = 0;
  // isActive=false; kNotFound when no session has the id.
  virtual Status end_session(const Id& session_id) = 0;
  // isActive=false on every active session of the user; returns how many were ended.
  virtual Result<int> end_user_sessions(const Id& user_id) = 0;
  // isActive=false on every active session of the user but `keep_session_id` (a password change
  // keeps the session that made it); returns how many were ended.
  virtual Result<int> end_other_sessions(const Id& user_id, const Id& keep_session_id) = 0;
  // Deletes the sessions that expired at or before `now` and the inactive ones; returns how many.
  virtual Result<int> purge_sessions(Timestamp now) = 0;
  // A duplicate key_hash is kConflict.
  virtual Status insert_api_key(const ApiKey& k) = 0;
  // Writes every field but id and key_hash; kNotFound when no key has the id.
  virtual Status update_api_key(const ApiKey& k) = 0;
  // The login throttle of (email, address) (email "" for the address's own), locked until the
  // transaction ends so that concurrent attempts, on any instance, are counted one after the
  // other; a fresh one (no failures) when none is stored. Lock pairs before addresses.
  virtual Result<LoginThrottle> login_throttle_for_update(const std::string& email,
                                                          const std::string& address) = 0;
  // Stores the throttle (inserted or replaced).
  virtual Status save_login_throttle(const LoginThrottle& t) = 0;
  // Deletes the throttles `which` selects (nothing when it selects nothing); returns how many.
  virtual Result<int> clear_login_throttles(const ThrottleSelector& which) = 0;
  // Deletes the throttles whose last failure is before `idle_before` and whose delay has ended by
  // `now`; returns how many.
  virtual Result<int> purge_login_throttles(Timestamp idle_before, Timestamp now) = 0;
  // ---- end of Authentication ----

  // ---- Follow-ups and notes ----
  // A follow-up does not need its opportunity row to exist yet: CRM entry inserts the
  // first-contact follow-up in the transaction that inserts (or updates) the opportunity, in
  // either order. Adapters therefore put no foreign key from follow-ups to opportunities.
  virtual Status insert_followup(const FollowUp& f) = 0;
  // Writes every field but id, opp_id and created_at, only if the stored version equals
  // `expected_version`, and stores expected_version + 1 (whatever f.version says). Otherwise
  // kPreconditionFailed and nothing is written; kNotFound when no follow-up has the id.
  virtual Status update_followup(const FollowUp& f, std::int64_t expected_version) = 0;
  // Notes are append-only: there is no update or delete.
  virtual Status insert_note(const Note& n) = 0;
  // ---- end of Follow-ups and notes ----

  // ---- Saved views ----
  // insert and update: kConflict when the owner has another view of that name; update and
  // delete: kNotFound when no row has the id.
  virtual Status insert_saved_view(const SavedView& v) = 0;
  virtual Status update_saved_view(const SavedView& v) = 0;
  virtual Status delete_saved_view(const Id& id) = 0;
  // ---- end of Saved views ----

  // ---- Scoring, URL insight, jobs ----
  virtual Status insert_score_config(const ScoreConfig& c) = 0;
  // Makes `id` the only active configuration (is_active=false, updated_at=now on every other
  // active one; is_active=true, updated_at=now on `id`); kNotFound when no configuration has it.
  virtual Status activate_score_config(const Id& id, Timestamp now) = 0;
  // Opportunities with status ResolvingUnknown whose page normalises to `normalized_url`
  // (the projected page_url), oldest first, locked, at most `limit`; only ids after `after`
  // when given (a lead still ResolvingUnknown once routed must not come back in the next batch).
  virtual Result<std::vector<Opportunity>> resolving_from_url(const std::string& normalized_url,
                                                              int limit,
                                                              const std::optional<Id>& after) = 0;
  // hits += 1 for (url_id, day).
  virtual Status count_weburl_daily_hit(const Id& url_id, const std::string& day) = 0;
  // Inserts the run unless (run.job, run.slot) exists: true iff inserted (this caller owns it).
  virtual Result<bool> claim_job_run(const JobRun& run) = 0;
  // Writes finished_at, outcome, counts_json and error of (run.job, run.slot).
  virtual Status finish_job_run(const JobRun& run) = 0;
  // ---- end of Scoring, URL insight, jobs ----

  // ---- Stage periods ----
  // Ends the open stay of `opp_id` (if any) at `at` and opens one with `status`, `stage`, `step`
  // and `person`, entered at `at`.
  virtual Status enter_stage(const Id& opp_id, const std::string& status, const std::string& stage,
                             FunnelStep step, const std::optional<Id>& person, Timestamp at) = 0;
  // ---- end of Stage periods ----

  // ---- Routing settings ----
  virtual Status put_routing_settings(const RoutingSettings& s, Timestamp at) = 0;
  // ---- end of Routing settings ----

  // ---- Routing records ----
  virtual Status insert_routing_decision(const Id& opp_id, Timestamp at,
                                         const std::string& doc) = 0;
  // ---- end of Routing records ----

  // ---- Escalation policies ----
  virtual Status insert_sla_policy(const SlaPolicy& p) = 0;
  virtual Status update_sla_policy(const SlaPolicy& p) = 0;  // kNotFound when it does not exist
  // Deletes the policy and the record of its steps. kNotFound when it does not exist.
  virtual Status delete_sla_policy(const std::string& id) = 0;
  // Claims `step` of policy `policy_id` on the opportunity: true when this transaction wrote the
  // row, false when it exists (another run, on this or another instance, took the step). On
  // PostgreSQL a second claimer waits for the first's transaction and answers false if it
  // committed, so a step is taken once with its action.
  virtual Result<bool> claim_sla_step(const std::string& policy_id, const Id& opp_id, SlaStep step,
                                      Timestamp at) = 0;
  // ---- end of Escalation policies ----

  // ---- Live events ----
  // Stores `e` (e.id is ignored) and returns its id, greater than every id committed before; the
  // store hands it to its LiveSink once the transaction commits, never if it rolls back.
  virtual Result<std::int64_t> insert_live_event(const LiveEvent& e) = 0;
  // Deletes the events created before `before`, except the newest event (whose id keeps the
  // numbering going up); returns how many.
  virtual Result<int> purge_live_events(Timestamp before) = 0;
  // ---- end of Live events ----
  // ---- Intake (docs/intake.md) ----
  // Inserts the receipt unless its leadgen_id is stored: true iff inserted.
  virtual Result<bool> insert_meta_receipt(const MetaReceipt& r) = 0;
  // Writes status, attempts, next_attempt_at, reason, opportunity_id and updated_at of
  // r.leadgen_id, only while the stored status is not "ingested": an ingested receipt is final.
  // kNotFound when no such receipt; kPreconditionFailed when it is already ingested.
  virtual Status update_meta_receipt(const MetaReceipt& r) = 0;
  // Makes the failed receipts of `page_id` (every page's when empty) pending and due at `now`;
  // returns how many.
  virtual Result<int> requeue_failed_meta_receipts(const std::string& page_id, Timestamp now) = 0;
  // Inserts or replaces the page (its synced_at and sync_error are left as stored).
  virtual Status save_meta_page(const MetaPage& p) = 0;
  // Records the page's last sync (synced_at, sync_error); nothing when the page is not stored.
  virtual Status note_meta_page_sync(const std::string& page_id, Timestamp at,
                                     const std::optional<std::string>& error) = 0;
  // Inserts or replaces the form (by page and form id).
  virtual Status save_meta_form(const MetaForm& f) = 0;
  // Inserts or replaces the source (by id); kConflict when another source has its kind and key.
  virtual Status save_intake_source(const IntakeSource& s) = 0;
  // True iff a source was deleted.
  virtual Result<bool> delete_intake_source(const Id& id) = 0;
  // Sets last_lead_at (when given) and last_error (cleared when absent) of source `id`.
  virtual Status note_intake_source(const Id& id, std::optional<Timestamp> last_lead_at,
                                    const std::optional<std::string>& last_error) = 0;
  // Inserts the record unless its lead_id is stored: true iff inserted.
  virtual Result<bool> insert_google_lead(const GoogleLeadRecord& r) = 0;
  // ---- end of Intake ----
  // ---- Outbox ----
  // Stores `e` (e.seq is ignored) in this transaction.
  virtual Status insert_outbox_event(const OutboxEvent& e) = 0;
  // ---- end of Outbox ----
  // ---- Webhooks ----
  virtual Status insert_webhook_subscription(const WebhookSubscription& s) = 0;
  // kNotFound when there is no such subscription.
  virtual Status update_webhook_subscription(const WebhookSubscription& s) = 0;
  // Deletes it with its deliveries and attempts; kNotFound when there is no such subscription.
  virtual Status delete_webhook_subscription(const Id& id) = 0;
  // The events not yet fanned out to the subscriptions, by seq, at most `limit`; on PostgreSQL
  // locked (SKIP LOCKED: two instances take different events).
  virtual Result<std::vector<OutboxEvent>> unfanned_outbox_events(int limit) = 0;
  // Marks the events fanned out.
  virtual Status mark_outbox_fanned_out(const std::vector<std::int64_t>& seqs) = 0;
  virtual Status insert_webhook_delivery(const WebhookDelivery& d) = 0;
  // Takes the deliveries of `subscription` that are pending, due at `now`, not claimed by
  // another instance (claimed_until before `now`) and first of their opportunity (no pending
  // delivery of the same opportunity with a smaller seq): by seq, at most `limit`, each claimed
  // until `lease` and read with its event's body. On PostgreSQL the rows are locked with SKIP
  // LOCKED, so two instances never take the same one.
  virtual Result<std::vector<WebhookDelivery>> claim_webhook_deliveries(const Id& subscription,
                                                                        Timestamp now,
                                                                        Timestamp lease,
                                                                        int limit) = 0;
  // Writes status, attempts, next_attempt_at, last_status, last_error and updated_at of the
  // delivery and releases its claim, and appends `attempt` to its log (when attempt.attempt > 0).
  virtual Status finish_webhook_delivery(const WebhookDelivery& d,
                                         const WebhookAttempt& attempt) = 0;
  // Makes the dead deliveries of `subscription` (only `event_seq`'s when given) pending again,
  // due at `now`, with their attempts reset; returns how many.
  virtual Result<int> replay_webhook_deliveries(const Id& subscription,
                                                std::optional<std::int64_t> event_seq,
                                                Timestamp now) = 0;
  // ---- end of Webhooks ----
  // ---- Conversions ----
  virtual Status put_conversion_settings(const std::string& doc, Timestamp at) = 0;
  // Inserts `c` unless its (opp_id, platform, stage) is stored: true iff inserted.
  virtual Result<bool> insert_conversion(const Conversion& c) = 0;
  // Takes the pending conversions of `platform` due at `now`, not claimed (claimed_until before
  // `now`) and first of their opportunity (no pending conversion of it for the platform with a
  // smaller event_seq, no earlier event of it waiting to be fanned out): by event_seq, at most
  // `limit`, each claimed until `lease`. PostgreSQL: SKIP LOCKED.
  virtual Result<std::vector<Conversion>> claim_conversions(const std::string& platform,
                                                            Timestamp now, Timestamp lease,
                                                            int limit) = 0;
  // Writes status, attempts, next_attempt_at, reason, trace and updated_at and releases the claim.
  virtual Status finish_conversion(const Conversion& c) = 0;
  // ---- end of Conversions ----
};

// A running total an adapter keeps, for /metrics (a Prometheus counter).
struct StoreCounter {
  std::string name;  // a metric name, leadproc_<adapter>_...
  std::string help;
  double total = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` in one write transaction: commits iff it returns ok and the commit succeeds
  // (durably: a returned ok means the data survives a crash).
  virtual Status write(const std::function<Status(WriteTx&)>& fn) = 0;
  // Runs `fn` on a consistent snapshot.
  virtual Status read(const std::function<Status(ReadTx&)>& fn) = 0;
  // Applies pending schema migrations; returns the schema version reached.
  virtual Result<int> migrate() = 0;
  // True iff the database answers.
  virtual bool ready() = 0;
  // The adapter's own counters (none by default). Cheap and non-blocking: /metrics calls it on
  // the network thread.
  virtual std::vector<StoreCounter> counters() { return {}; }
  // What the store is and how it was opened, for the start-up log (no secrets): e.g.
  // "sqlite ./data/leadproc.db, writer VFS leadproc-wal-write-buffer/unix".
  virtual std::string describe() { return {}; }
  // Where the live events of committed transactions go (LiveSink): this process's (SQLite), or
  // every instance's (PostgreSQL: LISTEN on a connection of its own). Set once, before serving.
  virtual void set_live_sink(LiveSink sink) { (void)sink; }
};

}  // namespace leadproc
