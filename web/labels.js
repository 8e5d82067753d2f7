// The words the UI shows for the API's codes: statuses, PSV/WEST stages, CRM stages and
// journey checkpoints (sub-stages), reasons, processes and platforms, in one table. A person
// reads "PSV — follow-up 1", "Won", "Hot lead", never "PSVFollowUp1" or "won · FRESH_LEAD".
// Forms still send the codes (an <option>'s value); only what is shown comes from here.
// A code missing from the table is shown made readable ("some_code" -> "Some code"), so a new
// code in the API never shows as nothing.
export const LABELS = {
  // Opportunity statuses (src/domain/enums.cpp).
  UnderProcessing: 'Being processed',
  InPSV: 'With PSV',
  InWEST: 'With WEST',
  ResolvingUnknown: 'Destination unknown',
  UnknownResolved: 'Destination found',
  UnknownClientNotResponded: 'Unknown destination — client did not respond',
  UnknownClientNotInterested: 'Unknown destination — client not interested',
  UnknownAlreadyAssigned: 'Unknown destination — already with someone',
  UpcomingFreshLead: 'Upcoming — new lead',
  UpcomingFollowUp1: 'Upcoming — follow-up 1',
  UpcomingFollowUp2: 'Upcoming — follow-up 2',
  UpcomingFollowUp3: 'Upcoming — follow-up 3',
  UpcomingFollowUp4: 'Upcoming — follow-up 4',
  UpcomingQualified: 'Upcoming — qualified',
  UpcomingDisqualifiedJunk: 'Upcoming — junk',
  UpcomingDisqualifiedNotInterested: 'Upcoming — not interested',
  UpcomingDisqualifiedNotResponded: 'Upcoming — did not respond',
  UpcomingDisqualifiedAlreadyAssigned: 'Upcoming — already with someone',
  Open: 'Open',
  Won: 'Won',
  Lost: 'Lost',
  Dormant: 'Dormant',
  Disqualified: 'Disqualified',
  // PSV and WEST stages (filtrationStatus.stage; src/domain/workflow.cpp).
  PSVFreshLead: 'PSV — new lead',
  PSVFollowUp1: 'PSV — follow-up 1',
  PSVFollowUp2: 'PSV — follow-up 2',
  PSVFollowUp3: 'PSV — follow-up 3',
  PSVFutureFollowUp: 'PSV — call back later',
  PSVQualified: 'PSV — qualified',
  PSVDisqualified: 'PSV — disqualified',
  WestFreshLead: 'WEST — new lead',
  WestFollowUp1: 'WEST — follow-up 1',
  WestFollowUp2: 'WEST — follow-up 2',
  WestFollowUp3: 'WEST — follow-up 3',
  WestFutureFollowUp: 'WEST — call back later',
  WestQualified: 'WEST — qualified',
  WestDisqualified: 'WEST — disqualified',
  // CRM stages (crmStageMeta.stage) and journey checkpoints (crmStageMeta.subStage).
  fresh_lead: 'Fresh lead',
  followup: 'Follow-up',
  won: 'Won',
  lost: 'Lost',
  closed_for_future_followup: 'Closed — follow up later',
  FRESH_LEAD: 'Fresh lead',
  HOT_LEAD: 'Hot lead',
  NEGOTIATION: 'Negotiation',
  PAYMENT_AWAITED: 'Payment awaited',
  // Reasons: disqualification, lost, plan dropped, not responded (src/domain/reasons.cpp).
  junk: 'Junk',
  wrong_number: 'Wrong number',
  not_interested: 'Not interested',
  not_responded: 'Did not respond',
  budget_issue: 'Budget',
  plan_dropped: 'Plan dropped',
  booked_elsewhere: 'Booked elsewhere',
  duplicate: 'Duplicate',
  destination_not_serviced: 'Destination not served',
  service_not_offered: 'Service not offered',
  job_seeker: 'Job seeker',
  language_barrier: 'Language barrier',
  other: 'Other',
  itinerary_mismatch: 'Itinerary mismatch',
  visa_rejected: 'Visa rejected',
  destination_changed: 'Destination changed',
  personal_reasons: 'Personal reasons',
  medical_emergency: 'Medical emergency',
  financial_constraints: 'Money',
  work_commitments: 'Work',
  travel_postponed: 'Travel postponed',
  visa_issues: 'Visa issues',
  safety_concerns: 'Safety concerns',
  group_dropped_out: 'Group dropped out',
  call_not_answered: 'Call not answered',
  not_reachable: 'Not reachable',
  call_disconnected: 'Call disconnected',
  number_busy: 'Number busy',
  invalid_number: 'Invalid number',
  whatsapp_no_reply: 'No WhatsApp reply',
  stopped_responding_after_quote: 'Stopped responding after the quote',
  // Follow-up kinds and outcomes (their states read as words already: active, completed, …).
  connected: 'Connected',
  first_contact: 'First contact',
  future_followup: 'Call back later',
  // Processes and platforms.
  PSV: 'PSV',
  WEST: 'WEST',
  'NO-FILTER': 'Straight to sales',
  UNKNOWN: 'Unknown destination',
  UPCOMING: 'Upcoming',
  website: 'Website',
  paid_ads: 'Paid ads',
  instagram: 'Instagram',
  whatsapp_bot: 'WhatsApp bot',
  dc: 'Direct call',
  referral: 'Referral',
  google_ads_west: 'Google Ads (WEST)',
  crm_direct: 'Entered in the CRM',
  junk_automation: 'Junk filter',
};

// The words for `code`; '' for none.
export function label(code) {
  if (code === null || code === undefined || code === '') return '';
  const known = LABELS[code];
  if (known) return known;
  const words = String(code).replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// [code, words] pairs for a <select> of `codes`.
export function labelled(codes) {
  return codes.map((c) => [c, label(c)]);
}

// Where an opportunity stands beyond its status, in words: the PSV/WEST stage before the CRM, the
// CRM stage and journey checkpoint in it ("Follow-up · Hot lead"). Nothing when the status says
// it all (a won deal is "Won", not "won · FRESH_LEAD").
export function stageLabel(opp) {
  if (opp.crmStageMeta && ['Open', 'Won', 'Lost', 'Dormant'].includes(opp.status)) {
    const { stage, subStage } = opp.crmStageMeta;
    if (label(stage) === label(opp.status)) return '';
    if (stage === 'won' || stage === 'lost') return label(stage);
    const parts = [label(stage), subStage && label(subStage)].filter(Boolean);
    return [...new Set(parts)].join(' · ');
  }
  const stage = opp.filtrationStatus?.stage;
  return stage && label(stage) !== label(opp.status) ? label(stage) : '';
}
