// Admin: webhook subscriptions (docs/events.md): the list, subscribing a URL (its secret is
// answered once: shown in a box to copy, never again), enabling/disabling, rotating the secret,
// deleting, and per subscription its deliveries (status, attempts, last answer) with the
// dead letters replayed one by one or all at once.
import { html, useState, useEffect } from './ui.js';
import { get, post, patch, api } from './api.js';
import { formatTime } from './format.js';
import { Failure, Select } from './components.js';
import { Form, FormField, Submit, ConfirmAction, RowAction, Flash, OneTimeSecret } from './forms.js';

const PROCESSES = ['PSV', 'WEST', 'NO-FILTER', 'UNKNOWN', 'UPCOMING'];
const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'];

function SecretBox({ shown, onDone }) {
  return html`<${OneTimeSecret} title=${`Copy the signing secret for ${shown.url} now: it is shown only this once`}
    label="Webhook secret" value=${shown.secret} testid="new-webhook-secret" doneLabel="I have stored the secret" onDone=${onDone}>
    <p>The subscriber verifies each delivery's webhook-signature with it (Standard Webhooks; docs/events.md). If it is lost, rotate it.</p>
  <//>`;
}

function Deliveries({ sub }) {
  const [status, setStatus] = useState('');
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const load = () => get(`/webhooks/${sub._id}/deliveries`, status ? { status } : {})
    .then((answer) => setItems(answer.items), setError);
  useEffect(() => {
    load();
    const every = setInterval(load, 3000);  // attempts go on while it is open
    return () => clearInterval(every);
  }, [status]);
  const replayAll = async () => {
    const answer = await post(`/webhooks/${sub._id}/replay`, {});
    setNotice(`${answer.replayed} dead letter(s) queued again.`);
    await load();
  };
  return html`<section class="card" aria-label=${`Deliveries to ${sub.url}`}>
    <h2>Deliveries to ${sub.url}</h2>
    <${Flash} message=${notice} />
    <div class="row">
      <label for="delivery-status">Status</label>
      <${Select} id="delivery-status" name="status" value=${status} blank="All"
        options=${DELIVERY_STATUSES.map((s) => [s, s])} onChange=${(e) => setStatus(e.currentTarget.value)} />
      <${RowAction} label="Replay all dead letters" action=${replayAll} />
    </div>
    ${error ? html`<${Failure} error=${error} />` : !items ? html`<p class="muted">Loading…</p>`
      : items.length === 0 ? html`<p class="empty">No deliveries.</p>`
      : html`<table class="list" aria-label="Deliveries">
        <thead><tr>${['Event', 'Type', 'Opportunity', 'Status', 'Attempts', 'Last answer', 'Next try', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
        <tbody>${items.map((d) => html`<tr key=${d.eventSeq} data-event=${d.eventId}>
          <td>${d.eventSeq}</td><td>${d.eventType}</td>
          <td>${d.opportunityId ? html`<a href=${`#/opportunities/${d.opportunityId}`}>${d.opportunityId}</a>` : ''}</td>
          <td>${d.status}</td><td>${d.attempts}</td>
          <td>${d.lastStatus ?? d.lastError ?? ''}</td>
          <td>${d.nextAttemptAt ? formatTime(d.nextAttemptAt) : ''}</td>
          <td class="actions">${d.status === 'dead' && html`<${RowAction} label="Replay" action=${async () => {
            await post(`/webhooks/${sub._id}/deliveries/${d.eventSeq}/replay`, {});
            setNotice(`Event ${d.eventSeq} queued again.`);
            await load();
          }} />`}</td>
        </tr>`)}</tbody>
      </table>`}
  </section>`;
}

function SubscriptionList({ subs, onChanged, onSecret, onOpen }) {
  if (subs.length === 0) return html`<p class="empty">No webhook subscriptions yet.</p>`;
  return html`<table class="list" aria-label="Webhook subscriptions">
    <thead><tr>${['URL', 'Events', 'Filters', 'Status', 'Created', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
    <tbody>${subs.map((s) => html`<tr key=${s._id} data-url=${s.url}>
      <td><a href="" onClick=${(e) => { e.preventDefault(); onOpen(s); }}>${s.url}</a></td>
      <td>${s.eventTypes.join(', ')}</td>
      <td>${Object.entries(s.filters).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(', ')}</td>
      <td>${s.enabled ? (s.backedOffUntil ? `backing off until ${formatTime(s.backedOffUntil)}` : 'active')
        : `disabled${s.disabledReason ? ` (${s.disabledReason})` : ''}`}</td>
      <td>${formatTime(s.createdAt)}</td>
      <td class="actions">
        <${RowAction} label=${s.enabled ? 'Disable' : 'Enable'} action=${async () => {
          await patch(`/webhooks/${s._id}`, { enabled: !s.enabled });
          await onChanged();
        }} />
        <${ConfirmAction} label="Rotate secret" question="Make a new secret? The old one keeps signing for 24 hours."
          action=${async () => {
            const rotated = await patch(`/webhooks/${s._id}`, { rotateSecret: { gracePeriodHours: 24 } });
            onSecret(rotated);
            await onChanged();
          }} />
        <${ConfirmAction} label="Delete" question=${`Delete the subscription of ${s.url} and its delivery log?`}
          action=${async () => {
            await api('DELETE', `/webhooks/${s._id}`);
            await onChanged();
          }} />
      </td>
    </tr>`)}</tbody>
  </table>`;
}

export function Webhooks() {
  const [subs, setSubs] = useState(null);
  const [error, setError] = useState(null);
  const [shown, setShown] = useState(null);  // a secret to show once
  const [open, setOpen] = useState(null);    // the subscription whose deliveries are shown
  const load = () => get('/webhooks').then((answer) => setSubs(answer.items), setError);
  useEffect(() => {
    load();
  }, []);
  const subscribe = async (data, form) => {
    const filters = {};
    if (data.get('process')) filters.process = data.get('process');
    const types = String(data.get('eventTypes')).split(',').map((t) => t.trim()).filter(Boolean);
    const created = await post('/webhooks', { url: data.get('url'), eventTypes: types, filters });
    form.reset();
    setShown(created);
    await load();
  };
  return html`<h1>Webhooks</h1>
    <p class="muted">Every change is an event (docs/events.md), POSTed to each subscribed URL, signed per Standard Webhooks, retried for about three days.</p>
    ${shown && html`<${SecretBox} key=${shown._id + shown.updatedAt} shown=${shown} onDone=${() => setShown(null)} />`}
    <${Form} class="card" label="Subscribe" action=${subscribe}>
      <h2>Subscribe a URL</h2>
      <div class="row">
        <${FormField} label="URL" id="hook-url" name="url">
          <input id="hook-url" name="url" type="url" size="40" autocomplete="off" /><//>
        <${FormField} label="Event types" id="hook-types" name="eventTypes" hint='Comma-separated: "lead.created, opportunity.*" or "*"'>
          <input id="hook-types" name="eventTypes" size="30" value="*" autocomplete="off" /><//>
        <${FormField} label="Process" id="hook-process" name="filters.process">
          <${Select} id="hook-process" name="process" options=${PROCESSES.map((p) => [p, p])} blank="Any" /><//>
      </div>
      <${Submit}>Subscribe<//>
    <//>
    <section aria-label="Subscriptions">
      ${error ? html`<${Failure} error=${error} />` : !subs ? html`<p class="muted">Loading…</p>`
        : html`<${SubscriptionList} subs=${subs} onChanged=${load} onSecret=${setShown} onOpen=${setOpen} />`}
    </section>
    ${open && html`<${Deliveries} key=${open._id} sub=${open} />`}`;
}
