// Admin: Meta pages (docs/intake.md "Meta Lead Ads"), shown on the lead sources page. For each page
// set up with PUT /api/v1/intake/meta/pages/{pageId}: its newest lead, its receipts waiting and
// failed, the reconciler's last sync and its forms (each form's watermark: every lead Meta listed
// up to it has a receipt), a "Sync now" that runs the reconciler on the page
// (POST .../pages/{pageId}/sync), and the page's receipts with a Retry for those not ingested
// (POST /api/v1/intake/meta/receipts/{leadgenId}/retry). A page's token is never shown.
import { html, useState, useEffect } from './ui.js';
import { get, post } from './api.js';
import { formatTime } from './format.js';
import { Failure } from './components.js';
import { RowAction, Flash } from './forms.js';

const when = (t, none = 'never') => (t ? formatTime(t) : none);

function Receipts({ pageId, version, onRetried }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    get('/intake/meta/receipts', { pageId, limit: 50 }).then((a) => setItems(a.items), setError);
  }, [pageId, version]);
  if (error) return html`<${Failure} error=${error} />`;
  if (!items) return html`<p class="muted">Loading…</p>`;
  if (items.length === 0) return html`<p class="empty">No receipts yet.</p>`;
  return html`<table class="list" aria-label=${`Receipts of page ${pageId}`}>
    <thead><tr>${['Lead (leadgen id)', 'Form', 'Status', 'From', 'Received', 'Reason', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
    <tbody>${items.map((r) => html`<tr key=${r.leadgenId} data-leadgen=${r.leadgenId} data-status=${r.status}>
      <td><code>${r.leadgenId}</code></td><td>${r.formId ?? ''}</td>
      <td>${r.status}${r.status === 'ingested' && r.opportunityId
        ? html` — <a href=${`#/opportunities/${r.opportunityId}`}>the lead</a>` : ''}</td>
      <td>${r.via === 'sync' ? 'sync' : 'webhook'}</td>
      <td>${formatTime(r.receivedAt)}</td>
      <td class="source-error">${r.reason ?? ''}</td>
      <td class="actions">${r.status !== 'ingested' && html`<${RowAction} label="Retry"
        action=${async () => {
          await post(`/intake/meta/receipts/${r.leadgenId}/retry`, {});
          await onRetried(r);
        }} />`}</td>
    </tr>`)}</tbody>
  </table>`;
}

function MetaPage({ page, onChanged }) {
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState(null);
  const refresh = async () => {
    setVersion((v) => v + 1);
    await onChanged();
  };
  const sync = async () => {
    const s = await post(`/intake/meta/pages/${page.pageId}/sync`, {});
    setNotice(s.error ? `Sync of page ${page.pageId}: ${s.error}`
      : `Synced page ${page.pageId}: ${s.listed} leads listed, ${s.new} new.`);
    await refresh();
  };
  return html`<section class="card" aria-label=${`Meta page ${page.pageId}`}>
    <h3>Page ${page.pageId}</h3>
    <p>Last lead: <span data-testid="last-lead">${when(page.lastLeadAt, 'none yet')}</span>.
      ${' '}Receipts failed: <strong data-testid="failed">${page.failedReceipts}</strong>, waiting: ${page.pendingReceipts}.
      ${' '}Last sync: ${when(page.syncedAt)}.</p>
    ${page.syncError && html`<p class="source-error" role="alert">${page.syncError}</p>`}
    <${Flash} message=${notice} />
    <${RowAction} label="Sync now" action=${sync} />
    ${page.forms.length > 0 && html`<table class="list" aria-label=${`Forms of page ${page.pageId}`}>
      <thead><tr>${['Form', 'Name', 'Leads stored up to', 'Last sync', 'Error'].map((t) => html`<th>${t}</th>`)}</tr></thead>
      <tbody>${page.forms.map((f) => html`<tr key=${f.formId}>
        <td><code>${f.formId}</code></td><td>${f.name ?? ''}</td><td>${when(f.watermark, '—')}</td>
        <td>${when(f.syncedAt)}</td><td class="source-error">${f.error ?? ''}</td></tr>`)}</tbody>
    </table>`}
    <${Receipts} pageId=${page.pageId} version=${version} onRetried=${async (r) => {
      setNotice(`Retrying ${r.leadgenId}.`);
      await refresh();
    }} />
  </section>`;
}

export function MetaPages() {
  const [pages, setPages] = useState(null);
  const [error, setError] = useState(null);
  const load = () => get('/intake/meta/pages').then((a) => setPages(a.items), setError);
  useEffect(() => {
    load();
  }, []);
  return html`<section aria-label="Meta pages">
    <h2>Meta pages</h2>
    <p class="muted">Facebook and Instagram lead ads (docs/intake.md, "Meta Lead Ads"). A page is set up with its access token through the API; the reconciler reads each form on a schedule (every 15 minutes by default) for leads the webhook missed.</p>
    ${error ? html`<${Failure} error=${error} />` : !pages ? html`<p class="muted">Loading…</p>`
      : pages.length === 0 ? html`<p class="empty">No Meta pages yet.</p>`
      : pages.map((p) => html`<${MetaPage} key=${p.pageId} page=${p} onChanged=${load} />`)}
  </section>`;
}
