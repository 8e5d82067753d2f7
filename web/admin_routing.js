// Admin: routing maps (process destination maps, docs/api-config.md): which destinations' leads
// each process takes. A summary per destination (a destination in several maps is split across
// their processes by loadShare, over the active entries), then one editable map per process
// (entries: destination, load share, active; WEST also the sheet name and WABA number), a form
// to create a map for a process that has none, and delete.
//
// A save sends the map's complete entry list (PUT: the list replaces the stored one); counters
// are left out so that the API keeps each destination's stored counter.
import { get, post, api } from './api.js';
import { h, field, select, onSubmit, failure } from './dom.js';
import { PROCESSES } from './terms.js';
import { confirmAction, setFlash, takeFlash, mappingFieldErrors, numberOr } from './admin_common.js';

// The editor of a map's entries. `entries` are the API's entries (or [] for a new map); `dests`
// [[id, name]]; `isWest()` whether the WEST-only fields apply. Answers {element, body(),
// setWest()}: body() renames the controls to their API field names (destinations[i].loadShare),
// so that the API's field errors land next to them, and answers the entry list to send.
function entriesEditor(entries, dests, isWest) {
  const list = h('div', { class: 'entries', 'data-field': 'destinations' });
  const entryRow = (e = {}) => {
    const dest = select('_id', dests, { value: e._id ?? '', blank: 'Choose a destination' });
    const west = h('div', { class: 'row west-only', hidden: !isWest() },
      field('Sheet name', h('input', { name: 'sheetName', value: e.sheetName ?? '', autocomplete: 'off' })),
      field('WABA number', h('input', { name: 'wabaNumber', value: e.wabaNumber ?? '', autocomplete: 'off', size: 14 })));
    const row = h('div', { class: `entry${e.isActive === false ? ' inactive' : ''}` },
      field('Destination', dest),
      field('Load share', h('input', { name: 'loadShare', type: 'number', min: 0, max: 100, step: 1, value: e.loadShare ?? 100, size: 5 })),
      field('Active', h('input', { name: 'isActive', type: 'checkbox', checked: e.isActive ?? true,
        onchange: (ev) => row.classList.toggle('inactive', !ev.target.checked) })),
      west,
      e.counter !== undefined && h('small', { class: 'muted', title: 'the split\'s persisted credit' }, `counter ${e.counter}`),
      h('button', { type: 'button', onclick: () => row.remove() }, 'Remove'));
    const label = () => { row.dataset.destination = dest.selectedOptions[0]?.value ? dest.selectedOptions[0].text : ''; };
    dest.addEventListener('change', label);
    label();
    return row;
  };
  for (const e of entries) list.append(entryRow(e));
  const add = h('button', { type: 'button', onclick: () => list.append(entryRow()) }, 'Add destination');
  const rows = () => [...list.querySelectorAll('.entry')];
  const control = (row, name) => row.querySelector(`[data-name="${name}"], [name="${name}"], [name$="].${name}"]`);
  return {
    element: h('div', {}, list, add),
    setWest: (west) => list.querySelectorAll('.west-only').forEach((el) => { el.hidden = !west; }),
    body() {
      return rows().map((row, i) => {
        const c = Object.fromEntries(['_id', 'loadShare', 'isActive', 'sheetName', 'wabaNumber'].map((n) => {
          const el = control(row, n);
          el.dataset.name = n;
          el.name = `destinations[${i}].${n}`;
          return [n, el];
        }));
        row.dataset.field = `destinations[${i}]`;
        const entry = { isActive: c.isActive.checked, loadShare: numberOr(c.loadShare.value, undefined) };
        if (c._id.value) entry._id = c._id.value;
        if (isWest()) {
          if (c.sheetName.value.trim()) entry.sheetName = c.sheetName.value.trim();
          if (c.wabaNumber.value.trim()) entry.wabaNumber = c.wabaNumber.value.trim();
        }
        return entry;
      });
    },
  };
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

export async function routingView(main, { rerender }) {
  main.append(h('h1', {}, 'Routing maps'),
    h('p', { class: 'muted' }, 'Each process takes the leads of the destinations its map lists. A destination listed in several maps is split across those processes in proportion to its load share (active entries only).'));
  const flash = takeFlash();
  if (flash) main.append(flash);
  let maps, dests;
  try {
    const [m, d] = await Promise.all([get('/process-destination-maps'), get('/destinations')]);
    maps = m.items;
    dests = d.items.map((x) => [x._id, x.name]);
  } catch (err) {
    main.append(failure(err));
    return;
  }
  maps.sort((a, b) => PROCESSES.indexOf(a.process) - PROCESSES.indexOf(b.process));

  // Per destination: where its leads go.
  const byDest = new Map(dests.map(([id]) => [id, []]));
  for (const map of maps)
    for (const e of map.destinations) byDest.get(e._id)?.push({ ...e, process: map.process });
  main.append(h('section', { class: 'card', 'aria-label': 'By destination' },
    h('h2', {}, 'Where each destination goes'),
    h('table', { class: 'list', 'aria-label': 'Routing by destination' },
      h('thead', {}, h('tr', {}, ['Destination', 'Goes to (share of its leads)'].map((t) => h('th', {}, t)))),
      h('tbody', {}, dests.map(([id, name]) => h('tr', { 'data-destination': name },
        h('td', {}, name),
        h('td', { class: 'share' }, split(byDest.get(id)) || h('span', { class: 'muted' }, 'in no map')) ))))));

  for (const map of maps) {
    const editor = entriesEditor(map.destinations, dests, () => map.process === 'WEST');
    const form = h('form', { 'aria-label': `Edit ${map.process} map`, novalidate: true },
      editor.element,
      h('div', { class: 'buttons' }, h('button', { type: 'submit' }, `Save ${map.process} map`)));
    onSubmit(form, async () => {
      await send(() => api('PUT', `/process-destination-maps/${map._id}`, { body: { process: map.process, destinations: editor.body() } }));
      setFlash(`Saved the ${map.process} map.`);
      rerender();
    });
    main.append(h('section', { class: 'card', 'aria-label': `${map.process} map`, 'data-process': map.process },
      h('div', { class: 'title' }, h('h2', {}, `${map.process} map`),
        confirmAction('Delete map', `Delete the ${map.process} map? Its destinations stop going to ${map.process}.`, async () => {
          await api('DELETE', `/process-destination-maps/${map._id}`);
          setFlash(`Deleted the ${map.process} map.`);
          rerender();
        })),
      map.destinations.length === 0 && h('p', { class: 'empty' }, 'No destinations: this process gets no leads by routing.'),
      form));
  }

  const process = select('process', PROCESSES, { blank: 'Choose' });
  const editor = entriesEditor([{}], dests, () => process.value === 'WEST');
  process.addEventListener('change', () => editor.setWest(process.value === 'WEST'));
  const create = h('form', { class: 'card', 'aria-label': 'Create routing map', novalidate: true },
    h('h2', {}, 'Create a map'),
    h('p', { class: 'muted' }, `One map per process; processes with a map: ${maps.map((m) => m.process).join(', ') || 'none'}.`),
    field('Process', process), editor.element,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Create map')));
  onSubmit(create, async () => {
    await send(() => post('/process-destination-maps', { process: process.value, destinations: editor.body() }));
    setFlash(`Created the ${process.value} map.`);
    rerender();
  });
  main.append(create);
}
