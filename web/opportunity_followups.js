// The opportunity page's follow-ups (docs/api-workflow.md "Follow-ups"): every follow-up, newest
// first; the active one's actions (complete with its outcome, reschedule, cancel) for who may
// change the opportunity; and, for an open CRM opportunity with none active, scheduling the next
// one. Every write sends the version it read (If-Match).
import { html, useState } from './ui.js';
import { post } from './api.js';
import { formatTime, isoFromLocal, localFromIso } from './format.js';
import { Select } from './components.js';
import { Form, FormField, Submit } from './forms.js';
import { OUTCOME_REASONS } from './terms.js';
import { label, labelled } from './labels.js';

export function Followups({ opp, items, who, mine, base, done, reload }) {
  return html`<section class="card" aria-label="Follow-ups"><h2>Follow-ups</h2>
    ${items.length === 0 && html`<p class="muted">No follow-ups.</p>`}
    ${items.map((f) => html`<div key=${f._id} class=${`followup f-${f.status}`} data-id=${f._id}>
      <div>
        <strong>${label(f.subStage ?? f.stage)}</strong> · <span class="badge" data-testid="followup-status">${f.status}</span>
        ${' · due '}<span data-testid="followup-due">${formatTime(f.reminderDate)}</span>
        ${f.outcome && ` · outcome: ${label(f.outcome)}`} · ${who(f.owner)}
      </div>
      ${f.note && html`<p>${f.note}</p>`}
      ${f.customRemark && html`<p class="muted">${f.customRemark}</p>`}
      ${f.status === 'active' && mine && html`
        <${CompleteForm} f=${f} done=${done} reload=${reload} />
        <details class="more"><summary>Reschedule or cancel</summary>
          <${RescheduleForm} f=${f} done=${done} reload=${reload} />
          <${CancelForm} f=${f} done=${done} reload=${reload} />
        </details>`}
    </div>`)}
    ${/* Follow-ups belong to the CRM phase, one active at a time (else the API answers 409). */ ''}
    ${mine && opp.status === 'Open' && !items.some((f) => f.status === 'active')
      && html`<${ScheduleForm} opp=${opp} base=${base} done=${done} reload=${reload} />`}
  </section>`;
}

// A datetime-local field of the API's field `name` (an ISO timestamp, required in the future).
function When({ label: text, id, name, value = '', hint }) {
  return html`<${FormField} label=${text} id=${id} name=${name} hint=${hint}>
    <input id=${id} name=${name} type="datetime-local" defaultValue=${value} /><//>`;
}

function ScheduleForm({ opp, base, done, reload }) {
  const schedule = async (data) => {
    // An empty date is sent as '', so that the API names the field (it is required).
    const body = { reminderDate: isoFromLocal(data.get('reminderDate')) ?? '' };
    if (data.get('note')) body.note = data.get('note');
    await post(`${base}/followups`, body, { ifMatch: opp.version });
    done('Follow-up scheduled.');
  };
  return html`<div class="schedule"><h3>Schedule the next follow-up</h3>
    <${Form} class="inline" label="Schedule follow-up" action=${schedule} onReload=${reload}>
      <${When} label="When" id="schedule-when" name="reminderDate" />
      <${FormField} label="Note" id="schedule-note" name="note"><input id="schedule-note" name="note" /><//>
      <${Submit}>Schedule<//>
    <//>
  </div>`;
}

function RescheduleForm({ f, done, reload }) {
  const reschedule = async (data) => {
    const body = { reminderDate: isoFromLocal(data.get('reminderDate')) ?? '' };
    if (data.get('note') && data.get('note') !== (f.note ?? '')) body.note = data.get('note');
    await post(`/followups/${f._id}/reschedule`, body, { ifMatch: f.version });
    done('Follow-up rescheduled.');
  };
  return html`<${Form} class="inline" label="Reschedule follow-up" action=${reschedule} onReload=${reload}>
    <${When} label="New date" id=${`resched-${f._id}`} name="reminderDate" value=${localFromIso(f.reminderDate)} />
    <${FormField} label="Note" id=${`resched-note-${f._id}`} name="note" hint="replaces the note">
      <input id=${`resched-note-${f._id}`} name="note" defaultValue=${f.note ?? ''} /><//>
    <${Submit}>Reschedule<//>
  <//>`;
}

function CancelForm({ f, done, reload }) {
  const cancel = async (data) => {
    const body = {};
    if (data.get('customRemark')) body.customRemark = data.get('customRemark');
    await post(`/followups/${f._id}/cancel`, body, { ifMatch: f.version });
    done('Follow-up canceled.');
  };
  return html`<${Form} class="inline" label="Cancel follow-up" action=${cancel} onReload=${reload}>
    <${FormField} label="Why" id=${`cancel-${f._id}`} name="customRemark" hint="optional">
      <input id=${`cancel-${f._id}`} name="customRemark" /><//>
    <${Submit} class="danger">Cancel follow-up<//>
  <//>`;
}

function CompleteForm({ f, done, reload }) {
  const [outcome, setOutcome] = useState('');
  const reasons = OUTCOME_REASONS[outcome];
  const complete = async (data) => {
    const body = { outcome: data.get('outcome') };
    if (data.get('notInterestedReason')) body.notInterestedReason = data.get('notInterestedReason');
    if (data.get('note')) body.note = data.get('note');
    const next = isoFromLocal(data.get('next.reminderDate'));
    if (next) body.next = { reminderDate: next };
    await post(`/followups/${f._id}/complete`, body, { ifMatch: f.version });
    done('Follow-up completed.');
  };
  const outcomes = [['connected', 'Connected'], ['not_responded', 'Not responded'], ['not_interested', 'Not interested']];
  return html`<${Form} class="inline" label="Complete follow-up" action=${complete} onReload=${reload}>
    <${FormField} label="Outcome" id=${`outcome-${f._id}`} name="outcome">
      <${Select} id=${`outcome-${f._id}`} name="outcome" options=${outcomes} blank="Choose the outcome"
        onChange=${(e) => setOutcome(e.currentTarget.value)} /><//>
    ${reasons && html`<${FormField} label="Why" id=${`why-${f._id}`} name="notInterestedReason">
      <${Select} id=${`why-${f._id}`} name="notInterestedReason" options=${labelled(reasons)} blank="(none)" /><//>`}
    <${FormField} label="Note" id=${`complete-note-${f._id}`} name="note"><input id=${`complete-note-${f._id}`} name="note" /><//>
    <${When} label="Next follow-up" id=${`next-${f._id}`} name="next.reminderDate" hint="optional" />
    <${Submit}>Complete<//>
  <//>`;
}
