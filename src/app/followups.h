// Follow-ups (PRODUCT.md "Follow-ups, notes, SLA"; spec "Opportunity Follow-ups Collection"):
// scheduling, completing, canceling and rescheduling the CRM phase's contacts with a client, and
// the due / overdue / upcoming lists in the business time zone.
//
// Rules (docs/api-workflow.md explains them):
// - Follow-ups belong to opportunities in the CRM phase (status Open). At most one is active at a
//   time: a new one is refused (409) while another is active.
// - The sub-stage follows the sequence first_contact → second_followup → third_followup →
//   future_followup by the number of follow-ups completed (sub_stage_after); while the CRM stage
//   is closed_for_future_followup it is future_followup. `count` is the attempt number.
// - CRM entry schedules the first contact, due kFirstContactSla after entry. Completing it moves
//   the CRM stage fresh_lead → followup through the workflow table. Every completion adds one to
//   crmStageMeta.followupCount.
// - The opportunity's nextFollowUpDate is the earliest active reminder; every change writes the
//   opportunity (bumping its version) and one activity with the follow-up's field changes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/business_day.h"
#include "app/opportunity_change.h"

namespace leadproc {

// Building blocks, run inside another use case's write transaction

// Inserts the first-contact follow-up of `opp`, which is entering the CRM phase at `now`: due
// kFirstContactSla later, owned by its opportunityOwner (none while it waits for a sales person),
// created by the system. Its fields are appended to `changes` when given.
Result<FollowUp> schedule_first_contact(AppContext& ctx, WriteTx& tx, const Opportunity& opp,
                                        Timestamp now, std::vector<FieldChange>* changes = nullptr);

// Inserts a future_followup follow-up of `opp` due at `reminder` (an opportunity parked in
// closed_for_future_followup), appending its fields to `changes`.
Status schedule_future_followup(AppContext& ctx, WriteTx& tx, const Opportunity& opp,
                                Timestamp reminder, const std::optional<Id>& actor,
                                std::vector<FieldChange>& changes);

// Cancels every active follow-up of the opportunity; each follow-up's changes are appended to
// `changes` (for the caller's activity).
Status cancel_active_followups(AppContext& ctx, WriteTx& tx, const Id& opp_id,
                               const std::optional<Id>& actor, std::vector<FieldChange>& changes);

// Completes the active first-contact follow-up of `opp`, if any (outcome connected), adding one to
// its crmStageMeta.followupCount; used when a transition moves fresh_lead → followup.
Status complete_first_contact(AppContext& ctx, WriteTx& tx, Opportunity& opp,
                              const std::optional<Id>& actor, std::vector<FieldChange>& changes);

// Gives the active follow-ups of the opportunity to `owner` (reassignment, a waiting lead being
// assigned).
Status hand_over_followups(AppContext& ctx, WriteTx& tx, const Id& opp_id,
                           const std::optional<Id>& owner, const std::optional<Id>& actor,
                           std::vector<FieldChange>& changes);

// For an opportunity that has been in the CRM phase (it has crmStageMeta): nextFollowUpDate = the
// earliest reminder among its active follow-ups as stored in `tx`, nullopt when there is none.
// Other opportunities (PSV/WEST, whose agents set the date with a move) are left alone.
Status refresh_next_follow_up(WriteTx& tx, Opportunity& opp);

// Use cases

// A follow-up's schedule: creating one, rescheduling one, the next one of a completion.
struct FollowUpInput {
  std::optional<Timestamp> reminder_date;    // "reminderDate": required, after now
  std::optional<std::string> note;           // "note": at most kMaxNoteLength characters
  std::optional<std::string> custom_remark;  // "customRemark": idem
  std::vector<FieldError> decode_errors;     // type errors found while decoding
};

struct CompletionInput {
  std::optional<std::string> outcome;                // "outcome": a FollowUpOutcome, required
  std::optional<std::string> not_interested_reason;  // "notInterestedReason": outcome_details_for
  std::optional<std::string> note;                   // "note"
  std::optional<std::string> custom_remark;          // "customRemark"
  std::optional<FollowUpInput> next;                 // "next": schedule the next follow-up
  std::vector<FieldError> decode_errors;
};

struct CancelInput {
  std::optional<std::string> custom_remark;  // "customRemark": why
  std::vector<FieldError> decode_errors;
};

struct FollowUpResult {
  FollowUp followup;             // the follow-up created or changed
  std::optional<FollowUp> next;  // a completion's next follow-up, when one was scheduled
  Opportunity opportunity;       // after the change (its new version)
};

// Schedules the next follow-up of an Open opportunity. opts.expected_version is the
// opportunity's. 409 when it is not Open or a follow-up is already active.
Result<FollowUpResult> create_followup(AppContext& ctx, const Id& opp_id, const FollowUpInput& in,
                                       const WriteOptions& opts);

// Completes an active follow-up with its outcome (and optionally schedules the next one). For
// these three, opts.expected_version is the follow-up's. 409 when the follow-up is not active or
// its opportunity is not Open.
Result<FollowUpResult> complete_followup(AppContext& ctx, const Id& followup_id,
                                         const CompletionInput& in, const WriteOptions& opts);
Result<FollowUpResult> cancel_followup(AppContext& ctx, const Id& followup_id,
                                       const CancelInput& in, const WriteOptions& opts);
// Moves an active follow-up's reminderDate (and replaces its note when one is given).
Result<FollowUpResult> reschedule_followup(AppContext& ctx, const Id& followup_id,
                                           const FollowUpInput& in, const WriteOptions& opts);

Result<std::optional<FollowUp>> query_followup(AppContext& ctx, const Id& id);
// Newest first; kNotFound when the opportunity does not exist.
Result<std::vector<FollowUp>> query_followups_of(AppContext& ctx, const Id& opp_id);

// Due lists

enum class DueFilter { kToday, kOverdue, kUpcoming };
std::optional<DueFilter> parse_due_filter(std::string_view s);  // "today" | "overdue" | "upcoming"

// The reminder window of a due list at `now` in the business time zone `zone`:
// today = [start of today, start of tomorrow); overdue = (-inf, now) (PRODUCT.md: active and
// past its reminderDate, so an earlier-today follow-up is both today's and overdue);
// upcoming = [start of tomorrow, +inf).
struct DueRange {
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
};
Result<DueRange> due_range(DueFilter filter, Timestamp now, const std::string& zone);

// One entry of a due list: a CRM follow-up, or a PSV/WEST agent's nextFollowUpDate.
struct DueItem {
  std::optional<FollowUp> followup;  // nullopt: the opportunity's nextFollowUpDate (PSV/WEST)
  Opportunity opportunity;
  Timestamp reminder_date{};
  std::optional<Id> owner;  // follow-up owner, or the assigned PSV/WEST agent
  bool overdue = false;     // reminder_date < now

  // Its place in the list: the reminder, then the follow-up's id (the opportunity's for a
  // PSV/WEST follow-up date).
  DueCursor cursor() const { return {reminder_date, followup ? followup->id : opportunity.id}; }
};

struct DueList {
  DueRange range;
  std::vector<DueItem> items;  // earliest reminder first
};

// The active follow-ups and PSV/WEST follow-up dates in the filter's window, of `owner` (every
// owner's when nullopt), at most `limit` (1..1000), in DueItem::cursor() order (earliest first),
// after `after` when given (the last entry of the previous page).
Result<DueList> due_followups(AppContext& ctx, DueFilter filter, const std::optional<Id>& owner,
                              int limit, const std::optional<DueCursor>& after = std::nullopt);

}  // namespace leadproc
