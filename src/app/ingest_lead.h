// Taking in one lead (PRODUCT.md "Lead ingestion"): validate, then in ONE transaction replay an
// idempotent request or store the `leads` and `rawopportunities` records, deciding duplicate,
// destination, process and assignee, with counters and activities. A returned ok means durable.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/access.h"
#include "app/context.h"

namespace leadproc {

// What a lead source sends, already decoded from JSON. Type errors found while decoding are
// passed in `decode_errors` so that one 422 names every bad field.
struct LeadInput {
  std::optional<std::string> trace_id;
  std::optional<std::string> name;
  std::optional<std::string> number;
  std::optional<std::string> email;
  std::optional<double> pax;
  std::optional<Platform> platform;  // leadSource.platform; default `website`
  std::optional<std::string> primary_source;
  std::optional<std::string> secondary_source;
  SourceMeta source_meta;
  std::optional<std::string> page;
  std::optional<std::string> destination;  // a name (case-insensitive) or an _id
  Attribution attribution;
  std::optional<std::int64_t> event_time;
  std::optional<std::string> remarks;
  std::optional<std::string> custom_remark;
  std::optional<std::string> action_source;
  std::optional<std::string> travel_date;
  std::optional<std::string> trip_type;
  std::optional<std::string> pax_type;
  // The customer's language tag ("en", "pt-BR"): routing's skill filter (domain/poc_rules.h);
  // stored lower-cased on the lead and its opportunity.
  std::optional<std::string> language;
  std::vector<std::string> tags;
  std::optional<Id> sales_person_to_be_assigned;
  std::optional<Id> created_by;  // the user logging it (direct calls), if any
  // The fields sent that leadproc does not take: kept on the lead as `extra` (within
  // limit_of("extra")), named in the answer's `warnings`. Empty for most leads.
  std::vector<ExtraField> extra;
  // A platform's test lead (Google's `is_test`): stored for admins to see, tagged "test" and
  // Disqualified, never placed: no routing, no assignee, no duplicate check.
  bool test = false;

  std::vector<FieldError> decode_errors;
};

// A request's idempotency key, scoped to its caller (PRODUCT.md "Idempotency"): a key is looked
// up and stored only under `scope`, so two lead sources may use the same traceID or
// Idempotency-Key without refusing each other's leads or replaying each other's answers.
// How long a key's first answer is replayed (PRODUCT.md "Idempotency"); a record older than
// this is ignored, and the retention job deletes it (app/retention.h).
inline constexpr std::chrono::hours kIdempotencyWindow{24};

struct IdempotencyInput {
  std::string scope;         // idempotency_scope(caller); must be set when `key` is
  std::string key;           // Idempotency-Key header, else traceID; empty: none
  std::string request_hash;  // of the request body
};

// The scope of a caller's idempotency keys: "api-key:<id>" for a lead source, "user:<id>" for a
// signed-in user. Never empty (the scope "" holds the records kept from before keys were
// scoped, which no caller may replay).
std::string idempotency_scope(const Principal& caller);

enum class IngestOutcome { kRouted, kUnassigned, kDuplicate, kReplayed, kTest };
std::string_view to_string(IngestOutcome o);

struct IngestResult {
  IngestOutcome outcome = IngestOutcome::kRouted;
  int status = 201;           // 201 new; 200 replay
  std::string response_body;  // the rendered answer (stored for replays)
  Id opportunity_id;          // the new opportunity's _id (201); empty on a replay
};

// Renders the 201 answer from what was stored. With an idempotency key it is called inside the
// transaction, so that the answer is saved with the data for replays; without one, after the
// commit (nothing needs it stored, and the write lock is held for less time). Either way it sees
// the lead and opportunity exactly as committed.
using IngestRenderer = std::function<std::string(const Lead&, const Opportunity&, bool duplicate)>;

// Extra work of a caller in the lead's own transaction, run after the lead and opportunity are
// written and before the commit (e.g. marking the intake receipt the lead came from: one commit
// holds both, so a crash between them cannot store the lead twice). A failed Status rolls the
// whole lead back and is returned (a kConflict is retried like the lead's own).
using IngestHook = std::function<Status(WriteTx&, const Lead&, const Opportunity&)>;

// Validates `input` (422 with every bad field), then ingests in one transaction.
Result<IngestResult> ingest_lead(AppContext& ctx, const LeadInput& input,
                                 const IdempotencyInput& idempotency, const IngestRenderer& render,
                                 const IngestHook& in_tx = {});

}  // namespace leadproc
