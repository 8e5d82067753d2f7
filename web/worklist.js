// "My opportunities": what the API lists for the caller (PSV/WEST: the leads assigned to them;
// SALES: the opportunities they own), filtered by status and paged with the API's cursor; and
// the caller's follow-ups that are overdue or due today. The filter and page live in the route's
// query (#/?status=…&cursor=…), so "← Back" from an opportunity returns to the same list.
import { html, useState, useLayoutEffect } from './ui.js';
import { get } from './api.js';
import { formatTime, text } from './format.js';
import { Field, Select, Failure, StatusBadge, StageText } from './components.js';
import { label, labelled } from './labels.js';
import { STATUSES } from './terms.js';
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

// The table of a page of opportunities; `admin` adds the process and the assignee; `select`
// ({head, cell(opp)}, bulk.js selectColumn) adds a first column of checkboxes.
export function OpportunityTable({ items, admin = false, names = new Map(), select }) {
  if (items.length === 0) return html`<p class="empty">No opportunities match.</p>`;
  const assignee = (o) => o.assignedPsv?.name ?? o.assignedWest?.name ?? '';
  const heads = ['Status', 'Stage', 'Name', 'Number', 'Destination', admin && 'Process', admin && 'Assigned to', 'Created'].filter(Boolean);
  return html`<table class="list" aria-label="Opportunities">
    <thead><tr>${select && html`<th>${select.head}</th>`}${heads.map((t) => html`<th>${t}</th>`)}</tr></thead>
    <tbody>${items.map((o) => html`<tr data-id=${o._id}>
      ${select && html`<td>${select.cell(o)}</td>`}
      <td><${StatusBadge} opp=${o} /></td>
      <td><${StageText} opp=${o} /></td>
      <td><a href=${opportunityHref(o._id)}>${o.name}</a></td>
      <td>${o.number}</td>
      <td>${text(o.destination)}</td>
      ${admin && html`<td>${label(o.filterationProcess) || '—'}</td>`}
      ${admin && html`<td>${o.awaitingAssignment ? `waiting for ${o.awaitingAssignment}`
        : [assignee(o), o.opportunityOwner && (names.get(o.opportunityOwner) ?? 'a sales person')]
          .filter(Boolean).join(' → ') || '—'}</td>`}
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

export function Worklist({ params, navigate, rerender }) {
  const go = (p) => navigate('/', p);
  useLiveRefresh(rerender);  // a lead assigned to or taken from the person: the list afresh
  const [page, error] = useLoad(() => get('/opportunities', {
    status: params.get('status'), cursor: params.get('cursor'), limit: PAGE_SIZE,
  }));
  return html`
    <h1>My opportunities</h1>
    <${DueFollowups} />
    <form class="filters" aria-label="Filter" onChange=${(e) => go({ status: new FormData(e.currentTarget).get('status') })}>
      <${Field} label="Status" id="worklist-status">
        <${Select} name="status" id="worklist-status" options=${labelled(STATUSES)} value=${params.get('status') ?? ''} blank="All statuses" />
      <//>
    </form>
    <section aria-label="My opportunities">
      ${error ? html`<${Failure} error=${error} />`
        : !page ? html`<p class="muted">Loading…</p>`
        : html`<${OpportunityTable} items=${page.items} /><${Pager} nextCursor=${page.nextCursor} params=${params} go=${go} />`}
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
  return html`<section class="due" aria-label="Follow-ups due"><h2>Follow-ups due</h2>${body}</section>`;
}
