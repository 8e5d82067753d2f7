// Admin views: every opportunity with filters (a component), users (create, deactivate, clear a login delay),
// availabilities (POCs in rotation: toggle isAvailable) and web URLs (most hits first; mark with a destination).
import { get, post, patch } from './api.js';
import { h, select, field, onSubmit, formatTime, failure, userName } from './dom.js';
import { STATUSES, PROCESSES, DEPARTMENTS } from './terms.js';
import { OpportunityTable, Pager, PAGE_SIZE, useLoad } from './worklist.js';
import { html } from './ui.js';
import { Field, Select, Failure } from './components.js';
import { labelled } from './labels.js';

async function destinations() {
  return (await get('/destinations')).items.map((d) => [d._id, d.name]);
}

// Every opportunity, with filters (status, destination, process, unassigned) in the route's query.
export function AdminOpportunities({ params, navigate }) {
  const go = (p) => navigate('/admin/opportunities', p);
  const [context, contextError] = useLoad(() => Promise.all([destinations(), get('/users')]));
  const [page, pageError] = useLoad(() => get('/opportunities', {
    status: params.get('status'), destination: params.get('destination'),
    filterationProcess: params.get('filterationProcess'), unassigned: params.get('unassigned'),
    cursor: params.get('cursor'), limit: PAGE_SIZE,
  }));
  if (contextError) return html`<h1>All opportunities</h1><${Failure} error=${contextError} />`;
  if (!context) return html`<h1>All opportunities</h1>`;
  const [dests, users] = context;
  const names = new Map(users.items.map((u) => [u._id, userName(u)]));
  const value = (name) => params.get(name) ?? '';
  return html`<h1>All opportunities</h1>
    <form class="filters" aria-label="Filter" onChange=${(e) => go(Object.fromEntries(new FormData(e.currentTarget)))}>
      <${Field} label="Status" id="f-status">
        <${Select} name="status" id="f-status" options=${labelled(STATUSES)} value=${value('status')} blank="All statuses" /><//>
      <${Field} label="Destination" id="f-destination">
        <${Select} name="destination" id="f-destination" options=${dests} value=${value('destination')} blank="All destinations" /><//>
      <${Field} label="Process" id="f-process">
        <${Select} name="filterationProcess" id="f-process" options=${labelled(PROCESSES)} value=${value('filterationProcess')} blank="All processes" /><//>
      <label class="check"><input type="checkbox" name="unassigned" value="true" checked=${value('unassigned') === 'true'} />Unassigned only</label>
    </form>
    <section aria-label="Opportunities list">
      ${pageError ? html`<${Failure} error=${pageError} />`
        : !page ? html`<p class="muted">Loading…</p>`
        : html`<${OpportunityTable} items=${page.items} admin names=${names} /><${Pager} nextCursor=${page.nextCursor} params=${params} go=${go} />`}
    </section>`;
}

export async function usersView(main, { rerender }) {
  main.append(h('h1', {}, 'Users'));
  const form = h('form', { class: 'card', 'aria-label': 'Create user' },
    h('h2', {}, 'Create a user'),
    h('div', { class: 'row' },
      field('Email', h('input', { name: 'email', type: 'email', required: true })),
      field('First name', h('input', { name: 'firstName' })),
      field('Last name', h('input', { name: 'lastName' })),
      field('Department', select('department', DEPARTMENTS, { blank: 'Choose' })),
      field('Password', h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }), '10+ characters, two kinds')),
    h('button', { type: 'submit' }, 'Create user'));
  onSubmit(form, async (data) => {
    const body = Object.fromEntries([...data].filter(([, v]) => v !== ''));
    const user = await post('/users', body);
    sessionStorage.setItem('leadproc.flash', `Created ${user.email}.`);
    rerender();
  });
  const flash = sessionStorage.getItem('leadproc.flash');
  sessionStorage.removeItem('leadproc.flash');
  if (flash) main.append(h('p', { class: 'notice', role: 'status' }, flash));
  main.append(form);
  try {
    const [users, throttles] = await Promise.all([
      get('/users').then((r) => r.items), get('/login-throttles').then((r) => r.items)]);
    // Accounts delayed from some address after failed logins (docs/api-auth.md "Throttling").
    const delayed = new Set(throttles.filter((t) => t.email).map((t) => t.email));
    main.append(h('table', { class: 'list', 'aria-label': 'Users' },
      h('thead', {}, h('tr', {}, ['Name', 'Email', 'Department', 'Active', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, users.map((u) => h('tr', { 'data-email': u.email },
        h('td', {}, userName(u)), h('td', {}, u.email), h('td', {}, u.department),
        h('td', {}, u.isActive ? 'yes' : 'no'),
        h('td', {}, u.isActive && rowAction('Deactivate', async () => {
          await post(`/users/${u._id}/deactivate`);
          rerender();
        }), delayed.has(u.email.toLowerCase()) && rowAction('Clear login delay', async () => {
          await post('/login-throttles/clear', { email: u.email });
          sessionStorage.setItem('leadproc.flash', `${u.email} can log in again at once.`);
          rerender();
        })))))));
  } catch (err) {
    main.append(failure(err));
  }
}

// A button whose failure is shown next to it (e.g. the 409 of the last POC rule).
function rowAction(label, action) {
  const form = h('form', { class: 'row-action' }, h('button', { type: 'submit' }, label));
  onSubmit(form, action);
  return form;
}

export async function availabilitiesView(main, { rerender }) {
  main.append(h('h1', {}, 'Availabilities'),
    h('p', { class: 'muted' }, 'The people in round-robin rotation, per pool. A pool that routing depends on keeps at least one available person.'));
  try {
    const items = (await get('/availabilities')).items;
    main.append(h('table', { class: 'list', 'aria-label': 'Availabilities' },
      h('thead', {}, h('tr', {}, ['Person', 'Pool', 'Sources', 'Destinations', 'Leads', 'Available', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.map((a) => h('tr', { 'data-person': a.personName, 'data-pool': a.process },
        h('td', {}, a.personName), h('td', {}, a.process),
        h('td', {}, a.source.length ? a.source.join(', ') : 'all'),
        h('td', {}, a.destinations.length ? a.destinations.map((d) => d.name).join(', ') : 'all'),
        h('td', {}, `${a.leadCount} (total ${a.totalCount})`),
        h('td', {}, a.isAvailable ? 'yes' : 'no'),
        h('td', {}, rowAction(a.isAvailable ? 'Take out of rotation' : 'Put in rotation', async () => {
          await patch(`/availabilities/${a._id}`, { isAvailable: !a.isAvailable });
          rerender();
        })))))));
  } catch (err) {
    main.append(failure(err));
  }
}

export async function webUrlsView(main, { params, navigate, rerender }) {
  const consumed = params.get('consumed') ?? '';
  main.append(h('h1', {}, 'Web URLs'),
    h('p', { class: 'muted' }, 'Landing pages that leads came from, most hits first. Mark a page with a destination: its future leads get it.'));
  const filter = h('form', { class: 'filters', 'aria-label': 'Filter' },
    field('Show', select('consumed', [['false', 'Not marked yet'], ['true', 'Marked']], { value: consumed, blank: 'All' })));
  filter.addEventListener('change', () => navigate('/admin/weburls', Object.fromEntries(new FormData(filter))));
  main.append(filter);
  try {
    const [urls, dests] = await Promise.all([get('/weburls', { consumed, limit: 200 }), destinations()]);
    main.append(h('table', { class: 'list', 'aria-label': 'Web URLs' },
      h('thead', {}, h('tr', {}, ['URL', 'Hits', 'Last hit', 'Destination', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, urls.items.map((w) => {
        const form = h('form', { class: 'inline' },
          select('destination', dests, { value: w.destination?._id ?? '', blank: '(none)' }),
          h('button', { type: 'submit' }, 'Save'));
        onSubmit(form, async (data) => {
          await post(`/weburls/${w._id}/destination`, { destination: data.get('destination') || null });
          rerender();
        });
        return h('tr', { 'data-url': w.url },
          h('td', {}, w.url), h('td', {}, String(w.hits)), h('td', {}, formatTime(w.lastHitAt)),
          h('td', {}, w.destination?.name ?? '—'), h('td', {}, form));
      }))));
  } catch (err) {
    main.append(failure(err));
  }
}

