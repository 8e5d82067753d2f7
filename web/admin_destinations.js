// Admin: destinations (docs/api-config.md "Destinations"): the list with where each one is
// routed, create, edit (name, slugs, preference) in place, and delete (refused with a 409 while a
// routing map lists the destination).
import { get, post, patch, api } from './api.js';
import { h, field, onSubmit, failure } from './dom.js';
import { confirmAction, setFlash, takeFlash, mappingFieldErrors, listFromText, numberOr } from './admin_common.js';

// The fields of a destination form; `d` prefills them (edit).
function destinationFields(d = {}) {
  return h('div', { class: 'row' },
    field('Name', h('input', { name: 'name', value: d.name ?? '', autocomplete: 'off' })),
    field('Slugs', h('input', { name: 'slugs', value: (d.slugs ?? []).join(', '), autocomplete: 'off', size: 30 }),
      'URL path segments that mean this destination, comma-separated'),
    field('Preference', h('input', { name: 'preference', type: 'number', step: 'any', value: d.preference ?? '', size: 6 }),
      '0.1–1.0; lower gives one POC round(1/p) leads in a row'));
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

export async function destinationsView(main, { rerender }) {
  main.append(h('h1', {}, 'Destinations'),
    h('p', { class: 'muted' }, 'Where leads want to go. Leads name a destination by its name or a slug (also in the URL of the page they came from); the routing maps send each destination to a process.'));
  const flash = takeFlash();
  if (flash) main.append(flash);

  const form = h('form', { class: 'card', 'aria-label': 'Create destination', novalidate: true },
    h('h2', {}, 'Create a destination'), destinationFields(),
    h('button', { type: 'submit' }, 'Create destination'));
  onSubmit(form, async (data) => {
    const body = await save(data, (b) => post('/destinations', { ...b, preference: b.preference ?? undefined }));
    setFlash(`Created ${body.name}.`);
    rerender();
  });
  main.append(form);

  let items, maps;
  try {
    [items, maps] = await Promise.all([get('/destinations'), get('/process-destination-maps')]);
  } catch (err) {
    main.append(failure(err));
    return;
  }
  // destination id -> ["PSV 70", "WEST 30 (inactive)"]
  const routes = new Map();
  for (const map of maps.items)
    for (const e of map.destinations) {
      const list = routes.get(e._id) ?? [];
      list.push(`${map.process} ${e.loadShare}${e.isActive ? '' : ' (inactive)'}`);
      routes.set(e._id, list);
    }

  const row = (d) => {
    const tr = h('tr', { 'data-name': d.name },
      h('td', {}, d.name),
      h('td', {}, d.slugs.length ? d.slugs.join(', ') : '—'),
      h('td', {}, String(d.preference)),
      h('td', {}, routes.get(d._id)?.join(', ') ?? h('span', { class: 'muted' }, 'in no map')),
      h('td', { class: 'actions' },
        h('button', { type: 'button', onclick: () => tr.replaceWith(editRow(d, tr)) }, 'Edit'),
        confirmAction('Delete', `Delete ${d.name}?`, async () => {
          await api('DELETE', `/destinations/${d._id}`);
          setFlash(`Deleted ${d.name}.`);
          rerender();
        })));
    return tr;
  };
  const editRow = (d, shown) => {
    const edit = h('form', { class: 'inline-edit', 'aria-label': `Edit ${d.name}`, novalidate: true },
      destinationFields(d),
      h('div', { class: 'row' },
        h('button', { type: 'submit' }, 'Save'),
        h('button', { type: 'button', onclick: () => tr.replaceWith(shown) }, 'Cancel')));
    onSubmit(edit, async (data) => {
      const saved = await save(data, (b) => patch(`/destinations/${d._id}`, b));
      setFlash(`Saved ${saved.name}.`);
      rerender();
    });
    const tr = h('tr', { 'data-name': d.name, class: 'editing' }, h('td', { colspan: 5 }, edit));
    return tr;
  };

  main.append(items.items.length === 0 ? h('p', { class: 'empty' }, 'No destinations yet.')
    : h('table', { class: 'list', 'aria-label': 'Destinations' },
      h('thead', {}, h('tr', {}, ['Name', 'Slugs', 'Preference', 'Routing maps (load share)', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.items.map(row))));
}
