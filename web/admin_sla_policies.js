// Admin: escalation policies (docs/api-config.md "Escalation policies"): the list, creating one,
// editing one in place and deleting one. The sla-escalation job applies them every minute: it
// warns the owner of an untouched lead before the deadline and, at the deadline, reassigns it to
// someone else who is working, or notifies the admins; the clock counts the owner's shift time.
import { html, useState } from './ui.js';
import { get, post, patch, api } from './api.js';
import { Failure, Select } from './components.js';
import { Form, FormField, Submit, RowAction, ConfirmAction, Flash } from './forms.js';
import { useLoad } from './worklist.js';
import { setFlash, takeFlashText, numberOr } from './admin_common.js';

// Each process with its untouched stage (the only stage a policy may name) and how it is called.
const PROCESSES = [
  ['CRM', 'fresh_lead', 'CRM: fresh lead, first contact not done'],
  ['PSV', 'PSVFreshLead', 'PSV: fresh lead not moved on'],
  ['WEST', 'WestFreshLead', 'WEST: fresh lead not moved on'],
];
const ACTIONS = [['reassign', 'Reassign to someone else working'], ['notify', 'Notify the admins']];
const stageOf = (process) => PROCESSES.find(([p]) => p === process)?.[1] ?? '';
const describe = (p) => PROCESSES.find(([process]) => process === p.process)?.[2] ?? `${p.process} ${p.stage}`;

// The form's fields as the API's body.
function body(data) {
  const process = data.get('process') || undefined;  // not chosen: the API says it is required
  return {
    process,
    stage: process && stageOf(process),
    afterMinutes: numberOr(data.get('afterMinutes'), undefined),
    warnBeforeMinutes: numberOr(data.get('warnBeforeMinutes'), 0),
    action: data.get('action') || undefined,
  };
}

// The fields of a policy's form, prefilled from `p` (none: a new one); ids made unique by `key`.
function PolicyFields({ p, idKey }) {
  const id = (name) => `sla-${idKey}-${name}`;
  return html`<div class="row">
    <${FormField} label="Leads" id=${id('process')} name="process">
      <${Select} id=${id('process')} name="process" value=${p?.process ?? ''} blank="Choose"
        options=${PROCESSES.map(([v, , text]) => [v, text])} /><//>
    <${FormField} label="Deadline (working minutes)" id=${id('after')} name="afterMinutes" hint="the owner's shift time only">
      <input id=${id('after')} name="afterMinutes" type="number" min="1" step="1" defaultValue=${p?.afterMinutes ?? ''} /><//>
    <${FormField} label="Warn before (minutes)" id=${id('warn')} name="warnBeforeMinutes" hint="0: no warning">
      <input id=${id('warn')} name="warnBeforeMinutes" type="number" min="0" step="1" defaultValue=${p?.warnBeforeMinutes ?? 0} /><//>
    <${FormField} label="At the deadline" id=${id('action')} name="action">
      <${Select} id=${id('action')} name="action" value=${p?.action ?? ''} blank="Choose" options=${ACTIONS} /><//>
  </div>`;
}

export function SlaPolicies({ rerender }) {
  const [flash] = useState(takeFlashText);
  const [editing, setEditing] = useState(null);  // the _id of the policy being edited
  const [answer, error] = useLoad(() => get('/sla-policies'));
  const intro = html`<h1>Escalation policies</h1>
    <p class="muted">When an untouched lead has waited this many working minutes with its owner (only their shift time counts, in the business time zone), the owner is warned before the deadline and, at the deadline, the lead goes to someone else of the pool who is working now, or the admins are told. Each step happens once per lead; every one is in the lead's timeline.</p>
    <${Flash} message=${flash} />`;
  if (error) return html`${intro}<${Failure} error=${error} />`;
  if (!answer) return intro;
  const create = async (data, form) => {
    await post('/sla-policies', body(data));
    form.reset();
    setFlash('Created the policy.');
    rerender();
  };
  const save = (p) => async (data) => {
    await patch(`/sla-policies/${p._id}`, body(data));
    setEditing(null);
    setFlash('Saved the policy.');
    rerender();
  };
  return html`${intro}
    ${answer.items.length === 0 ? html`<p class="empty">No escalation policies yet.</p>`
      : html`<div class="table-wrap"><table class="list" aria-label="Escalation policies">
        <thead><tr>${['Leads', 'Deadline', 'Warning', 'At the deadline', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
        <tbody>${answer.items.map((p) => html`<tr key=${p._id} data-id=${p._id}>
          <td>${describe(p)}</td>
          <td>${p.afterMinutes} working min</td>
          <td>${p.warnBeforeMinutes ? `${p.warnBeforeMinutes} min before` : 'none'}</td>
          <td>${ACTIONS.find(([a]) => a === p.action)?.[1] ?? p.action}</td>
          <td class="actions">
            <${RowAction} label="Edit" action=${async () => setEditing(p._id)} />
            <${ConfirmAction} label="Delete" question="Delete this policy? Leads it watches are no longer escalated by it."
              action=${async () => {
                await api('DELETE', `/sla-policies/${p._id}`);
                setFlash('Deleted the policy.');
                rerender();
              }} />
          </td>
        </tr>`)}</tbody>
      </table></div>`}
    ${answer.items.filter((p) => p._id === editing).map((p) => html`<${Form} key=${p._id} class="card" label="Edit escalation policy" action=${save(p)}>
      <h2>Edit the policy</h2>
      <${PolicyFields} p=${p} idKey="edit" />
      <div class="buttons"><${Submit}>Save policy<//> <button type="button" onClick=${() => setEditing(null)}>Cancel</button></div>
    <//>`)}
    <${Form} class="card" label="Create escalation policy" action=${create}>
      <h2>Create a policy</h2>
      <${PolicyFields} idKey="new" />
      <div class="buttons"><${Submit}>Create policy<//></div>
    <//>`;
}
