// The entities of the spec as plain values. Field names follow the spec's JSON names in
// snake_case; the codec (src/codec/) maps them to the wire names verbatim.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/enums.h"
#include "domain/followup.h"  // Follow-ups and notes
#include "domain/money.h"
#include "domain/poc_rules.h"      // Availability::rules
#include "domain/work_schedule.h"  // Availability::schedule

namespace leadproc {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
using Id = std::string;  // 24 lower-case hex digits (ObjectId format)

struct NamedRef {
  Id id;
  std::string name;
  bool operator==(const NamedRef&) const = default;
};

struct PhoneParts {
  std::string country_code;
  std::string number;
  bool operator==(const PhoneParts&) const = default;
};

struct User {
  Id id;
  std::string email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::string credentials;  // bcrypt hash; empty until set. Never serialised to clients.
  std::optional<PhoneParts> phone;
  Department department = Department::kSales;
  bool is_active = true;
  bool deleted = false;
  std::optional<Id> created_by;
  std::optional<Id> modified_by;
  Timestamp created_at{};
  Timestamp updated_at{};

  // "First Last"; for a user with neither name, "user " and the id's last 6 digits (never the
  // email: this name is copied onto records non-admins read).
  std::string display_name() const;
};

struct Destination {
  Id id;
  std::string name;
  std::vector<std::string> slugs;
  double preference = 1.0;  // 0.1..1.0; see round_robin.h for its effect
  bool deleted = false;
  Timestamp created_at{};
  Timestamp updated_at{};
};

struct ProcessMapEntry {
  Id destination_id;
  std::string name;
  bool is_active = true;
  int load_share = 100;      // 0..100
  std::int64_t counter = 0;  // smooth-weighted-round-robin state (process_split.h)
  std::optional<std::string> sheet_name;
  std::optional<std::string> waba_number;
};

struct ProcessDestinationMap {
  Id id;
  FiltrationProcess process = FiltrationProcess::kPsv;
  std::vector<ProcessMapEntry> destinations;
  bool deleted = false;
  Timestamp created_at{};
  Timestamp updated_at{};
};

struct Availability {
  Id id;
  Id person_id;
  std::string person_name;  // denormalised for assignment refs
  bool is_available = true;
  AvailabilityProcess process = AvailabilityProcess::kPsv;
  std::vector<Platform> source;        // empty: a generalist
  std::vector<NamedRef> destinations;  // empty: covers every destination
  std::optional<std::int64_t> seq;
  std::int64_t lead_count = 0;
  std::int64_t total_count = 0;
  WorkSchedule schedule;  // shifts, leave, check-out (work_schedule.h); empty: always working
  PocRules rules;         // cap, daily quota, weight, languages, night desk (poc_rules.h)
  DayCount today;         // leads counted on one business day, for the daily quota
  bool deleted = false;
  std::optional<Id> created_by;
  std::optional<Id> modified_by;
  Timestamp created_at{};
  Timestamp updated_at{};
};

struct WebUrl {
  Id id;
  std::string url;  // normalised (url.h)
  bool consumed = false;
  std::optional<NamedRef> destination;
  std::int64_t hits = 0;
  std::optional<Timestamp> last_hit_at;
  Timestamp created_at{};
  Timestamp updated_at{};
};

struct LeadSource {
  Platform platform = Platform::kWebsite;
  std::optional<std::string> primary_source;
  std::optional<std::string> secondary_source;
};

struct SourceMeta {
  std::optional<std::string> form_name;
  std::optional<std::string> from_id;
  std::optional<std::string> sub_source;
};

// Campaign attribution carried through verbatim: utm*, ad*, campaign*, event*, fbc, fbp, gclid,
// placement, siteSourceName, clientIp, userAgent, fbTraceId (wire names; attribution.h lists them).
using Attribution = std::map<std::string, std::string>;

// A field a source sent that leadproc does not take (issue 19 item 7: no field silently
// dropped): its name as sent, nested ones dotted ("emial", "leadSource.colour"), and its value's
// JSON text exactly as sent (any JSON type: the domain holds no JSON library).
struct ExtraField {
  std::string name;
  std::string json;
};

// The `leads` record: what the source sent, kept as received (number normalised).
struct Lead {
  Id id;
  std::optional<std::string> trace_id;
  std::string name;
  std::string number;      // E.164
  std::string raw_number;  // as received
  std::optional<std::string> email;
  std::optional<double> pax;
  LeadSource lead_source;
  SourceMeta source_meta;
  std::optional<std::string> page;
  Attribution attribution;
  std::optional<std::int64_t> event_time;
  std::optional<std::string> remarks;
  std::optional<std::string> custom_remark;
  std::optional<std::string> action_source;
  std::optional<std::string> destination_input;  // the `destination` the source named, if any
  std::optional<std::string> language;           // the customer's language tag (poc_rules.h)
  std::vector<ExtraField> extra;  // the fields it sent that leadproc does not take (`extra`)
  bool is_pushed = false;
  std::vector<Id> active_leads;  // rawopportunities created from this lead
  Timestamp created_at{};
  Timestamp modified_at{};
};

struct AssignedWest {
  Id id;
  std::string name;
  std::optional<std::string> waba_number;
  std::optional<std::string> sheet_name;
};

struct FiltrationStatus {
  std::string stage;  // a PSV_STAGES / WEST_STAGES value
  FiltrationProcess filter = FiltrationProcess::kPsv;
  std::vector<std::string> disqualification_reason;
};

struct CrmStageMeta {
  CrmStage stage = CrmStage::kFreshLead;
  std::optional<std::string> sub_stage;
  std::optional<std::string> rejection_reason;
  std::optional<std::string> not_intersted_reasons;
  int followup_count = 0;
  std::optional<bool> re_assigned;
  std::optional<bool> is_original;
  std::optional<std::string> original_opportunity_id;
  std::optional<std::string> reassigned_remarks;
  std::optional<Timestamp> crm_entry_at;
};

// The `rawopportunities` record: the lead's whole life.
struct Opportunity {
  Id id;
  std::optional<Id> lead_id;
  std::string trace_id;
  std::string name;
  std::string number;  // E.164
  std::optional<std::string> raw_number;
  std::optional<std::string> email;
  std::optional<std::string> pax;
  std::optional<PhoneParts> alternate_phone;
  std::optional<NamedRef> destination;
  std::optional<std::string> language;  // the lead's language tag: routing's skill filter
  std::optional<std::string> travel_date;
  std::optional<Timestamp> travel_month_date_format;
  std::optional<Timestamp> score_updated_for_trave_month_at;
  std::optional<std::string> trip_type;
  std::optional<std::string> pax_type;
  LeadSource lead_source;
  SourceMeta source_meta;
  std::optional<std::string> page;
  Attribution attribution;
  std::optional<std::int64_t> event_time;

  std::optional<FiltrationProcess> filteration_process;
  std::optional<std::string> filter_assigned;
  std::optional<Id> duplicate_of;
  bool is_duplicate = false;
  bool is_pushed = false;
  std::optional<bool> is_qualified;
  std::optional<std::string> qualification_status;
  std::optional<std::string> qualified_by;
  std::optional<NamedRef> assigned_psv;
  std::optional<AssignedWest> assigned_west;
  std::optional<Id> sales_person_to_be_assigned;
  std::optional<Id> opportunity_owner;

  OpportunityStatus status = OpportunityStatus::kUnderProcessing;
  std::optional<std::string> main_processing_stage;
  std::optional<FiltrationStatus> filtration_status;
  std::optional<CrmStageMeta> crm_stage_meta;
  std::optional<std::string> crm_platform;
  std::int64_t re_inquiries = 0;
  std::optional<std::string> booking_id;
  // The deal value, asked for with bookingId on the move to won (an addition to the spec:
  // domain/money.h); reports add it up.
  std::optional<DealValue> deal_value;
  double opportunity_score = 0;

  std::optional<std::string> remarks;
  std::optional<std::string> junk_remarks;
  std::optional<std::string> agent_notes;
  std::optional<std::string> custom_remark;
  std::optional<std::string> lead_stage;
  std::optional<std::string> selected_costing;
  std::optional<std::string> trips;
  std::vector<std::string> tags;
  std::optional<std::string> action_source;
  std::optional<Id> created_by;
  std::optional<Id> updated_by;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> next_follow_up_date;

  // Set while the lead waits for a POC of this pool (none was available when it was routed);
  // such leads are listed for admins and assigned as soon as a POC of the pool is available.
  std::optional<AvailabilityProcess> awaiting_pool;
  // Why it waits (e.g. nobody of the pool is working: 2 off shift, 1 on leave); with awaiting_pool.
  std::optional<std::string> awaiting_reason;
  std::int64_t version = 1;  // optimistic concurrency; bumped on every write
};

struct FieldChange {
  std::string field;
  std::string previous_value;  // JSON text ("null" when absent)
  std::string new_value;       // JSON text
};

struct Activity {
  Id id;
  Id opp_id;
  std::optional<Id> activity_by;  // null: the system
  ActivityPhase activity_phase = ActivityPhase::kSync;
  std::string description;
  std::vector<FieldChange> changes;
  Timestamp created_at{};
};

// Authentication (users and access)

// A login session (the spec's `sessions`). Only the SHA-256 of the bearer token is stored, so a
// copy of the database does not let anyone log in.
struct Session {
  Id id;
  Id user_id;
  std::string token_hash;  // lower-case hex SHA-256 of the token
  Timestamp expiry{};      // the token stops working at this instant
  bool is_active = true;   // false once logged out or ended (user deactivated, password reset)
  Timestamp created_at{};
};

// A lead source's API key. Only its SHA-256 is stored; the key itself is shown once, when issued.
// A key can only ingest leads.
struct ApiKey {
  Id id;
  std::string name;
  std::string key_hash;                    // lower-case hex SHA-256 of the key
  Platform platform = Platform::kWebsite;  // leadSource.platform of leads that name none
  std::optional<Id> created_by;
  bool revoked = false;
  Timestamp created_at{};
  std::optional<Timestamp> last_used_at;  // updated at most once a minute
};


// Follow-ups and notes

// The spec's `opportunityfollowups` record: one scheduled contact with the client in the CRM
// phase. `owner` (an addition) is the person who must make the contact: the opportunity owner
// when the follow-up was created, moved along when the opportunity is reassigned; it is what
// "my follow-ups" lists filter on. `outcome` (an addition) is set on completion. `version`
// (an addition) guards concurrent changes like the opportunity's.
struct FollowUp {
  Id id;
  Id opp_id;
  CrmStage stage = CrmStage::kFreshLead;  // the opportunity's CRM stage when it was created
  std::optional<FollowUpSubStage> sub_stage;
  std::optional<std::string> not_interested_reason;
  int count = 1;  // attempt number: follow-ups completed before it + 1
  std::optional<std::string> note;
  std::optional<Timestamp> reminder_date;
  FollowUpStatus status = FollowUpStatus::kActive;
  std::optional<Timestamp> completed_at;
  std::optional<std::string> custom_remark;
  std::optional<FollowUpOutcome> outcome;
  std::optional<Id> owner;
  std::optional<Id> created_by;
  std::optional<Id> modified_by;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::int64_t version = 1;
};

// The spec's `opportunitynotes` record. Notes are never edited (updated_at == created_at).
struct Note {
  Id id;
  Id opp_id;
  std::string note;  // at most kMaxNoteLength characters
  std::optional<Id> created_by;
  Timestamp created_at{};
  Timestamp updated_at{};
};


// A person's saved view of the opportunities list (GET /api/v1/me/views): a name and the list's
// query parameters, kept as the JSON object the API was given (the HTTP layer checks it).
struct SavedView {
  Id id;
  Id owner;
  std::string name;   // 1..kMaxSavedViewName characters, unique per owner
  std::string query;  // a JSON object of the list's query parameters, e.g. {"status":"Open"}
  Timestamp created_at{};
  Timestamp updated_at{};
};
inline constexpr std::size_t kMaxSavedViewName = 100;
inline constexpr int kMaxSavedViewsPerPerson = 50;

}  // namespace leadproc
