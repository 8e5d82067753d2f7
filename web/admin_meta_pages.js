// Admin: Meta pages (docs/intake.md "Meta Lead Ads"), shown on the lead sources page. For each page
// set up (as a Meta lead source, or with PUT /api/v1/intake/meta/pages/{pageId}): its newest lead, its receipts waiting and
// failed, the reconciler's last sync and its forms (each form's watermark: every lead Meta listed
// up to it has a receipt, and which question fills which lead field), a "Sync now" that runs the
// reconciler on the page (POST .../pages/{pageId}/sync), each form's answer mapping edited
// (PUT .../pages/{pageId}/forms/{formId}; a form not listed yet is mapped by its id), and the
// page's receipts with a Retry for those not ingested
// (POST /api/v1/intake/meta/receipts/{leadgenId}/retry). A page's token is never shown.
import { html, useState, useEffect } from './ui.js';
import { get, post, api } from './api.js';
import { formatTime } from './format.js';
import { Failure } from './components.js';
import { Form, FormField, Submit, RowAction, Flash } from './forms.js';
import { MAPPED_LEAD_FIELDS } from './terms.js';

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

// Which question fills each lead field, in words ("Phone: whatsapp_number"); the form's own
// entries marked as such.
function MappingSummary({ form }) {
  return html`<ul class="mapping">${MAPPED_LEAD_FIELDS.filter(([f]) => form.effectiveMapping[f])
    .map(([f, words]) => html`<li key=${f}>${words}: <code>${form.effectiveMapping[f]}</code>${form.mapping[f] ? html` <em>(this form)</em>` : ''}</li>`)}</ul>`;
}

// The editor of one form's own mapping: a question key per lead field; an empty field takes the
// page's (shown as the placeholder). `form` is the form as listed, or {formId} for one not
// listed yet.
function FormMapping({ page, form, onSaved, onClose }) {
  const id = (f) => `map-${page.pageId}-${form.formId}-${f}`;
  const save = async (data) => {
    const mapping = {};
    for (const [f] of MAPPED_LEAD_FIELDS) {
      const key = String(data.get(f) ?? '').trim();
      if (key) mapping[f] = key;
    }
    const body = { mapping };
    const name = String(data.get('formName') ?? '').trim();
    if (name && name !== form.name) body.name = name;
    const saved = await api('PUT', `/intake/meta/pages/${page.pageId}/forms/${form.formId}`, { body });
    await onSaved(saved);
  };
  return html`<${Form} class="card" label=${`Mapping of form ${form.formId}`} action=${save}>
    <h4>Questions of form <code>${form.formId}</code>${form.name ? ` (${form.name})` : ''}</h4>
    <p class="muted">The question key (as in Meta's form, e.g. <code>travel_month</code>) whose answer fills each field. Empty: the page's, shown greyed.</p>
    ${!form.name && html`<div class="row"><${FormField} label="Form name" id=${id('form-name')} name="name" hint="Until a sync reads Meta's name">
      <input id=${id('form-name')} name="formName" autocomplete="off" /><//></div>`}
    <div class="row">${MAPPED_LEAD_FIELDS.map(([f, words]) => html`<${FormField} key=${f} label=${`${words} question`} id=${id(f)} name=${`mapping.${f}`}>
      <input id=${id(f)} name=${f} autocomplete="off" spellcheck="false" size="16"
        value=${form.mapping?.[f] ?? ''} placeholder=${page.mapping[f] ?? ''} /><//>`)}</div>
    <${Submit}>Save mapping<//> <button type="button" onClick=${onClose}>Close</button>
  <//>`;
}

// The page's forms, each with its mapping and an "Edit mapping"; "Map a form by id" for a form the
// reconciler has not listed yet.
function Forms({ page, onSaved }) {
  const [open, setOpen] = useState(null);  // the form being edited
  const [other, setOther] = useState('');
  return html`${page.forms.length > 0 && html`<table class="list" aria-label=${`Forms of page ${page.pageId}`}>
      <thead><tr>${['Form', 'Name', 'Questions', 'Leads stored up to', 'Last sync', 'Error', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
      <tbody>${page.forms.map((f) => html`<tr key=${f.formId} data-form=${f.formId}>
        <td><code>${f.formId}</code></td><td>${f.name ?? ''}</td><td><${MappingSummary} form=${f} /></td>
        <td>${when(f.watermark, '—')}</td><td>${when(f.syncedAt)}</td><td class="source-error">${f.error ?? ''}</td>
        <td class="actions"><div class="row-action"><button type="button" onClick=${() => setOpen(f)}>Edit mapping</button></div></td></tr>`)}</tbody>
    </table>`}
    <form class="inline" aria-label=${`Map a form of page ${page.pageId}`} onSubmit=${(e) => {
      e.preventDefault();
      const formId = other.trim();
      if (formId) setOpen(page.forms.find((f) => f.formId === formId) ?? { formId, name: null, mapping: {} });
    }}>
      <div class="field"><label for=${`other-form-${page.pageId}`}>Form id</label>
        <input id=${`other-form-${page.pageId}`} inputmode="numeric" autocomplete="off" value=${other}
          onInput=${(e) => setOther(e.currentTarget.value)} /></div>
      <button type="submit">Map a form by id</button>
    </form>
    ${open && html`<${FormMapping} key=${open.formId} page=${page} form=${open} onClose=${() => setOpen(null)}
      onSaved=${async (saved) => {
        setOpen(null);
        await onSaved(saved);
      }} />`}`;
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
    <${Forms} page=${page} onSaved=${async (f) => {
      setNotice(`Saved the mapping of form ${f.formId}.`);
      await onChanged();
    }} />
    <${Receipts} pageId=${page.pageId} version=${version} onRetried=${async (r) => {
      setNotice(`Retrying ${r.leadgenId}.`);
      await refresh();
    }} />
  </section>`;
}

// `version`: read the pages again when it changes (a Meta source created, changed or deleted).
export function MetaPages({ version = 0 }) {
  const [pages, setPages] = useState(null);
  const [error, setError] = useState(null);
  const load = () => get('/intake/meta/pages').then((a) => setPages(a.items), setError);
  useEffect(() => {
    load();
  }, [version]);
  return html`<section aria-label="Meta pages">
    <h2>Meta pages</h2>
    <p class="muted">Facebook and Instagram lead ads (docs/intake.md, "Meta Lead Ads"). A page is set up as a lead source above (kind "Meta lead ads page"); the reconciler reads each form on a schedule (every 15 minutes by default) for leads the webhook missed. Each form's custom questions are mapped to lead fields with "Edit mapping".</p>
    ${error ? html`<${Failure} error=${error} />` : !pages ? html`<p class="muted">Loading…</p>`
      : pages.length === 0 ? html`<p class="empty">No Meta pages yet.</p>`
      : pages.map((p) => html`<${MetaPage} key=${p.pageId} page=${p} onChanged=${load} />`)}
  </section>`;
}
