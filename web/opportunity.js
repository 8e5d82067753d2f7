// One opportunity: its fields (and editing them), what the customer asked, the moves allowed from
// its state, notes and reassignment; its follow-ups (opportunity_followups.js) and its timeline
// (timeline.js). Every id of a person shows as a name (people.js). Writes are offered to who may
// make them (canModify); every one sends the version read (If-Match), so a change someone else
// made in the meantime is refused (412) and shown as such, with a Reload that keeps what was
// typed beside the new values (drafts.js).
import { html, useState, useRef, useEffect } from './ui.js';
import { get, post, patch } from './api.js';
import { formatTime, text, isoFromLocal, localFromIso } from './format.js';
import { Failure, Select, StatusBadge, StageText } from './components.js';
import { Form, FormField, FieldErrors, Submit } from './forms.js';
import { directoryOrEmpty, personName, colleagues } from './people.js';
import { label, labelled, stageLabel } from './labels.js';
import {
  MOVE_NEEDS, DISQUALIFICATION_REASONS, LOST_REASONS, LOST_REASON_DETAILS, EDITABLE_FIELDS, CURRENCIES,
} from './terms.js';
import { backHref, opportunityHref, useLoad } from './worklist.js';
import { customerHref, ContactLinks } from './search.js';
import { CustomerAsked } from './customer_asked.js';
import { Followups } from './opportunity_followups.js';
import { Timeline } from './timeline.js';
import { keepTyped, restoreTyped } from './drafts.js';
import { WhyThisPerson } from './routing_why.js';

const NOTE_LIMIT = 2000;
const FLASH_KEY = 'leadproc.flash';

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

async function load(id) {
  const base = `/opportunities/${id}`;
  const [opp, moves, followups, timeline, people] = await Promise.all([
    get(base), get(`${base}/transitions`), get(`${base}/followups`), get(`${base}/timeline`),
    directoryOrEmpty(),
  ]);
  // The lead as it arrived (what the customer wrote): a help, never a reason not to show.
  const lead = opp.leadId ? await get(`/leads/${opp.leadId}`).catch(() => null) : null;
  return { opp, moves, followups: followups.items, timeline: timeline.items, people, lead };
}

export function Opportunity({ user, id, params, rerender, conflict }) {
  const [answer, error] = useLoad(() => load(id));
  const [flash] = useState(() => {
    const message = sessionStorage.getItem(FLASH_KEY);
    sessionStorage.removeItem(FLASH_KEY);
    return message;
  });
  const [handedOver, setHandedOver] = useState(null);
  const root = useRef(null);
  // Once drawn: put back what was typed before a Reload or a new sign-in.
  useEffect(() => {
    if (answer && root.current) restoreTyped(root.current.closest('main') ?? root.current, user._id, { beside: conflict });
  }, [answer]);

  const back = html`<p><a href=${backHref(params)}>← Back</a></p>`;
  if (error) return html`${back}<${Failure} error=${error} />`;
  if (!answer) return html`${back}<p class="muted">Loading…</p>`;
  const { opp, moves, followups, timeline, people, lead } = answer;
  if (handedOver) {
    return html`${back}<h1>${opp.name}</h1><p class="notice" role="status">${handedOver} It has left your list.</p>`;
  }
  const base = `/opportunities/${id}`;
  // A person as text, from an id or a {_id, name} reference (whose name serves when the
  // directory does not know the id).
  const who = (x) => (x && typeof x === 'object'
    ? (people.has(x._id) ? personName(people, x._id, user._id) : x.name)
    : personName(people, x, user._id));
  const mine = canModify(user, opp);
  // After a successful write: show the new state, with a line saying what was done.
  const done = (message) => {
    sessionStorage.setItem(FLASH_KEY, message);
    rerender();
  };
  // Reload (after a 412, or at will): the latest version, with what was typed kept beside it.
  const reload = () => {
    keepTyped(root.current.closest('main') ?? root.current, user._id);
    rerender({ conflict: true });
  };
  const ctx = { opp, base, done, reload };
  return html`<div ref=${root}>
    ${back}
    <div class="title">
      <h1>${opp.name}</h1>
      <${StatusBadge} opp=${opp} testid="status" />
      <${StageText} opp=${opp} testid="stage" />
      <button type="button" onClick=${reload}>Reload</button>
    </div>
    ${flash && html`<p class="notice" role="status">${flash}</p>`}
    ${!mine && html`<p class="notice read-only" data-testid="read-only">You can read this opportunity but not change it.${workerOf(opp, who, user)}</p>`}
    <div class="columns">
      <div>
        <${Details} opp=${opp} who=${who} />
        <${WhyThisPerson} base=${base} />
        <${CustomerAsked} opp=${opp} lead=${lead} />
        ${mine && html`<${EditForm} ...${ctx} />`}
        ${mine && html`<${MoveForm} ...${ctx} moves=${moves} />`}
        ${mine && html`<${ReassignForm} ...${ctx} user=${user} people=${people}
          done=${user.department === 'ADMIN' ? done : setHandedOver} />`}
      </div>
      <div>
        <${Followups} ...${ctx} items=${followups} who=${who} mine=${mine} />
        ${mine && html`<${NoteForm} ...${ctx} />`}
        <${Timeline} items=${timeline} who=${who} />
      </div>
    </div>
  </div>`;
}

// " Sam Kapoor works it now." for who works `opp` (its sales owner, else its WEST or PSV
// agent), unless that is `user`.
function workerOf(opp, who, user) {
  const agent = opp.status === 'InWEST' ? opp.assignedWest : opp.assignedPsv ?? opp.assignedWest;
  const id = opp.opportunityOwner ?? agent?._id;
  if (!id || id === user._id) return null;
  return ` ${opp.opportunityOwner ? who(id) : who(agent)} works it now.`;
}

function phoneText(phone) {
  return typeof phone === 'object' ? [phone.countryCode, phone.number].filter(Boolean).join(' ') : String(phone);
}

function Details({ opp, who }) {
  const rows = [
    ['Number', html`<a href=${customerHref(opp.number)} data-testid="customer-link">${opp.number}</a> <${ContactLinks} number=${opp.number} />`],
    ['Email', opp.email], ['Pax', opp.pax], ['Destination', text(opp.destination)],
    ['Process', label(opp.filterationProcess)], ['Platform', label(opp.leadSource?.platform)],
    ['Assigned PSV', opp.assignedPsv && who(opp.assignedPsv)],
    ['Assigned WEST', opp.assignedWest && who(opp.assignedWest)],
    ['Owner (sales)', opp.opportunityOwner && who(opp.opportunityOwner)],
    ['Qualified by', opp.qualifiedBy && who(opp.qualifiedBy)],
    ['Alternate phone', opp.alternatePhone && phoneText(opp.alternatePhone)],
    ['Pax type', opp.paxType],
    ['Waiting for', opp.awaitingAssignment], ['Waiting because', opp.awaitingReason], ['Next follow-up', opp.nextFollowUpDate && formatTime(opp.nextFollowUpDate)],
    ['Booking', opp.bookingId],
    ['Deal value', opp.dealValue && `${opp.dealValue.amount} ${opp.dealValue.currency}`],
    ['Travel date', opp.travelDate], ['Trip type', opp.tripType], ['Tags', (opp.tags ?? []).join(', ')],
    ['Remarks', opp.remarks], ['Custom remark', opp.customRemark], ['Agent notes', opp.agentNotes],
    ['Junk remarks', opp.junKRemarks], ['Re-inquiries', opp.reInquiries || null],
    ['Duplicate of', opp.duplicateOf && html`<span><a href=${opportunityHref(opp.duplicateOf)} data-testid="original">the original enquiry</a>
      · <a href=${customerHref(opp.number)}>every enquiry of this number</a></span>`],
    ['Created', formatTime(opp.createdAt)], ['Created by', opp.createdBy && who(opp.createdBy)],
    ['Updated', formatTime(opp.updatedAt)], ['Updated by', opp.updatedBy && who(opp.updatedBy)], ['Version', opp.version],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  return html`<section class="card" aria-label="Details">
    <h2>Details</h2>
    <dl>${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${typeof v === 'object' ? v : String(v)}</dd>`)}</dl>
  </section>`;
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
function EditForm({ opp, base, done, reload }) {
  const [status, setStatus] = useState('');
  const save = async (data, form) => {
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
      setStatus('Nothing to save: no field was changed.');
      return;
    }
    setStatus('');
    await patch(base, body, { ifMatch: opp.version });
    done(`Saved: ${Object.keys(body).join(', ')}.`);
  };
  return html`<section class="card" aria-label="Edit">
    <details><summary>Edit the customer and trip fields</summary>
      <${Form} label="Edit opportunity" action=${save} onReload=${reload}>
        ${EDITABLE_FIELDS.map(([name, text, kind]) => {
          const id = `edit-${name}`;
          const whole = name === 'tags' || name === 'alternatePhone';
          return html`<${FormField} label=${text} id=${id} name=${name} whole=${whole} hint=${name === 'tags' ? 'separated by commas' : null}>
            ${kind === 'long'
              ? html`<textarea id=${id} name=${name} rows="2" defaultValue=${editValue(opp, name)}></textarea>`
              : html`<input id=${id} name=${name} type=${name === 'email' ? 'email' : 'text'} defaultValue=${editValue(opp, name)} />`}
          <//>`;
        })}
        <p class="muted" aria-live="polite">${status}</p>
        <${Submit}>Save<//>
      <//>
    </details>
  </section>`;
}

// A <select name=destination> of the destinations (GET /destinations, any user; value: _id),
// read when the move is chosen (admins add destinations); if they cannot be read, a text field
// for a destination's name, with the reason.
function DestinationPicker() {
  const [answer, error] = useLoad(() => get('/destinations'));
  const id = 'move-destination';
  if (error) {
    return html`<${FormField} label="Destination" id=${id} name="destination"
      hint=${`The list of destinations cannot be read (${error.message}): type a name.`}>
      <input id=${id} name="destination" placeholder="a destination name" /><//>`;
  }
  const items = (answer?.items ?? []).map((d) => [d._id, d.name]).sort((a, b) => a[1].localeCompare(b[1]));
  return html`<${FormField} label="Destination" id=${id} name="destination">
    <${Select} id=${id} name="destination" options=${items} blank=${answer ? 'Choose a destination' : 'Loading destinations…'} disabled=${!answer} /><//>`;
}

// The fields a move to `to` needs; `proposed` is the server's time for a next attempt. The
// opportunity page and the board (board.js) draw the same fields for the same move.
export function MoveFields({ to, proposed }) {
  const needs = MOVE_NEEDS[to] ?? [];
  const [lostReason, setLostReason] = useState('');
  const details = LOST_REASON_DETAILS[lostReason];
  return html`
    ${needs.includes('reasons') && html`<${ReasonsFieldset} />`}
    ${needs.includes('destination') && html`<${DestinationPicker} />`}
    ${needs.includes('nextFollowUpDate') && html`<${FormField} label="Next follow-up" id="move-next" name="nextFollowUpDate">
      <input id="move-next" name="nextFollowUpDate" type="datetime-local" /><//>`}
    ${needs.includes('nextAttempt') && html`<${FormField} label="Next attempt" id="move-attempt" name="nextFollowUpDate"
      hint="proposed: the same time tomorrow; it goes to your due list">
      <input id="move-attempt" name="nextFollowUpDate" type="datetime-local" value=${localFromIso(proposed)} /><//>`}
    ${needs.includes('lostReason') && html`<${FormField} label="Lost reason" id="move-lost" name="lostReason">
      <${Select} id="move-lost" name="lostReason" options=${labelled(LOST_REASONS)} blank="Choose a reason"
        onChange=${(e) => setLostReason(e.currentTarget.value)} /><//>
      ${details && html`<${FormField} label="Detail" id="move-lost-detail" name="lostReasonDetail">
        <${Select} id="move-lost-detail" name="lostReasonDetail" options=${labelled(details)} blank="(none)" /><//>`}`}
    ${needs.includes('booking') && html`<${FormField} label="Booking id" id="move-booking" name="bookingId">
        <input id="move-booking" name="bookingId" /><//>
      <${FormField} label="Deal value" id="move-deal-amount" name="dealValue.amount" hint="the amount sold, e.g. 125000.50">
        <input id="move-deal-amount" name="dealAmount" inputmode="decimal" /><//>
      <${FormField} label="Currency" id="move-deal-currency" name="dealValue.currency">
        <input id="move-deal-currency" name="dealCurrency" list="move-currencies" value="INR" maxlength="3" />
        <datalist id="move-currencies">${CURRENCIES.map((c) => html`<option value=${c} />`)}</datalist><//>`}`;
}

// The body of POST …/transitions for the move to `to` from a form holding MoveFields and the
// comment: what the move needs, and nothing it does not take (the API refuses extra fields).
export function moveBody(to, data) {
  const body = { to };
  const needs = MOVE_NEEDS[to] ?? [];
  if (needs.includes('reasons')) body.reasons = data.getAll('reasons');
  if (needs.includes('destination')) body.destination = data.get('destination') ?? '';
  if (needs.includes('nextFollowUpDate')) body.nextFollowUpDate = isoFromLocal(data.get('nextFollowUpDate')) ?? '';
  if (needs.includes('nextAttempt') && data.get('nextFollowUpDate'))  // empty: the server proposes
    body.nextFollowUpDate = isoFromLocal(data.get('nextFollowUpDate'));
  if (needs.includes('lostReason')) {
    body.lostReason = data.get('lostReason');
    if (data.get('lostReasonDetail')) body.lostReasonDetail = data.get('lostReasonDetail');
  }
  if (needs.includes('booking')) {
    body.bookingId = data.get('bookingId') ?? '';
    body.dealValue = { amount: (data.get('dealAmount') ?? '').trim(), currency: (data.get('dealCurrency') ?? '').trim().toUpperCase() };
  }
  if (data.get('remarks')) body.remarks = data.get('remarks');
  if (data.get('asNote')) body.asNote = true;
  return body;
}

// The disqualification reasons: one checkbox each; the API's error about them beside them.
function ReasonsFieldset() {
  return html`<fieldset data-field="reasons" data-claims="reasons" data-whole><legend>Reasons</legend>
    ${DISQUALIFICATION_REASONS.map((r) => html`<label class="check"><input type="checkbox" name="reasons" value=${r} />${label(r)}</label>`)}
    <${FieldErrors} name="reasons" whole />
  </fieldset>`;
}

function MoveForm({ opp, moves, base, done, reload }) {
  const [to, setTo] = useState('');
  if (moves.allowed.length === 0) {
    return html`<section class="card" aria-label="Move"><h2>Move</h2><p class="muted">No moves: this opportunity is closed.</p></section>`;
  }
  const move = async (data) => {
    const body = moveBody(data.get('to'), data);
    await post(`${base}/transitions`, body, { ifMatch: opp.version });
    done(`Moved to ${label(body.to)}.`);
  };
  return html`<section class="card" aria-label="Move"><h2>Move</h2>
    <${Form} action=${move} onReload=${reload}>
      <p class="muted">Now: ${[label(opp.status), stageLabel(opp)].filter(Boolean).join(' · ')}</p>
      <${FormField} label="Move to" id="move-to" name="to">
        <${Select} id="move-to" name="to" options=${labelled(moves.allowed)} blank="Choose the next stage"
          onChange=${(e) => setTo(e.currentTarget.value)} /><//>
      <div><${MoveFields} key=${to} to=${to} proposed=${moves.proposedNextFollowUpDate} /></div>
      ${/* The move's comment (the API's remarks) goes to the timeline, and to the notes if asked;
           the customer's own remarks are edited in the Edit form only. */ ''}
      <${FormField} label="Comment" id="move-comment" name="remarks" hint="on the timeline with the move">
        <textarea id="move-comment" name="remarks" rows="2"></textarea><//>
      <label class="check"><input type="checkbox" name="asNote" />Also keep it as a note</label>
      <${Submit}>Move<//>
    <//>
  </section>`;
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
function ReassignForm({ opp, user, people, base, done, reload }) {
  const department = reassignDepartment(opp);
  if (!department || (user.department !== 'ADMIN' && user.department !== department)) return null;
  const current = department === 'SALES' ? opp.opportunityOwner
    : department === 'WEST' ? opp.assignedWest?._id : opp.assignedPsv?._id;
  const options = colleagues(people, department, current);
  const reassign = async (data) => {
    const body = { to: data.get('to') };
    if (data.get('remarks')) body.remarks = data.get('remarks');
    await post(`${base}/reassign`, body, { ifMatch: opp.version });
    done(`Reassigned${user.department === 'ADMIN' ? '' : ` to ${personName(people, body.to)}`}.`);
  };
  return html`<section class="card" aria-label="Reassign"><h2>Reassign</h2>
    <${Form} action=${reassign} onReload=${reload}>
      <${FormField} label=${`Give it to (${department})`} id="reassign-to" name="to">
        <${Select} id="reassign-to" name="to" options=${options}
          blank=${options.length ? `Choose a ${department} user` : `No other active ${department} user`} /><//>
      <${FormField} label="Remarks" id="reassign-remarks" name="remarks"><input id="reassign-remarks" name="remarks" /><//>
      <${Submit}>Reassign<//>
    <//>
  </section>`;
}

function NoteForm({ base, done }) {
  const [count, setCount] = useState(0);
  const add = async (data) => {
    await post(`${base}/notes`, { note: data.get('note') });
    done('Note added.');
  };
  return html`<section class="card" aria-label="Notes"><h2>Add a note</h2>
    <${Form} action=${add}>
      <${FormField} label="Note" id="note-text" name="note"
        hint=${html`<span class=${count > NOTE_LIMIT ? 'over' : ''}>${count} / ${NOTE_LIMIT}</span>`}>
        <textarea id="note-text" name="note" rows="3"
          onInput=${(e) => setCount([...e.currentTarget.value].length)}></textarea><//>
      <${Submit}>Add note<//>
    <//>
  </section>`;
}
