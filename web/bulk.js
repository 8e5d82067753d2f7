// Bulk work from a list (issue 17 item 5): a checkbox per row, "Select all that match this
// filter", and a bar of actions on the selection: reassign to a person, spread by round robin
// (admins only: an agent hands one lead to a colleague from its page), add or remove a tag, or
// make a move (everyone, each opportunity by its own rule). One POST /opportunities/bulk does it (docs/api-workflow.md "Bulk"): with the
// ids chosen, or with the list's filter for "all that match" (at most 1,000: the API says when a
// filter matches more). Its answer has a result per opportunity; the bar then shows how many were
// done and, for each refused one, why.
import { html, useState } from './ui.js';
import { post } from './api.js';
import { Form, FormField, Submit } from './forms.js';
import { Select } from './components.js';
import { label, labelled } from './labels.js';
import { directoryOrEmpty, personName } from './people.js';
import { useLoad } from './worklist.js';

// Moves offered in bulk: those that need no input (a move needing a reason or a date is made on
// each opportunity's own page, where the person gives it).
export const BULK_MOVES = [
  'PSVFollowUp1', 'PSVFollowUp2', 'PSVFollowUp3', 'PSVQualified', 'WestFollowUp1', 'WestFollowUp2',
  'WestFollowUp3', 'WestQualified', 'followup', 'HOT_LEAD', 'NEGOTIATION', 'PAYMENT_AWAITED', 'Dormant', 'Open',
];

// The selection of a list: ids ticked one by one, or all that match the list's filter.
export function useSelection() {
  const [ids, setIds] = useState(() => new Set());
  const [all, setAll] = useState(false);
  const change = (fn) => {
    setAll(false);
    setIds((prev) => {
      const next = new Set(prev);
      fn(next);
      return next;
    });
  };
  return {
    ids, all,
    count: ids.size,
    has: (id) => all || ids.has(id),
    toggle: (id) => change((s) => (s.has(id) ? s.delete(id) : s.add(id))),
    setMany: (list, on) => change((s) => list.forEach((id) => (on ? s.add(id) : s.delete(id)))),
    selectAll: () => setAll(true),
    clear: () => {
      setAll(false);
      setIds(new Set());
    },
  };
}

// The checkbox column a list table draws first (OpportunityTable's `select` hook): `head` for
// the heading (select this page), `cell(opp)` for a row.
export function selectColumn(selection, items) {
  const pageIds = items.map((o) => o._id);
  const whole = pageIds.length > 0 && pageIds.every((id) => selection.has(id));
  return {
    head: html`<input type="checkbox" aria-label="Select this page" checked=${whole}
      onChange=${(e) => selection.setMany(pageIds, e.currentTarget.checked)} />`,
    cell: (o) => html`<input type="checkbox" aria-label=${`Select ${o.name}`} checked=${selection.has(o._id)}
      onChange=${() => selection.toggle(o._id)} />`,
  };
}

let lastResult = null;  // the answer shown once the list is drawn again (rerender())

// A work list's extension (worklist.js useExtension): a checkbox column and the bulk bar. After
// an action the view is drawn afresh (rerender), which shows the bar's result once. An admin's
// bar reassigns too, so it loads the directory of people first.
export function useBulkWork({ items, filter, rerender, admin }) {
  const selection = useSelection();
  const [people] = useLoad(admin ? directoryOrEmpty : noDirectory);
  return {
    columns: [selectColumn(selection, items)],
    toolbar: people && html`<${BulkBar} selection=${selection} filter=${filter} people=${people}
      admin=${admin} names=${new Map(items.map((o) => [o._id, o.name]))} done=${() => rerender()} />`,
  };
}
async function noDirectory() {
  return new Map();
}

const ADMIN_ACTIONS = [['reassign', 'Reassign to'], ['roundRobin', 'Spread by round robin']];
const ACTIONS = [['move', 'Move to'], ['tag', 'Add a tag'], ['untag', 'Remove a tag']];

// The bar: what is selected, "select all that match", and the action's form. `filter`: the
// list's filter as the API's query names it; `people`: the directory (people.js), used by an
// admin's reassignment; `names`: a Map _id → name of the rows shown, for the results; `done()`
// draws the list again.
export function BulkBar({ selection, filter, people, admin = false, names, done }) {
  const [result] = useState(() => {
    const r = lastResult;
    lastResult = null;
    return r;
  });
  const [action, setAction] = useState(admin ? 'reassign' : 'move');
  const choose = selection.all || selection.count > 0;
  const apply = async (data) => {
    const body = { action: action === 'roundRobin' ? 'reassign' : action };
    if (selection.all) body.filter = Object.fromEntries(Object.entries(filter).filter(([, v]) => v));
    else body.ids = [...selection.ids];
    if (action === 'roundRobin') body.roundRobin = true;
    else if (action === 'tag' || action === 'untag') body.tags = [(data.get('tag') ?? '').trim()];
    else body.to = data.get('to') ?? '';
    if (data.get('remarks')) body.remarks = data.get('remarks');
    const answer = await post('/opportunities/bulk', body);
    lastResult = { answer, names };
    selection.clear();
    done();
  };
  const people_ = [...people.values()].filter((p) => p.isActive && p.department !== 'ADMIN')
    .map((p) => [p._id, `${personName(people, p._id)} (${p.department})`])
    .sort((a, b) => a[1].localeCompare(b[1]));
  return html`<section class="bulk-bar" aria-label="Bulk actions">
    ${result && html`<${BulkResult} ...${result} />`}
    <p data-testid="bulk-selected">${selection.all ? 'All that match this filter are selected'
      : `${selection.count} selected`}</p>
    ${!selection.all && html`<button type="button" onClick=${selection.selectAll}>Select all that match this filter</button>`}
    ${choose && html`<button type="button" onClick=${selection.clear}>Clear the selection</button>`}
    ${choose && html`<${Form} label="Bulk action" action=${apply}>
      <${FormField} label="Action" id="bulk-action" name="action">
        <${Select} id="bulk-action" name="action" value=${action} onChange=${(e) => setAction(e.currentTarget.value)}
          options=${admin ? [...ADMIN_ACTIONS, ...ACTIONS] : ACTIONS} /><//>
      ${action === 'reassign' && html`<${FormField} label="Person" id="bulk-to" name="to">
        <${Select} id="bulk-to" name="to" options=${people_} blank="Choose a person" /><//>
        <${FormField} label="Remarks" id="bulk-remarks" name="remarks"><input id="bulk-remarks" name="remarks" /><//>`}
      ${(action === 'tag' || action === 'untag') && html`<${FormField} label="Tag" id="bulk-tag" name="tags" whole>
        <input id="bulk-tag" name="tag" /><//>`}
      ${action === 'move' && html`<${FormField} label="Stage" id="bulk-stage" name="to">
        <${Select} id="bulk-stage" name="to" options=${labelled(BULK_MOVES)} blank="Choose a stage" /><//>`}
      <${Submit}>Apply<//>
    <//>`}
  </section>`;
}

// What a bulk request did: "Done 48 of 50", and each refused one with its reason.
function BulkResult({ answer, names }) {
  const refused = answer.results.filter((r) => r.result === 'refused');
  return html`<div class=${refused.length ? 'alert' : 'notice'} role="status" data-testid="bulk-result">
    Done ${answer.done} of ${answer.total}.
    ${refused.length > 0 && html`<ul class="bulk-results">${refused.map((r) => html`<li key=${r._id}>
      <a href=${`#/opportunities/${r._id}`}>${names?.get(r._id) ?? `…${r._id.slice(-6)}`}</a>: ${label(r.reason)} — ${r.detail}</li>`)}</ul>`}
  </div>`;
}
