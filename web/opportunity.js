// One opportunity: its fields (and editing them), the moves allowed from its state, notes and
// reassignment; its follow-ups (opportunity_followups.js) and its timeline (timeline.js). Every id of a person shows as a name (people.js). Writes are
// offered to who may make them (canModify); every one sends the version read (If-Match), so a
// change someone else made in the meantime is refused (412) and shown as such.
import { get, post, patch } from './api.js';
import {
  h, append, select, field, onSubmit, formatTime, text, failure, isoFromLocal,
} from './dom.js';
import { label, labelled, stageLabel } from './labels.js';
import { backHref, opportunityHref } from './worklist.js';
import { html } from './ui.js';
import { mount } from './components.js';
import { customerHref, ContactLinks } from './search.js';
import { CustomerAsked } from './customer_asked.js';
import { keepTyped } from './drafts.js';
import { directoryOrEmpty, personName, colleagues } from './people.js';
import {
  MOVE_NEEDS, DISQUALIFICATION_REASONS, LOST_REASONS, LOST_REASON_DETAILS, EDITABLE_FIELDS,
} from './terms.js';
import { followupsSection } from './opportunity_followups.js';
import { timelineSection } from './timeline.js';

const NOTE_LIMIT = 2000;

// As the API's can_modify (src/app/access.h): an admin; a PSV/WEST agent as the lead's
// assignedPsv/assignedWest until it enters the CRM phase (isPushed); a sales person as its
// opportunityOwner. Others only read it (the API would answer 403); the page then offers no
// writes.
export function canModify(user, opp) {
  switch (user.department) {
    case 'ADMIN': return true;
    case 'PSV': return opp.assignedPsv?._id === user._id && !opp.isPushed;
    case 'WEST': return opp.assignedWest?._id === user._id && !opp.isPushed;
    case 'SALES': return opp.opportunityOwner === user._id;
    default: return false;
  }
}

export async function opportunityView(main, { user, id, params, rerender }) {
  const back = () => h('p', {}, h('a', { href: backHref(params) }, '← Back'));
  const base = `/opportunities/${id}`;
  let opp, moves, followups, timeline, people;
  try {
    [opp, moves, followups, timeline, people] = await Promise.all([
      get(base), get(`${base}/transitions`), get(`${base}/followups`), get(`${base}/timeline`),
      directoryOrEmpty(),
    ]);
    // The lead as it arrived (what the customer wrote): a help, never a reason not to show.
    opp.lead = opp.leadId ? await get(`/leads/${opp.leadId}`).catch(() => null) : null;
  } catch (err) {
    main.append(back(), failure(err));
    return;
  }
  // A person as text, from an id or a {_id, name} reference (whose name serves when the
  // directory does not know the id).
  const who = (x) => (x && typeof x === 'object'
    ? (people.has(x._id) ? personName(people, x._id, user._id) : x.name)
    : personName(people, x, user._id));
  const mine = canModify(user, opp);
  // After a successful write: show the new state, with a line saying what was done.
  const done = (message) => {
    sessionStorage.setItem('leadproc.flash', message);
    rerender();
  };
  // After handing it to a colleague, a non-admin may no longer see it (the API answers 404).
  const handedOver = (message) => main.replaceChildren(back(),
    h('h1', {}, opp.name), h('p', { class: 'notice', role: 'status' }, `${message} It has left your list.`));
  const flash = sessionStorage.getItem('leadproc.flash');
  sessionStorage.removeItem('leadproc.flash');
  // Reload (after a 412, or at will): the latest version, with what was typed kept beside it.
  const reload = () => {
    keepTyped(main);
    rerender({ conflict: true });
  };

  append(main, [
    back(),
    h('div', { class: 'title' },
      h('h1', {}, opp.name),
      h('span', { class: `status s-${opp.status}`, 'data-testid': 'status', title: opp.status }, label(opp.status)),
      h('span', { class: 'stage', 'data-testid': 'stage' }, stageLabel(opp)),
      h('button', { type: 'button', onclick: () => reload() }, 'Reload')),
    flash && h('p', { class: 'notice', role: 'status' }, flash),
    !mine && h('p', { class: 'notice read-only', 'data-testid': 'read-only' },
      'You can read this opportunity but not change it.', workerOf(opp, who, user)),
    h('div', { class: 'columns' },
      h('div', {},
        details(opp, who),
        mount(html`<${CustomerAsked} opp=${opp} lead=${opp.lead} />`),
        mine && editForm(opp, base, done, reload),
        mine && moveForm(opp, moves, base, done, reload),
        mine && reassignForm(opp, user, people, base, user.department === 'ADMIN' ? done : handedOver, reload)),
      h('div', {},
        followupsSection(opp, followups.items, who, mine, base, done, reload),
        mine && noteForm(base, done),
        timelineSection(timeline.items, who)))]);
}

// " Sam Kapoor works it now." for who works `opp` (its sales owner, else its WEST or PSV
// agent), unless that is `user`.
function workerOf(opp, who, user) {
  const agent = opp.status === 'InWEST' ? opp.assignedWest : opp.assignedPsv ?? opp.assignedWest;
  const id = opp.opportunityOwner ?? agent?._id;
  if (!id || id === user._id) return null;
  return ` ${opp.opportunityOwner ? who(id) : who(agent)} works it now.`;
}

function details(opp, who) {
  const rows = [
    ['Number', mount(html`<a href=${customerHref(opp.number)} data-testid="customer-link">${opp.number}</a> <${ContactLinks} number=${opp.number} />`, h('span'))], ['Email', opp.email], ['Pax', opp.pax], ['Destination', text(opp.destination)],
    ['Process', label(opp.filterationProcess)], ['Platform', label(opp.leadSource?.platform)],
    ['Assigned PSV', opp.assignedPsv && who(opp.assignedPsv)],
    ['Assigned WEST', opp.assignedWest && who(opp.assignedWest)],
    ['Owner (sales)', opp.opportunityOwner && who(opp.opportunityOwner)],
    ['Qualified by', opp.qualifiedBy && who(opp.qualifiedBy)],
    ['Alternate phone', opp.alternatePhone && phoneText(opp.alternatePhone)],
    ['Pax type', opp.paxType],
    ['Waiting for', opp.awaitingAssignment], ['Next follow-up', opp.nextFollowUpDate && formatTime(opp.nextFollowUpDate)],
    ['Travel date', opp.travelDate], ['Trip type', opp.tripType], ['Tags', (opp.tags ?? []).join(', ')],
    ['Remarks', opp.remarks], ['Custom remark', opp.customRemark], ['Agent notes', opp.agentNotes],
    ['Junk remarks', opp.junKRemarks], ['Re-inquiries', opp.reInquiries || null], ['Duplicate of', opp.duplicateOf && h('span', {}, h('a', { href: opportunityHref(opp.duplicateOf), 'data-testid': 'original' }, 'the original enquiry'), ' · ', h('a', { href: customerHref(opp.number) }, 'every enquiry of this number'))],
    ['Created', formatTime(opp.createdAt)], ['Created by', opp.createdBy && who(opp.createdBy)],
    ['Updated', formatTime(opp.updatedAt)], ['Updated by', opp.updatedBy && who(opp.updatedBy)], ['Version', opp.version],
  ];
  return h('section', { class: 'card', 'aria-label': 'Details' },
    h('h2', {}, 'Details'),
    h('dl', {}, rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v instanceof Node ? v : String(v))])));
}

function phoneText(phone) {
  return typeof phone === 'object' ? [phone.countryCode, phone.number].filter(Boolean).join(' ') : String(phone);
}

// What an editable field shows in its control: tags as "a, b", a phone as "+91 98…".
function editValue(opp, name) {
  const v = opp[name];
  if (v === null || v === undefined) return '';
  if (name === 'tags') return v.join(', ');
  if (name === 'alternatePhone') return phoneText(v);
  return String(v);
}

// PATCH /opportunities/{id} with the fields the user changed, and only those (an untouched
// field is neither re-validated nor rewritten); an emptied field is cleared (null), and the API
// says which cannot be (name).
function editForm(opp, base, done, reload) {
  const controls = EDITABLE_FIELDS.map(([name, label, kind]) => {
    const value = editValue(opp, name);
    const control = kind === 'long'
      ? h('textarea', { name, rows: 2, value })
      : h('input', { name, value, type: name === 'email' ? 'email' : 'text', 'data-whole': name === 'tags' || name === 'alternatePhone' });
    return field(label, control, name === 'tags' ? 'separated by commas' : null);
  });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const form = h('form', { 'aria-label': 'Edit opportunity', novalidate: true }, controls, status,
    h('button', { type: 'submit' }, 'Save'));
  onSubmit(form, async () => {
    const body = {};
    for (const [name] of EDITABLE_FIELDS) {
      const raw = form.elements.namedItem(name).value;  // not FormData, which may turn a textarea's \n into \r\n
      if (raw === editValue(opp, name)) continue;
      const trimmed = raw.trim();
      if (name === 'tags') body.tags = trimmed ? trimmed.split(',').map((t) => t.trim()).filter(Boolean) : null;
      else if (name === 'name') body.name = raw;  // the API refuses an empty name
      else body[name] = trimmed === '' ? null : raw;
    }
    if (Object.keys(body).length === 0) {
      status.textContent = 'Nothing to save: no field was changed.';
      return;
    }
    await patch(base, body, { ifMatch: opp.version });
    done(`Saved: ${Object.keys(body).join(', ')}.`);
  }, reload);
  return h('section', { class: 'card', 'aria-label': 'Edit' },
    h('details', {}, h('summary', {}, 'Edit the customer and trip fields'), form));
}

// A <select name=destination> of the destinations (GET /destinations, any user; value: _id),
// filled once they are read (fresh each time the move is chosen: admins add destinations); if
// they cannot be read, a text field for a destination's name, with the reason.
function destinationPicker() {
  const picker = select('destination', [], { blank: 'Loading destinations…', disabled: true });
  const slot = field('Destination', picker);
  get('/destinations').then((answer) => {
    const items = answer.items.map((d) => [d._id, d.name]).sort((a, b) => a[1].localeCompare(b[1]));
    picker.replaceChildren(h('option', { value: '' }, 'Choose a destination'),
      ...items.map(([id, name]) => h('option', { value: id }, name)));
    picker.disabled = false;
  }, (err) => {
    const input = h('input', { name: 'destination', placeholder: 'a destination name', id: picker.id });
    picker.replaceWith(input);
    slot.append(h('small', { class: 'muted' }, `The list of destinations cannot be read (${err.message}): type a name.`));
  });
  return slot;
}

// The fields a move needs, shown when that move is chosen.
function moveFields(to) {
  const needs = MOVE_NEEDS[to] ?? [];
  const fields = [];
  if (needs.includes('reasons')) {
    fields.push(h('fieldset', { 'data-field': 'reasons' }, h('legend', {}, 'Reasons'),
      DISQUALIFICATION_REASONS.map((r) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'reasons', value: r }), label(r)))));
  }
  if (needs.includes('destination')) fields.push(destinationPicker());
  if (needs.includes('nextFollowUpDate'))
    fields.push(field('Next follow-up', h('input', { name: 'nextFollowUpDate', type: 'datetime-local' })));
  if (needs.includes('lostReason')) {
    const detail = h('span', {});
    const reason = select('lostReason', labelled(LOST_REASONS), { blank: 'Choose a reason' });
    reason.addEventListener('change', () => {
      const options = LOST_REASON_DETAILS[reason.value];
      detail.replaceChildren(options ? field('Detail', select('lostReasonDetail', labelled(options), { blank: '(none)' })) : '');
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
  const to = select('to', labelled(moves.allowed), { blank: 'Choose the next stage' });
  to.addEventListener('change', () => extra.replaceChildren(...moveFields(to.value)));
  const form = h('form', {},
    h('p', { class: 'muted' }, `Now: ${[label(opp.status), stageLabel(opp)].filter(Boolean).join(' · ')}`),
    field('Move to', to), extra,
    // The move's comment (the API's `remarks`) goes to the timeline, and to the notes if asked;
    // the customer's own remarks are edited in the Edit form only.
    field('Comment', h('textarea', { name: 'remarks', rows: 2 }), 'on the timeline with the move'),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'asNote' }), 'Also keep it as a note'),
    h('button', { type: 'submit' }, 'Move'));
  onSubmit(form, async (data) => {
    const body = { to: data.get('to') };
    const needs = MOVE_NEEDS[body.to] ?? [];
    if (needs.includes('reasons')) body.reasons = data.getAll('reasons');
    if (needs.includes('destination')) body.destination = data.get('destination') ?? '';
    if (needs.includes('nextFollowUpDate')) body.nextFollowUpDate = isoFromLocal(data.get('nextFollowUpDate')) ?? '';
    if (needs.includes('lostReason')) {
      body.lostReason = data.get('lostReason');
      if (data.get('lostReasonDetail')) body.lostReasonDetail = data.get('lostReasonDetail');
    }
    if (data.get('remarks')) body.remarks = data.get('remarks');
    if (data.get('asNote')) body.asNote = true;
    await post(`${base}/transitions`, body, { ifMatch: opp.version });
    done(`Moved to ${label(body.to)}.`);
  }, reload);
  section.append(form);
  return section;
}

// The department whose people may take `opp` over (docs/api-workflow.md "Reassignment"), or
// null when nobody can (closed, under processing, a dormant duplicate).
function reassignDepartment(opp) {
  if (opp.status === 'InWEST') return 'WEST';
  if (opp.status === 'Open' || (opp.status === 'Dormant' && opp.crmStageMeta)) return 'SALES';
  if (['InPSV', 'ResolvingUnknown'].includes(opp.status) || /^UpcomingFollowUp\d$|^UpcomingFreshLead$/.test(opp.status)) return 'PSV';
  return null;
}

// Admins give any open opportunity to someone of the department its phase needs; an agent or a
// sales person hands what they work to a colleague of their own department.
function reassignForm(opp, user, people, base, done, reload) {
  const department = reassignDepartment(opp);
  if (!department || (user.department !== 'ADMIN' && user.department !== department)) return null;
  const current = department === 'SALES' ? opp.opportunityOwner
    : department === 'WEST' ? opp.assignedWest?._id : opp.assignedPsv?._id;
  const options = colleagues(people, department, current);
  const to = select('to', options, { blank: options.length ? `Choose a ${department} user` : `No other active ${department} user` });
  const form = h('form', {},
    field(`Give it to (${department})`, to),
    field('Remarks', h('input', { name: 'remarks' })),
    h('button', { type: 'submit' }, 'Reassign'));
  onSubmit(form, async (data) => {
    const body = { to: data.get('to') };
    if (data.get('remarks')) body.remarks = data.get('remarks');
    await post(`${base}/reassign`, body, { ifMatch: opp.version });
    done(`Reassigned${user.department === 'ADMIN' ? '' : ` to ${personName(people, body.to)}`}.`);
  }, reload);
  return h('section', { class: 'card', 'aria-label': 'Reassign' }, h('h2', {}, 'Reassign'), form);
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
