// What the reports read (docs/reports.md): funnel counts, revenue, held and overdue work, the
// first-contact SLA, and the stage periods of time in stage (migration 21). One port of the store
// (app/store.h): ReadTx and WriteTx inherit every port, so a use case asks its transaction; the
// adapters implement them all (storage/sql/sql_tx.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/opportunities.h"
#include "domain/funnel.h"
#include "domain/model.h"
#include "domain/result.h"
#include "domain/text_table.h"

namespace leadproc {

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

// The counts of count_funnel: of every row once, and by group (empty when grouped by kNone).
struct FunnelCounts {
  std::vector<FunnelCount> total;  // key ""
  std::vector<FunnelCount> grouped;
};

// How many open (not closed) opportunities one person holds with one status at one stage (the
// people report): `stage` is the CRM stage of an Open or Dormant one (an Open one without one at
// "followup"), the PSV/WEST stage of an InPSV or InWEST one, "" otherwise
// (storage/sql/open_counts.h held_stage).
struct HeldCount {
  Id person;
  std::string status;
  std::string stage;
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

// The sums of sum_revenue: over everyone (person ""), and per person.
struct RevenueSums {
  std::vector<RevenueSum> total;
  std::vector<RevenueSum> per_person;
};

// One stay of an opportunity in a status and stage (app/stage_periods.h; migration 21), with its
// key in the grouping the time-in-stage report asked for.
// One stay that ended, its texts numbered in the TextTable the read was given.
struct StageStay {
  TextTable::Index status = 0;
  TextTable::Index stage = 0;  // "" : none
  // By platform (wire name), campaign or destination: the opportunity's ("" : none); by agent:
  // who worked it when it entered (app/change_facts.h holder_of; nullopt: nobody); else nullopt.
  std::optional<TextTable::Index> key;
  std::int64_t milliseconds = 0;  // left_at - entered_at
};

// When an opportunity first reached each funnel step after capture (nullopt: not yet), from its
// stays, with its keys in the grouping asked for (the time-in-stage report's milestones),
// numbered in the TextTable the read was given.
struct StageMilestones {
  Timestamp created_at{};
  std::optional<Timestamp> contacted_at;
  std::optional<Timestamp> qualified_at;
  std::optional<Timestamp> won_at;
  // By platform, campaign or destination: the opportunity's; by agent: each distinct one of
  // assignedPsv, assignedWest and opportunityOwner; else none. The first key_count count.
  std::array<TextTable::Index, 3> keys{};
  std::uint8_t key_count = 0;
};

// A count for one person (the people report): of their overdue reminders (count_overdue), or of
// the re-inquiries on what they hold (count_reinquiries).
struct PersonCount {
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

class ReportReads {
 public:
  // The opportunities whose crmStageMeta.crmEntryAt is in [from, to), earliest entry first, then
  // by id. Adapters keep crmEntryAt queryable (a column or an expression index).
  virtual Result<std::vector<CrmEntry>> list_crm_entries(Timestamp from, Timestamp to) = 0;
  // The opportunities that `f` lists (its order ignored), counted by kind, step and outcome: all
  // of them, and by `by` (one read of the rows gives both, as every report wants both). kAgent
  // counts an opportunity once for each distinct person among its assignedPsv, assignedWest and
  // opportunityOwner (none: not counted).
  virtual Result<FunnelCounts> count_funnel(const OpportunityFilter& f, FunnelGroup by) = 0;
  // Every person's open opportunities by status and stage (each distinct person of a row once, as
  // in count_funnel's kAgent); only non-zero counts.
  virtual Result<std::vector<HeldCount>> count_held_open() = 0;
  // The deal values of the opportunities that `f` lists that have one, summed per currency: once
  // over all (person ""), and per person (each distinct person of a row once, as in
  // count_funnel's kAgent), from one read of the rows.
  virtual Result<RevenueSums> sum_revenue(const OpportunityFilter& f) = 0;
  // Every person's overdue reminders as of `now`: active CRM follow-ups (by owner) and PSV/WEST
  // next attempts (by agent) whose time is before `now`.
  virtual Result<std::vector<PersonCount>> count_overdue(Timestamp now) = 0;
  // The re-inquiries (duplicates) created in [from, to), each counted for every distinct person
  // among its original's assignedPsv, assignedWest and opportunityOwner now (as count_funnel's
  // kAgent counts a row); only non-zero counts.
  virtual Result<std::vector<PersonCount>> count_reinquiries(Timestamp from, Timestamp to) = 0;
  virtual Result<NowCounts> now_counts(Timestamp now) = 0;
  // The stays that ended in [left_from, left_to) of the opportunities whose platform, campaign
  // and destination are `f`'s, worked by `f`'s assignee when one is given (its other conditions
  // do not apply: a stay carries only these), keyed by `by` (only what the grouping needs is
  // read: a 30-day report reads ~50,000 stays at 1M opportunities).
  // Their texts are numbered in `texts`.
  virtual Result<std::vector<StageStay>> list_stage_stays(const OpportunityFilter& f,
                                                          Timestamp left_from, Timestamp left_to,
                                                          FunnelGroup by, TextTable& texts) = 0;
  // The milestones of every opportunity matching `f` that has reached contacted (one that has
  // not has no milestone: a later step's stays are past contacted too), keyed by `by`, their
  // keys numbered in `texts`.
  virtual Result<std::vector<StageMilestones>> list_stage_milestones(const OpportunityFilter& f,
                                                                     FunnelGroup by,
                                                                     TextTable& texts) = 0;

 protected:
  ~ReportReads() = default;
};

// Whether an opportunity entering a stage may have a stay open (enter_stage).
enum class EarlierStay { kNone, kMayBeOpen };

class ReportWrites {
 public:
  // Ends the open stay of `opp_id` (if any) at `at` and opens one with `status`, `stage`, `step`
  // and `person`, entered at `at`. kNone: the opportunity was created by this transaction, so it
  // has no stay to end (one statement fewer for every lead).
  virtual Status enter_stage(const Id& opp_id, const std::string& status, const std::string& stage,
                             FunnelStep step, const std::optional<Id>& person, Timestamp at,
                             EarlierStay earlier) = 0;

 protected:
  ~ReportWrites() = default;
};

}  // namespace leadproc
