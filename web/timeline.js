// The opportunity page's timeline (GET /opportunities/{id}/timeline): activities with each
// changed field as old -> new, notes and follow-ups, newest first; every person's id as a name.
import { h, formatTime } from './dom.js';

// Fields of a change whose values are user ids (followups.<id>.owner, assignedPsv._id, …).
const PERSON_FIELD = /(^|\.)(opportunityOwner|salesPersonToBeAssigned|qualifiedBy|createdBy|updatedBy|modifiedBy|owner|activityBy)$|^assigned(Psv|West)\._id$/;

// A changed value as text: a person's id as their name, a {_id, name} reference as its name.
function value(v, field, who) {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'string' && PERSON_FIELD.test(field)) return who(v);
  if (typeof v === 'object' && !Array.isArray(v) && typeof v.name === 'string' && typeof v._id === 'string')
    return /^assigned(Psv|West)$/.test(field) ? who(v) : v.name;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

// Each changed field as `field: old → new`; a long list (a lead's creation) folded away.
function changesList(changes, who) {
  if (changes.length === 0) return null;
  const list = h('ul', { class: 'changes' }, changes.map((c) =>
    h('li', {}, h('code', {}, c.field), ': ', h('span', { class: 'old' }, value(c.previousValue, c.field, who)), ' → ', h('span', { class: 'new' }, value(c.newValue, c.field, who)))));
  return changes.length > 10 ? h('details', {}, h('summary', {}, `${changes.length} fields`), list) : list;
}

export function timelineSection(items, who) {
  const list = h('ol', { class: 'timeline' });
  for (const { type, at, item } of items) {
    let body;
    if (type === 'activity') {
      body = [h('div', {}, h('span', { class: 'badge' }, item.activityPhase ?? 'activity'), ' ', item.description, h('span', { class: 'muted' }, ` — ${who(item.activityBy)}`)),
        changesList(item.changes ?? [], who)];
    } else if (type === 'note') {
      body = [h('div', {}, h('span', { class: 'badge' }, 'note'), h('span', { class: 'muted' }, ` ${who(item.createdBy)}`)), h('p', { class: 'note-text' }, item.note)];
    } else {
      body = [h('div', {}, h('span', { class: 'badge' }, 'follow-up'), ` ${item.subStage ?? item.stage} scheduled for ${formatTime(item.reminderDate)} (${item.status})`)];
    }
    list.append(h('li', { class: `t-${type}` }, h('time', { datetime: at }, formatTime(at)), body));
  }
  return h('section', { class: 'card', 'aria-label': 'Timeline' }, h('h2', {}, 'Timeline'),
    items.length ? list : h('p', { class: 'muted' }, 'Nothing yet.'));
}
