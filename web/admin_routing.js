// Admin: routing maps (process destination maps, docs/api-config.md): which destinations' leads
// each process takes. A summary per destination (a destination in several maps is split across
// their processes by loadShare, over the active entries), then one editable map per process
// (entries: destination, load share, active; WEST also the sheet name and WABA number), a form
// to create a map for a process that has none, and delete.
//
// A save sends the map's complete entry list (PUT: the list replaces the stored one); counters
// are left out so that the API keeps each destination's stored counter.
import { html, useState } from './ui.js';
import { get, post, api } from './api.js';
import { Failure, Select } from './components.js';
import { Form, FormField, FieldErrors, Submit, ConfirmAction, Flash } from './forms.js';
import { useLoad } from './worklist.js';
import { PROCESSES } from './terms.js';
import { setFlash, takeFlashText, mappingFieldErrors, numberOr } from './admin_common.js';

// The editor of a map's entries. `entries` are the API's entries (or [{}] for a new map); `dests`
// [[id, name]]; `west` whether the WEST-only fields apply. The controls carry their API field
// names (destinations[i].loadShare), so the API's field errors land next to them; entryBody()
// reads the list to send back from the form's data.
let rowKeys = 0;
function EntriesEditor({ entries, dests, west }) {
  const [rows, setRows] = useState(() => entries.map((e) => ({ key: ++rowKeys, e })));
  return html`<div>
    <div class="entries" data-field="destinations" data-claims="destinations">
      ${rows.map((row, i) => html`<${EntryRow} key=${row.key} i=${i} e=${row.e} dests=${dests} west=${west}
        onRemove=${() => setRows(rows.filter((r) => r !== row))} />`)}
      <${FieldErrors} name="destinations" />
    </div>
    <button type="button" onClick=${() => setRows([...rows, { key: ++rowKeys, e: {} }])}>Add destination</button>
  </div>`;
}

function EntryRow({ i, e, dests, west, onRemove }) {
  const [dest, setDest] = useState(e._id ?? '');
  const [active, setActive] = useState(e.isActive ?? true);
  const at = (name) => `destinations[${i}].${name}`;
  const id = (name) => `entry-${e._id ?? 'new'}-${i}-${name}`;
  return html`<div class=${`entry${active ? '' : ' inactive'}`} data-destination=${dests.find(([d]) => d === dest)?.[1] ?? ''}
    data-field=${`destinations[${i}]`} data-claims=${`destinations[${i}]`}>
    <${FormField} label="Destination" id=${id('dest')} name=${at('_id')}>
      <${Select} id=${id('dest')} name=${at('_id')} options=${dests} value=${dest} blank="Choose a destination"
        onChange=${(ev) => setDest(ev.currentTarget.value)} /><//>
    <${FormField} label="Load share" id=${id('share')} name=${at('loadShare')}>
      <input id=${id('share')} name=${at('loadShare')} type="number" min="0" max="100" step="1" defaultValue=${e.loadShare ?? 100} size="5" /><//>
    <${FormField} label="Active" id=${id('active')} name=${at('isActive')}>
      <input id=${id('active')} name=${at('isActive')} type="checkbox" checked=${active} onChange=${(ev) => setActive(ev.currentTarget.checked)} /><//>
    <div class="row west-only" hidden=${!west}>
      <${FormField} label="Sheet name" id=${id('sheet')} name=${at('sheetName')}>
        <input id=${id('sheet')} name=${at('sheetName')} defaultValue=${e.sheetName ?? ''} autocomplete="off" /><//>
      <${FormField} label="WABA number" id=${id('waba')} name=${at('wabaNumber')}>
        <input id=${id('waba')} name=${at('wabaNumber')} defaultValue=${e.wabaNumber ?? ''} autocomplete="off" size="14" /><//>
    </div>
    ${e.counter !== undefined && html`<small class="muted" title="the split's persisted credit">counter ${e.counter}</small>`}
    <button type="button" onClick=${onRemove}>Remove</button>
    <${FieldErrors} name=${`destinations[${i}]`} />
  </div>`;
}

// The entry list of the editor's form data (counters are left out: the API keeps them).
function entryBody(form, west) {
  return [...form.querySelectorAll('.entry')].map((row, i) => {
    const value = (name) => form.elements.namedItem(`destinations[${i}].${name}`);
    const entry = { isActive: value('isActive').checked, loadShare: numberOr(value('loadShare').value, undefined) };
    if (value('_id').value) entry._id = value('_id').value;
    if (west) {
      if (value('sheetName').value.trim()) entry.sheetName = value('sheetName').value.trim();
      if (value('wabaNumber').value.trim()) entry.wabaNumber = value('wabaNumber').value.trim();
    }
    return entry;
  });
}

// The API names an unresolvable entry's destination `destinations[i].name` or `._id`; the
// editor has one control for it, the `_id` select.
const onSelect = (name) => {
  const m = name.match(/^(destinations\[\d+\])\.name$/);
  return m ? `${m[1]}._id` : null;
};
function send(call) {
  return mappingFieldErrors(call, (name, reason) => (onSelect(name) ? { field: onSelect(name), reason } : null));
}

// "PSV 70%, WEST 30%" for the active entries of a destination across the maps.
function split(entries) {
  const active = entries.filter((e) => e.isActive);
  const total = active.reduce((sum, e) => sum + e.loadShare, 0);
  const parts = active.map((e) => `${e.process} ${total ? Math.round((100 * e.loadShare) / total) : 0}%`);
  const off = entries.filter((e) => !e.isActive).map((e) => `${e.process} (inactive)`);
  return [...parts, ...off].join(', ');
}

function MapSection({ map, dests, rerender }) {
  const west = map.process === 'WEST';
  return html`<section class="card" aria-label=${`${map.process} map`} data-process=${map.process}>
    <div class="title"><h2>${map.process} map</h2>
      <${ConfirmAction} label="Delete map" question=${`Delete the ${map.process} map? Its destinations stop going to ${map.process}.`}
        action=${async () => {
          await api('DELETE', `/process-destination-maps/${map._id}`);
          setFlash(`Deleted the ${map.process} map.`);
          rerender();
        }} />
    </div>
    ${map.destinations.length === 0 && html`<p class="empty">No destinations: this process gets no leads by routing.</p>`}
    <${Form} label=${`Edit ${map.process} map`} action=${async (data, form) => {
      await send(() => api('PUT', `/process-destination-maps/${map._id}`, { body: { process: map.process, destinations: entryBody(form, west) } }));
      setFlash(`Saved the ${map.process} map.`);
      rerender();
    }}>
      <${EntriesEditor} entries=${map.destinations} dests=${dests} west=${west} />
      <div class="buttons"><${Submit}>Save ${map.process} map<//></div>
    <//>
  </section>`;
}

function CreateMap({ maps, dests, rerender }) {
  const [process, setProcess] = useState('');
  return html`<${Form} class="card" label="Create routing map" action=${async (data, form) => {
    await send(() => post('/process-destination-maps', { process, destinations: entryBody(form, process === 'WEST') }));
    setFlash(`Created the ${process} map.`);
    rerender();
  }}>
    <h2>Create a map</h2>
    <p class="muted">One map per process; processes with a map: ${maps.map((m) => m.process).join(', ') || 'none'}.</p>
    <${FormField} label="Process" id="new-map-process" name="process">
      <${Select} id="new-map-process" name="process" options=${PROCESSES} value=${process} blank="Choose"
        onChange=${(e) => setProcess(e.currentTarget.value)} /><//>
    <${EntriesEditor} entries=${[{}]} dests=${dests} west=${process === 'WEST'} />
    <div class="buttons"><${Submit}>Create map<//></div>
  <//>`;
}

export function Routing({ rerender }) {
  const [flash] = useState(takeFlashText);
  const [answer, error] = useLoad(() => Promise.all([get('/process-destination-maps'), get('/destinations')]));
  const intro = html`<h1>Routing maps</h1>
    <p class="muted">Each process takes the leads of the destinations its map lists. A destination listed in several maps is split across those processes in proportion to its load share (active entries only).</p>
    <${Flash} message=${flash} />`;
  if (error) return html`${intro}<${Failure} error=${error} />`;
  if (!answer) return intro;
  const maps = [...answer[0].items].sort((a, b) => PROCESSES.indexOf(a.process) - PROCESSES.indexOf(b.process));
  const dests = answer[1].items.map((x) => [x._id, x.name]);
  // Per destination: where its leads go.
  const byDest = new Map(dests.map(([id]) => [id, []]));
  for (const map of maps)
    for (const e of map.destinations) byDest.get(e._id)?.push({ ...e, process: map.process });
  return html`${intro}
    <section class="card" aria-label="By destination">
      <h2>Where each destination goes</h2>
      <table class="list" aria-label="Routing by destination">
        <thead><tr><th>Destination</th><th>Goes to (share of its leads)</th></tr></thead>
        <tbody>${dests.map(([id, name]) => html`<tr data-destination=${name}>
          <td>${name}</td>
          <td class="share">${split(byDest.get(id)) || html`<span class="muted">in no map</span>`}</td>
        </tr>`)}</tbody>
      </table>
    </section>
    ${maps.map((map) => html`<${MapSection} key=${map._id} map=${map} dests=${dests} rerender=${rerender} />`)}
    <${CreateMap} maps=${maps} dests=${dests} rerender=${rerender} />`;
}
