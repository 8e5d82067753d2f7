// Admin: destinations (docs/api-config.md "Destinations"): the list with where each one is
// routed, create, edit (name, slugs, preference) in place, and delete (refused with a 409 while a
// routing map lists the destination).
import { html, useState } from './ui.js';
import { get, post, patch, api } from './api.js';
import { Failure } from './components.js';
import { Form, FormField, Submit, ConfirmAction, Flash } from './forms.js';
import { useLoad } from './worklist.js';
import { setFlash, takeFlashText, mappingFieldErrors, listFromText, numberOr } from './admin_common.js';

// The fields of a destination form; `d` prefills them (edit); `prefix` keeps ids apart.
function DestinationFields({ d = {}, prefix }) {
  return html`<div class="row">
    <${FormField} label="Name" id=${`${prefix}-name`} name="name">
      <input id=${`${prefix}-name`} name="name" defaultValue=${d.name ?? ''} autocomplete="off" /><//>
    <${FormField} label="Slugs" id=${`${prefix}-slugs`} name="slugs" hint="URL path segments that mean this destination, comma-separated">
      <input id=${`${prefix}-slugs`} name="slugs" defaultValue=${(d.slugs ?? []).join(', ')} autocomplete="off" size="30" /><//>
    <${FormField} label="Preference" id=${`${prefix}-pref`} name="preference" hint="0.1–1.0; lower gives one POC round(1/p) leads in a row">
      <input id=${`${prefix}-pref`} name="preference" type="number" step="any" defaultValue=${d.preference ?? ''} size="6" /><//>
  </div>`;
}

// The body of a create (`editing` false) or PATCH from the form; slug errors (`slugs[i]`) are
// shown on the Slugs field, naming the slug.
function save(data, call) {
  const slugs = listFromText(data.get('slugs'));
  return mappingFieldErrors(() => call({
    name: data.get('name'),
    slugs,
    preference: numberOr(data.get('preference'), null),
  }), (name, reason) => {
    const m = name.match(/^slugs\[(\d+)\]$/);
    return m ? { field: 'slugs', reason: `"${slugs[Number(m[1])] ?? ''}" ${reason}` } : null;
  });
}

function DestinationRow({ d, routes, rerender }) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return html`<tr data-name=${d.name} class="editing"><td colspan="5">
      <${Form} class="inline-edit" label=${`Edit ${d.name}`} action=${async (data) => {
        const saved = await save(data, (b) => patch(`/destinations/${d._id}`, b));
        setFlash(`Saved ${saved.name}.`);
        rerender();
      }}>
        <${DestinationFields} d=${d} prefix=${`edit-${d._id}`} />
        <div class="row"><${Submit}>Save<//><button type="button" onClick=${() => setEditing(false)}>Cancel</button></div>
      <//>
    </td></tr>`;
  }
  return html`<tr data-name=${d.name}>
    <td>${d.name}</td>
    <td>${d.slugs.length ? d.slugs.join(', ') : '—'}</td>
    <td>${String(d.preference)}</td>
    <td>${routes.get(d._id)?.join(', ') ?? html`<span class="muted">in no map</span>`}</td>
    <td class="actions">
      <button type="button" onClick=${() => setEditing(true)}>Edit</button>
      <${ConfirmAction} label="Delete" question=${`Delete ${d.name}?`} action=${async () => {
        await api('DELETE', `/destinations/${d._id}`);
        setFlash(`Deleted ${d.name}.`);
        rerender();
      }} />
    </td>
  </tr>`;
}

export function Destinations({ rerender }) {
  const [flash] = useState(takeFlashText);
  const [answer, error] = useLoad(() => Promise.all([get('/destinations'), get('/process-destination-maps')]));
  let list = null;
  if (error) list = html`<${Failure} error=${error} />`;
  else if (answer) {
    const [items, maps] = answer;
    // destination id -> ["PSV 70", "WEST 30 (inactive)"]
    const routes = new Map();
    for (const map of maps.items)
      for (const e of map.destinations) {
        const entries = routes.get(e._id) ?? [];
        entries.push(`${map.process} ${e.loadShare}${e.isActive ? '' : ' (inactive)'}`);
        routes.set(e._id, entries);
      }
    list = items.items.length === 0 ? html`<p class="empty">No destinations yet.</p>`
      : html`<table class="list" aria-label="Destinations">
        <thead><tr>${['Name', 'Slugs', 'Preference', 'Routing maps (load share)', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
        <tbody>${items.items.map((d) => html`<${DestinationRow} key=${d._id} d=${d} routes=${routes} rerender=${rerender} />`)}</tbody>
      </table>`;
  }
  return html`<h1>Destinations</h1>
    <p class="muted">Where leads want to go. Leads name a destination by its name or a slug (also in the URL of the page they came from); the routing maps send each destination to a process.</p>
    <${Flash} message=${flash} />
    <${Form} class="card" label="Create destination" action=${async (data) => {
      const body = await save(data, (b) => post('/destinations', { ...b, preference: b.preference ?? undefined }));
      setFlash(`Created ${body.name}.`);
      rerender();
    }}>
      <h2>Create a destination</h2>
      <${DestinationFields} prefix="new" />
      <${Submit}>Create destination<//>
    <//>
    ${list}`;
}
