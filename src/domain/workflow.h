// The workflow state machine (PRODUCT.md "Workflow"): one data-driven table of every allowed
// move between the spec's statuses, PSV/WEST stages, CRM stages and CRM journey sub-stages.
// docs/workflow.md shows the table and the decisions taken where the spec is silent.
//
// A move is named by its target as the API receives it in `to`: a status ("UnknownResolved",
// "UpcomingFollowUp2", "Dormant", "Open"), a PSV/WEST stage ("PSVFollowUp1", "WestQualified"), a
// CRM stage ("followup", "won", "lost", "closed_for_future_followup") or a journey sub-stage
// ("HOT_LEAD"). Every target name means exactly one thing.
//
// Use: plan_move() (409 when the table forbids the move) → validate_move_input() / apply_move()
// (422 naming the bad fields) → when plan.enters_crm, the app layer runs CRM entry (status Open,
// sales owner, first-contact follow-up). Pure: no I/O; `now` is passed in.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/enums.h"
#include "domain/model.h"
#include "domain/result.h"

namespace leadproc {

// The part of an opportunity the workflow looks at. Only the facets that matter for the status
// are set (state_of normalises):
// - filtration_stage: for InPSV / InWEST / Disqualified, from filtrationStatus.stage. An InPSV
//   (InWEST) opportunity without one (imported legacy data) is at "PSVFreshLead" ("WestFreshLead").
// - crm_stage, crm_sub_stage: for Open / Won / Lost / Dormant, from crmStageMeta. An Open
//   opportunity without crmStageMeta (entered CRM before the spec's 2025-07-11) is at `followup`.
//   A Dormant opportunity without crmStageMeta is a duplicate that never entered CRM.
struct WorkflowState {
  OpportunityStatus status = OpportunityStatus::kUnderProcessing;
  std::optional<std::string> filtration_stage;
  std::optional<CrmStage> crm_stage;
  std::optional<std::string> crm_sub_stage;

  bool operator==(const WorkflowState&) const = default;
};

// The workflow state of an opportunity, normalised as described above.
WorkflowState state_of(const Opportunity& opp);

// "InPSV (PSVFollowUp1)", "Open (followup, HOT_LEAD)", "Won": for messages.
std::string describe(const WorkflowState& state);

// The spec's PSV_STAGES / WEST_STAGES wire values, in declaration order.
std::vector<std::string_view> psv_stages();
std::vector<std::string_view> west_stages();

// What a move does, for activities and for the app layer's follow-up bookkeeping.
enum class MoveKind {
  kFollowUpStep,    // next attempt of a filtration sequence (PSV/WEST stage, Upcoming status)
  kFutureFollowUp,  // PSV/WEST future follow-up scheduled or rescheduled
  kQualify,         // qualified (PSV/WEST/Upcoming) or destination resolved: enters CRM
  kDisqualify,      // a closing filtration outcome (PSV/WEST disqualified, unknown/upcoming)
  kCrmStage,        // crmStageMeta.stage changes (won/lost also set the status)
  kJourney,         // crmStageMeta.subStage moves forward
  kDormant,         // Open → Dormant
  kReactivate,      // Dormant → Open
};
std::string_view to_string(MoveKind kind);  // "follow_up_step", "qualify", ...

// The input fields a move requires (each FieldError names the request field in quotes).
struct MoveNeeds {
  bool reasons = false;              // "reasons": ≥1 PSV_DISQUALIFICATION_REASONS value
  bool destination = false;          // "destination"
  bool next_follow_up_date = false;  // "nextFollowUpDate": after `now`
  bool lost_reason = false;          // "lostReason": a CrmNotInterestedSubStage value
  // "nextFollowUpDate" taken but optional: the time of the next attempt of a PSV/WEST follow-up
  // step (after `now` when given; propose_next_attempt(now) when not).
  bool next_attempt_date = false;
  // "bookingId" (the booking's reference, ≤100 characters) and "dealValue" ({amount, currency},
  // domain/money.h): a won deal records what was sold, for revenue reports.
  bool booking = false;

  bool operator==(const MoveNeeds&) const = default;
};

// What an allowed move does. `next` is exactly state_of(opp) after apply_move (before any CRM
// entry the app layer then runs).
struct MovePlan {
  std::size_t rule = 0;  // index of the table row (0 .. move_rule_count()-1)
  WorkflowState from;
  std::string to;
  MoveKind kind = MoveKind::kFollowUpStep;
  MoveNeeds needs;
  WorkflowState next;
  bool enters_crm = false;  // the app layer must run CRM entry after apply_move
  bool closes = false;      // is_closed() holds afterwards (no further work expected)
};

// The request's fields for a move. A field the move does not take must be absent (422).
struct MoveInput {
  std::vector<std::string> reasons;               // "reasons"
  std::optional<NamedRef> destination;            // "destination", resolved by the caller
  std::optional<Timestamp> next_follow_up_date;   // "nextFollowUpDate"
  std::optional<std::string> lost_reason;         // "lostReason" → crmStageMeta.rejectionReason
  std::optional<std::string> lost_reason_detail;  // "lostReasonDetail" → .notInterstedReasons
  // "remarks": the mover's comment, optional on every move, ≤2000 chars. Validated here, kept on
  // the move's activity by the caller; never written to the opportunity's `remarks` (the
  // customer's words, changed only by an edit).
  std::optional<std::string> remarks;
  std::optional<std::string> actor;       // the acting user, recorded as qualifiedBy
  std::optional<std::string> booking_id;  // "bookingId"
  // "dealValue": its two fields as sent (validated with the move: domain/money.h); nullopt when
  // the request has no dealValue.
  struct DealValueInput {
    std::optional<std::string> amount;
    std::optional<std::string> currency;
  };
  std::optional<DealValueInput> deal_value;
};

inline constexpr std::size_t kMaxRemarksLength = 2000;  // characters (UTF-8 code points)

// A PSV/WEST follow-up step (FollowUp1..3) schedules the next attempt: the opportunity's
// nextFollowUpDate, which puts it in its agent's due list (app/followups.h). When the agent does
// not give the time, the next attempt is due kNextAttemptDelay after the move: the same time of
// day tomorrow, when a customer who did not answer is most likely free again at the hour they
// chose to enquire (docs/workflow.md "Next attempts").
inline constexpr std::chrono::hours kNextAttemptDelay{24};
Timestamp propose_next_attempt(Timestamp now);
// propose_next_attempt(now) when a move allowed from `state` schedules an attempt, else nullopt
// (for the client to prefill the time).
std::optional<Timestamp> proposed_next_attempt(const WorkflowState& state, Timestamp now);

// The targets allowed from `state`, in table order; empty for a state no move leaves
// (UnderProcessing, closed outcomes, Won, Lost, transient qualified states).
std::vector<std::string> allowed_moves(const WorkflowState& state);

// Every target name the table knows, each once, in table order.
std::vector<std::string_view> all_move_targets();

// The number of rows of the table.
std::size_t move_rule_count();

// The plan for moving `state` to `to`. Errors:
// - `to` names no move at all → kValidation with a FieldError on "to";
// - `to` is a move, but not from `state` → kConflict.
// Both carry `allowed` = allowed_moves(state), also listed in the detail.
Result<MovePlan> plan_move(const WorkflowState& state, std::string_view to);

// Checks `input` against the plan: required fields present and valid (reasons from
// PSV_DISQUALIFICATION_REASONS, lostReason from CrmNotInterestedSubStage with an optional
// lostReasonDetail from the list lost_reason_details_for() gives, nextFollowUpDate after `now`,
// a destination with an id, a non-blank bookingId and a dealValue parse_deal_value takes), fields
// the move does not take absent, remarks required when a reason is "other", remarks at most
// kMaxRemarksLength. kValidation lists every bad field.
Status validate_move_input(const MovePlan& plan, const MoveInput& input, Timestamp now);

// Applies a planned move to `opp`: validates `input` (as validate_move_input), then sets the
// status and stages so that state_of(opp) == plan.next, plus what the move records:
// disqualification reasons, destination, nextFollowUpDate (set by moves that take it, the
// proposed next attempt when a follow-up step is given none, cleared by closing moves),
// rejectionReason / notInterstedReasons, bookingId / dealValue, isQualified / qualificationStatus /
// qualifiedBy (qualify and disqualify moves), updatedAt = now; not `remarks` (MoveInput::remarks is
// a comment on the move). kConflict when state_of(opp) != plan.from (the plan is stale). On error
// `opp` is unchanged.
Status apply_move(Opportunity& opp, const MovePlan& plan, const MoveInput& input, Timestamp now);

}  // namespace leadproc
