// Moving an opportunity through the workflow (PRODUCT.md "Workflow", docs/workflow.md): one
// request = one move of the table in src/domain/workflow.h, in one write transaction with the
// CRM entry it may cause, the follow-ups it settles and its activity.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/opportunity_change.h"
#include "domain/workflow.h"

namespace leadproc {

// POST /opportunities/{id}/transitions, decoded.
struct TransitionRequest {
  std::optional<std::string> to;           // "to": the target (a status, stage or sub-stage name)
  std::vector<std::string> reasons;        // "reasons"
  std::optional<std::string> destination;  // "destination": an _id or a name (case-insensitive)
  std::optional<Timestamp> next_follow_up_date;         // "nextFollowUpDate"
  std::optional<std::string> lost_reason;               // "lostReason"
  std::optional<std::string> lost_reason_detail;        // "lostReasonDetail"
  std::optional<std::string> booking_id;                // "bookingId" (the move to won)
  std::optional<MoveInput::DealValueInput> deal_value;  // "dealValue" (the move to won)
  // "remarks": the mover's comment. It goes to the move's activity (its description), and to a
  // note as well when `as_note`; never to the opportunity's `remarks`, which are the customer's
  // and change only through an edit (PATCH).
  std::optional<std::string> remarks;
  bool as_note = false;                   // "asNote": keep the comment as a note too
  std::vector<FieldError> decode_errors;  // type errors found while decoding
};

struct TransitionResult {
  Opportunity opportunity;  // after the move (and CRM entry), at its new version
  MovePlan plan;
  bool entered_crm = false;
  bool awaiting_sales = false;  // entered CRM but no sales person was available
};

// Applies the move `req.to` to the opportunity `id`. In order: 422 for a malformed request;
// 404; 412 when opts.expected_version is stale; 409 (kConflict, `allowed` = the moves from the
// current state) when the table forbids the move, 422 when it names no move or lacks a field it
// needs. Then, in the same transaction:
// - a move with plan.enters_crm runs enter_crm (status Open, sales owner, first contact);
//   reactivating a Dormant duplicate also marks it qualified ("Reactivated");
// - `followup` from fresh_lead completes the active first-contact follow-up (the contact
//   happened); `won`, `lost`, `Dormant` and `closed_for_future_followup` cancel the active
//   follow-ups, and `closed_for_future_followup` schedules a future_followup at its date;
// - a PSV/WEST follow-up step (FollowUp1..3) sets nextFollowUpDate to the next attempt's time,
//   req.next_follow_up_date or the proposal (domain/workflow.h propose_next_attempt), which puts
//   it in the agent's due list; the next move replaces it (a later step, a future follow-up),
//   CRM entry replaces it by the first contact's, a disqualification clears it;
// - with `as_note` and a comment, a note holding the comment is added;
// - the opportunity is written against the version loaded (a concurrent move makes this one
//   fail with 412) with one activity: every changed field, the follow-ups' and the note's
//   changes, the actor, and the comment in its description ("moved from A to B: <comment>").
// `as_note` without a comment is a 422 naming `remarks`.
Result<TransitionResult> move_opportunity(AppContext& ctx, const Id& id,
                                          const TransitionRequest& req, const WriteOptions& opts);

// The opportunity and the moves allowed from its current state (kNotFound when absent).
struct AllowedMoves {
  Opportunity opportunity;
  WorkflowState state;
  std::vector<std::string> allowed;
  // When an allowed move is a PSV/WEST follow-up step: the time its next attempt gets unless
  // the request gives one (propose_next_attempt), for the client to prefill.
  std::optional<Timestamp> proposed_next_attempt;
};
Result<AllowedMoves> allowed_transitions(AppContext& ctx, const Id& id);

}  // namespace leadproc
