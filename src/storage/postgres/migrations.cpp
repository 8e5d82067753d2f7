#include "storage/postgres/migrations.h"

#include <array>
#include <chrono>
#include <string>

#include "codec/json_codec.h"
#include "storage/postgres/search_terms.h"
#include "storage/sql/columns.h"

namespace leadproc::postgres {
namespace {

// Conventions (the SQLite adapter's, in PostgreSQL types): ids TEXT (ObjectId hex); timestamps
// BIGINT milliseconds since the epoch, UTC (exactly what the domain holds, no time-zone
// conversions, and the same values as in SQLite); booleans BOOLEAN; enums their wire strings;
// documents and small lists JSON as TEXT (the adapter never queries inside them, and TEXT skips
// the jsonb parse on every write). Every TEXT column uses the "C" collation: byte order, as
// SQLite compares, whatever the database's locale, so lists sort the same on both adapters and
// lower() folds ASCII only, like SQLite's. References to other entities carry no FOREIGN KEY where
// imported data may hold dangling ids (MongoDB never enforced them); child tables that are part
// of their parent (slugs, map entries) do.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE users (
  id                 TEXT COLLATE "C" PRIMARY KEY,
  email              TEXT COLLATE "C" NOT NULL,
  first_name         TEXT COLLATE "C",
  last_name          TEXT COLLATE "C",
  credentials        TEXT COLLATE "C" NOT NULL DEFAULT '',
  phone_country_code TEXT COLLATE "C",
  phone_number       TEXT COLLATE "C",
  department         TEXT COLLATE "C" NOT NULL,
  is_active          BOOLEAN NOT NULL,
  deleted            BOOLEAN NOT NULL,
  created_by         TEXT COLLATE "C",
  modified_by        TEXT COLLATE "C",
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_unique ON users(lower(email)) WHERE NOT deleted;
CREATE INDEX users_email ON users(lower(email));

CREATE TABLE destinations (
  id         TEXT COLLATE "C" PRIMARY KEY,
  name       TEXT COLLATE "C" NOT NULL,
  slugs      TEXT COLLATE "C" NOT NULL,  -- JSON array of strings, as given
  preference DOUBLE PRECISION NOT NULL,
  deleted    BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX destinations_name_unique ON destinations(lower(name)) WHERE NOT deleted;

-- The slugs of each destination, lower-cased, kept in sync with destinations.slugs.
CREATE TABLE destination_slugs (
  destination_id TEXT COLLATE "C" NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
  slug           TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (destination_id, slug)
);
CREATE INDEX destination_slugs_slug ON destination_slugs(slug);

CREATE TABLE process_maps (
  id         TEXT COLLATE "C" PRIMARY KEY,
  process    TEXT COLLATE "C" NOT NULL,
  deleted    BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX process_maps_process_unique ON process_maps(process) WHERE NOT deleted;

CREATE TABLE process_map_entries (
  map_id         TEXT COLLATE "C" NOT NULL REFERENCES process_maps(id) ON DELETE CASCADE,
  destination_id TEXT COLLATE "C" NOT NULL,
  name           TEXT COLLATE "C" NOT NULL,
  is_active      BOOLEAN NOT NULL,
  load_share     INTEGER NOT NULL,
  counter        BIGINT NOT NULL,
  sheet_name     TEXT COLLATE "C",
  waba_number    TEXT COLLATE "C",
  position       INTEGER NOT NULL,  -- order within the map's `destinations` array
  PRIMARY KEY (map_id, destination_id)
);
CREATE INDEX process_map_entries_destination ON process_map_entries(destination_id);

CREATE TABLE availabilities (
  id           TEXT COLLATE "C" PRIMARY KEY,
  person_id    TEXT COLLATE "C" NOT NULL,
  person_name  TEXT COLLATE "C" NOT NULL,
  is_available BOOLEAN NOT NULL,
  process      TEXT COLLATE "C" NOT NULL,
  source       TEXT COLLATE "C" NOT NULL,  -- JSON array of platform strings
  destinations TEXT COLLATE "C" NOT NULL,  -- JSON array of {"_id", "name"}
  seq          BIGINT,
  lead_count   BIGINT NOT NULL,
  total_count  BIGINT NOT NULL,
  deleted      BOOLEAN NOT NULL,
  created_by   TEXT COLLATE "C",
  modified_by  TEXT COLLATE "C",
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE INDEX availabilities_pool ON availabilities(process, deleted, is_available);
CREATE INDEX availabilities_person ON availabilities(person_id, deleted);

-- Who got the previous lead of a (pool, destination) and how many in a row; '' = no destination.
CREATE TABLE routing_streaks (
  pool            TEXT COLLATE "C" NOT NULL,
  destination_key TEXT COLLATE "C" NOT NULL,
  availability_id TEXT COLLATE "C" NOT NULL,
  length          INTEGER NOT NULL,
  PRIMARY KEY (pool, destination_key)
);

CREATE TABLE weburls (
  id               TEXT COLLATE "C" PRIMARY KEY,
  url              TEXT COLLATE "C" NOT NULL UNIQUE,
  consumed         BOOLEAN NOT NULL,
  destination_id   TEXT COLLATE "C",
  destination_name TEXT COLLATE "C",
  hits             BIGINT NOT NULL,
  last_hit_at      BIGINT,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX weburls_consumed_hits ON weburls(consumed, hits DESC, url);
CREATE INDEX weburls_hits ON weburls(hits DESC, url);

-- The whole record is `doc` (codec::to_json); the columns are what queries filter on.
CREATE TABLE leads (
  id         TEXT COLLATE "C" PRIMARY KEY,
  trace_id   TEXT COLLATE "C",
  number     TEXT COLLATE "C" NOT NULL,
  platform   TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  doc        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX leads_number ON leads(number);
CREATE INDEX leads_trace_id ON leads(trace_id) WHERE trace_id IS NOT NULL;

-- The whole record is `doc` (codec::to_json) except `version`, which the column holds; the
-- other columns are derived from the record on every write and exist for queries and indexes.
CREATE TABLE opportunities (
  id                  TEXT COLLATE "C" PRIMARY KEY,
  lead_id             TEXT COLLATE "C",
  trace_id            TEXT COLLATE "C" NOT NULL,
  number              TEXT COLLATE "C" NOT NULL,
  destination_key     TEXT COLLATE "C" NOT NULL,  -- destination id, '' when there is none
  status              TEXT COLLATE "C" NOT NULL,
  filteration_process TEXT COLLATE "C",
  platform            TEXT COLLATE "C" NOT NULL,
  assigned_psv        TEXT COLLATE "C",
  assigned_west       TEXT COLLATE "C",
  owner               TEXT COLLATE "C",
  is_duplicate        BOOLEAN NOT NULL,
  closed              BOOLEAN NOT NULL,  -- lifecycle.h is_closed()
  awaiting_pool       TEXT COLLATE "C",
  next_follow_up_date BIGINT,
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL,
  version             BIGINT NOT NULL,
  doc                 TEXT COLLATE "C" NOT NULL
);
-- At most one open original per number and destination: the backstop of duplicate detection
-- (find_open_original_for_update serialises racing leads first); a second original fails with a
-- unique violation (kConflict).
CREATE UNIQUE INDEX opportunities_open_original ON opportunities(number, destination_key)
  WHERE NOT is_duplicate AND NOT closed;
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
-- The admins' list of unassigned leads, newest first.
CREATE INDEX opportunities_unassigned ON opportunities(id) WHERE awaiting_pool IS NOT NULL;
CREATE INDEX opportunities_platform ON opportunities(platform, id);
CREATE INDEX opportunities_destination ON opportunities(destination_key, id);

CREATE TABLE activities (
  id          TEXT COLLATE "C" PRIMARY KEY,
  opp_id      TEXT COLLATE "C" NOT NULL,
  activity_by TEXT COLLATE "C",
  phase       TEXT COLLATE "C" NOT NULL,
  description TEXT COLLATE "C" NOT NULL,
  changes     TEXT COLLATE "C" NOT NULL,  -- JSON [{"field","previousValue","newValue"}]
  created_at  BIGINT NOT NULL
);
CREATE INDEX activities_opp ON activities(opp_id, id DESC);

CREATE TABLE idempotency_keys (
  key           TEXT COLLATE "C" PRIMARY KEY,
  request_hash  TEXT COLLATE "C" NOT NULL,
  status        INTEGER NOT NULL,
  response_body TEXT COLLATE "C" NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
)sql";

// Migration 2: follow-ups and notes (the workflow)
constexpr std::string_view kFollowUpsSchema = R"sql(
-- The spec's `opportunityfollowups`. No FOREIGN KEY to opportunities: CRM entry inserts the
-- first-contact follow-up in the transaction that inserts the opportunity, in either order, and
-- imported data may hold dangling ids. `owner`, `outcome` and `version` are additions.
CREATE TABLE followups (
  id                    TEXT COLLATE "C" PRIMARY KEY,
  opp_id                TEXT COLLATE "C" NOT NULL,
  stage                 TEXT COLLATE "C" NOT NULL,
  sub_stage             TEXT COLLATE "C",
  not_interested_reason TEXT COLLATE "C",
  count                 INTEGER NOT NULL,
  note                  TEXT COLLATE "C",
  reminder_date         BIGINT,
  status                TEXT COLLATE "C" NOT NULL,  -- active | canceled | completed
  completed_at          BIGINT,
  custom_remark         TEXT COLLATE "C",
  outcome               TEXT COLLATE "C",
  owner                 TEXT COLLATE "C",
  created_by            TEXT COLLATE "C",
  modified_by           TEXT COLLATE "C",
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL,
  version               BIGINT NOT NULL
);
CREATE INDEX followups_opp ON followups(opp_id, id DESC);
-- Due / overdue / upcoming lists, everyone's and one owner's: active ones by reminder date.
CREATE INDEX followups_due ON followups(reminder_date, id) WHERE status = 'active';
CREATE INDEX followups_owner_due ON followups(owner, reminder_date, id) WHERE status = 'active';

-- The spec's `opportunitynotes`: append-only.
CREATE TABLE notes (
  id         TEXT COLLATE "C" PRIMARY KEY,
  opp_id     TEXT COLLATE "C" NOT NULL,
  note       TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C",
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX notes_opp ON notes(opp_id, id DESC);
CREATE INDEX notes_created_by ON notes(created_by, id) WHERE created_by IS NOT NULL;

-- crmStageMeta.crmEntryAt projected for the SLA report (milliseconds, like every timestamp),
-- filled from the documents already stored ("YYYY-MM-DDTHH:MM:SS.mmmZ").
ALTER TABLE opportunities ADD COLUMN crm_entry_at BIGINT;
UPDATE opportunities
   SET crm_entry_at = floor(extract(epoch FROM
         (doc::jsonb #>> '{crmStageMeta,crmEntryAt}')::timestamptz) * 1000)::bigint
 WHERE doc::jsonb #>> '{crmStageMeta,crmEntryAt}' IS NOT NULL;
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
  id         TEXT COLLATE "C" PRIMARY KEY,
  user_id    TEXT COLLATE "C" NOT NULL,
  token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  expiry     BIGINT NOT NULL,
  is_active  BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id, is_active);
CREATE INDEX sessions_expiry ON sessions(expiry);

-- Lead sources' keys: only the SHA-256 of the key is stored.
CREATE TABLE api_keys (
  id           TEXT COLLATE "C" PRIMARY KEY,
  name         TEXT COLLATE "C" NOT NULL,
  key_hash     TEXT COLLATE "C" NOT NULL UNIQUE,
  platform     TEXT COLLATE "C" NOT NULL,
  created_by   TEXT COLLATE "C",
  revoked      BOOLEAN NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT
);

-- Failed logins for throttling, per subject ('email:<address>' or 'ip:<address>'). In the
-- database, not in memory, so that several instances count together.
CREATE TABLE login_failures (
  id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject TEXT COLLATE "C" NOT NULL,
  at      BIGINT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures(subject, at);
CREATE INDEX login_failures_at ON login_failures(at);
)sql";

// Migration 4: scoring, URL insight, jobs
constexpr std::string_view kScoringJobsSchema = R"sql(
-- The spec's opportunityscoreconfiguration; at most one row is active (partial unique index).
CREATE TABLE score_configurations (
  id                  TEXT COLLATE "C" PRIMARY KEY,
  paid_ads            DOUBLE PRECISION NOT NULL,
  website_organic     DOUBLE PRECISION NOT NULL,
  instagram           DOUBLE PRECISION NOT NULL,
  instagram_qualified DOUBLE PRECISION NOT NULL,
  whatsapp            DOUBLE PRECISION NOT NULL,
  whatsapp_qualified  DOUBLE PRECISION NOT NULL,
  direct_call         DOUBLE PRECISION NOT NULL,
  re_enquiries        DOUBLE PRECISION NOT NULL,
  visa                DOUBLE PRECISION NOT NULL,
  flights_booked      DOUBLE PRECISION NOT NULL,
  ex_client           DOUBLE PRECISION NOT NULL,
  hot_lead            DOUBLE PRECISION NOT NULL,
  is_active           BOOLEAN NOT NULL,
  created_by          TEXT COLLATE "C",
  updated_by          TEXT COLLATE "C",
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL
);
CREATE UNIQUE INDEX score_configurations_active ON score_configurations(is_active)
  WHERE is_active;
CREATE INDEX score_configurations_updated ON score_configurations(updated_at);

-- Projections of the opportunity document: the score (sorting), the normalised page URL
-- (resolving waiting leads when a URL is marked), the travel month and its score stamp (the
-- daily refresh). Rows stored before this migration get score and travel month from the
-- document; their page_url stays NULL (written on their next change).
ALTER TABLE opportunities ADD COLUMN score DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE opportunities ADD COLUMN page_url TEXT COLLATE "C";
ALTER TABLE opportunities ADD COLUMN travel_month BIGINT;
ALTER TABLE opportunities ADD COLUMN score_travel_at BIGINT;
UPDATE opportunities SET score = COALESCE((doc::jsonb ->> 'opportunityScore')::double precision, 0)
 WHERE doc::jsonb ->> 'opportunityScore' IS NOT NULL;
UPDATE opportunities
   SET travel_month = floor(extract(epoch FROM
         (doc::jsonb ->> 'travelMonthDateFormat')::timestamptz) * 1000)::bigint
 WHERE doc::jsonb ->> 'travelMonthDateFormat' IS NOT NULL;
CREATE INDEX opportunities_score ON opportunities(score DESC, id DESC);
CREATE INDEX opportunities_resolving_page ON opportunities(page_url, id)
  WHERE status = 'ResolvingUnknown';
CREATE INDEX opportunities_travel_month ON opportunities(travel_month, id)
  WHERE travel_month IS NOT NULL;

-- Hits per web URL per UTC day ("YYYY-MM-DD"), counted with the URL's total.
CREATE TABLE weburl_hits_daily (
  url_id TEXT COLLATE "C" NOT NULL,
  day    TEXT COLLATE "C" NOT NULL,
  hits   BIGINT NOT NULL,
  PRIMARY KEY (url_id, day)
);
CREATE INDEX weburl_hits_daily_day ON weburl_hits_daily(day, url_id);

-- Periodic job runs; (job, slot) unique: the instance whose insert succeeds runs the slot
-- (the lease that keeps a job on one instance).
CREATE TABLE job_runs (
  job         TEXT COLLATE "C" NOT NULL,
  slot        BIGINT NOT NULL,
  instance    TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  finished_at BIGINT,
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
  email           TEXT COLLATE "C" NOT NULL,
  address         TEXT COLLATE "C" NOT NULL,
  failures        INTEGER NOT NULL,
  last_failure_at BIGINT NOT NULL,
  blocked_until   BIGINT NOT NULL,
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
  scope         TEXT COLLATE "C" NOT NULL,  -- "api-key:<id>", "user:<id>"; '' for records from before
  key           TEXT COLLATE "C" NOT NULL,
  request_hash  TEXT COLLATE "C" NOT NULL,
  status        INTEGER NOT NULL,
  response_body TEXT COLLATE "C" NOT NULL,
  created_at    BIGINT NOT NULL,
  PRIMARY KEY (scope, key)
);
INSERT INTO idempotency_records (scope, key, request_hash, status, response_body, created_at)
  SELECT '', key, request_hash, status, response_body, created_at FROM idempotency_keys;
CREATE INDEX idempotency_records_created ON idempotency_records(created_at);
)sql";

// Search (docs/api-search.md): the SQLite adapter's migration 10 (its comment says why), with
// the "C" collation, so that the range of a prefix (prefix_end) is a byte range as in SQLite.
constexpr std::string_view kSearchTermsSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN search_terms TEXT COLLATE "C";
CREATE TABLE opportunity_terms (
  term   TEXT COLLATE "C" NOT NULL,
  opp_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (term, opp_id)
);
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
ALTER TABLE opportunities ADD COLUMN deal_amount BIGINT, ADD COLUMN deal_currency TEXT;
)sql";

// Live events (docs/api-events.md, docs/architecture.md "Live events"): one narrow row per event,
// written in the transaction of the change that raised it (and announced to every instance by
// NOTIFY at its commit). Replay reads a range of the primary key (id > Last-Event-ID) filtered
// by recipient, so no other index is kept.
constexpr std::string_view kLiveEventsSchema = R"sql(
CREATE TABLE live_events (
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  recipient  TEXT COLLATE "C" NOT NULL,
  type       TEXT NOT NULL,
  opp_id     TEXT COLLATE "C",
  created_at BIGINT NOT NULL,
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
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX saved_views_owner_name ON saved_views(owner, name);
)sql";
// The funnel (docs/reports.md): the SQLite adapter's migration 15 (its comment says why).
constexpr std::string_view kFunnelSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN campaign TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE opportunities ADD COLUMN funnel_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE opportunities ADD COLUMN funnel_outcome TEXT COLLATE "C";
)sql";

Status backfill_funnel(Connection& c) {
  auto rows = c.query("SELECT id, doc FROM opportunities");
  if (!rows) return rows.error();
  for (int i = 0; i < rows->size(); ++i) {
    auto doc = sql::parse_object((*rows)[i].view_at(1), "opportunities.doc");
    if (!doc) return doc.error();
    const auto f = sql::funnel_columns(codec::opportunity_from_json(*doc));
    auto updated = c.query(
        "UPDATE opportunities SET campaign = $2, funnel_step = $3, funnel_outcome = $4 "
        "WHERE id = $1",
        Params().text((*rows)[i].text_at(0)).text(f.campaign).integer(f.step).opt_text(f.outcome));
    if (!updated) return updated.error();
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
  leadgen_id      TEXT COLLATE "C" PRIMARY KEY,
  page_id         TEXT NOT NULL,
  form_id         TEXT,
  ad_id           TEXT,
  adgroup_id      TEXT,
  created_time    BIGINT,
  status          TEXT NOT NULL,  -- pending | ingested | failed
  attempts        INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  reason          TEXT,
  opp_id          TEXT,
  received_at     BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX meta_receipts_due ON meta_receipts(status, next_attempt_at);
CREATE INDEX meta_receipts_received ON meta_receipts(received_at);
CREATE TABLE meta_pages (
  page_id            TEXT COLLATE "C" PRIMARY KEY,
  access_token       TEXT NOT NULL,
  instagram_platform BOOLEAN NOT NULL,
  mapping            TEXT NOT NULL,
  updated_at         BIGINT NOT NULL
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
  seq         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id          TEXT COLLATE "C" NOT NULL,
  type        TEXT NOT NULL,
  opp_id      TEXT COLLATE "C",
  process     TEXT,
  destination TEXT,
  platform    TEXT,
  created_at  BIGINT NOT NULL,
  body        TEXT NOT NULL,
  fanned_out  BOOLEAN NOT NULL DEFAULT FALSE
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
  id                    TEXT COLLATE "C" PRIMARY KEY,
  url                   TEXT NOT NULL,
  event_types           TEXT NOT NULL,
  filter_process        TEXT,
  filter_destination    TEXT,
  filter_platform       TEXT,
  secret                TEXT NOT NULL,
  previous_secret       TEXT,
  previous_secret_until BIGINT,
  enabled               BOOLEAN NOT NULL,
  disabled_reason       TEXT,
  blocked_until         BIGINT,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL
);
CREATE TABLE webhook_deliveries (
  subscription_id TEXT COLLATE "C" NOT NULL,
  event_seq       BIGINT NOT NULL,
  event_id        TEXT COLLATE "C" NOT NULL,
  event_type      TEXT NOT NULL,
  opp_id          TEXT COLLATE "C",
  status          TEXT NOT NULL,  -- pending | delivered | dead
  attempts        INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  claimed_until   BIGINT,
  last_status     INTEGER,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  PRIMARY KEY (subscription_id, event_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(subscription_id, status, next_attempt_at);
CREATE INDEX webhook_deliveries_opp ON webhook_deliveries(subscription_id, opp_id, event_seq);
CREATE TABLE webhook_attempts (
  subscription_id TEXT COLLATE "C" NOT NULL,
  event_seq       BIGINT NOT NULL,
  attempt         INTEGER NOT NULL,
  at              BIGINT NOT NULL,
  status          INTEGER NOT NULL,  -- the HTTP status; 0: no answer (see error)
  latency_ms      BIGINT NOT NULL,
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
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  opp_id     TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
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
  opp_id       TEXT COLLATE "C" NOT NULL,
  stay_status  TEXT NOT NULL,
  stay_stage   TEXT NOT NULL,
  stay_person  TEXT COLLATE "C",
  stay_step    BIGINT NOT NULL,
  entered_at   BIGINT NOT NULL,
  left_at      BIGINT
);
CREATE INDEX stage_periods_opp ON stage_periods(opp_id, entered_at);
CREATE INDEX stage_periods_left ON stage_periods(left_at) WHERE left_at IS NOT NULL;
INSERT INTO stage_periods (opp_id, stay_status, stay_stage, stay_person, stay_step, entered_at)
  SELECT id, status,
         COALESCE(doc::jsonb #>> '{crmStageMeta,stage}',
                  doc::jsonb #>> '{filtrationStatus,stage}', ''),
         CASE WHEN doc::jsonb #>> '{crmStageMeta,stage}' IS NOT NULL THEN owner
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
  id           TEXT COLLATE "C" PRIMARY KEY,
  kind         TEXT NOT NULL,
  name         TEXT NOT NULL,
  source_key   TEXT COLLATE "C" NOT NULL,
  secret       TEXT NOT NULL,
  mapping      TEXT NOT NULL,
  last_lead_at BIGINT,
  last_error   TEXT,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX intake_sources_key ON intake_sources(kind, source_key);
CREATE TABLE google_leads (
  lead_id     TEXT COLLATE "C" PRIMARY KEY,
  source_id   TEXT NOT NULL,
  opp_id      TEXT NOT NULL,
  is_test     BOOLEAN NOT NULL,
  received_at BIGINT NOT NULL
);
)sql";
// Migration 24: the CRM stage as columns (the SQLite adapter's comment says why)
constexpr std::string_view kCrmStageSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN crm_stage TEXT COLLATE "C";
ALTER TABLE opportunities ADD COLUMN crm_sub_stage TEXT COLLATE "C";
UPDATE opportunities SET crm_stage = doc::jsonb #>> '{crmStageMeta,stage}',
  crm_sub_stage = doc::jsonb #>> '{crmStageMeta,subStage}'
  WHERE doc::jsonb ? 'crmStageMeta';
)sql";
// Migration 25: conversions (the SQLite adapter's comment says why)
constexpr std::string_view kConversionsSchema = R"sql(
CREATE TABLE conversion_settings (
  id         INTEGER PRIMARY KEY,
  doc        TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE conversions (
  opp_id          TEXT COLLATE "C" NOT NULL,
  platform        TEXT COLLATE "C" NOT NULL,
  stage           TEXT COLLATE "C" NOT NULL,
  name            TEXT NOT NULL,
  event_seq       BIGINT NOT NULL,
  event_id        TEXT COLLATE "C" NOT NULL,
  event_at        BIGINT NOT NULL,
  click_id        TEXT NOT NULL,
  click_at        BIGINT,
  value           TEXT,
  currency        TEXT,
  status          TEXT COLLATE "C" NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  claimed_until   BIGINT,
  reason          TEXT,
  trace           TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
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
  id                  TEXT COLLATE "C" PRIMARY KEY,
  process             TEXT NOT NULL,
  stage               TEXT NOT NULL,
  after_minutes       BIGINT NOT NULL,
  warn_before_minutes BIGINT NOT NULL,
  action              TEXT NOT NULL,
  created_by          TEXT,
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL
);
CREATE TABLE sla_steps (
  opp_id    TEXT COLLATE "C" NOT NULL,
  policy_id TEXT COLLATE "C" NOT NULL,
  step      TEXT COLLATE "C" NOT NULL,
  at        BIGINT NOT NULL,
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
ALTER TABLE availabilities ADD COLUMN quota_day BIGINT NOT NULL DEFAULT 0;
ALTER TABLE availabilities ADD COLUMN quota_count BIGINT NOT NULL DEFAULT 0;
)sql";

// Migration 28: the sticky owner (app/sticky_owner.h; issue 21 item 4)
// closed_at: when the opportunity was last closed (the write that made `closed` true; NULL while
// open), kept by insert_opportunity and update_opportunity. Opportunities closed before this
// migration take their last change, the best time known. The partial index serves the sticky
// owner's look-up (number, destination, the latest closed). routing_settings is one row (id 1):
// the admin's routing settings (GET/PUT /api/v1/routing/settings); no row: the defaults.
constexpr std::string_view kStickyOwnerSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN closed_at BIGINT;
UPDATE opportunities SET closed_at = updated_at WHERE closed;
CREATE INDEX opportunities_closed_by_number ON opportunities (number, destination_key, closed_at)
  WHERE closed_at IS NOT NULL;
CREATE TABLE routing_settings (
  id                INTEGER PRIMARY KEY,
  sticky_owner_days INTEGER NOT NULL,
  updated_at        BIGINT NOT NULL
);
)sql";
// Migration 29: the Meta reconciler (issue 19 item 2; docs/intake.md "The reconciler")
// meta_forms holds, per form of a page, the reconciler's watermark: `watermark` (Meta's
// time_created, seconds) is such that every lead Meta listed for the form up to it has a receipt,
// written in the transaction that stored those receipts, so it never passes a lead that was not
// stored. synced_at and error say how the form's last sync went. The page's own sync (listing
// its forms) is kept on meta_pages; `via` says whether a receipt came from the webhook or a sync.
constexpr std::string_view kMetaReconcileSchema = R"sql(
ALTER TABLE meta_pages ADD COLUMN synced_at BIGINT;
ALTER TABLE meta_pages ADD COLUMN sync_error TEXT;
ALTER TABLE meta_receipts ADD COLUMN via TEXT NOT NULL DEFAULT 'webhook';
CREATE INDEX meta_receipts_page ON meta_receipts(page_id, received_at);
CREATE TABLE meta_forms (
  page_id   TEXT COLLATE "C" NOT NULL,
  form_id   TEXT COLLATE "C" NOT NULL,
  name      TEXT,
  watermark BIGINT,
  synced_at BIGINT,
  error     TEXT,
  PRIMARY KEY (page_id, form_id)
);
)sql";
// Migration 30: report indexes: the open rows per person (issue 18 item 7)
// count_held_open (storage/sql/tx_reports.cpp) counts the open opportunities per person and status
// in three arms (assigned_psv, assigned_west, owner). Through the list indexes it visited every
// assigned row of the table to test `closed` (20 s at 1M rows); these partial indexes hold only
// the open rows, each with the columns its arm reads, so each arm reads its index alone. The
// predicates are the arms' conditions word for word (a partial index is used only when the
// query's WHERE implies it); `closed` is a column too, because SQLite counts an index as covering
// only when it holds every column the query names, its predicate's included.
constexpr std::string_view kHeldOpenSchema = R"sql(
CREATE INDEX opportunities_open_psv ON opportunities(assigned_psv, status, closed)
  WHERE assigned_psv IS NOT NULL AND closed = FALSE;
CREATE INDEX opportunities_open_west ON opportunities(assigned_west, status, assigned_psv, closed)
  WHERE assigned_west IS NOT NULL AND closed = FALSE;
CREATE INDEX opportunities_open_owner
  ON opportunities(owner, status, assigned_psv, assigned_west, closed)
  WHERE owner IS NOT NULL AND closed = FALSE;
)sql";
// (The SQLite migration 30 also has a covering index of the funnel's columns led by id. Not
// here: PostgreSQL's planner took it for the assignee lists' "WHERE assigned_psv = $1 ORDER BY id
// DESC" (a whole-index read, query_plan_pg_test). Migration 36 adds one whose other columns are
// INCLUDEd, measured at 0.3M rows.)

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
ALTER TABLE stage_periods ADD COLUMN platform TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE stage_periods ADD COLUMN destination_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE stage_periods ADD COLUMN campaign TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE stage_periods SET platform = o.platform, destination_key = o.destination_key,
       campaign = o.campaign
  FROM opportunities AS o WHERE o.id = stage_periods.opp_id;
ALTER TABLE opportunities ADD COLUMN reached_contacted_at BIGINT;
ALTER TABLE opportunities ADD COLUMN reached_qualified_at BIGINT;
ALTER TABLE opportunities ADD COLUMN reached_won_at BIGINT;
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
  person TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  n      BIGINT NOT NULL,
  PRIMARY KEY (person, status)
);
INSERT INTO open_counts (person, status, n)
  SELECT person, status, COUNT(*) FROM (
    SELECT assigned_psv AS person, status FROM opportunities
      WHERE assigned_psv IS NOT NULL AND closed = FALSE
    UNION ALL SELECT assigned_west, status FROM opportunities
      WHERE assigned_west IS NOT NULL AND assigned_west <> COALESCE(assigned_psv, '')
        AND closed = FALSE
    UNION ALL SELECT owner, status FROM opportunities
      WHERE owner IS NOT NULL AND owner <> COALESCE(assigned_psv, '')
        AND owner <> COALESCE(assigned_west, '') AND closed = FALSE) AS held
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

// Migration 36: the funnel's period read from one index (issue 18 item 7; PostgreSQL only)
// The funnel, revenue and milestone counts of a period read the period's rows: on PostgreSQL the
// primary key's id range, then each row from the table (53 ms p50 for the funnel's total over 30
// days at 300,000 rows, the people report 465 ms). Here the period is a range of (id,
// created_at), and every column those counts group, filter or sum by is INCLUDEd, so an
// index-only scan answers them (12 ms and 144 ms; docs/benchmarks.md section 30). The included
// columns are no keys: a list ordered by id and filtered on an assignee cannot take this index
// for one (what kept SQLite's key-column version of it, migration 30, from PostgreSQL).
// SQLite has its own since migrations 30 and 32: no SQLite migration 36.
constexpr std::string_view kFunnelCoverSchema = R"sql(
CREATE INDEX opportunities_funnel_cover ON opportunities (id, created_at)
  INCLUDE (is_duplicate, destination_key, funnel_step, funnel_outcome, platform, campaign,
           assigned_psv, assigned_west, owner, reached_contacted_at, reached_qualified_at,
           reached_won_at, deal_amount, deal_currency);
)sql";

// Migration 37: each opportunity's first contact on its row (issue 18 item 7)
// As SQLite's migration 37: list_crm_entries probed followups_first_contact once per CRM entry
// (a LATERAL join), 72 ms of the people report's ~210 at 1M (docs/benchmarks.md section 33). The
// earliest completed first contact's time and owner are columns of the opportunity, kept in the
// change's transaction, filled here in one pass over the completed first contacts, and INCLUDEd
// in the CRM entries' index, which an index-only scan then answers alone.
constexpr std::string_view kFirstContactSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN first_contact_at BIGINT,
  ADD COLUMN first_contact_by TEXT COLLATE "C";
UPDATE opportunities o SET first_contact_at = f.completed_at, first_contact_by = f.owner
  FROM (SELECT DISTINCT ON (opp_id) opp_id, completed_at, owner FROM followups
        WHERE sub_stage = 'first_contact' AND status = 'completed'
        ORDER BY opp_id, completed_at, id) f
  WHERE o.id = f.opp_id;
DROP INDEX IF EXISTS opportunities_crm_entry;
CREATE INDEX opportunities_crm_entry ON opportunities(crm_entry_at, id)
  INCLUDE (owner, first_contact_at, first_contact_by) WHERE crm_entry_at IS NOT NULL;
)sql";

// Migration 38: what a person holds open, by stage (issue 18 item 3)
// As SQLite's migration 38: open_counts is keyed by (person, status, stage), rebuilt and filled
// from the rows as migration 34 filled it.
constexpr std::string_view kOpenByStageSchema = R"sql(
DROP TABLE open_counts;
CREATE TABLE open_counts (
  person TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  stage  TEXT COLLATE "C" NOT NULL,
  n      BIGINT NOT NULL,
  PRIMARY KEY (person, status, stage)
);
INSERT INTO open_counts (person, status, stage, n)
  SELECT person, status,
         CASE WHEN status = 'Open' THEN COALESCE(crm_stage, 'followup')
              WHEN status = 'Dormant' THEN COALESCE(crm_stage, '') ELSE '' END AS stage,
         COUNT(*) FROM (
    SELECT assigned_psv AS person, status, crm_stage FROM opportunities
      WHERE assigned_psv IS NOT NULL AND closed = FALSE
    UNION ALL SELECT assigned_west, status, crm_stage FROM opportunities
      WHERE assigned_west IS NOT NULL AND assigned_west <> COALESCE(assigned_psv, '')
        AND closed = FALSE
    UNION ALL SELECT owner, status, crm_stage FROM opportunities
      WHERE owner IS NOT NULL AND owner <> COALESCE(assigned_psv, '')
        AND owner <> COALESCE(assigned_west, '') AND closed = FALSE) AS held
  GROUP BY person, status, stage;
)sql";
// Migration 39: re-inquiries per person (issue 18 item 3)
// As SQLite's migration 39: a duplicate's duplicateOf is a column (NULL on every other row),
// filled from the documents, with a partial index on the duplicates' creation time that holds it.
constexpr std::string_view kDuplicateOfSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN duplicate_of TEXT COLLATE "C";
UPDATE opportunities SET duplicate_of = doc::jsonb ->> 'duplicateOf' WHERE is_duplicate;
CREATE INDEX opportunities_duplicates ON opportunities(created_at) INCLUDE (duplicate_of)
  WHERE duplicate_of IS NOT NULL;
)sql";

// Migration 40: the won deals of a period from their own index (issue 18 item 7)
// As SQLite's migration 40: sum_revenue read the whole period from opportunities_funnel_cover to
// keep the rows with a deal value (2,300 of 54,000 over 30 days at 1M rows: 27 ms p50, section
// 34). Only those rows are in this index, with every column the sum filters or adds by.
constexpr std::string_view kDealsSchema = R"sql(
CREATE INDEX opportunities_deals ON opportunities (id, created_at)
  INCLUDE (is_duplicate, destination_key, funnel_step, assigned_psv, assigned_west, owner,
           deal_currency, deal_amount)
  WHERE deal_amount IS NOT NULL;
)sql";

// Migration 41: what a PSV/WEST agent holds open, by their stage (issue 18 item 3)
// As SQLite's migration 41: the PSV/WEST stage of an InPSV or InWEST opportunity is a column,
// filled from the documents, and open_counts is filled again with it.
constexpr std::string_view kFiltrationStageSchema = R"sql(
ALTER TABLE opportunities ADD COLUMN filtration_stage TEXT COLLATE "C";
UPDATE opportunities SET filtration_stage = doc::jsonb #>> '{filtrationStatus,stage}'
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
      WHERE assigned_psv IS NOT NULL AND closed = FALSE
    UNION ALL SELECT assigned_west, status, crm_stage, filtration_stage FROM opportunities
      WHERE assigned_west IS NOT NULL AND assigned_west <> COALESCE(assigned_psv, '')
        AND closed = FALSE
    UNION ALL SELECT owner, status, crm_stage, filtration_stage FROM opportunities
      WHERE owner IS NOT NULL AND owner <> COALESCE(assigned_psv, '')
        AND owner <> COALESCE(assigned_west, '') AND closed = FALSE) AS held
  GROUP BY person, status, stage;
)sql";

// Migration 42 (PostgreSQL only; SQLite ranks a pool in memory, pool_cache.h): whether a pool has
// a POC with rules (tx_availabilities.cpp) read from an index of those few rows. Without it,
// each lead's ranking scanned every POC of every pool for it: about a third of that statement,
// the most costly of a lead's (docs/benchmarks.md §35).
constexpr std::string_view kRuledPocsSchema = R"sql(
CREATE INDEX availabilities_ruled ON availabilities (process)
  WHERE rules IS NOT NULL AND NOT deleted AND is_available;
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
    Migration{36, "the funnel's covering index", kFunnelCoverSchema},
    Migration{37, "first contacts on the opportunity", kFirstContactSchema},
    Migration{38, "open counts by stage", kOpenByStageSchema},
    Migration{39, "re-inquiries' originals", kDuplicateOfSchema},
    Migration{40, "won deals", kDealsSchema},
    Migration{41, "open counts by PSV/WEST stage", kFiltrationStageSchema},
    Migration{42, "the pools' POCs with rules", kRuledPocsSchema},
};

// The key of the session advisory lock held while migrating ("leadproc" in ASCII).
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_lock(7810756212755165027)";
constexpr std::string_view kMigrationUnlock = "SELECT pg_advisory_unlock(7810756212755165027)";

Result<int> max_version(Connection& c) {
  auto rows = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!rows) return rows.error();
  return static_cast<int>((*rows)[0].int_at(0));
}

Result<bool> is_applied(Connection& c, int version) {
  auto rows =
      c.query("SELECT 1 FROM schema_migrations WHERE version = $1", Params().integer(version));
  if (!rows) return rows.error();
  return !rows->empty();
}

Status apply(Connection& c, const Migration& m) {
  RollbackGuard guard(c);
  if (auto s = c.exec("BEGIN"); !s) return s;
  if (auto s = c.exec(m.sql); !s) return s;
  if (m.backfill) {
    if (auto s = m.backfill(c); !s) return s;
  }
  auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auto rows = c.query("INSERT INTO schema_migrations(version, applied_at) VALUES ($1, $2)",
                      Params().integer(m.version).integer(now.time_since_epoch().count()));
  if (!rows) return rows.error();
  if (auto s = c.exec("COMMIT"); !s) return s;
  guard.dismiss();
  return ok_status();
}

Result<int> migrate_locked(Connection& conn) {
  if (auto s = conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
      !s) {
    return s.error();
  }
  const int latest = kMigrations.back().version;
  auto before = max_version(conn);
  if (!before) return before.error();
  if (*before > latest) {
    return Error::internal("database schema version " + std::to_string(*before) +
                           " is newer than this binary's " + std::to_string(latest));
  }
  for (const auto& m : kMigrations) {
    auto applied = is_applied(conn, m.version);
    if (!applied) return applied.error();
    if (*applied) continue;
    if (auto s = apply(conn, m); !s) {
      auto e = s.error();
      e.detail =
          "migration " + std::to_string(m.version) + " (" + std::string(m.name) + "): " + e.detail;
      return e;
    }
  }
  return max_version(conn);
}

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

Result<int> migrate(Connection& conn) {
  // Session-level: held across the per-migration transactions; released below, or by the server
  // if the connection dies.
  if (auto s = conn.exec(kMigrationLock); !s) return s.error();
  auto result = migrate_locked(conn);
  if (!conn.broken()) (void)conn.exec(kMigrationUnlock);
  return result;
}

}  // namespace leadproc::postgres
