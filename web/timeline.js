// The opportunity page's timeline (GET /opportunities/{id}/timeline): what happened, in words,
// newest first: moves ("Moved from With PSV · PSV — new lead to PSV — follow-up 1") with the
// mover's comment, edits, notes and follow-ups, each with who did it; every changed field as
// "Field: old → new" in words, never a code, an id or a field path (`followups.<id>.outcome`
// reads "Follow-up outcome"); a person's id as their name.
import { html } from './ui.js';
import { formatTime } from './format.js';
import { label } from './labels.js';

// Fields whose values are user ids (followups.<id>.owner, assignedPsv._id, …).
const PERSON_FIELD = /(^|\.)(opportunityOwner|salesPersonToBeAssigned|qualifiedBy|createdBy|updatedBy|modifiedBy|owner|activityBy)$|^assigned(Psv|West)\._id$/;
// Fields whose values are codes with words in labels.js.
const CODE_FIELD = /(^|\.)(status|stage|subStage|filterationProcess|platform|outcome|lostReason|lostReasonDetail|notInterestedReason|reasons|kind)$/;

// A field path in words: ids and indexes dropped, the last known name translated.
const FIELD_WORDS = {
  status: 'Status', 'filtrationStatus.stage': 'PSV/WEST stage', 'crmStageMeta.stage': 'CRM stage',
  'crmStageMeta.subStage': 'Journey', opportunityOwner: 'Sales owner', salesPersonToBeAssigned: 'Sales person to assign',
  'assignedPsv': 'PSV agent', 'assignedPsv._id': 'PSV agent', 'assignedWest': 'WEST agent', 'assignedWest._id': 'WEST agent',
  qualifiedBy: 'Qualified by', destination: 'Destination', filterationProcess: 'Process', remarks: 'Remarks',
  customRemark: 'Custom remark', agentNotes: 'Agent notes', junKRemarks: 'Junk remarks', name: 'Name', email: 'Email',
  pax: 'Pax', paxType: 'Pax type', travelDate: 'Travel date', tripType: 'Trip type', tags: 'Tags',
  alternatePhone: 'Alternate phone', nextFollowUpDate: 'Next follow-up', awaitingAssignment: 'Waiting for',
  isPushed: 'In the CRM', followupCount: 'Follow-ups made', reInquiries: 'Re-inquiries', score: 'Score',
  'followups.status': 'Follow-up status', 'followups.outcome': 'Follow-up outcome', 'followups.reminderDate': 'Follow-up due',
  'followups.note': 'Follow-up note', 'followups.owner': 'Follow-up owner', 'followups.notInterestedReason': 'Follow-up reason',
  'followups.customRemark': 'Follow-up remark', followups: 'Follow-up', notes: 'Note', 'notes.note': 'Note',
  'crmStageMeta.lostReason': 'Lost reason', 'crmStageMeta.lostReasonDetail': 'Lost reason detail',
  'crmStageMeta.reassignedRemarks': 'Reassignment remarks', 'filtrationStatus.reasons': 'Disqualification reasons',
  'leadSource.platform': 'Platform', duplicateOf: 'Duplicate of', version: 'Version',
};
export function fieldWords(path) {
  const plain = String(path).replace(/\.[0-9a-f]{24}(?=\.|$)/g, '').replace(/\[\d+\]/g, '');
  if (FIELD_WORDS[plain]) return FIELD_WORDS[plain];
  const last = plain.split('.').pop();
  return FIELD_WORDS[last] ?? label(last);
}

// A changed value as text: a person's id as their name, a {_id, name} reference as its name, a
// code in words, a date as a date.
function value(v, field, who) {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'string' && PERSON_FIELD.test(field)) return who(v);
  if (typeof v === 'object' && !Array.isArray(v) && typeof v.name === 'string' && typeof v._id === 'string')
    return /^assigned(Psv|West)$/.test(field) ? who(v) : v.name;
  if (Array.isArray(v)) return v.map((x) => (CODE_FIELD.test(field) ? label(x) : value(x, field, who))).join(', ') || '∅';
  if (typeof v === 'string' && CODE_FIELD.test(field)) return label(v);
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v)) return formatTime(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return Object.entries(v).filter(([k]) => k !== '_id').map(([, x]) => value(x, '', who)).join(' ');
  return String(v);
}

// Each changed field as `Field: old → new`; a long list (a lead's creation) folded away.
function Changes({ changes, who }) {
  if (changes.length === 0) return null;
  const list = html`<ul class="changes">${changes.map((c) => html`<li title=${c.field}>
    <span class="field-name">${fieldWords(c.field)}</span>: <span class="old">${value(c.previousValue, c.field, who)}</span>
    ${' → '}<span class="new">${value(c.newValue, c.field, who)}</span></li>`)}</ul>`;
  return changes.length > 10 ? html`<details><summary>${changes.length} fields</summary>${list}</details>` : list;
}

// "moved from InPSV/PSVFreshLead to PSVFollowUp1: comment" (src/app/transitions.cpp) in words;
// "edited: email pax" as the fields' words; any other description as written.
const MOVE = /^moved from (.+?) to (\S+?)(; entered the CRM phase)?( \(waiting for an available sales person\))?(?:: ([\s\S]*))?$/;
export function describe(description) {
  const text = description ?? '';
  const move = text.match(MOVE);
  if (move) {
    const from = move[1].split(/[/ ·()]+/).filter(Boolean).map(label);
    const words = [`Moved from ${[...new Set(from)].join(' · ')} to ${label(move[2])}`];
    if (move[3]) words.push('; now in the CRM');
    if (move[4]) words.push(' (waiting for an available sales person)');
    return { words: words.join(''), comment: move[5] ?? null };
  }
  if (text.startsWith('edited:')) return { words: `Edited ${text.slice(7).trim().split(/\s+/).map(fieldWords).join(', ')}`, comment: null };
  return { words: text ? text.charAt(0).toUpperCase() + text.slice(1) : 'Changed', comment: null };
}

function Entry({ type, at, item, who }) {
  let body;
  if (type === 'activity') {
    const { words, comment } = describe(item.description);
    body = html`<div><span class="badge">${item.activityPhase ?? 'activity'}</span> ${words}<span class="muted"> — ${who(item.activityBy)}</span></div>
      ${comment && html`<p class="note-text comment">“${comment}”</p>`}
      <${Changes} changes=${item.changes ?? []} who=${who} />`;
  } else if (type === 'note') {
    body = html`<div><span class="badge">note</span><span class="muted"> ${who(item.createdBy)}</span></div>
      <p class="note-text">${item.note}</p>`;
  } else {
    body = html`<div><span class="badge">follow-up</span> ${label(item.subStage ?? item.stage)} due ${formatTime(item.reminderDate)} (${item.status})
      ${item.owner && html`<span class="muted"> — ${who(item.owner)}</span>`}</div>`;
  }
  return html`<li class=${`t-${type}`}><time datetime=${at}>${formatTime(at)}</time>${body}</li>`;
}

export function Timeline({ items, who }) {
  return html`<section class="card" aria-label="Timeline"><h2>Timeline</h2>
    ${items.length ? html`<ol class="timeline">${items.map((i) => html`<${Entry} ...${i} who=${who} />`)}</ol>`
      : html`<p class="muted">Nothing yet.</p>`}
  </section>`;
}
