// Admin views (components): every opportunity (the work list, worklist.js), users (create, deactivate, clear a login delay),
// availabilities (POCs in rotation: toggle isAvailable) and web URLs (most hits first; mark with a destination).
import { get, post, patch } from './api.js';
import { formatTime, userName } from './format.js';
import { html, useState } from './ui.js';
import { Form, FormField, Submit, RowAction, Flash } from './forms.js';
import { setFlash, takeFlashText } from './admin_common.js';
import { DEPARTMENTS } from './terms.js';
import { Worklist, useLoad } from './worklist.js';
import { Field, Select, Failure } from './components.js';
import { label } from './labels.js';
import { Deactivation } from './admin_deactivate.js';
import { Rotation } from './admin_rotation.js';
import { markOrPreview, MarkConfirmation } from './admin_mark_url.js';
import { useBulkWork } from './bulk.js';
import { ScheduleEditor, rulesText, shiftsText, workingText } from './work.js';

async function destinations() {
  return (await get('/destinations')).items.map((d) => [d._id, d.name]);
}

// Every opportunity: the work list (worklist.js) with the admin's filters (process, unassigned),
// each opportunity's assignee, and bulk work: rows ticked (or all that match the filter) are
// reassigned, spread by round robin, tagged or moved at once (bulk.js).
export function AdminOpportunities(props) {
  return html`<${Worklist} ...${props} admin useExtension=${useBulkWork} />`;
}

// The user just created, offered a rotation by the Users view drawn afresh after the create
// (rerender() draws a new view: its state starts again, as the flash message does).
let offerRotationTo = null;

export function Users({ rerender }) {
  const [flash] = useState(takeFlashText);
  const [leaving, setLeaving] = useState(null);  // the user being deactivated (a confirmation)
  const [joining, setJoining] = useState(() => {  // the user just created: offered a rotation
    const user = offerRotationTo;
    offerRotationTo = null;
    return user;
  });
  const [answer, error] = useLoad(() => Promise.all([
    get('/users').then((r) => r.items), get('/login-throttles').then((r) => r.items)]));
  const create = async (data) => {
    const body = Object.fromEntries([...data].filter(([, v]) => v !== ''));
    const user = await post('/users', body);
    setFlash(`Created ${user.email}.`);
    offerRotationTo = user;
    rerender();
  };
  let list = null;
  if (error) list = html`<${Failure} error=${error} />`;
  else if (answer) {
    const [users, throttles] = answer;
    // Accounts delayed from some address after failed logins (docs/api-auth.md "Throttling").
    const delayed = new Set(throttles.filter((t) => t.email).map((t) => t.email));
    list = html`<table class="list" aria-label="Users">
      <thead><tr>${['Name', 'Email', 'Department', 'Active', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
      <tbody>${users.map((u) => html`<tr key=${u._id} data-email=${u.email}>
        <td>${userName(u)}</td><td>${u.email}</td><td>${u.department}</td><td>${u.isActive ? 'yes' : 'no'}</td>
        <td>${u.isActive && html`<${RowAction} label="Deactivate" action=${async () => setLeaving(u)} />`}${delayed.has(u.email.toLowerCase()) && html`<${RowAction} label="Clear login delay" action=${async () => {
          await post('/login-throttles/clear', { email: u.email });
          setFlash(`${u.email} can log in again at once.`);
          rerender();
        }} />`}</td>
      </tr>`)}</tbody>
    </table>`;
  }
  return html`<h1>Users</h1>
    <${Flash} message=${flash} />
    ${joining && html`<${Rotation} key=${joining._id} user=${joining} cancel=${() => setJoining(null)}
      done=${(message) => { setFlash(message); setJoining(null); rerender(); }} />`}
    ${leaving && html`<${Deactivation} key=${leaving._id} user=${leaving} cancel=${() => setLeaving(null)}
      done=${(message) => { setFlash(message); setLeaving(null); rerender(); }} />`}
    <${Form} class="card" label="Create user" action=${create}>
      <h2>Create a user</h2>
      <div class="row">
        <${FormField} label="Email" id="u-email" name="email"><input id="u-email" name="email" type="email" required /><//>
        <${FormField} label="First name" id="u-first" name="firstName"><input id="u-first" name="firstName" /><//>
        <${FormField} label="Last name" id="u-last" name="lastName"><input id="u-last" name="lastName" /><//>
        <${FormField} label="Department" id="u-dept" name="department">
          <${Select} id="u-dept" name="department" options=${DEPARTMENTS} blank="Choose" /><//>
        <${FormField} label="Password" id="u-password" name="password" hint="10+ characters, two kinds">
          <input id="u-password" name="password" type="password" autocomplete="new-password" /><//>
      </div>
      <${Submit}>Create user<//>
    <//>
    ${list}`;
}

export function Availabilities({ rerender }) {
  const [answer, error] = useLoad(() => get('/availabilities'));
  const [editing, setEditing] = useState(null);  // the availability whose shifts are edited
  return html`<h1>Availabilities</h1>
    <p class="muted">The people in round-robin rotation, per pool, and who is working now. A pool that routing depends on keeps at least one available person; someone off shift, on leave or checked out gets no lead.</p>
    ${editing && html`<${ScheduleEditor} key=${editing._id} availability=${editing}
      done=${() => { setEditing(null); rerender(); }} cancel=${() => setEditing(null)} />`}
    ${error ? html`<${Failure} error=${error} />` : answer && html`<table class="list" aria-label="Availabilities">
      <thead><tr>${['Person', 'Pool', 'Sources', 'Destinations', 'Leads', 'Available', 'Shifts', 'Routing', 'Working now', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
      <tbody>${answer.items.map((a) => html`<tr key=${a._id} data-person=${a.personName} data-pool=${a.process}>
        <td>${a.personName}</td><td>${a.process}</td>
        <td>${a.source.length ? a.source.map(label).join(', ') : 'all'}</td>
        <td>${a.destinations.length ? a.destinations.map((d) => d.name).join(', ') : 'all'}</td>
        <td>${a.leadCount} (total ${a.totalCount})</td>
        <td>${a.isAvailable ? 'yes' : 'no'}</td>
        <td>${shiftsText(a.shifts)}${a.leave.length ? html`<br /><span class="muted">${a.leave.length} leave period(s)</span>` : ''}</td>
        <td data-testid="routing-rules">${rulesText(a)}</td>
        <td data-testid="working-now">${workingText(a)}</td>
        <td><${RowAction} label=${a.isAvailable ? 'Take out of rotation' : 'Put in rotation'} action=${async () => {
          await patch(`/availabilities/${a._id}`, { isAvailable: !a.isAvailable });
          rerender();
        }} /><button type="button" class="link" onClick=${() => setEditing(a)}>Edit shifts and routing</button></td>
      </tr>`)}</tbody>
    </table>`}`;
}

export function WebUrls({ params, navigate, rerender }) {
  const consumed = params.get('consumed') ?? '';
  const [answer, error] = useLoad(() => Promise.all([get('/weburls', { consumed, limit: 200 }), destinations()]));
  const [pending, setPending] = useState(null);  // a mark that routes waiting leads: to confirm
  let list = null;
  if (error) list = html`<${Failure} error=${error} />`;
  else if (answer) {
    const [urls, dests] = answer;
    list = html`<table class="list" aria-label="Web URLs">
      <thead><tr>${['URL', 'Hits', 'Last hit', 'Destination', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
      <tbody>${urls.items.map((w) => html`<tr key=${w._id} data-url=${w.url}>
        <td>${w.url}</td><td>${String(w.hits)}</td><td>${formatTime(w.lastHitAt)}</td><td>${w.destination?.name ?? '—'}</td>
        <td><${Form} class="inline" action=${async (data) => {
          const destination = data.get('destination') || null;
          const preview = await markOrPreview(w, destination);
          if (!preview) return rerender();
          const name = dests.find(([id]) => id === destination)?.[1] ?? destination;
          setPending({ url: w, destination, name, preview });
        }}>
          <${Select} name="destination" options=${dests} value=${w.destination?._id ?? ''} blank="(none)" />
          <${Submit}>Save<//>
        <//></td>
      </tr>`)}</tbody>
    </table>`;
  }
  return html`<h1>Web URLs</h1>
    <p class="muted">Landing pages that leads came from, most hits first. Mark a page with a destination: its future leads get it.</p>
    <form class="filters" aria-label="Filter" onChange=${(e) => navigate('/admin/weburls', Object.fromEntries(new FormData(e.currentTarget)))}>
      <${Field} label="Show" id="w-consumed">
        <${Select} id="w-consumed" name="consumed" options=${[['false', 'Not marked yet'], ['true', 'Marked']]} value=${consumed} blank="All" /><//>
    </form>
    ${pending && html`<${MarkConfirmation} key=${pending.url._id} ...${pending}
      done=${() => { setPending(null); rerender(); }} cancel=${() => setPending(null)} />`}
    ${list}`;
}
