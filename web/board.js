// The sales pipeline board (#/board; issue 17 item 4): the CRM opportunities the caller may read
// (an admin: everyone's; a sales person: their own), one column per stage of the journey, each
// card with the customer, destination, age, next follow-up and score. Dragging a card to a column
// (HTML5 drag and drop), or choosing the column in the card's "Move to" menu (the keyboard's
// way), makes the move of the opportunity page: POST …/transitions with the card's version
// (If-Match), so a card someone changed meanwhile is refused (412) and said so; a move the
// workflow forbids (409) is explained in words with the moves allowed; a move that needs input
// (won: booking and deal value; lost: a reason; closed: a date) opens the opportunity page's form
// for it (MoveFields).
//
// The cards come from the opportunities list (GET /opportunities?status=Open|Won|Lost), newest
// first and bounded (OPEN_LIMIT, CLOSED_LIMIT); each column's total comes from the counts per
// CRM stage (GET /opportunities/counts?by=stage, placed by the cards' own columnOf), so a column
// with more than it shows says so ("50 of 212").
import { html, useState, useRef } from './ui.js';
import { get, post, ApiError } from './api.js';
import { formatTime, problemMessage } from './format.js';
import { Failure } from './components.js';
import { Form, FormField, Submit } from './forms.js';
import { label, stageLabel } from './labels.js';
import { MOVE_NEEDS } from './terms.js';
import { MoveFields, moveBody } from './opportunity.js';
import { opportunityHref, useLoad } from './worklist.js';

const OPEN_LIMIT = 500;  // the API's largest page
const CLOSED_LIMIT = 50;

// The columns, in the journey's order, and the move a card dropped on each makes (null: none
// leads there; a card leaves Fresh lead with its first contact and never returns).
export const COLUMNS = [
  { key: 'fresh_lead', title: 'Fresh lead', to: null },
  { key: 'followup', title: 'Follow-up', to: 'followup' },
  { key: 'HOT_LEAD', title: 'Hot lead', to: 'HOT_LEAD' },
  { key: 'NEGOTIATION', title: 'Negotiation', to: 'NEGOTIATION' },
  { key: 'PAYMENT_AWAITED', title: 'Payment awaited', to: 'PAYMENT_AWAITED' },
  { key: 'won', title: 'Won', to: 'won' },
  { key: 'lost', title: 'Lost', to: 'lost' },
  { key: 'closed_for_future_followup', title: 'Closed — follow up later', to: 'closed_for_future_followup' },
];
const JOURNEY = ['HOT_LEAD', 'NEGOTIATION', 'PAYMENT_AWAITED'];

// The column of an opportunity (docs/workflow.md "CRM"): won and lost by status; an open one by
// its CRM stage, and within fresh lead / follow-up by the journey checkpoint it reached; one
// without crmStageMeta (entered the CRM before it existed) is at follow-up.
export function columnOf(opp) {
  if (opp.status === 'Won') return 'won';
  if (opp.status === 'Lost') return 'lost';
  if (opp.status !== 'Open') return null;
  const { stage = 'followup', subStage } = opp.crmStageMeta ?? {};
  if (stage === 'closed_for_future_followup') return stage;
  if (JOURNEY.includes(subStage)) return subStage;
  return stage === 'fresh_lead' ? 'fresh_lead' : 'followup';
}

// "12 min", "5 h", "3 d": how long ago the lead came.
export function ageText(iso, now = Date.now()) {
  const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}

async function load() {
  const [open, won, lost, counts] = await Promise.all([
    get('/opportunities', { status: 'Open', limit: OPEN_LIMIT }),
    get('/opportunities', { status: 'Won', limit: CLOSED_LIMIT }),
    get('/opportunities', { status: 'Lost', limit: CLOSED_LIMIT }),
    get('/opportunities/counts', { by: 'stage' }),
  ]);
  const columns = new Map(COLUMNS.map((c) => [c.key, []]));
  for (const opp of [...open.items, ...won.items, ...lost.items]) columns.get(columnOf(opp))?.push(opp);
  const totals = new Map(COLUMNS.map((c) => [c.key, 0]));
  for (const { status, stage, subStage, count } of counts.byStage) {
    const key = columnOf({ status, crmStageMeta: stage ? { stage, subStage } : undefined });
    if (totals.has(key)) totals.set(key, totals.get(key) + count);
  }
  // A lead that came between the two reads is a card before it is counted.
  for (const [key, cards] of columns) totals.set(key, Math.max(totals.get(key), cards.length));
  return { columns, totals };
}

// Where a card stands, in words ("Open · Follow-up · Hot lead").
function whereText(opp) {
  return [label(opp.status), stageLabel(opp)].filter(Boolean).join(' · ');
}

// A refused move, in words: what happened and what the person can do.
function refusal(err, opp, to) {
  if (err instanceof ApiError && err.status === 412)
    return { text: `Someone else changed “${opp.name}” since the board was loaded: nothing was moved. Reload the board to see where it is now, then try again.`, reload: true };
  if (err instanceof ApiError && err.status === 409) {
    const allowed = (err.problem.allowed ?? []).map(label);
    return { text: `“${opp.name}” cannot move from ${whereText(opp)} to ${label(to)}. `
      + (allowed.length ? `From there it can go to: ${allowed.join(', ')}.` : 'It is closed: no move leaves it.') };
  }
  return { text: `“${opp.name}” was not moved: ${problemMessage(err)}` };
}

let flashNext = null;  // the line the board shows after a move (rerender() draws it afresh)

export function Board({ rerender }) {
  const [answer, error] = useLoad(load);
  const [flash] = useState(() => {
    const f = flashNext;
    flashNext = null;
    return f;
  });
  const [refused, setRefused] = useState(null);  // {text, reload}
  const [asking, setAsking] = useState(null);  // {opp, to}: a move that needs input, its form open
  const dragged = useRef(null);

  if (error) return html`<h1>Pipeline</h1><${Failure} error=${error} />`;
  if (!answer) return html`<h1>Pipeline</h1><p class="muted">Loading…</p>`;
  const { columns, totals } = answer;
  const byId = new Map([...columns.values()].flat().map((o) => [o._id, o]));
  const moved = (opp, to) => {
    flashNext = `Moved “${opp.name}” to ${label(to)}.`;
    rerender();
  };
  const send = (opp, body) => post(`/opportunities/${opp._id}/transitions`, body, { ifMatch: opp.version });
  // A card asked to go to `column`: the move, its form, or why not.
  const request = async (opp, column) => {
    setRefused(null);
    setAsking(null);
    if (!opp || columnOf(opp) === column.key) return;
    if (!column.to) {
      setRefused({ text: `“${opp.name}” cannot go back to ${column.title}: a card leaves it with its first contact.` });
      return;
    }
    if ((MOVE_NEEDS[column.to] ?? []).length) {
      setAsking({ opp, to: column.to });
      return;
    }
    try {
      await send(opp, { to: column.to });
      moved(opp, column.to);
    } catch (err) {
      setRefused(refusal(err, opp, column.to));
    }
  };
  return html`<h1>Pipeline</h1>
    ${flash && html`<p class="notice" role="status">${flash}</p>`}
    ${refused && html`<div class="alert" role="alert" data-testid="board-refused">${refused.text}
      ${refused.reload && html` <button type="button" onClick=${() => rerender()}>Reload</button>`}</div>`}
    ${asking && html`<${MoveDialog} ...${asking} send=${send} moved=${moved} reload=${() => rerender()}
      cancel=${() => setAsking(null)} />`}
    <p class="muted">Drag a card to another column, or use its “Move to” menu.</p>
    <div class="board">
      ${COLUMNS.map((column) => {
        const cards = columns.get(column.key);
        return html`<section class="board-column" aria-label=${column.title} data-column=${column.key}
          onDragOver=${(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }}
          onDrop=${(e) => {
            e.preventDefault();
            request(byId.get(e.dataTransfer.getData('text/plain') || dragged.current), column);
          }}>
          <h2>${column.title} <span class="count" data-testid="column-count">${totals.get(column.key)}</span></h2>
          ${cards.length < totals.get(column.key) && html`<p class="muted small" data-testid="column-shown">The newest ${cards.length} of ${totals.get(column.key)}.</p>`}
          ${cards.map((opp) => html`<${Card} key=${opp._id} opp=${opp} column=${column}
            onDragStart=${(e) => {
              dragged.current = opp._id;
              e.dataTransfer.setData('text/plain', opp._id);
              e.dataTransfer.effectAllowed = 'move';
            }}
            request=${(target) => request(opp, target)} />`)}
        </section>`;
      })}
    </div>`;
}

function Card({ opp, column, onDragStart, request }) {
  const targets = COLUMNS.filter((c) => c.key !== column.key && c.to);
  return html`<article class="board-card" draggable="true" data-id=${opp._id} onDragStart=${onDragStart}
      aria-label=${opp.name}>
    <a href=${opportunityHref(opp._id)} class="board-name">${opp.name}</a>
    <dl>
      <dt>Destination</dt><dd>${opp.destination?.name ?? '—'}</dd>
      <dt>Age</dt><dd>${ageText(opp.createdAt)}</dd>
      <dt>Next follow-up</dt><dd>${opp.nextFollowUpDate ? formatTime(opp.nextFollowUpDate) : '—'}</dd>
      <dt>Score</dt><dd>${opp.opportunityScore ?? 0}</dd>
    </dl>
    <select aria-label=${`Move ${opp.name} to`} onChange=${(e) => {
      const target = COLUMNS.find((c) => c.key === e.currentTarget.value);
      e.currentTarget.value = '';
      if (target) request(target);
    }}>
      <option value="">Move to…</option>
      ${targets.map((c) => html`<option value=${c.key}>${c.title}</option>`)}
    </select>
  </article>`;
}

// The form of a move that needs input: the opportunity page's fields for it, and a comment.
function MoveDialog({ opp, to, send, moved, reload, cancel }) {
  const act = async (data) => {
    await send(opp, moveBody(to, data));
    moved(opp, to);
  };
  return html`<section class="card board-move" aria-label="Move">
    <h2>Move “${opp.name}” to ${label(to)}</h2>
    <${Form} label=${`Move ${opp.name}`} action=${act} onReload=${reload}>
      <${MoveFields} to=${to} />
      <${FormField} label="Comment" id="move-comment" name="remarks" hint="on the timeline with the move">
        <textarea id="move-comment" name="remarks" rows="2"></textarea><//>
      <${Submit}>Move<//> <button type="button" onClick=${cancel}>Cancel</button>
    <//>
  </section>`;
}
