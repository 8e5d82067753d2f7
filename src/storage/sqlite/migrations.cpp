#include "storage/sqlite/migrations.h"

#include "storage/sqlite/deferred_indexes.h"

#include <array>
#include <chrono>
#include <string>

#include "storage/sql/columns.h"
#include "storage/sqlite/search_terms.h"
#include "storage/sqlite/stored_opportunities.h"

namespace leadproc::sqlite {
namespace {

// Conventions: ids TEXT (ObjectId hex); timestamps INTEGER milliseconds since the epoch, UTC;
// booleans INTEGER 0/1; enums their wire strings. References to other entities carry no FOREIGN
// KEY where imported data may hold dangling ids (MongoDB never enforced them); child tables that
// are part of their parent (slugs, map entries) do.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE users (
  id                 TEXT PRIMARY KEY,
  email              TEXT NOT NULL,
  first_name         TEXT,
  last_name          TEXT,
  credentials        TEXT NOT NULL DEFAULT '',
  phone_country_code TEXT,
  phone_number       TEXT,
  department         TEXT NOT NULL,
  is_active          INTEGER NOT NULL,
  deleted            INTEGER NOT NULL,
  created_by         TEXT,
  modified_by        TEXT,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email_unique ON users(lower(email)) WHERE deleted = 0;
CREATE INDEX users_email ON users(lower(email));

CREATE TABLE destinations (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  slugs      TEXT NOT NULL,  -- JSON array of strings, as given
  preference REAL NOT NULL,
  deleted    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX destinations_name_unique ON destinations(lower(name)) WHERE deleted = 0;

-- The slugs of each destination, lower-cased, kept in sync with destinations.slugs.
CREATE TABLE destination_slugs (
  destination_id TEXT NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
  slug           TEXT NOT NULL,
  PRIMARY KEY (destination_id, slug)
) WITHOUT ROWID;
CREATE INDEX destination_slugs_slug ON destination_slugs(slug);

CREATE TABLE process_maps (
  id         TEXT PRIMARY KEY,
  process    TEXT NOT NULL,
  deleted    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX process_maps_process_unique ON process_maps(process) WHERE deleted = 0;

CREATE TABLE process_map_entries (
  map_id         TEXT NOT NULL REFERENCES process_maps(id) ON DELETE CASCADE,
  destination_id TEXT NOT NULL,
  name           TEXT NOT NULL,
  is_active      INTEGER NOT NULL,
  load_share     INTEGER NOT NULL,
  counter        INTEGER NOT NULL,
  sheet_name     TEXT,
  waba_number    TEXT,
  position       INTEGER NOT NULL,  -- order within the map's `destinations` array
  PRIMARY KEY (map_id, destination_id)
) WITHOUT ROWID;
CREATE INDEX process_map_entries_destination ON process_map_entries(destination_id);

CREATE TABLE availabilities (
  id           TEXT PRIMARY KEY,
  person_id    TEXT NOT NULL,
  person_name  TEXT NOT NULL,
  is_available INTEGER NOT NULL,
  process      TEXT NOT NULL,
  source       TEXT NOT NULL,  -- JSON array of platform strings
  destinations TEXT NOT NULL,  -- JSON array of {"_id", "name"}
  seq          INTEGER,
  lead_count   INTEGER NOT NULL,
  total_count  INTEGER NOT NULL,
  deleted      INTEGER NOT NULL,
  created_by   TEXT,
  modified_by  TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX availabilities_pool ON availabilities(process, deleted, is_available);
CREATE INDEX availabilities_person ON availabilities(person_id, deleted);

-- Who got the previous lead of a (pool, destination) and how many in a row; '' = no destination.
CREATE TABLE routing_streaks (
  pool            TEXT NOT NULL,
  destination_key TEXT NOT NULL,
  availability_id TEXT NOT NULL,
  length          INTEGER NOT NULL,
  PRIMARY KEY (pool, destination_key)
) WITHOUT ROWID;

CREATE TABLE weburls (
  id               TEXT PRIMARY KEY,
  url              TEXT NOT NULL UNIQUE,
  consumed         INTEGER NOT NULL,
  destination_id   TEXT,
  destination_name TEXT,
  hits             INTEGER NOT NULL,
  last_hit_at      INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX weburls_consumed_hits ON weburls(consumed, hits DESC, url);
CREATE INDEX weburls_hits ON weburls(hits DESC, url);

-- The whole record is `doc` (codec::to_json); the columns are what queries filter on.
CREATE TABLE leads (
  id         TEXT PRIMARY KEY,
  trace_id   TEXT,
  number     TEXT NOT NULL,
  platform   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc        TEXT NOT NULL
);
CREATE INDEX leads_number ON leads(number);
CREATE INDEX leads_trace_id ON leads(trace_id) WHERE trace_id IS NOT NULL;

-- The whole record is `doc` (codec::to_json) except `version`, which the column holds; the
-- other columns are derived from the record on every write and exist for queries and indexes.
CREATE TABLE opportunities (
  id                  TEXT PRIMARY KEY,
  lead_id             TEXT,
  trace_id            TEXT NOT NULL,
  number              TEXT NOT NULL,
  destination_key     TEXT NOT NULL,  -- destination id, '' when there is none
  status              TEXT NOT NULL,
  filteration_process TEXT,
  platform            TEXT NOT NULL,
  assigned_psv        TEXT,
  assigned_west       TEXT,
  owner               TEXT,
  is_duplicate        INTEGER NOT NULL,
  closed              INTEGER NOT NULL,  -- lifecycle.h is_closed()
  awaiting_pool       TEXT,
  next_follow_up_date INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  version             INTEGER NOT NULL,
  doc                 TEXT NOT NULL
);
-- At most one open original per number and destination: duplicate detection cannot be raced,
-- a second original fails with a unique violation (kConflict).
CREATE UNIQUE INDEX opportunities_open_original ON opportunities(number, destination_key)
  WHERE is_duplicate = 0 AND closed = 0;
-- List filters; every list is newest first by id (ObjectIds sort by creation time).
CREATE INDEX opportunities_number ON opportunities(number, id);
CREATE INDEX opportunities_status ON opportunities(status, id);
CREATE INDEX opportunities_created ON opportunities(created_at);
CREATE INDEX opportunities_assigned_psv ON opportunities(assigned_psv, status, id)
  WHERE assigned_psv IS NOT NULL;
CREATE INDEX opportunities_assigned_west ON opportunities(assigned_west, status, id)
  WHERE assigned_west IS NOT NULL;
CREATE INDEX opportunities_owner ON opportunities(owner, status, id) WHERE owner IS NOT NULL;
CREATE INDEX opportunities_process ON opportunities(filteration_process, status, id);
CREATE INDEX opportunities_awaiting ON opportunities(awaiting_pool, id)
  WHERE awaiting_pool IS NOT NULL;
-- The admins' list of unassigned leads, newest first (few rows: without it the list would scan
-- the whole table by id looking for them).
CREATE INDEX opportunities_unassigned ON opportunities(id) WHERE awaiting_pool IS NOT NULL;
CREATE INDEX opportunities_platform ON opportunities(platform, id);
CREATE INDEX opportunities_destination ON opportunities(destination_key, id);

CREATE TABLE activities (
  id          TEXT PRIMARY KEY,
  opp_id      TEXT NOT NULL,
  activity_by TEXT,
  phase       TEXT NOT NULL,
  description TEXT NOT NULL,
  changes     TEXT NOT NULL,  -- JSON [{"field","previousValue","newValue"}], values as JSON text
  created_at  INTEGER NOT NULL
);
CREATE INDEX activities_opp ON activities(opp_id, id DESC);

CREATE TABLE idempotency_keys (
  key           TEXT PRIMARY KEY,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
)sql";

// Migration 2: follow-ups and notes (the workflow)
constexpr std::string_view kFollowUpsSchema = R"sql(
-- The spec's `opportunityfollowups`. No FOREIGN KEY to opportunities: CRM entry inserts the
-- first-contact follow-up in the transaction that inserts the opportunity, in either order, and
-- imported data may hold dangling ids. `owner`, `outcome` and `version` are additions.
CREATE TABLE followups (
  id                    TEXT PRIMARY KEY,
  opp_id                TEXT NOT NULL,
  stage                 TEXT NOT NULL,
  sub_stage             TEXT,
  not_interested_reason TEXT,
  count                 INTEGER NOT NULL,
  note                  TEXT,
  reminder_date         INTEGER,
  status                TEXT NOT NULL,  -- active | canceled | completed
  completed_at          INTEGER,
  custom_remark         TEXT,
  outcome               TEXT,
  owner                 TEXT,
  created_by            TEXT,
  modified_by           TEXT,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  version               INTEGER NOT NULL
);
CREATE INDEX followups_opp ON followups(opp_id, id DESC);
-- Due / overdue / upcoming lists, everyone's and one owner's: active ones by reminder date.
CREATE INDEX followups_due ON followups(reminder_date, id) WHERE status = 'active';
CREATE INDEX followups_owner_due ON followups(owner, reminder_date, id) WHERE status = 'active';

-- The spec's `opportunitynotes`: append-only.
CREATE TABLE notes (
  id         TEXT PRIMARY KEY,
  opp_id     TEXT NOT NULL,
  note       TEXT NOT NULL,
  created_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX notes_opp ON notes(opp_id, id DESC);
CREATE INDEX notes_created_by ON notes(created_by, id) WHERE created_by IS NOT NULL;

-- crmStageMeta.crmEntryAt projected for the SLA report (milliseconds, like every timestamp),
-- filled from the documents already stored ("YYYY-MM-DDTHH:MM:SS.mmmZ").
ALTER TABLE opportunities ADD COLUMN crm_entry_at INTEGER;
UPDATE opportunities
   SET crm_entry_at =
       CAST(strftime('%s', substr(json_extract(doc, '$.crmStageMeta.crmEntryAt'), 1, 19))
            AS INTEGER) * 1000
       + CAST(substr(json_extract(doc, '$.crmStageMeta.crmEntryAt'), 21, 3) AS INTEGER)
 WHERE json_extract(doc, '$.crmStageMeta.crmEntryAt') IS NOT NULL;
CREATE INDEX opportunities_crm_entry ON opportunities(crm_entry_at, id)
  WHERE crm_entry_at IS NOT NULL;
-- The PSV/WEST agents' follow-ups (nextFollowUpDate) in the same due lists.
CREATE INDEX opportunities_filtration_due ON opportunities(next_follow_up_date, id)
  WHERE status IN ('InPSV', 'InWEST') AND next_follow_up_date IS NOT NULL;
)sql";

// Migration 3: authentication (sessions, API keys, failed logins)
constexpr std::string_view kAuthSchema = R"sql(
-- The spec's `sessions`: only the SHA-256 of a bearer token is stored.
CREATE TABLE sessions (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  expiry     INTEGER NOT NULL,
  is_active  INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id, is_active);
CREATE INDEX sessions_expiry ON sessions(expiry);

-- Lead sources' keys: only the SHA-256 of the key is stored.
CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  key_hash     TEXT NOT NULL UNIQUE,
  platform     TEXT NOT NULL,
  created_by   TEXT,
  revoked      INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER
);

-- Failed logins for throttling, per subject ('email:<address>' or 'ip:<address>'). In the
-- database, not in memory, so that several instances count together.
CREATE TABLE login_failures (
  id      INTEGER PRIMARY KEY,
  subject TEXT NOT NULL,
  at      INTEGER NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures(subject, at);
CREATE INDEX login_failures_at ON login_failures(at);
)sql";

// Migration 4: scoring, URL insight, jobs
constexpr std::string_view kScoringJobsSchema = R"sql(
-- The spec's opportunityscoreconfiguration; at most one row is active (partial unique index).
CREATE TABLE score_configurations (
  id                  TEXT PRIMARY KEY,
  paid_ads            REAL NOT NULL,
  website_organic     REAL NOT NULL,
  instagram           REAL NOT NULL,
  instagram_qualified REAL NOT NULL,
  whatsapp            REAL NOT NULL,
  whatsapp_qualified  REAL NOT NULL,
  direct_call         REAL NOT NULL,
  re_enquiries        REAL NOT NULL,
  visa                REAL NOT NULL,
  flights_booked      REAL NOT NULL,
  ex_client           REAL NOT NULL,
  hot_lead            REAL NOT NULL,
  is_active           INTEGER NOT NULL,
  created_by          TEXT,
  updated_by          TEXT,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE UNIQUE INDEX score_configurations_active ON score_configurations(is_active)
  WHERE is_active = 1;
CREATE INDEX score_configurations_updated ON score_configurations(updated_at);

-- Projections of the opportunity document: the score (sorting), the normalised page URL
-- (resolving waiting leads when a URL is marked), the travel month and its score stamp (the
-- daily refresh). Rows stored before this migration get score and travel month from the
-- document; their page_url stays NULL (written on their next change).
ALTER TABLE opportunities ADD COLUMN score REAL NOT NULL DEFAULT 0;
ALTER TABLE opportunities ADD COLUMN page_url TEXT;
ALTER TABLE opportunities ADD COLUMN travel_month INTEGER;
ALTER TABLE opportunities ADD COLUMN score_travel_at INTEGER;
UPDATE opportunities SET score = COALESCE(json_extract(doc, '$.opportunityScore'), 0);
UPDATE opportunities
   SET travel_month = CAST(ROUND((julianday(json_extract(doc, '$.travelMonthDateFormat'))
                                  - 2440587.5) * 86400000) AS INTEGER)
 WHERE json_extract(doc, '$.travelMonthDateFormat') IS NOT NULL;
CREATE INDEX opportunities_score ON opportunities(score DESC, id DESC);
CREATE INDEX opportunities_resolving_page ON opportunities(page_url, id)
  WHERE status = 'ResolvingUnknown';
CREATE INDEX opportunities_travel_month ON opportunities(travel_month, id)
  WHERE travel_month IS NOT NULL;

-- Hits per web URL per UTC day ("YYYY-MM-DD"), counted with the URL's total.
CREATE TABLE weburl_hits_daily (
  url_id TEXT NOT NULL,
  day    TEXT NOT NULL,
  hits   INTEGER NOT NULL,
  PRIMARY KEY (url_id, day)
);
CREATE INDEX weburl_hits_daily_day ON weburl_hits_daily(day, url_id);

-- Periodic job runs; (job, slot) unique: the instance whose insert succeeds runs the slot.
CREATE TABLE job_runs (
  job         TEXT NOT NULL,
  slot        INTEGER NOT NULL,
  instance    TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  outcome     TEXT NOT NULL,
  counts      TEXT NOT NULL,
  error       TEXT,
  PRIMARY KEY (job, slot)
);
)sql";

// Migration 5: list indexes measured at 1M rows (docs/benchmarks.md section 3)
constexpr std::string_view kListIndexesSchema = R"sql(
-- filterationProcess alone, newest first: opportunities_process has status between the two, so
-- the order needed a sort of every opportunity of the process.
CREATE INDEX opportunities_process_id ON opportunities(filteration_process, id);
-- status and destination together, newest first: opportunities_destination alone reads the
-- destination's opportunities of every status.
CREATE INDEX opportunities_destination_status ON opportunities(destination_key, status, id);
-- Created windows are read as id ranges from the primary key (store.h OpportunityFilter). This
-- index made planners read the whole window and sort it instead; nothing else used it.
DROP INDEX opportunities_created;
)sql";

// Indexes that no query reads, dropped because every lead paid for them: a phone number is a
// random key, so each lead dirtied a page of each of these two (about 2 of the 9 pages a lead
// writes), for no reader. Duplicate detection uses opportunities_open_original. A search by
// number, when one exists, brings its index back with it (and the query plan test that proves
// it is used).
constexpr std::string_view kDropUnusedIndexesSchema = R"sql(
DROP INDEX IF EXISTS opportunities_number;
DROP INDEX IF EXISTS leads_number;
)sql";

// The lists by process alone and by destination alone read one ordered sub-select per status
// from the (column, status, id) indexes instead (tx_opportunities.cpp), so these two indexes,
// which every lead's insert paid for, go: the store limit rose 16 % without them
// (docs/benchmarks.md section 2).
constexpr std::string_view kDropStatuslessListIndexesSchema = R"sql(
DROP INDEX IF EXISTS opportunities_process_id;
DROP INDEX IF EXISTS opportunities_destination;
)sql";

// Migration 8: login throttles with growing delays
// One row per (account, client address) pair and per address (email ''), holding the failures
// counted and the delay running (domain/login_throttle.h). Replaces the per-failure rows of
// login_failures, whose count-then-record could be raced and which throttled by email alone,
// so that anyone could lock any account out.
constexpr std::string_view kLoginThrottlesSchema = R"sql(
DROP TABLE IF EXISTS login_failures;
CREATE TABLE login_throttles (
  email           TEXT NOT NULL,
  address         TEXT NOT NULL,
  failures        INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  blocked_until   INTEGER NOT NULL,
  PRIMARY KEY (email, address)
);
CREATE INDEX login_throttles_address ON login_throttles(address);
CREATE INDEX login_throttles_blocked ON login_throttles(blocked_until);
)sql";
// Migration 9: idempotency keys scoped to their caller (PRODUCT.md "Idempotency")
// The key alone was global: a lead source sending a traceID another source had used was refused
// (422) or, with the same body, given the other source's answer. The records move to a new table
// whose primary key is (scope, key). Every record from before is copied with the scope '', which
// no caller has: it never replays to anyone (a retry of such a lead is stored again and found a
// duplicate). The old table stays, unread, so that instances of an older binary keep working
// during a rolling upgrade (docs/operations.md "Upgrading"); a later migration drops it.
constexpr std::string_view kScopedIdempotencySchema = R"sql(
CREATE TABLE idempotency_records (
  scope         TEXT NOT NULL,  -- "api-key:<id>", "user:<id>"; '' for records from before
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
INSERT INTO idempotency_records (scope, key, request_hash, status, response_body, created_at)
  SELECT '', key, request_hash, status, response_body, created_at FROM idempotency_keys;
CREATE INDEX idempotency_records_created ON idempotency_records(created_at);
)sql";

// Search (docs/api-search.md): the terms of each opportunity (domain/search_text.h: name words,
// email, and the number's digits reversed, so that its last digits are a prefix) in a table
// whose primary key (term, opp_id) answers every search in id order. The number is indexed again
// (migration 6 dropped opportunities_number) but as one narrow row per term, and the terms an
// opportunity is indexed under are kept with it, so an update touches the index only when the
// name, email or number changed. Existing opportunities are indexed by the backfill.
constexpr std::string_view kSearchTermsSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN search_terms TEXT;
CREATE TABLE opportunity_terms (
  term   TEXT NOT NULL,
  opp_id TEXT NOT NULL,
  PRIMARY KEY (term, opp_id)
) WITHOUT ROWID;
)sql";

// Search (docs/benchmarks.md §8): the name words of an opportunity are indexed once more per
// person who may read it (search_text.h person_term), so that an agent's own name search reads
// only their entries. The opportunities someone has are re-indexed by migration 10's backfill
// (which adds the terms they lack and records the new set).
constexpr std::string_view kPersonTermsSchema = R"sql(
UPDATE opportunities SET search_terms = NULL
  WHERE assigned_psv IS NOT NULL OR assigned_west IS NOT NULL OR owner IS NOT NULL;
)sql";

// The deal value of a won opportunity (domain/money.h; issue 17): its amount in the currency's
// minor units and the currency, derived from the document on every write like the other columns,
// so that revenue reports add integers in SQL (SUM(deal_amount) per deal_currency) and never
// parse documents. No backfill: no stored opportunity has a deal value yet.
constexpr std::string_view kDealValueSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN deal_amount INTEGER;
ALTER TABLE opportunities ADD COLUMN deal_currency TEXT;
)sql";

// Live events (docs/api-events.md, docs/architecture.md "Live events"): one narrow row per event,
// written in the transaction of the change that raised it. The rowid is the event's id, and
// replay reads a range of it (id > Last-Event-ID) filtered by recipient, so no other index is
// kept: each lead pays one row and nothing more. The purge keeps the newest row, so ids never
// go back (no AUTOINCREMENT, whose sqlite_sequence row would be one more write per event).
constexpr std::string_view kLiveEventsSchema = R"sql(
CREATE TABLE live_events (
  id         INTEGER PRIMARY KEY,
  recipient  TEXT NOT NULL,
  type       TEXT NOT NULL,
  opp_id     TEXT,
  created_at INTEGER NOT NULL,
  data       TEXT NOT NULL
);
)sql";
// A person's named filters of the opportunities list (GET /api/v1/me/views): the list's query
// parameters as a JSON object. A name is unique per person (a second one is kConflict).
constexpr std::string_view kSavedViewsSchema = R"sql(
CREATE TABLE saved_views (
  id         TEXT PRIMARY KEY,
  owner      TEXT NOT NULL,
  name       TEXT NOT NULL,
  query      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_views_owner_name ON saved_views(owner, name);
)sql";
// The funnel (docs/reports.md): where each opportunity stands, projected from the record on
// every write (sql::funnel_columns), so that the funnel report and the opportunities list filtered
// by campaign, step or outcome count the same rows. The backfill computes them for every
// opportunity stored before (one parse of each document).
constexpr std::string_view kFunnelSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN campaign TEXT NOT NULL DEFAULT '';
ALTER TABLE opportunities ADD COLUMN funnel_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE opportunities ADD COLUMN funnel_outcome TEXT;
)sql";

Status backfill_funnel(Connection& c) {
  auto rows = stored_opportunities(c, "1 = 1");
  if (!rows) return rows.error();
  for (const auto& [id, opp] : *rows) {
    const auto f = sql::funnel_columns(opp);
    auto q = c.query(
        "UPDATE opportunities SET campaign = ?2, funnel_step = ?3, funnel_outcome = ?4 "
        "WHERE id = ?1");
    if (!q) return q.error();
    q->bind_text(1, id);
    q->bind_text(2, f.campaign);
    q->bind_int(3, f.step);
    if (f.outcome)
      q->bind_text(4, *f.outcome);
    else
      q->bind_null(4);
    if (auto s = q->run(); !s) return s;
  }
  return ok_status();
}
// Migration 16: intake from Meta Lead Ads (docs/intake.md)
// One durable receipt per Meta `leadgen` change, stored before the webhook is answered; the
// leadgen_id (decimal text: it exceeds a double) is the key, so a redelivery adds nothing. A
// pending receipt is fetched from the Graph API when due; it becomes "ingested" in the
// transaction that stores its lead (exactly one lead per leadgen_id), or "failed" with the
// reason an admin reads. meta_pages holds each page's access token and answer mapping.
constexpr std::string_view kMetaIntakeSchema = R"sql(
CREATE TABLE meta_receipts (
  leadgen_id      TEXT PRIMARY KEY,
  page_id         TEXT NOT NULL,
  form_id         TEXT,
  ad_id           TEXT,
  adgroup_id      TEXT,
  created_time    INTEGER,
  status          TEXT NOT NULL,  -- pending | ingested | failed
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  reason          TEXT,
  opp_id          TEXT,
  received_at     INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX meta_receipts_due ON meta_receipts(status, next_attempt_at);
CREATE INDEX meta_receipts_received ON meta_receipts(received_at);
CREATE TABLE meta_pages (
  page_id            TEXT PRIMARY KEY,
  access_token       TEXT NOT NULL,
  instagram_platform INTEGER NOT NULL,
  mapping            TEXT NOT NULL,
  updated_at         INTEGER NOT NULL
);
)sql";

// Migration 17: the outbox (docs/events.md)
// One row per event for the world outside (webhooks), written in the transaction of the change
// that raised it, with the exact body subscribers receive. `seq` orders the events (the sender
// reads a range of it); `id` is the event's stable id (webhook-id). process, destination and
// platform are what a subscription's filters match. No other index: each change pays one row
// per event and nothing more.
constexpr std::string_view kOutboxSchema = R"sql(
CREATE TABLE outbox_events (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL,
  type        TEXT NOT NULL,
  opp_id      TEXT,
  process     TEXT,
  destination TEXT,
  platform    TEXT,
  created_at  INTEGER NOT NULL,
  body        TEXT NOT NULL,
  fanned_out  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_events_unfanned ON outbox_events(seq) WHERE fanned_out = FALSE;
)sql";

// Migration 18: webhook subscriptions and deliveries (docs/events.md)
// A subscription holds its secret in clear (it signs with it); the previous secret signs too
// until previous_secret_until (rotation). blocked_until is the subscription's own backoff: after
// a failure nothing more is sent to it until then, so a subscriber that is down costs one attempt
// per interval, not one per event. One delivery row per (subscription, event) from the fan-out;
// claimed_until is a PostgreSQL instance's lease while it sends. One attempt row per try (the
// delivery log).
constexpr std::string_view kWebhooksSchema = R"sql(
CREATE TABLE webhook_subscriptions (
  id                    TEXT PRIMARY KEY,
  url                   TEXT NOT NULL,
  event_types           TEXT NOT NULL,
  filter_process        TEXT,
  filter_destination    TEXT,
  filter_platform       TEXT,
  secret                TEXT NOT NULL,
  previous_secret       TEXT,
  previous_secret_until INTEGER,
  enabled               INTEGER NOT NULL,
  disabled_reason       TEXT,
  blocked_until         INTEGER,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE TABLE webhook_deliveries (
  subscription_id TEXT NOT NULL,
  event_seq       INTEGER NOT NULL,
  event_id        TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  opp_id          TEXT,
  status          TEXT NOT NULL,  -- pending | delivered | dead
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER,
  last_status     INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, event_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(subscription_id, status, next_attempt_at);
CREATE INDEX webhook_deliveries_opp ON webhook_deliveries(subscription_id, opp_id, event_seq);
CREATE TABLE webhook_attempts (
  subscription_id TEXT NOT NULL,
  event_seq       INTEGER NOT NULL,
  attempt         INTEGER NOT NULL,
  at              INTEGER NOT NULL,
  status          INTEGER NOT NULL,  -- the HTTP status; 0: no answer (see error)
  latency_ms      INTEGER NOT NULL,
  error           TEXT,
  response        TEXT NOT NULL,     -- the answer's first bytes
  PRIMARY KEY (subscription_id, event_seq, attempt)
);
)sql";
// Migration 19: work schedules (issue 21: shifts, leave, check-in/out)
// A POC's shifts, leave and check-out as compact JSON (codec/work_schedule_json.h); NULL when it
// has none (always working), so ranking a pool without schedules reads nothing more.
constexpr std::string_view kWorkScheduleSchema = R"sql(
ALTER TABLE availabilities ADD COLUMN schedule TEXT;
)sql";

// Migration 20: routing records (issue 21: why each lead went where it went)
// One row per round-robin decision (app/routing_decision.h): the record as compact JSON, read by
// opportunity (GET /api/v1/opportunities/{id}/routing), never filtered otherwise.
constexpr std::string_view kRoutingDecisionsSchema = R"sql(
CREATE TABLE routing_decisions (
  id         INTEGER PRIMARY KEY,
  opp_id     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc        TEXT NOT NULL
);
CREATE INDEX routing_decisions_opp ON routing_decisions(opp_id, id);
)sql";

// Migration 21: stage periods (issue 18: time in stage)
// One row per stay of an opportunity in a status and stage (app/stage_periods.h), written in the
// change's own transaction: entered_at when it entered, left_at (NULL while it is still there)
// when it moved on, the step of the funnel it had reached and the person working it then. The
// time-in-stage report reads the stays that ended in its period and the first entry at each
// funnel step. No `id` column, so that the list's own conditions (storage/sql/opportunity_where.h)
// name the opportunity's columns unambiguously in a join. Existing opportunities get one open
// stay in their current stage from their last update (their history before this migration is
// only in the audit trail's text). Migration 24's crm_stage column may not exist yet: the stage
// is read from the document.
constexpr std::string_view kStagePeriodsSchema = R"sql(
CREATE TABLE stage_periods (
  opp_id       TEXT NOT NULL,
  stay_status  TEXT NOT NULL,
  stay_stage   TEXT NOT NULL,
  stay_person  TEXT,
  stay_step    INTEGER NOT NULL,
  entered_at   INTEGER NOT NULL,
  left_at      INTEGER
);
CREATE INDEX stage_periods_opp ON stage_periods(opp_id, entered_at);
CREATE INDEX stage_periods_left ON stage_periods(left_at) WHERE left_at IS NOT NULL;
INSERT INTO stage_periods (opp_id, stay_status, stay_stage, stay_person, stay_step, entered_at)
  SELECT id, status,
         COALESCE(json_extract(doc, '$.crmStageMeta.stage'),
                  json_extract(doc, '$.filtrationStatus.stage'), ''),
         CASE WHEN json_extract(doc, '$.crmStageMeta.stage') IS NOT NULL THEN owner
              ELSE COALESCE(assigned_psv, assigned_west) END,
         funnel_step, updated_at
    FROM opportunities;
)sql";

// Migration 22: intake sources and Google leads
// Intake sources configured by admins (POST /api/v1/intake/sources; docs/intake.md): a Google Ads
// lead form (kind "google": source_key its form_id, secret its google_key). google_leads holds
// each Google lead taken in, keyed by Google's lead_id and written in the lead's own transaction,
// so a redelivery stores nothing (app/google_intake.h).
constexpr std::string_view kIntakeSourcesSchema = R"sql(
CREATE TABLE intake_sources (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  name         TEXT NOT NULL,
  source_key   TEXT NOT NULL,
  secret       TEXT NOT NULL,
  mapping      TEXT NOT NULL,
  last_lead_at INTEGER,
  last_error   TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX intake_sources_key ON intake_sources(kind, source_key);
CREATE TABLE google_leads (
  lead_id     TEXT PRIMARY KEY,
  source_id   TEXT NOT NULL,
  opp_id      TEXT NOT NULL,
  is_test     INTEGER NOT NULL,
  received_at INTEGER NOT NULL
);
)sql";
// Migration 24: the CRM stage as columns
// The pipeline board's column totals (GET /opportunities/counts?by=stage) count by status, CRM
// stage and sub-stage; the record keeps them in its document, which a count would have to parse
// row by row. Written on every write (sql::bind_opportunity); filled here from the documents
// (the codec writes crmStageMeta.stage and .subStage as these columns hold them).
constexpr std::string_view kCrmStageSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN crm_stage TEXT;
ALTER TABLE opportunities ADD COLUMN crm_sub_stage TEXT;
UPDATE opportunities SET crm_stage = json_extract(doc, '$.crmStageMeta.stage'),
  crm_sub_stage = json_extract(doc, '$.crmStageMeta.subStage')
  WHERE json_extract(doc, '$.crmStageMeta') IS NOT NULL;
)sql";
// Migration 25: conversions back to the ad platforms (docs/conversions.md)
// conversion_settings is one row (id 1): the admin's settings as JSON, secrets (Meta's access
// token, Google's developer and access tokens) among them in clear because they are sent as they
// are; the API never shows them. One conversions row per (opportunity, platform, stage), made
// from the outbox's events when they are fanned out (the key makes it idempotent: a stage reached
// twice is sent once); event_seq orders an opportunity's conversions (one is sent only when no
// earlier one of it is pending). click_id is Meta's leadgen_id or Google's gclid; click_at the
// lead's time (Google's 90-day window). status: pending | sent | rejected | expired; reason the
// platform's (rejected), the window's (expired) or the last failure's (pending); trace Meta's
// fbtrace_id. claimed_until is a run's lease while it sends (PostgreSQL: SKIP LOCKED).
constexpr std::string_view kConversionsSchema = R"sql(
CREATE TABLE conversion_settings (
  id         INTEGER PRIMARY KEY,
  doc        TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE conversions (
  opp_id          TEXT NOT NULL,
  platform        TEXT NOT NULL,
  stage           TEXT NOT NULL,
  name            TEXT NOT NULL,
  event_seq       INTEGER NOT NULL,
  event_id        TEXT NOT NULL,
  event_at        INTEGER NOT NULL,
  click_id        TEXT NOT NULL,
  click_at        INTEGER,
  value           TEXT,
  currency        TEXT,
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER,
  reason          TEXT,
  trace           TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (opp_id, platform, stage)
);
CREATE INDEX conversions_due ON conversions(platform, status, next_attempt_at);
CREATE INDEX conversions_order ON conversions(opp_id, platform, event_seq);
CREATE INDEX conversions_report ON conversions(event_seq, platform);
)sql";

// Migration 26: escalation policies (issue 21, item 6: an SLA that acts)
// The policies (domain/sla_policy.h), and one row per step a policy took on an opportunity: the
// primary key is the claim that makes each step happen once, across instances, in the
// transaction of its action (app/sla_escalation.h); `at` serves the SLA report's breaches by
// policy.
constexpr std::string_view kSlaPoliciesSchema = R"sql(
CREATE TABLE sla_policies (
  id                  TEXT PRIMARY KEY,
  process             TEXT NOT NULL,
  stage               TEXT NOT NULL,
  after_minutes       INTEGER NOT NULL,
  warn_before_minutes INTEGER NOT NULL,
  action              TEXT NOT NULL,
  created_by          TEXT,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE TABLE sla_steps (
  opp_id    TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  step      TEXT NOT NULL,
  at        INTEGER NOT NULL,
  PRIMARY KEY (opp_id, policy_id, step)
);
CREATE INDEX sla_steps_at ON sla_steps(at);
)sql";

// Migration 27: POC routing rules (issue 21: caps, daily quotas, weights, languages, the
// night desk)
// `rules` holds a POC's cap, daily quota, weight, languages and night-desk flag as compact JSON
// (codec/poc_rules_json.h), NULL when all are the defaults, as `schedule` does. quota_day and
// quota_count count the leads given on one business day (the local date as days since
// 1970-01-01) for the daily quota; count_assignment keeps them with leadCount.
constexpr std::string_view kPocRulesSchema = R"sql(
ALTER TABLE availabilities ADD COLUMN rules TEXT;
ALTER TABLE availabilities ADD COLUMN quota_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE availabilities ADD COLUMN quota_count INTEGER NOT NULL DEFAULT 0;
)sql";

// Migration 28: the sticky owner (app/sticky_owner.h; issue 21 item 4)
// closed_at: when the opportunity was last closed (the write that made `closed` true; NULL while
// open), kept by insert_opportunity and update_opportunity. Opportunities closed before this
// migration take their last change, the best time known. The partial index serves the sticky
// owner's look-up (number, destination, the latest closed). routing_settings is one row (id 1):
// the admin's routing settings (GET/PUT /api/v1/routing/settings); no row: the defaults.
constexpr std::string_view kStickyOwnerSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN closed_at INTEGER;
UPDATE opportunities SET closed_at = updated_at WHERE closed;
CREATE INDEX opportunities_closed_by_number ON opportunities (number, destination_key, closed_at)
  WHERE closed_at IS NOT NULL;
CREATE TABLE routing_settings (
  id                INTEGER PRIMARY KEY,
  sticky_owner_days INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
)sql";
// Migration 29: the Meta reconciler (issue 19 item 2; docs/intake.md "The reconciler")
// meta_forms holds, per form of a page, the reconciler's watermark: `watermark` (Meta's
// time_created, seconds) is such that every lead Meta listed for the form up to it has a receipt,
// written in the transaction that stored those receipts, so it never passes a lead that was not
// stored. synced_at and error say how the form's last sync went. The page's own sync (listing
// its forms) is kept on meta_pages; `via` says whether a receipt came from the webhook or a sync.
constexpr std::string_view kMetaReconcileSchema = R"sql(
ALTER TABLE meta_pages ADD COLUMN synced_at INTEGER;
ALTER TABLE meta_pages ADD COLUMN sync_error TEXT;
ALTER TABLE meta_receipts ADD COLUMN via TEXT NOT NULL DEFAULT 'webhook';
CREATE INDEX meta_receipts_page ON meta_receipts(page_id, received_at);
CREATE TABLE meta_forms (
  page_id   TEXT NOT NULL,
  form_id   TEXT NOT NULL,
  name      TEXT,
  watermark INTEGER,
  synced_at INTEGER,
  error     TEXT,
  PRIMARY KEY (page_id, form_id)
);
)sql";
// Migration 30: report indexes: the open rows per person, the funnel (issue 18 item 7)
// count_held_open (storage/sql/tx_reports.cpp) counts the open opportunities per person and status
// in three arms (assigned_psv, assigned_west, owner). Through the list indexes it visited every
// assigned row of the table to test `closed` (20 s at 1M rows); these partial indexes hold only
// the open rows, each with the columns its arm reads, so each arm reads its index alone. The
// predicates are the arms' conditions word for word (a partial index is used only when the
// query's WHERE implies it); `closed` is a column too, because SQLite counts an index as covering
// only when it holds every column the query names, its predicate's included.
constexpr std::string_view kHeldOpenSchema = R"sql(
CREATE INDEX opportunities_open_psv ON opportunities(assigned_psv, status, closed)
  WHERE assigned_psv IS NOT NULL AND closed = 0;
CREATE INDEX opportunities_open_west ON opportunities(assigned_west, status, assigned_psv, closed)
  WHERE assigned_west IS NOT NULL AND closed = 0;
CREATE INDEX opportunities_open_owner
  ON opportunities(owner, status, assigned_psv, assigned_west, closed)
  WHERE owner IS NOT NULL AND closed = 0;
-- The funnel's counts (count_funnel, sum_revenue's filter) over a period: the list's conditions
-- bound `id` (ObjectIds sort by creation) and `created_at`; with `id` first and every column the
-- funnel groups or filters by after it, a period's rows are one range of this index, read without
-- the table (0.3-0.7 s to under 0.15 s p99 at 1M rows on SQLite, docs/benchmarks.md section 21).
CREATE INDEX opportunities_funnel_cover ON opportunities(id, created_at, is_duplicate,
  destination_key, funnel_step, funnel_outcome, platform, campaign, assigned_psv, assigned_west,
  owner);
)sql";
// Migration 31: each Meta form's answer mapping (issue 19 item 1; docs/intake.md)
// A page's forms ask different custom questions (a "Goa packages" form `travel_month`, a "Europe
// tours" form `which_country`), so each form keeps its own {leadField: questionKey} entries,
// laid key by key over its page's mapping and Meta's defaults when its leads are mapped
// (app/meta_intake.h, meta_answer_mapping). '{}': the form names none of its own. The
// reconciler's upsert of a form (save_meta_form) never writes it; the admin's does
// (save_meta_form_mapping).
constexpr std::string_view kMetaFormMappingSchema = R"sql(
ALTER TABLE meta_forms ADD COLUMN mapping TEXT NOT NULL DEFAULT '{}';
)sql";

// Migration 32: time in stage from one index range each (issue 18 item 7)
// The time-in-stage report read the stays that left in its period and then each one's
// opportunity for its facets, and the period's opportunities and then each one's stays for its
// milestones (0.8-1.3 s p99 at 1M rows, docs/benchmarks.md section 21). A stay now carries its
// opportunity's platform, destination_key and campaign (written with the stay from the
// opportunity's row, rewritten when the opportunity's change; storage/sql tx_stage_periods.cpp,
// tx_opportunities.cpp), and an opportunity the first time a stay of it was at or past contacted,
// qualified and won (funnel steps 2, 3, 4: MIN(entered_at) over those stays, kept as each stay is
// written). Existing rows are backfilled from the opportunities and the stays.
constexpr std::string_view kStageFacetsSchema = R"sql(
ALTER TABLE stage_periods ADD COLUMN platform TEXT NOT NULL DEFAULT '';
ALTER TABLE stage_periods ADD COLUMN destination_key TEXT NOT NULL DEFAULT '';
ALTER TABLE stage_periods ADD COLUMN campaign TEXT NOT NULL DEFAULT '';
UPDATE stage_periods SET platform = o.platform, destination_key = o.destination_key,
       campaign = o.campaign
  FROM opportunities AS o WHERE o.id = stage_periods.opp_id;
ALTER TABLE opportunities ADD COLUMN reached_contacted_at INTEGER;
ALTER TABLE opportunities ADD COLUMN reached_qualified_at INTEGER;
ALTER TABLE opportunities ADD COLUMN reached_won_at INTEGER;
UPDATE opportunities SET reached_contacted_at = m.contacted, reached_qualified_at = m.qualified,
       reached_won_at = m.won
  FROM (SELECT opp_id, MIN(CASE WHEN stay_step >= 2 THEN entered_at END) AS contacted,
               MIN(CASE WHEN stay_step >= 3 THEN entered_at END) AS qualified,
               MIN(CASE WHEN stay_step >= 4 THEN entered_at END) AS won
          FROM stage_periods WHERE stay_step >= 2 GROUP BY opp_id) AS m
  WHERE opportunities.id = m.opp_id;
-- The stays that left in a period (list_stage_stays): one range, every column it reads.
DROP INDEX IF EXISTS stage_periods_left;
CREATE INDEX stage_periods_left ON stage_periods(left_at, platform, destination_key, campaign,
  stay_status, stay_stage, stay_person, entered_at) WHERE left_at IS NOT NULL;
-- The funnel's covering index again, with the milestones (list_stage_milestones) and the deal
-- value (sum_revenue) added, so that both read a period's rows from it alone.
DROP INDEX IF EXISTS opportunities_funnel_cover;
CREATE INDEX opportunities_funnel_cover ON opportunities(id, created_at, is_duplicate,
  destination_key, funnel_step, funnel_outcome, platform, campaign, assigned_psv, assigned_west,
  owner, reached_contacted_at, reached_qualified_at, reached_won_at, deal_amount, deal_currency);
)sql";

// Migration 33: the webhook sender's claim reads the pending deliveries in order (issue 20 item 7)
// claim_webhook_deliveries takes a subscription's first due pending deliveries by event_seq.
// Through webhook_deliveries_due (subscription, status, next_attempt_at) it read every pending
// delivery of the subscription, with its event's body, and sorted them all: in a burst's backlog
// (tens of thousands pending) each claim did that inside a write transaction, holding the single
// SQLite writer that intake needs (docs/benchmarks.md section 24). A partial index of the pending
// deliveries in event_seq order lets it stop at the batch. The old index served nothing else that
// this one does not (the retention's oldest pending delivery is this index's first entry).
constexpr std::string_view kWebhookPendingSchema = R"sql(
DROP INDEX IF EXISTS webhook_deliveries_due;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(subscription_id, event_seq)
  WHERE status = 'pending';
)sql";

// Migration 34: the people report's held and overdue counts (issue 18 item 7)
// open_counts is the rollup of storage/sql/open_counts.h: per person and status, the open
// opportunities the person holds (each distinct person among assigned_psv, assigned_west and owner
// once), kept by insert_opportunity and update_opportunity in the change's transaction and
// filled here from the rows (the count count_held_open made before: 0.2-0.4 s at 1M rows,
// docs/benchmarks.md sections 21 and 23). count_overdue: followups_owner_due gains `status` so that
// its count of a person's overdue reminders reads the index alone (SQLite counts a partial index as
// covering only when it holds the columns of its predicate too), and opportunities_attempts holds
// only the PSV/WEST next attempts, led by status (SQLite took opportunities_status for the arms'
// status IN over an index led by the date), so that the attempts' counts no longer read every
// InPSV/InWEST row. list_crm_entries (the first-contact figures, and the SLA report): the CRM
// entries' index gains the owner, and followups_first_contact holds the completed first contacts
// with the columns read, so that neither reads a table row per entry.
constexpr std::string_view kOpenCountsSchema = R"sql(
CREATE TABLE open_counts (
  person TEXT NOT NULL,
  status TEXT NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (person, status)
) WITHOUT ROWID;
INSERT INTO open_counts (person, status, n)
  SELECT person, status, COUNT(*) FROM (
    SELECT assigned_psv AS person, status FROM opportunities
      WHERE assigned_psv IS NOT NULL AND closed = 0
    UNION ALL SELECT assigned_west, status FROM opportunities
      WHERE assigned_west IS NOT NULL AND assigned_west <> COALESCE(assigned_psv, '') AND closed = 0
    UNION ALL SELECT owner, status FROM opportunities
      WHERE owner IS NOT NULL AND owner <> COALESCE(assigned_psv, '')
        AND owner <> COALESCE(assigned_west, '') AND closed = 0) AS held
  GROUP BY person, status;
DROP INDEX IF EXISTS followups_owner_due;
CREATE INDEX followups_owner_due ON followups(owner, reminder_date, id, status)
  WHERE status = 'active';
CREATE INDEX opportunities_attempts
  ON opportunities(status, next_follow_up_date, assigned_psv, assigned_west)
  WHERE status IN ('InPSV', 'InWEST') AND next_follow_up_date IS NOT NULL;
DROP INDEX IF EXISTS opportunities_crm_entry;
CREATE INDEX opportunities_crm_entry ON opportunities(crm_entry_at, id, owner)
  WHERE crm_entry_at IS NOT NULL;
CREATE INDEX followups_first_contact
  ON followups(opp_id, completed_at, id, owner, sub_stage, status)
  WHERE sub_stage = 'first_contact' AND status = 'completed';
)sql";

// Migration 35: the conversion sender's claim reads the pending conversions in order (issue 20)
// claim_conversions takes a platform's first due pending conversions by event_seq. Through
// conversions_due (platform, status, next_attempt_at) it read every due pending conversion of the
// platform and sorted them all, inside a write transaction: with an ad platform down for hours
// the backlog is every conversion since, so each claim held the writer longer and longer (the
// webhook claim's problem, migration 33). A partial index of the pending conversions in event_seq
// order lets it stop at its batch; no other query read conversions_due.
constexpr std::string_view kConversionsPendingSchema = R"sql(
DROP INDEX IF EXISTS conversions_due;
CREATE INDEX conversions_pending ON conversions(platform, event_seq) WHERE status = 'pending';
)sql";

// Migration 37: each opportunity's first contact on its row (issue 18 item 7)
// list_crm_entries (the SLA report and the people report's first-contact figures) joined each CRM
// entry to its completed first contacts: one search of followups_first_contact per entry, which
// was most of the people report's time on PostgreSQL at 1M (72 of ~210 ms, docs/benchmarks.md
// section 33). The earliest completed first contact's time and owner are now columns of the
// opportunity, kept by insert_followup, update_followup and insert_opportunity (which takes
// follow-ups an import stored before it) in the change's transaction, filled here from the
// follow-ups, and held by the CRM entries' index, so that the report reads that index alone.
constexpr std::string_view kFirstContactSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN first_contact_at INTEGER;
ALTER TABLE opportunities ADD COLUMN first_contact_by TEXT;
UPDATE opportunities SET
  first_contact_at = (SELECT completed_at FROM followups f WHERE f.opp_id = opportunities.id
    AND f.sub_stage = 'first_contact' AND f.status = 'completed' ORDER BY completed_at, id LIMIT 1),
  first_contact_by = (SELECT owner FROM followups f WHERE f.opp_id = opportunities.id
    AND f.sub_stage = 'first_contact' AND f.status = 'completed' ORDER BY completed_at, id LIMIT 1)
  WHERE id IN (SELECT opp_id FROM followups WHERE sub_stage = 'first_contact'
    AND status = 'completed');
DROP INDEX IF EXISTS opportunities_crm_entry;
CREATE INDEX opportunities_crm_entry
  ON opportunities(crm_entry_at, id, owner, first_contact_at, first_contact_by)
  WHERE crm_entry_at IS NOT NULL;
)sql";

// Migration 38: what a person holds open, by stage (issue 18 item 3)
// The people report shows each person's open opportunities by stage as well as by status:
// open_counts (migration 34) is keyed by (person, status, stage) now, the stage being the CRM
// stage of an Open or Dormant opportunity (an Open one without one at 'followup'), '' for every
// other status (storage/sql/open_counts.h held_stage). Rebuilt, and filled from the rows as
// migration 34 filled it: each distinct person among assigned_psv, assigned_west and owner once.
constexpr std::string_view kOpenByStageSchema = R"sql(
DROP TABLE open_counts;
CREATE TABLE open_counts (
  person TEXT NOT NULL,
  status TEXT NOT NULL,
  stage  TEXT NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (person, status, stage)
) WITHOUT ROWID;
INSERT INTO open_counts (person, status, stage, n)
  SELECT person, status,
         CASE WHEN status = 'Open' THEN COALESCE(crm_stage, 'followup')
              WHEN status = 'Dormant' THEN COALESCE(crm_stage, '') ELSE '' END AS stage,
         COUNT(*) FROM (
    SELECT assigned_psv AS person, status, crm_stage FROM opportunities
      WHERE assigned_psv IS NOT NULL AND closed = 0
    UNION ALL SELECT assigned_west, status, crm_stage FROM opportunities
      WHERE assigned_west IS NOT NULL AND assigned_west <> COALESCE(assigned_psv, '') AND closed = 0
    UNION ALL SELECT owner, status, crm_stage FROM opportunities
      WHERE owner IS NOT NULL AND owner <> COALESCE(assigned_psv, '')
        AND owner <> COALESCE(assigned_west, '') AND closed = 0) AS held
  GROUP BY person, status, stage;
)sql";

// Migration 39: re-inquiries per person (issue 18 item 3)
// A duplicate is Dormant and held by no one, so the people report counts it for the people who
// hold its original: duplicate_of (a duplicate's duplicateOf, NULL on every other row) is a
// column now, filled from the documents, and the period's duplicates are read from a partial
// index that holds it (SqlTx::count_reinquiries), each original then by its key.
constexpr std::string_view kDuplicateOfSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN duplicate_of TEXT;
UPDATE opportunities SET duplicate_of = json_extract(doc, '$.duplicateOf') WHERE is_duplicate = 1;
CREATE INDEX opportunities_duplicates ON opportunities(created_at, duplicate_of)
  WHERE duplicate_of IS NOT NULL;
)sql";

// Migration 40: the won deals of a period from their own index (issue 18 item 7)
// The people report's revenue (sum_revenue) read every row of the period from
// opportunities_funnel_cover and then the table for the deal value, to keep the few that have
// one (17 ms p50 over 30 days at 1M rows, section 34). Only a won opportunity with a deal value
// is in this index, with every column the sum filters or adds by.
constexpr std::string_view kDealsSchema = R"sql(
CREATE INDEX opportunities_deals ON opportunities(id, created_at, is_duplicate, destination_key,
  funnel_step, assigned_psv, assigned_west, owner, deal_currency, deal_amount)
  WHERE deal_amount IS NOT NULL;
)sql";

// Migration 41: what a PSV/WEST agent holds open, by their stage (issue 18 item 3)
// open_counts counted an InPSV or InWEST opportunity under its status alone, as no column held
// its PSV/WEST stage (filtrationStatus.stage: PSVFreshLead, PSVFollowUp1, ...). It is a column
// now (filtration_stage: set while InPSV or InWEST, NULL otherwise), filled from the documents,
// and the rollup is filled again with it (storage/sql/open_counts.h held_stage).
constexpr std::string_view kFiltrationStageSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN filtration_stage TEXT;
UPDATE opportunities SET filtration_stage = json_extract(doc, '$.filtrationStatus.stage')
  WHERE status IN ('InPSV', 'InWEST');
DELETE FROM open_counts;
INSERT INTO open_counts (person, status, stage, n)
  SELECT person, status,
         CASE WHEN status = 'Open' THEN COALESCE(crm_stage, 'followup')
              WHEN status = 'Dormant' THEN COALESCE(crm_stage, '')
              WHEN status IN ('InPSV', 'InWEST') THEN COALESCE(filtration_stage, '')
              ELSE '' END AS stage,
         COUNT(*) FROM (
    SELECT assigned_psv AS person, status, crm_stage, filtration_stage FROM opportunities
      WHERE assigned_psv IS NOT NULL AND closed = 0
    UNION ALL SELECT assigned_west, status, crm_stage, filtration_stage FROM opportunities
      WHERE assigned_west IS NOT NULL AND assigned_west <> COALESCE(assigned_psv, '') AND closed = 0
    UNION ALL SELECT owner, status, crm_stage, filtration_stage FROM opportunities
      WHERE owner IS NOT NULL AND owner <> COALESCE(assigned_psv, '')
        AND owner <> COALESCE(assigned_west, '') AND closed = 0) AS held
  GROUP BY person, status, stage;
)sql";

// Migration 43 (SQLite only; 42 is PostgreSQL's): the indexes a bulk load dropped, to build
// after its rows (deferred_indexes.h), each with its CREATE statement as sqlite_master held it.
constexpr std::string_view kDeferredIndexesSchema = R"sql(
CREATE TABLE deferred_indexes (
  name TEXT PRIMARY KEY,
  sql TEXT NOT NULL
) WITHOUT ROWID;
)sql";

constexpr std::array kMigrations{
    Migration{1, "initial schema", kInitialSchema},
    Migration{2, "follow-ups and notes", kFollowUpsSchema},
    Migration{3, "authentication", kAuthSchema},
    Migration{4, "scoring, URL insight and jobs", kScoringJobsSchema},
    Migration{5, "list indexes", kListIndexesSchema},
    Migration{6, "unused number indexes dropped", kDropUnusedIndexesSchema},
    Migration{7, "status-less list indexes dropped", kDropStatuslessListIndexesSchema},
    Migration{8, "login throttles", kLoginThrottlesSchema},
    Migration{9, "idempotency keys scoped to their caller", kScopedIdempotencySchema},
    Migration{10, "search terms", kSearchTermsSchema, backfill_search_terms},
    Migration{11, "search terms per person", kPersonTermsSchema, backfill_search_terms},
    Migration{12, "live events", kLiveEventsSchema},
    Migration{13, "deal value", kDealValueSchema},
    Migration{14, "saved views", kSavedViewsSchema},
    Migration{15, "funnel columns", kFunnelSchema, backfill_funnel},
    Migration{16, "intake from Meta Lead Ads", kMetaIntakeSchema},
    Migration{17, "the outbox", kOutboxSchema},
    Migration{18, "webhooks", kWebhooksSchema},
    Migration{19, "work schedules", kWorkScheduleSchema},
    Migration{20, "routing records", kRoutingDecisionsSchema},
    Migration{21, "stage periods", kStagePeriodsSchema},
    Migration{22, "intake sources and Google leads", kIntakeSourcesSchema},
    Migration{24, "CRM stage columns", kCrmStageSchema},
    Migration{25, "conversions", kConversionsSchema},
    Migration{26, "escalation policies", kSlaPoliciesSchema},
    Migration{27, "POC routing rules", kPocRulesSchema},
    Migration{28, "the sticky owner", kStickyOwnerSchema},
    Migration{29, "the Meta reconciler", kMetaReconcileSchema},
    Migration{30, "report indexes", kHeldOpenSchema},
    Migration{31, "Meta form mappings", kMetaFormMappingSchema},
    Migration{32, "stage facets and milestones", kStageFacetsSchema},
    Migration{33, "pending webhook deliveries in order", kWebhookPendingSchema},
    Migration{34, "open counts and overdue indexes", kOpenCountsSchema},
    Migration{35, "pending conversions in order", kConversionsPendingSchema},
    Migration{37, "first contacts on the opportunity", kFirstContactSchema},
    Migration{38, "open counts by stage", kOpenByStageSchema},
    Migration{39, "re-inquiries' originals", kDuplicateOfSchema},
    Migration{40, "won deals", kDealsSchema},
    Migration{41, "open counts by PSV/WEST stage", kFiltrationStageSchema},
    Migration{43, "a bulk load's deferred indexes", kDeferredIndexesSchema},
};

Result<int> current_version(Connection& c) {
  auto q = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  return static_cast<int>(q->int_at(0));
}

Result<bool> is_applied(Connection& c, int version) {
  auto q = c.query("SELECT 1 FROM schema_migrations WHERE version = ?1");
  if (!q) return q.error();
  q->bind_int(1, version);
  return q->step();
}

Status apply(Connection& c, const Migration& m) {
  RollbackGuard guard(c);
  if (auto s = c.exec("BEGIN IMMEDIATE"); !s) return s;
  auto applied = is_applied(c, m.version);
  if (!applied) return applied.error();
  if (!*applied) {
    if (auto s = c.exec(m.sql); !s) return s;
    if (m.backfill) {
      if (auto s = m.backfill(c); !s) return s;
    }
    auto q = c.query("INSERT INTO schema_migrations(version, applied_at) VALUES (?1, ?2)");
    if (!q) return q.error();
    auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    q->bind_int(1, m.version);
    q->bind_int(2, now.time_since_epoch().count());
    if (auto s = q->run(); !s) return s;
  }
  if (auto s = c.exec("COMMIT"); !s) return s;
  guard.dismiss();
  return ok_status();
}

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

Result<int> migrate(Connection& conn) {
  if (auto s = conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
      !s) {
    return s.error();
  }
  const int latest = kMigrations.back().version;
  auto before = current_version(conn);
  if (!before) return before.error();
  if (*before > latest) {
    return Error::internal("database schema version " + std::to_string(*before) +
                           " is newer than this binary's " + std::to_string(latest));
  }
  for (const auto& m : kMigrations) {
    // Each migration is checked on its own (not against the highest version applied), so a
    // number left free and filled later is still applied.
    if (m.version <= *before) {
      auto applied = is_applied(conn, m.version);
      if (!applied) return applied.error();
      if (*applied) continue;
    }
    if (auto s = apply(conn, m); !s) {
      auto e = s.error();
      e.detail =
          "migration " + std::to_string(m.version) + " (" + std::string(m.name) + "): " + e.detail;
      return e;
    }
  }
  // An import that stopped before building the indexes it deferred: built now, so that no
  // server runs without them (deferred_indexes.h).
  if (auto s = restore_left_indexes(conn); !s) return s.error();
  return current_version(conn);
}

}  // namespace leadproc::sqlite
