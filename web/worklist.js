// "My opportunities": what the API lists for the caller (PSV/WEST: the leads assigned to them;
// SALES: the opportunities they own), filtered by status and paged with the API's cursor; and
// the caller's follow-ups that are overdue or due today.
import { get } from './api.js';
import { h, select, field, formatTime, text, stageOf, failure } from './dom.js';
import { STATUSES } from './terms.js';

export const PAGE_SIZE = 25;

// The table of a page of opportunities; `admin` adds the process and the assignee.
export function opportunityTable(items, { admin = false, names = new Map() } = {}) {
  if (items.length === 0) return h('p', { class: 'empty' }, 'No opportunities match.');
  const assignee = (o) => o.assignedPsv?.name ?? o.assignedWest?.name ?? '';
  return h('table', { class: 'list', 'aria-label': 'Opportunities' },
    h('thead', {}, h('tr', {},
      ['Status', 'Stage', 'Name', 'Number', 'Destination', admin && 'Process', admin && 'Assigned to', 'Created']
        .filter(Boolean).map((t) => h('th', {}, t)))),
    h('tbody', {}, items.map((o) => h('tr', { 'data-id': o._id },
      h('td', {}, h('span', { class: `status s-${o.status}` }, o.status)),
      h('td', {}, stageOf(o)),
      h('td', {}, h('a', { href: `#/opportunities/${o._id}` }, o.name)),
      h('td', {}, o.number),
      h('td', {}, text(o.destination)),
      admin && h('td', {}, text(o.filterationProcess)),
      admin && h('td', {}, o.awaitingAssignment ? `waiting for ${o.awaitingAssignment}`
        : [assignee(o), o.opportunityOwner && (names.get(o.opportunityOwner) ?? 'a sales person')]
          .filter(Boolean).join(' → ') || '—'),
      h('td', {}, formatTime(o.createdAt))))));
}

// Paging links: "First page" when on a later page, "Next page" when the API has more.
export function pager(nextCursor, params, go) {
  const here = Object.fromEntries(params);
  return h('div', { class: 'pager' },
    params.get('cursor') && h('button', { type: 'button', onclick: () => go({ ...here, cursor: '' }) }, 'First page'),
    nextCursor && h('button', { type: 'button', onclick: () => go({ ...here, cursor: nextCursor }) }, 'Next page'));
}

export async function worklistView(main, { user, params, navigate }) {
  const go = (p) => navigate('/', p);
  const filter = h('form', { class: 'filters', 'aria-label': 'Filter' },
    field('Status', select('status', STATUSES, { value: params.get('status') ?? '', blank: 'All statuses' })));
  filter.addEventListener('change', () => go({ status: new FormData(filter).get('status') }));
  const list = h('section', { 'aria-label': 'My opportunities' }, h('p', { class: 'muted' }, 'Loading…'));
  const due = h('section', { class: 'due', 'aria-label': 'Follow-ups due' });
  main.append(h('h1', {}, 'My opportunities'), due, filter, list);
  loadDue(due);

  try {
    const page = await get('/opportunities', {
      status: params.get('status'), cursor: params.get('cursor'), limit: PAGE_SIZE,
    });
    list.replaceChildren(opportunityTable(page.items), pager(page.nextCursor, params, go));
  } catch (err) {
    list.replaceChildren(failure(err));
  }
}

// Overdue first (earliest first), then the rest of today's; an earlier-today follow-up is in
// both API lists and is shown once, as overdue.
async function loadDue(section) {
  section.append(h('h2', {}, 'Follow-ups due'));
  let overdue, today;
  try {
    [overdue, today] = await Promise.all([get('/followups', { due: 'overdue' }), get('/followups', { due: 'today' })]);
  } catch (err) {
    section.append(failure(err));
    return;
  }
  const key = (item) => item._id ?? `${item.kind}:${item.oppId}`;
  const seen = new Set(overdue.items.map(key));
  const items = [...overdue.items, ...today.items.filter((i) => !seen.has(key(i)))];
  if (items.length === 0) {
    section.append(h('p', { class: 'empty' }, 'Nothing due today.'));
    return;
  }
  section.append(h('table', { class: 'list', 'aria-label': 'Follow-ups due' },
    h('thead', {}, h('tr', {}, ['When', '', 'Name', 'Follow-up', 'Note'].map((t) => h('th', {}, t)))),
    h('tbody', {}, items.map((i) => h('tr', { class: i.overdue ? 'overdue' : '' },
      h('td', {}, formatTime(i.reminderDate)),
      h('td', {}, i.overdue ? h('span', { class: 'badge warn' }, 'Overdue') : h('span', { class: 'badge' }, 'Today')),
      h('td', {}, h('a', { href: `#/opportunities/${i.oppId}` }, i.opportunity?.name ?? i.oppId)),
      h('td', {}, i.kind === 'filtration' ? i.stage : (i.subStage ?? i.stage)),
      h('td', {}, i.note ?? ''))))));
}
