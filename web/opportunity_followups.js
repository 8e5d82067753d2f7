// The opportunity page's follow-ups (docs/api-workflow.md "Follow-ups"): every follow-up, the
// active one's actions (complete with its outcome, reschedule, cancel) for who may change the
// opportunity, and scheduling the next one. Every write sends the version it read (If-Match).
import { post } from './api.js';
import { h, select, field, onSubmit, formatTime, isoFromLocal, localFromIso } from './dom.js';
import { OUTCOME_REASONS } from './terms.js';
import { label, labelled } from './labels.js';

// Every follow-up, newest first; the active one with its actions (for who may change the
// opportunity); and, for an open CRM opportunity with none active, scheduling the next one.
export function followupsSection(opp, items, who, mine, base, done, reload) {
  const section = h('section', { class: 'card', 'aria-label': 'Follow-ups' }, h('h2', {}, 'Follow-ups'));
  if (items.length === 0) section.append(h('p', { class: 'muted' }, 'No follow-ups.'));
  for (const f of items) {
    const row = h('div', { class: `followup f-${f.status}`, 'data-id': f._id },
      h('div', {},
        h('strong', {}, label(f.subStage ?? f.stage)), ' · ', h('span', { class: 'badge', 'data-testid': 'followup-status' }, f.status),
        ' · due ', h('span', { 'data-testid': 'followup-due' }, formatTime(f.reminderDate)),
        f.outcome && ` · outcome: ${label(f.outcome)}`, ' · ', who(f.owner)),
      f.note && h('p', {}, f.note),
      f.customRemark && h('p', { class: 'muted' }, f.customRemark));
    if (f.status === 'active' && mine) {
      row.append(completeForm(f, done, reload),
        h('details', { class: 'more' }, h('summary', {}, 'Reschedule or cancel'),
          rescheduleForm(f, done, reload), cancelForm(f, done, reload)));
    }
    section.append(row);
  }
  // Follow-ups belong to the CRM phase, one active at a time (else the API answers 409).
  if (mine && opp.status === 'Open' && !items.some((f) => f.status === 'active'))
    section.append(scheduleForm(opp, base, done, reload));
  return section;
}

// A datetime-local field of the API's field `name` (an ISO timestamp, required in the future).
const when = (label, name, value = '') => field(label, h('input', { name, type: 'datetime-local', value }));

function scheduleForm(opp, base, done, reload) {
  const form = h('form', { class: 'inline', 'aria-label': 'Schedule follow-up' },
    when('When', 'reminderDate'),
    field('Note', h('input', { name: 'note' })),
    h('button', { type: 'submit' }, 'Schedule'));
  onSubmit(form, async (data) => {
    // An empty date is sent as '', so that the API names the field (it is required).
    const body = { reminderDate: isoFromLocal(data.get('reminderDate')) ?? '' };
    if (data.get('note')) body.note = data.get('note');
    await post(`${base}/followups`, body, { ifMatch: opp.version });
    done('Follow-up scheduled.');
  }, reload);
  return h('div', { class: 'schedule' }, h('h3', {}, 'Schedule the next follow-up'), form);
}

function rescheduleForm(f, done, reload) {
  const form = h('form', { class: 'inline', 'aria-label': 'Reschedule follow-up' },
    when('New date', 'reminderDate', localFromIso(f.reminderDate)),
    field('Note', h('input', { name: 'note', value: f.note ?? '' }), 'replaces the note'),
    h('button', { type: 'submit' }, 'Reschedule'));
  onSubmit(form, async (data) => {
    const body = { reminderDate: isoFromLocal(data.get('reminderDate')) ?? '' };
    if (data.get('note') && data.get('note') !== (f.note ?? '')) body.note = data.get('note');
    await post(`/followups/${f._id}/reschedule`, body, { ifMatch: f.version });
    done('Follow-up rescheduled.');
  }, reload);
  return form;
}

function cancelForm(f, done, reload) {
  const form = h('form', { class: 'inline', 'aria-label': 'Cancel follow-up' },
    field('Why', h('input', { name: 'customRemark' }), 'optional'),
    h('button', { type: 'submit', class: 'danger' }, 'Cancel follow-up'));
  onSubmit(form, async (data) => {
    const body = {};
    if (data.get('customRemark')) body.customRemark = data.get('customRemark');
    await post(`/followups/${f._id}/cancel`, body, { ifMatch: f.version });
    done('Follow-up canceled.');
  }, reload);
  return form;
}

function completeForm(f, done, reload) {
  const reasonSlot = h('span', {});
  const outcome = select('outcome', [['connected', 'Connected'], ['not_responded', 'Not responded'], ['not_interested', 'Not interested']], { blank: 'Choose the outcome' });
  outcome.addEventListener('change', () => {
    const options = OUTCOME_REASONS[outcome.value];
    reasonSlot.replaceChildren(options ? field('Why', select('notInterestedReason', labelled(options), { blank: '(none)' })) : '');
  });
  const form = h('form', { class: 'inline', 'aria-label': 'Complete follow-up' },
    field('Outcome', outcome), reasonSlot,
    field('Note', h('input', { name: 'note' })),
    field('Next follow-up', h('input', { name: 'next.reminderDate', type: 'datetime-local' }), 'optional'),
    h('button', { type: 'submit' }, 'Complete'));
  onSubmit(form, async (data) => {
    const body = { outcome: data.get('outcome') };
    if (data.get('notInterestedReason')) body.notInterestedReason = data.get('notInterestedReason');
    if (data.get('note')) body.note = data.get('note');
    const next = isoFromLocal(data.get('next.reminderDate'));
    if (next) body.next = { reminderDate: next };
    await post(`/followups/${f._id}/complete`, body, { ifMatch: f.version });
    done('Follow-up completed.');
  }, reload);
  return form;
}
