// Admin: API keys of lead sources (docs/api-auth.md "API keys"): the list (revoked ones too),
// issuing one (its secret is answered once: it is shown in a box to copy, never again) and
// revoking (the key stops working at once and stays listed).
import { html, useState, useEffect } from './ui.js';
import { get, post, api } from './api.js';
import { formatTime } from './format.js';
import { Failure, Select } from './components.js';
import { Form, FormField, Submit, ConfirmAction, Flash, OneTimeSecret } from './forms.js';
import { PLATFORMS } from './admin_common.js';
import { label, labelled } from './labels.js';

// The one-time display of a new key.
function NewKeyBox({ issued, onDone }) {
  return html`<${OneTimeSecret} title=${`Copy the key for "${issued.name}" now: it is shown only this once`}
    label="New API key" value=${issued.key} testid="new-key" doneLabel="I have stored the key" onDone=${onDone}>
    <p>leadproc keeps only a hash of it. Put it in the lead source's configuration (sent as the X-Api-Key header). If it is lost, revoke it and issue a new one.</p>
  <//>`;
}

function KeyList({ keys, onRevoked }) {
  if (keys.length === 0) return html`<p class="empty">No API keys yet.</p>`;
  return html`<table class="list" aria-label="API keys">
    <thead><tr>${['Name', 'Platform', 'Issued', 'Last used', 'Status', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
    <tbody>${keys.map((k) => html`<tr key=${k._id} data-name=${k.name} class=${k.revoked ? 'revoked' : null}>
      <td>${k.name}</td><td>${label(k.platform)}</td><td>${formatTime(k.createdAt)}</td>
      <td>${k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never'}</td>
      <td>${k.revoked ? 'revoked' : 'active'}</td>
      <td class="actions">${!k.revoked && html`<${ConfirmAction} label="Revoke"
        question=${`Revoke "${k.name}"? Its source can no longer send leads.`}
        action=${async () => {
          await api('DELETE', `/api-keys/${k._id}`);
          await onRevoked(k);
        }} />`}</td>
    </tr>`)}</tbody>
  </table>`;
}

export function ApiKeys() {
  const [keys, setKeys] = useState(null);
  const [error, setError] = useState(null);
  const [issued, setIssued] = useState(null);   // the new key, until dismissed
  const [notice, setNotice] = useState(null);
  const load = () => get('/api-keys').then((answer) => setKeys(answer.items), setError);
  useEffect(() => {
    load();
  }, []);
  const issue = async (data, form) => {
    const created = await post('/api-keys', { name: data.get('name'), platform: data.get('platform') });
    form.reset();
    setNotice(null);
    setIssued(created);
    await load();
  };
  return html`<h1>API keys</h1>
    <p class="muted">Keys that websites, ad platforms and bots send leads with (POST /api/v1/leads). A key's platform is the default source platform of its leads.</p>
    <${Flash} message=${notice} />
    ${issued && html`<${NewKeyBox} key=${issued._id ?? issued.key} issued=${issued} onDone=${() => setIssued(null)} />`}
    <${Form} class="card" label="Issue API key" action=${issue}>
      <h2>Issue a key</h2>
      <div class="row">
        <${FormField} label="Name" id="key-name" name="name" hint='Who uses it, e.g. "Goa landing page"'>
          <input id="key-name" name="name" autocomplete="off" size="30" /><//>
        <${FormField} label="Platform" id="key-platform" name="platform">
          <${Select} id="key-platform" name="platform" options=${labelled(PLATFORMS)} blank="Choose" /><//>
      </div>
      <${Submit}>Issue key<//>
    <//>
    <section aria-label="Keys">
      ${error ? html`<${Failure} error=${error} />` : !keys ? html`<p class="muted">Loading…</p>`
        : html`<${KeyList} keys=${keys} onRevoked=${async (k) => {
          setNotice(`Revoked ${k.name}.`);
          await load();
        }} />`}
    </section>`;
}
