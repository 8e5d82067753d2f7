// Admin: score configurations (docs/api-scoring-jobs.md, PRODUCT.md "Scoring"): the list, newest
// first, with the active one marked; creating one (the twelve weights, prefilled from the active
// configuration; optionally made active at once); activating another (the API deactivates the
// rest in the same transaction).
import { html, useState } from './ui.js';
import { get, post } from './api.js';
import { formatTime } from './format.js';
import { Failure } from './components.js';
import { Form, FormField, Submit, RowAction, Flash } from './forms.js';
import { useLoad } from './worklist.js';
import { setFlash, takeFlashText, numberOr } from './admin_common.js';

// The weights, in the order of PRODUCT.md's formula, with what each one scores.
const WEIGHTS = [
  ['paidAds', 'Paid ads', 'lead from paid_ads'],
  ['websiteOrganic', 'Website (organic)', 'lead from website'],
  ['instagram', 'Instagram', 'lead from instagram'],
  ['instagramQualified', 'Instagram, qualified', 'instagram lead once qualified'],
  ['whatsapp', 'WhatsApp', 'lead from whatsapp_bot'],
  ['whatsappQualified', 'WhatsApp, qualified', 'whatsapp lead once qualified'],
  ['directCall', 'Direct call', 'lead from dc'],
  ['reEnquiries', 'Re-enquiries', 'per re-inquiry'],
  ['visa', 'Visa', 'tagged visa'],
  ['flightsBooked', 'Flights booked', 'tagged flights booked'],
  ['exClient', 'Ex-client', 'tagged ex-client'],
  ['hotLead', 'Hot lead', 'CRM sub-stage HOT_LEAD'],
];

export function ScoreConfigurations({ rerender }) {
  const [flash] = useState(takeFlashText);
  const [answer, error] = useLoad(() => get('/score-configurations'));
  const intro = html`<h1>Score configurations</h1>
    <p class="muted">The weights that score opportunities: the weight of the lead's platform, plus re-enquiries × their weight, plus the tag and hot-lead weights. Exactly one configuration is active; activating one deactivates the others. Stored opportunities are rescored with the new weights at their next change (and by the daily travel-month refresh), not at once.</p>
    <${Flash} message=${flash} />`;
  if (error) return html`${intro}<${Failure} error=${error} />`;
  if (!answer) return intro;
  const items = answer.items;
  const active = items.find((c) => c.isActive);
  const create = async (data) => {
    const body = Object.fromEntries(WEIGHTS.map(([name]) => [name, numberOr(data.get(name), undefined)]));
    body.isActive = data.get('isActive') === 'true';
    const created = await post('/score-configurations', body);
    setFlash(created.isActive ? 'Created the configuration; it is now the active one.' : 'Created the configuration (not active).');
    rerender();
  };
  return html`${intro}
    ${items.length === 0 ? html`<p class="empty">No score configurations yet.</p>`
      : html`<div class="table-wrap"><table class="list" aria-label="Score configurations">
        <thead><tr><th>Created</th><th>Active</th>${WEIGHTS.map(([, text]) => html`<th class="num">${text}</th>`)}<th></th></tr></thead>
        <tbody>${items.map((c) => html`<tr key=${c._id} data-id=${c._id} class=${c.isActive ? 'active' : null}>
          <td>${formatTime(c.createdAt)}</td>
          <td data-testid="active">${c.isActive ? html`<span class="badge">active</span>` : 'no'}</td>
          ${WEIGHTS.map(([name]) => html`<td class="num">${String(c[name])}</td>`)}
          <td class="actions">${!c.isActive && html`<${RowAction} label="Activate" action=${async () => {
            await post(`/score-configurations/${c._id}/activate`);
            setFlash('Activated the configuration; the others are inactive.');
            rerender();
          }} />`}</td>
        </tr>`)}</tbody>
      </table></div>`}
    <${Form} class="card" label="Create score configuration" action=${create}>
      <h2>Create a configuration</h2>
      <p class="muted">${active ? "Prefilled with the active configuration's weights." : 'No configuration is active yet: opportunities score 0.'}</p>
      <div class="weights">${WEIGHTS.map(([name, text, hint]) => html`<${FormField} label=${text} id=${`w-${name}`} name=${name} hint=${hint}>
        <input id=${`w-${name}`} name=${name} type="number" min="0" step="any" defaultValue=${active?.[name] ?? ''} /><//>`)}</div>
      <label class="check"><input type="checkbox" name="isActive" value="true" />Make it the active configuration</label>
      <div class="buttons"><${Submit}>Create configuration<//></div>
    <//>`;
}
