// The API's enum values the forms offer (docs/workflow.md "Reason lists", src/domain/enums.cpp).
export const STATUSES = [
  'InPSV', 'InWEST', 'ResolvingUnknown', 'UpcomingFreshLead', 'UpcomingFollowUp1', 'UpcomingFollowUp2',
  'UpcomingFollowUp3', 'UpcomingFollowUp4', 'Open', 'Dormant', 'Won', 'Lost', 'Disqualified',
  'UnknownResolved', 'UnknownClientNotResponded', 'UnknownClientNotInterested', 'UnknownAlreadyAssigned',
  'UpcomingQualified', 'UpcomingDisqualifiedJunk', 'UpcomingDisqualifiedNotInterested',
  'UpcomingDisqualifiedNotResponded', 'UpcomingDisqualifiedAlreadyAssigned', 'UnderProcessing',
];

export const PROCESSES = ['PSV', 'WEST', 'NO-FILTER', 'UNKNOWN', 'UPCOMING'];
export const DEPARTMENTS = ['PSV', 'WEST', 'SALES', 'ADMIN'];

export const DISQUALIFICATION_REASONS = [
  'junk', 'wrong_number', 'not_interested', 'not_responded', 'budget_issue', 'plan_dropped',
  'booked_elsewhere', 'duplicate', 'destination_not_serviced', 'service_not_offered', 'job_seeker',
  'language_barrier', 'other',
];

export const LOST_REASONS = [
  'plan_dropped', 'not_responded', 'booked_elsewhere', 'budget_issue', 'itinerary_mismatch',
  'visa_rejected', 'destination_changed', 'duplicate', 'other',
];

export const PLAN_DROPPED_REASONS = [
  'personal_reasons', 'medical_emergency', 'financial_constraints', 'work_commitments',
  'travel_postponed', 'visa_issues', 'safety_concerns', 'group_dropped_out', 'other',
];

export const NOT_RESPONDED_SCENARIOS = [
  'call_not_answered', 'not_reachable', 'call_disconnected', 'number_busy', 'invalid_number',
  'whatsapp_no_reply', 'stopped_responding_after_quote',
];

// Details of a lost reason (lostReasonDetail) and of a follow-up outcome (notInterestedReason).
export const LOST_REASON_DETAILS = { plan_dropped: PLAN_DROPPED_REASONS, not_responded: NOT_RESPONDED_SCENARIOS };
export const OUTCOME_REASONS = { not_interested: PLAN_DROPPED_REASONS, not_responded: NOT_RESPONDED_SCENARIOS };

// What each move needs besides `to` and `remarks` (docs/api-workflow.md "Transitions").
export const MOVE_NEEDS = {
  PSVDisqualified: ['reasons'],
  WestDisqualified: ['reasons'],
  UnknownResolved: ['destination'],
  PSVFutureFollowUp: ['nextFollowUpDate'],
  WestFutureFollowUp: ['nextFollowUpDate'],
  closed_for_future_followup: ['nextFollowUpDate'],
  lost: ['lostReason'],
  // A won deal records its booking and what it was worth (docs/workflow.md "Won").
  won: ['booking'],
  // A PSV/WEST follow-up step schedules the next attempt: proposed by the server (the same time
  // tomorrow, GET …/transitions proposedNextFollowUpDate), changeable (docs/workflow.md).
  PSVFollowUp1: ['nextAttempt'],
  PSVFollowUp2: ['nextAttempt'],
  PSVFollowUp3: ['nextAttempt'],
  WestFollowUp1: ['nextAttempt'],
  WestFollowUp2: ['nextAttempt'],
  WestFollowUp3: ['nextAttempt'],
};

// The currencies the won form offers first (any ISO 4217 code may be typed: the API checks it).
export const CURRENCIES = ['INR', 'USD', 'EUR', 'GBP', 'AED', 'SGD', 'THB', 'AUD'];

// The fields PATCH /opportunities/{id} edits (docs/api-workflow.md "Editing"): [name, label,
// kind], 'long' for texts of up to 2000 characters.
export const EDITABLE_FIELDS = [
  ['name', 'Name'], ['email', 'Email'], ['alternatePhone', 'Alternate phone'], ['pax', 'Pax'],
  ['paxType', 'Pax type'], ['travelDate', 'Travel date'], ['tripType', 'Trip type'], ['tags', 'Tags'],
  ['remarks', 'Remarks', 'long'], ['customRemark', 'Custom remark', 'long'],
  ['agentNotes', 'Agent notes', 'long'], ['junKRemarks', 'Junk remarks', 'long'],
];

// The lead fields an intake mapping fills from a platform form's answers (docs/api-intake.md,
// `mapping`): [field, label].
export const MAPPED_LEAD_FIELDS = [
  ['name', 'Name'], ['number', 'Phone'], ['email', 'Email'], ['destination', 'Destination'],
  ['travelDate', 'Travel date'], ['pax', 'Pax'],
];
