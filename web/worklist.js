// The work list: "My opportunities" (what the API lists for the caller: PSV/WEST the leads
// assigned to them, SALES the opportunities they own) and an admin's "All opportunities", one
// component (Worklist; `admin` adds the process, unassigned and assignee). Tabs by status with
// their counts (GET /opportunities/counts), filters, a sort, totals, the API's keyset pages, the
// person's saved views (GET /me/views), an "Export" of exactly this list (the CSV export takes
// the same query) and, for workers, their follow-ups due. The filter, sort and page live in the
// route's query (#/?status=…&sort=…&cursor=…), so "← Back" from an opportunity returns to the same
// list and a saved view is that query.
//
// Extension points (for other uses of the list: live updates, bulk work): one `reload()` that
// reads the page and the counts again in place, and the `useExtension` prop: a hook the list
// calls on every render with its context {items, filter, params, reload, rerender, admin}, answering
// {columns: [{head, cell(o)}] (first cells of every row, e.g. a checkbox), toolbar: element
// (above the table, e.g. the bulk actions)}.
import { html, useState, useLayoutEffect } from './ui.js';
import { get, post, api } from './api.js';
import { formatTime, text, userName, problemMessage, dayAfter } from './format.js';
import { Field, Select, Failure, StatusBadge, StageText } from './components.js';
import { label, labelled } from './labels.js';
import { STATUSES, PROCESSES } from './terms.js';
import { PLATFORMS } from './admin_common.js';
import { showShortcuts } from './keyboard.js';
import { useLiveRefresh } from './live.js';

export const PAGE_SIZE = 25;

// A link to an opportunity that remembers the list it was opened from (its "← Back").
export function opportunityHref(id) {
  const here = location.hash.replace(/^#/, '') || '/';
  return `#/opportunities/${id}?back=${encodeURIComponent(here)}`;
}

// Where an opportunity page's "← Back" goes: the list it was opened from, else the home list.
export function backHref(params) {
  const back = params?.get('back');
  return back && back.startsWith('/') && !back.startsWith('//') ? `#${back}` : '#/';
}

// "45 min", "5 h 10 min", "3 d 4 h": a duration in the two largest units.
export function durationText(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export const FIRST_CONTACT_SLA_MS = 24 * 3600_000;

// The first-contact SLA clock of an opportunity (docs/product.md: the first-contact follow-up is
// due within 24 h of CRM entry): {state, text}, or null before the CRM phase. `met` once a
// follow-up was completed (followupCount), `open` with the time left, `late` past the 24 h.
export function slaClock(o, now = Date.now()) {
  const entered = o.crmStageMeta?.crmEntryAt;
  if (!entered) return null;
  if ((o.crmStageMeta.followupCount ?? 0) > 0) return { state: 'met', text: 'Contacted' };
  const left = new Date(entered).getTime() + FIRST_CONTACT_SLA_MS - now;
  if (o.status !== 'Open') return null;
  return left >= 0 ? { state: 'open', text: `${durationText(left)} left` }
    : { state: 'late', text: `Overdue ${durationText(-left)}` };
}

function SlaCell({ o }) {
  const clock = slaClock(o);
  if (!clock) return html`<span class="muted">—</span>`;
  return html`<span class=${`sla sla-${clock.state}`}>${clock.text}</span>`;
}

// The table of a page of opportunities; `admin` adds the process and the assignee; `columns`
// ([{head, cell(o)}]) and `select` (one such column) come first. Each row is focusable
// (tabindex -1) so that j/k move through the list (keyboard.js).
export function OpportunityTable({ items, admin = false, names = new Map(), columns = [], select }) {
  if (items.length === 0) return html`<p class="empty">No opportunities match.</p>`;
  const assignee = (o) => o.assignedPsv?.name ?? o.assignedWest?.name ?? '';
  const now = Date.now();
  const extra = select ? [select, ...columns] : columns;
  const heads = [...extra.map((c) => c.head), 'Status', 'Stage', 'Name', 'Number', 'Destination',
    admin && 'Process', admin && 'Assigned to', 'Age', 'SLA', 'Next follow-up', 'Created'].filter((h) => h !== false);
  return html`<table class="list" aria-label="Opportunities" data-keyboard-list>
    <thead><tr>${heads.map((t) => html`<th>${t}</th>`)}</tr></thead>
    <tbody>${items.map((o) => html`<tr data-id=${o._id} tabindex="-1">
      ${extra.map((c) => html`<td>${c.cell(o)}</td>`)}
      <td><${StatusBadge} opp=${o} /></td>
      <td><${StageText} opp=${o} /></td>
      <td><a href=${opportunityHref(o._id)}>${o.name}</a></td>
      <td>${o.number}</td>
      <td>${text(o.destination)}</td>
      ${admin && html`<td>${label(o.filterationProcess) || '—'}</td>`}
      ${admin && html`<td>${o.awaitingAssignment ? `waiting for ${o.awaitingAssignment}`
        : [assignee(o), o.opportunityOwner && (names.get(o.opportunityOwner) ?? 'a sales person')]
          .filter(Boolean).join(' → ') || '—'}</td>`}
      <td class="age" title=${o.createdAt}>${durationText(now - new Date(o.createdAt).getTime())}</td>
      <td><${SlaCell} o=${o} /></td>
      <td class=${o.nextFollowUpDate && new Date(o.nextFollowUpDate).getTime() < now ? 'over' : ''}>${formatTime(o.nextFollowUpDate)}</td>
      <td>${formatTime(o.createdAt)}</td>
    </tr>`)}</tbody>
  </table>`;
}

// Paging: "First page" when on a later page, "Next page" when the API has more.
export function Pager({ nextCursor, params, go }) {
  const here = Object.fromEntries(params);
  return html`<div class="pager">
    ${params.get('cursor') && html`<button type="button" onClick=${() => go({ ...here, cursor: '' })}>First page</button>`}
    ${nextCursor && html`<button type="button" onClick=${() => go({ ...here, cursor: nextCursor })}>Next page</button>`}
  </div>`;
}

// A value loaded once when the component mounts: [answer, error] (both null while loading). The
// call starts as the component is drawn (a layout effect), not a frame later.
export function useLoad(load) {
  const [state, setState] = useState([null, null]);
  useLayoutEffect(() => {
    load().then((answer) => setState([answer, null]), (err) => setState([null, err]));
  }, []);
  return state;
}

// A link that downloads a CSV export of the API (the session cookie signs the request in).
export function ExportLink({ path, query, children = 'Export' }) {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query ?? {})) if (v) url.searchParams.set(k, v);
  return html`<a class="button" href=${url.pathname + url.search} download>${children}</a>`;
}

// The route's parameters the list understands: the API's own, so that a saved view, the list,
// its counts and its export take the same query.
const SORTS = [['newest', 'Newest first'], ['oldest', 'Oldest first'], ['followup', 'Next follow-up'], ['score', 'Highest score']];
// The reports' filters (reports.js links each number to the list with them): kept in the query,
// shown as one line with "Show all" rather than as controls.
const REPORT_FILTERS = ['campaign', 'noCampaign', 'assignee', 'kind', 'reached', 'outcome'];
const WORKER_FILTERS = ['status', 'destination', 'platform', 'createdFrom', 'createdTo', 'overdue', 'sort', ...REPORT_FILTERS];
const ADMIN_FILTERS = [...WORKER_FILTERS, 'filterationProcess', 'unassigned'];

// The route's filter (only the list's own parameters, no page) as an object.
function filterOf(params, admin) {
  const out = {};
  for (const k of admin ? ADMIN_FILTERS : WORKER_FILTERS) if (params.get(k)) out[k] = params.get(k);
  return out;
}

// A day of the date inputs <-> the instant it starts in the browser's time zone. The "to" day is
// included: createdTo (exclusive) is the start of the day after.
const dayStart = (day) => new Date(`${day}T00:00:00`).toISOString();
function dayOf(iso, back = 0) {
  const d = iso ? new Date(new Date(iso).getTime() - back) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const sameQuery = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

function Tabs({ counts, filter, go }) {
  const current = filter.status ?? '';
  const by = counts?.byStatus ?? {};
  const shown = STATUSES.filter((s) => by[s] || s === current);
  const tab = (status, name, n) => html`<a href="#" aria-current=${status === current ? 'page' : undefined}
    onClick=${(e) => { e.preventDefault(); go({ ...filter, status }); }}>${name} <span class="count">${n ?? '…'}</span></a>`;
  return html`<nav class="tabs" aria-label="Tabs">
    ${tab('', 'All', counts?.total)}
    ${shown.map((s) => tab(s, label(s), by[s] ?? 0))}
  </nav>`;
}

function SavedViews({ views, filter, go, changed }) {
  const [naming, setNaming] = useState(false);
  const [error, setError] = useState(null);
  const current = views.find((v) => sameQuery(v.query, filter));
  const save = async (e) => {
    e.preventDefault();
    const name = new FormData(e.currentTarget).get('name');
    try {
      await post('/me/views', { name, query: filter });
      setNaming(false);
      setError(null);
      changed();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async () => {
    try {
      await api('DELETE', `/me/views/${current._id}`);
      setError(null);
      changed();
    } catch (err) {
      setError(err);
    }
  };
  return html`<div class="views">
    <${Field} label="Saved view" id="worklist-view">
      <select id="worklist-view" onChange=${(e) => {
        const v = views.find((x) => x._id === e.currentTarget.value);
        go(v ? v.query : {});
      }}>
        <option value="" selected=${!current}>${current ? 'None' : '—'}</option>
        ${views.map((v) => html`<option value=${v._id} selected=${v === current}>${v.name}</option>`)}
      </select>
    <//>
    ${naming ? html`<form class="inline" aria-label="Save this view" onSubmit=${save}>
        <${Field} label="View name" id="worklist-view-name"><input id="worklist-view-name" name="name" required maxlength="100" autofocus /><//>
        <button type="submit">Save</button>
        <button type="button" onClick=${() => setNaming(false)}>Cancel</button>
      </form>`
      : html`<button type="button" onClick=${() => setNaming(true)}>Save view</button>`}
    ${current && html`<button type="button" onClick=${remove}>Delete view</button>`}
    ${error && html`<div class="alert" role="alert">${problemMessage(error)}</div>`}
  </div>`;
}

// "From a report: reached qualified · kind lead · Show all" (the report filters of the list).
function ReportFilter({ filter, names, go }) {
  const given = REPORT_FILTERS.filter((k) => filter[k]);
  if (given.length === 0) return null;
  const value = (k) => (k === 'assignee' ? (names.get(filter.assignee) ?? filter.assignee) : label(filter[k]));
  const rest = Object.fromEntries(Object.entries(filter).filter(([k]) => !REPORT_FILTERS.includes(k)));
  return html`<p class="report-filter" data-testid="report-filter">From a report:
    ${given.map((k) => html` <span class="badge">${k} ${value(k)}</span>`)}
    ${' '}<a href="#" onClick=${(e) => { e.preventDefault(); go(rest); }}>Show all</a></p>`;
}

function Filters({ filter, admin, destinations, go }) {
  const value = (k) => filter[k] ?? '';
  const change = (e) => {
    const { from, to, ...data } = Object.fromEntries(new FormData(e.currentTarget));
    if (from) data.createdFrom = dayStart(from);
    if (to) data.createdTo = dayStart(dayAfter(to));
    if (data.sort === 'newest') delete data.sort;  // the default
    go(Object.fromEntries(Object.entries(data).filter(([, v]) => v)));
  };
  return html`<form class="filters" aria-label="Filter" onChange=${change} onSubmit=${(e) => e.preventDefault()}>
    <${Field} label="Status" id="worklist-status">
      <${Select} name="status" id="worklist-status" options=${labelled(STATUSES)} value=${value('status')} blank="All statuses" /><//>
    <${Field} label="Destination" id="worklist-destination">
      <${Select} name="destination" id="worklist-destination" options=${destinations} value=${value('destination')} blank="All destinations" /><//>
    ${admin && html`<${Field} label="Process" id="worklist-process">
      <${Select} name="filterationProcess" id="worklist-process" options=${labelled(PROCESSES)} value=${value('filterationProcess')} blank="All processes" /><//>`}
    <${Field} label="Platform" id="worklist-platform">
      <${Select} name="platform" id="worklist-platform" options=${labelled(PLATFORMS)} value=${value('platform')} blank="All platforms" /><//>
    <${Field} label="Created from" id="worklist-from"><input type="date" id="worklist-from" name="from" value=${dayOf(filter.createdFrom)} /><//>
    <${Field} label="Created to" id="worklist-to"><input type="date" id="worklist-to" name="to" value=${dayOf(filter.createdTo, 1)} /><//>
    <${Field} label="Sort" id="worklist-sort">
      <${Select} name="sort" id="worklist-sort" options=${SORTS} value=${value('sort') || 'newest'} /><//>
    <label class="check"><input type="checkbox" name="overdue" value="true" checked=${value('overdue') === 'true'} />Overdue follow-up</label>
    ${admin && html`<label class="check"><input type="checkbox" name="unassigned" value="true" checked=${value('unassigned') === 'true'} />Unassigned only</label>`}
    ${REPORT_FILTERS.filter((k) => filter[k]).map((k) => html`<input type="hidden" name=${k} value=${filter[k]} />`)}
  </form>`;
}

export function Worklist({ params, navigate, rerender, admin = false, useExtension = () => ({}) }) {
  const path = admin ? '/admin/opportunities' : '/';
  const title = admin ? 'All opportunities' : 'My opportunities';
  const filter = filterOf(params, admin);
  const go = (p) => navigate(path, p);
  const [list, setList] = useState({ page: null, counts: null, error: null });
  const [views, setViews] = useState([]);
  const [context, contextError] = useLoad(() => Promise.all([
    get('/destinations'), admin ? get('/users') : Promise.resolve({ items: [] }),
  ]));
  // The page and the tabs' counts read again in place (after a change elsewhere).
  const reload = () => Promise.all([
    get('/opportunities', { ...filter, cursor: params.get('cursor'), limit: PAGE_SIZE }),
    get('/opportunities/counts', { ...filter, status: undefined }),
  ]).then(([page, counts]) => setList({ page, counts, error: null }), (error) => setList((l) => ({ ...l, error })));
  const loadViews = () => get('/me/views').then((answer) => setViews(answer.items), () => setViews([]));
  useLayoutEffect(() => {
    reload();
    loadViews();
  }, []);
  useLiveRefresh(reload);  // a lead assigned to or taken from the person: the list afresh, in place

  const { page, counts, error } = list;
  const dests = context ? context[0].items.map((d) => [d._id, d.name]) : [];
  const names = new Map((context?.[1].items ?? []).map((u) => [u._id, userName(u)]));
  const total = counts && (filter.status ? (counts.byStatus[filter.status] ?? 0) : counts.total);
  const extension = useExtension({ items: page?.items ?? [], filter, params, reload, rerender, admin });
  return html`
    <div class="title"><h1>${title}</h1>
      <button type="button" class="link" onClick=${showShortcuts}>Keyboard shortcuts (?)</button></div>
    ${!admin && html`<${DueFollowups} />`}
    <${SavedViews} views=${views} filter=${filter} go=${go} changed=${loadViews} />
    <${Tabs} counts=${counts} filter=${filter} go=${go} />
    ${contextError ? html`<${Failure} error=${contextError} />`
      : html`<${Filters} filter=${filter} admin=${admin} destinations=${dests} go=${go} />`}
    <${ReportFilter} filter=${filter} names=${names} go=${go} />
    <div class="toolbar">
      <span data-testid="total">${total === null || total === undefined ? '' : `${total} ${total === 1 ? 'opportunity' : 'opportunities'}`}</span>
      <${ExportLink} path="/exports/opportunities.csv" query=${filter} />
      ${extension.toolbar}
    </div>
    <section aria-label=${admin ? 'Opportunities list' : 'My opportunities'}>
      ${error ? html`<${Failure} error=${error} />`
        : !page ? html`<p class="muted">Loading…</p>`
        : html`<${OpportunityTable} items=${page.items} admin=${admin} names=${names} columns=${extension.columns} />
          <${Pager} nextCursor=${page.nextCursor} params=${params} go=${go} />`}
    </section>`;
}

// Overdue first (earliest first), then the rest of today's; an earlier-today follow-up is in
// both API lists and is shown once, as overdue.
function DueFollowups() {
  const [items, error] = useLoad(async () => {
    const [overdue, today] = await Promise.all([get('/followups', { due: 'overdue' }), get('/followups', { due: 'today' })]);
    const key = (item) => item._id ?? `${item.kind}:${item.oppId}`;
    const seen = new Set(overdue.items.map(key));
    return [...overdue.items, ...today.items.filter((i) => !seen.has(key(i)))];
  });
  let body = null;
  if (error) body = html`<${Failure} error=${error} />`;
  else if (items && items.length === 0) body = html`<p class="empty">Nothing due today.</p>`;
  else if (items) {
    body = html`<table class="list" aria-label="Follow-ups due">
      <thead><tr>${['When', '', 'Name', 'Follow-up', 'Note'].map((t) => html`<th>${t}</th>`)}</tr></thead>
      <tbody>${items.map((i) => html`<tr class=${i.overdue ? 'overdue' : ''}>
        <td>${formatTime(i.reminderDate)}</td>
        <td>${i.overdue ? html`<span class="badge warn">Overdue</span>` : html`<span class="badge">Today</span>`}</td>
        <td><a href=${opportunityHref(i.oppId)}>${i.opportunity?.name ?? i.oppId}</a></td>
        <td>${label(i.kind === 'filtration' ? i.stage : (i.subStage ?? i.stage))}</td>
        <td>${i.note ?? ''}</td>
      </tr>`)}</tbody>
    </table>`;
  }
  return html`<section class="due" aria-label="Follow-ups due"><div class="title"><h2>Follow-ups due</h2>
    <${ExportLink} path="/exports/followups.csv" query=${{ due: 'overdue' }}>Export overdue<//>
    <${ExportLink} path="/exports/followups.csv" query=${{ due: 'today' }}>Export due today<//></div>${body}</section>`;
}
