// One opportunity: its fields, the moves allowed from its state, its follow-ups (complete the
// active one), notes, reassignment (admins) and its timeline. Every write sends the version read
// (If-Match), so a change someone else made in the meantime is refused (412) and shown as such.
import { get, post } from './api.js';
import { h, append, select, field, onSubmit, formatTime, text, stageOf, failure, userName, isoFromLocal } from './dom.js';
import {
  MOVE_NEEDS, DISQUALIFICATION_REASONS, LOST_REASONS, LOST_REASON_DETAILS, OUTCOME_REASONS,
} from './terms.js';

const NOTE_LIMIT = 2000;

export async function opportunityView(main, { user, id, rerender }) {
  const base = `/opportunities/${id}`;
  let opp, moves, followups, timeline, people = new Map([[user._id, `${userName(user)} (you)`]]);
  try {
    [opp, moves, followups, timeline] = await Promise.all([
      get(base), get(`${base}/transitions`), get(`${base}/followups`), get(`${base}/timeline`),
    ]);
    if (user.department === 'ADMIN') {
      for (const u of (await get('/users')).items) if (u._id !== user._id) people.set(u._id, userName(u));
    }
  } catch (err) {
    main.append(h('p', {}, h('a', { href: '#/' }, '← Back')), failure(err));
    return;
  }
  const who = (id_) => (id_ ? people.get(id_) ?? `user ${id_.slice(-6)}` : 'system');
  // After a successful write: show the new state, with a line saying what was done.
  const done = (message) => {
    sessionStorage.setItem('leadproc.flash', message);
    rerender();
  };
  const flash = sessionStorage.getItem('leadproc.flash');
  sessionStorage.removeItem('leadproc.flash');

  append(main, [
    h('p', {}, h('a', { href: '#/' }, '← Back')),
    h('div', { class: 'title' },
      h('h1', {}, opp.name),
      h('span', { class: `status s-${opp.status}`, 'data-testid': 'status' }, opp.status),
      h('span', { class: 'stage', 'data-testid': 'stage' }, stageOf(opp)),
      h('button', { type: 'button', onclick: () => rerender() }, 'Reload')),
    flash && h('p', { class: 'notice', role: 'status' }, flash),
    h('div', { class: 'columns' },
      h('div', {},
        details(opp, who),
        moveForm(opp, moves, base, done, rerender),
        user.department === 'ADMIN' && reassignForm(opp, base, done, rerender)),
      h('div', {},
        followupsSection(opp, followups.items, who, done, rerender),
        noteForm(base, done),
        timelineSection(timeline.items, who)))]);
}

function details(opp, who) {
  const rows = [
    ['Number', opp.number], ['Email', opp.email], ['Pax', opp.pax], ['Destination', text(opp.destination)],
    ['Process', opp.filterationProcess], ['Platform', opp.leadSource?.platform],
    ['Assigned PSV', opp.assignedPsv?.name], ['Assigned WEST', opp.assignedWest?.name],
    ['Owner (sales)', opp.opportunityOwner && who(opp.opportunityOwner)],
    ['Waiting for', opp.awaitingAssignment], ['Next follow-up', opp.nextFollowUpDate && formatTime(opp.nextFollowUpDate)],
    ['Travel date', opp.travelDate], ['Trip type', opp.tripType], ['Tags', (opp.tags ?? []).join(', ')],
    ['Remarks', opp.remarks], ['Re-inquiries', opp.reInquiries || null], ['Duplicate of', opp.duplicateOf],
    ['Created', formatTime(opp.createdAt)], ['Updated', formatTime(opp.updatedAt)], ['Version', opp.version],
  ];
  return h('section', { class: 'card', 'aria-label': 'Details' },
    h('h2', {}, 'Details'),
    h('dl', {}, rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])));
}

// The fields a move needs, shown when that move is chosen.
function moveFields(to) {
  const needs = MOVE_NEEDS[to] ?? [];
  const fields = [];
  if (needs.includes('reasons')) {
    fields.push(h('fieldset', { 'data-field': 'reasons' }, h('legend', {}, 'Reasons'),
      DISQUALIFICATION_REASONS.map((r) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'reasons', value: r }), r))));
  }
  if (needs.includes('destination'))
    fields.push(field('Destination', h('input', { name: 'destination', placeholder: 'a destination name' })));
  if (needs.includes('nextFollowUpDate'))
    fields.push(field('Next follow-up', h('input', { name: 'nextFollowUpDate', type: 'datetime-local' })));
  if (needs.includes('lostReason')) {
    const detail = h('span', {});
    const reason = select('lostReason', LOST_REASONS, { blank: 'Choose a reason' });
    reason.addEventListener('change', () => {
      const options = LOST_REASON_DETAILS[reason.value];
      detail.replaceChildren(options ? field('Detail', select('lostReasonDetail', options, { blank: '(none)' })) : '');
    });
    fields.push(field('Lost reason', reason), detail);
  }
  return fields;
}

function moveForm(opp, moves, base, done, reload) {
  const section = h('section', { class: 'card', 'aria-label': 'Move' }, h('h2', {}, 'Move'));
  if (moves.allowed.length === 0) {
    section.append(h('p', { class: 'muted' }, 'No moves: this opportunity is closed.'));
    return section;
  }
  const extra = h('div', {});
  const to = select('to', moves.allowed, { blank: 'Choose the next stage' });
  to.addEventListener('change', () => extra.replaceChildren(...moveFields(to.value)));
  const form = h('form', {},
    h('p', { class: 'muted' }, `Now: ${moves.describe}`),
    field('Move to', to), extra,
    field('Remarks', h('textarea', { name: 'remarks', rows: 2 })),
    h('button', { type: 'submit' }, 'Move'));
  onSubmit(form, async (data) => {
    const body = { to: data.get('to') };
    const needs = MOVE_NEEDS[body.to] ?? [];
    if (needs.includes('reasons')) body.reasons = data.getAll('reasons');
    if (needs.includes('destination')) body.destination = data.get('destination');
    if (needs.includes('nextFollowUpDate')) body.nextFollowUpDate = isoFromLocal(data.get('nextFollowUpDate')) ?? '';
    if (needs.includes('lostReason')) {
      body.lostReason = data.get('lostReason');
      if (data.get('lostReasonDetail')) body.lostReasonDetail = data.get('lostReasonDetail');
    }
    if (data.get('remarks')) body.remarks = data.get('remarks');
    await post(`${base}/transitions`, body, { ifMatch: opp.version });
    done(`Moved to ${body.to}.`);
  }, reload);
  section.append(form);
  return section;
}

function reassignForm(opp, base, done, reload) {
  const department = opp.status === 'InWEST' ? 'WEST'
    : ['Open', 'Dormant'].includes(opp.status) && opp.crmStageMeta ? 'SALES' : 'PSV';
  const to = select('to', [], { blank: 'Loading…' });
  get('/users', { department, isActive: 'true' }).then((answer) => {
    to.replaceChildren(h('option', { value: '' }, `Choose a ${department} user`),
      ...answer.items.map((u) => h('option', { value: u._id }, userName(u))));
  }, () => {});
  const form = h('form', {},
    field(`Give it to (${department})`, to),
    field('Remarks', h('input', { name: 'remarks' })),
    h('button', { type: 'submit' }, 'Reassign'));
  onSubmit(form, async (data) => {
    const body = { to: data.get('to') };
    if (data.get('remarks')) body.remarks = data.get('remarks');
    await post(`${base}/reassign`, body, { ifMatch: opp.version });
    done('Reassigned.');
  }, reload);
  return h('section', { class: 'card', 'aria-label': 'Reassign' }, h('h2', {}, 'Reassign'), form);
}

function followupsSection(opp, items, who, done, reload) {
  const section = h('section', { class: 'card', 'aria-label': 'Follow-ups' }, h('h2', {}, 'Follow-ups'));
  if (items.length === 0) section.append(h('p', { class: 'muted' }, 'No follow-ups.'));
  for (const f of items) {
    const row = h('div', { class: `followup f-${f.status}`, 'data-id': f._id },
      h('div', {},
        h('strong', {}, f.subStage ?? f.stage), ' · ', h('span', { class: 'badge', 'data-testid': 'followup-status' }, f.status),
        ' · due ', formatTime(f.reminderDate), f.outcome && ` · outcome ${f.outcome}`, ' · ', who(f.owner)),
      f.note && h('p', {}, f.note));
    if (f.status === 'active') row.append(completeForm(f, done, reload));
    section.append(row);
  }
  return section;
}

function completeForm(f, done, reload) {
  const reasonSlot = h('span', {});
  const outcome = select('outcome', [['connected', 'Connected'], ['not_responded', 'Not responded'], ['not_interested', 'Not interested']], { blank: 'Choose the outcome' });
  outcome.addEventListener('change', () => {
    const options = OUTCOME_REASONS[outcome.value];
    reasonSlot.replaceChildren(options ? field('Why', select('notInterestedReason', options, { blank: '(none)' })) : '');
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

function noteForm(base, done) {
  const note = h('textarea', { name: 'note', rows: 3 });
  const count = h('span', {}, `0 / ${NOTE_LIMIT}`);
  note.addEventListener('input', () => {
    const n = [...note.value].length;  // code points, as the API counts
    count.textContent = `${n} / ${NOTE_LIMIT}`;
    count.classList.toggle('over', n > NOTE_LIMIT);
  });
  const form = h('form', {},
    field('Note', note, count),
    h('button', { type: 'submit' }, 'Add note'));
  onSubmit(form, async (data) => {
    await post(`${base}/notes`, { note: data.get('note') });
    done('Note added.');
  });
  return h('section', { class: 'card', 'aria-label': 'Notes' }, h('h2', {}, 'Add a note'), form);
}

function value(v) {
  if (v === null || v === undefined || v === '') return '∅';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

// Each changed field as `field: old → new`; a long list (a lead's creation) folded away.
function changesList(changes) {
  if (changes.length === 0) return null;
  const list = h('ul', { class: 'changes' }, changes.map((c) =>
    h('li', {}, h('code', {}, c.field), ': ', h('span', { class: 'old' }, value(c.previousValue)), ' → ', h('span', { class: 'new' }, value(c.newValue)))));
  return changes.length > 10 ? h('details', {}, h('summary', {}, `${changes.length} fields`), list) : list;
}

function timelineSection(items, who) {
  const list = h('ol', { class: 'timeline' });
  for (const { type, at, item } of items) {
    let body;
    if (type === 'activity') {
      body = [h('div', {}, h('span', { class: 'badge' }, item.activityPhase ?? 'activity'), ' ', item.description, h('span', { class: 'muted' }, ` — ${who(item.activityBy)}`)),
        changesList(item.changes ?? [])];
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
