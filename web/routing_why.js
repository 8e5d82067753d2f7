// "Why this person?" on the opportunity page: the opportunity's routing records
// (GET /opportunities/{id}/routing; docs/api-workflow.md "Routing record"), read when opened:
// for each decision, the pool and why, who took it (or why it waits), the sticky owner (taken or
// why not), the candidates with their lead counts and those left out with the reason.
import { get } from './api.js';
import { formatTime } from './format.js';
import { html, useState } from './ui.js';
import { Failure } from './components.js';

function Record({ r }) {
  const winner = r.winner ? r.winner.name : 'nobody';
  const more = (listed, count) => (count > listed.length ? html`<li class="muted">and ${count - listed.length} more</li>` : null);
  return html`<li class="routing-record">
    <p><strong>${formatTime(r.at)}</strong> · ${r.pool} pool · ${r.why}</p>
    <p data-testid="routing-outcome">${r.outcome === 'waiting' ? `Waiting: ${r.waitingReason}`
      : `${winner}${r.outcome === 'preferred' ? ' (the preferred person)' : r.outcome === 'sticky' ? ' (the sticky owner)' : ''}${r.tier !== null ? `, source tier ${r.tier}` : ''}${r.streak.length ? `, streak ${r.streak.length} of ${r.streak.max}` : ''}`}</p>
    ${r.sticky && html`<p data-testid="routing-sticky">${r.sticky}</p>`}
    <p class="muted">Candidates (fewest leads first):</p>
    <ul>${r.candidates.map((c) => html`<li>${c.name}: ${c.leadCount} leads, tier ${c.tier}</li>`)}${more(r.candidates, r.candidateCount)}</ul>
    ${r.excluded.length > 0 && html`<p class="muted">Left out:</p>
      <ul>${r.excluded.map((x) => html`<li>${x.name}: ${x.reason}</li>`)}${more(r.excluded, r.excludedCount)}</ul>`}
  </li>`;
}

export function WhyThisPerson({ base }) {
  // null: closed and not read yet (nothing drawn inside); {} while reading; {items} or {error}.
  const [state, setState] = useState(null);
  const toggle = (e) => {
    if (!e.currentTarget.open || state) return;
    setState({});
    get(`${base}/routing`).then((r) => setState({ items: r.items }), (error) => setState({ error }));
  };
  return html`<details class="card" aria-label="Why this person?" onToggle=${toggle}>
    <summary>Why this person?</summary>
    ${!state ? null : state.error ? html`<${Failure} error=${state.error} />`
      : !state.items ? html`<p class="muted">Reading the routing records…</p>`
      : state.items.length === 0 ? html`<p class="muted">No routing decision is recorded for it.</p>`
      : html`<ol>${state.items.map((r, i) => html`<${Record} key=${i} r=${r} />`)}</ol>`}
  </details>`;
}
