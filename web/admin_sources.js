// Admin: lead sources (docs/api-intake.md "Sources"; docs/intake.md): Meta lead ads pages, Google
// Ads lead forms and website forms, set up with POST/PATCH/DELETE /api/v1/intake/sources. The
// list shows each source's last lead and what went wrong last; secrets (a Meta app secret, verify
// token and page access token, a Google form's key) are write-only (typed when saving, never
// shown again: a new one replaces the old); a website form shows its public form key with the
// HTML snippet to paste into the page. Each Meta page's receipts, forms and Sync now follow
// (admin_meta_pages.js).
import { html, useState, useEffect } from './ui.js';
import { get, post, patch, api } from './api.js';
import { formatTime } from './format.js';
import { Failure, Select } from './components.js';
import { Form, FormField, Submit, ConfirmAction, Flash } from './forms.js';
import { listFromText } from './admin_common.js';
import { MetaPages } from './admin_meta_pages.js';
import { MAPPED_LEAD_FIELDS } from './terms.js';

const KINDS = [['form', 'Website form'], ['meta', 'Meta lead ads page'], ['google', 'Google Ads lead form']];
// The questions a Meta page's forms usually add to Meta's standard ones (name, phone, email).
const META_QUESTIONS = MAPPED_LEAD_FIELDS.filter(([f]) => ['destination', 'travelDate', 'pax'].includes(f));
const KIND_LABEL = Object.fromEntries(KINDS);

// The plain-post snippet of docs/intake.md "Website forms", for `source` on this server.
function snippet(source) {
  const action = `${location.origin}${source.postPath}`;
  return `<form method="post" action="${action}" accept-charset="UTF-8">
  <label>Name <input name="name" required></label>
  <label>Mobile <input name="phone" type="tel" required></label>
  <label>Email <input name="email" type="email"></label>
  <label>Where to? <input name="destination"></label>
  <label>When? <input name="travelDate" type="date"></label>
  <label>How many? <input name="pax" type="number" min="1"></label>
  <input type="hidden" name="page">
  <input type="hidden" name="referrer">
  <!-- The honeypot: people never see it; bots fill it in. Keep it empty. -->
  <div style="position:absolute;left:-10000px" aria-hidden="true">
    <input name="lp_hp" tabindex="-1" autocomplete="off">
  </div>
  <button>Send</button>
</form>
<script>
  for (const f of document.querySelectorAll('form[action="${action}"]')) {
    f.elements.page.value = location.href;
    f.elements.referrer.value = document.referrer;
  }
</script>`;
}

// The fields of one kind, as the create and edit forms show them; `source` (when editing) gives
// the values. A Google key is never shown: the field is empty and replaces the key when filled.
function KindFields({ kind, source, prefix }) {
  const id = (name) => `${prefix}-${name}`;
  // A secret's field: empty when editing, where it replaces the saved one only when filled.
  const secret = (label, name, hint) => html`<${FormField} label=${source ? `New ${label.toLowerCase()}` : label} id=${id(name)} name=${name}
      hint=${source ? 'Leave empty to keep the one saved (it is never shown again)' : hint}>
      <input id=${id(name)} name=${name} type="password" autocomplete="new-password" /><//>`;
  if (kind === 'meta') return html`<div class="row">
    <${FormField} label="Page ID" id=${id('page-id')} name="pageId" hint="The Facebook page's id (digits)">
      <input id=${id('page-id')} name="pageId" inputmode="numeric" autocomplete="off" value=${source?.pageId ?? ''} disabled=${!!source} /><//>
    ${secret('App secret', 'appSecret', 'The Meta app\'s secret (App settings, Basic): checks each webhook\'s signature')}
    ${secret('Verify token', 'verifyToken', 'The token you also give Meta\'s Webhooks product')}
    ${secret('Page access token', 'pageAccessToken', 'A page token with leads_retrieval: fetches each lead')}
  </div>
  <div class="row">
    ${META_QUESTIONS.map(([f, words]) => html`<${FormField} key=${f} label=${`${words} question`} id=${id(`q-${f}`)} name=${`mapping.${f}`}
      hint="The question key in Meta's form, if the form asks it">
      <input id=${id(`q-${f}`)} name=${`q-${f}`} autocomplete="off" spellcheck="false" size="16" value=${source?.page?.mapping?.[f] ?? ''} /><//>`)}
    <label class="check"><input type="checkbox" name="instagramPlatform" value="true" checked=${!!source?.page?.instagramPlatform} />Leads from Instagram get platform "instagram"</label>
  </div>`;
  if (kind === 'google') return html`<div class="row">
    <${FormField} label="Form ID" id=${id('form-id')} name="formId" hint="The lead form's id in Google Ads (digits)">
      <input id=${id('form-id')} name="formId" inputmode="numeric" autocomplete="off" value=${source?.formId ?? ''} /><//>
    <${FormField} label=${source ? 'New Google key' : 'Google key'} id=${id('google-key')} name="googleKey"
      hint=${source ? 'Leave empty to keep the key saved (it is never shown again)' : 'The key you also give Google; never shown again'}>
      <input id=${id('google-key')} name="googleKey" type="password" autocomplete="new-password" /><//>
    <${FormField} label="Destination column" id=${id('destination')} name="mapping.destination" hint="The column id of the question that names the destination, if any">
      <input id=${id('destination')} name="destination" autocomplete="off" value=${source?.mapping?.destination ?? ''} /><//>
  </div>`;
  return html`<div class="row">
    <${FormField} label="Thank-you URL" id=${id('thanks')} name="thankYouUrl" hint="Where a visitor lands after sending the form">
      <input id=${id('thanks')} name="thankYouUrl" type="url" size="36" autocomplete="off" value=${source?.thankYouUrl ?? ''} /><//>
    <${FormField} label="Error URL" id=${id('error')} name="errorUrl" hint="Where a visitor lands when a field is wrong (?errors= names them)">
      <input id=${id('error')} name="errorUrl" type="url" size="36" autocomplete="off" value=${source?.errorUrl ?? ''} /><//>
    <${FormField} label="Allowed origins" id=${id('origins')} name="allowedOrigins" whole=${true}
      hint='Comma-separated, e.g. "https://www.example.com": pages that may send it with fetch()'>
      <input id=${id('origins')} name="allowedOrigins" size="36" autocomplete="off" value=${(source?.allowedOrigins ?? []).join(', ')} /><//>
  </div>`;
}

// The API body of a create or edit form of `kind` (an edit sends a Google key only when typed).
function bodyOf(kind, data, editing, source) {
  const body = { name: data.get('name') };
  if (kind === 'meta') {
    if (!editing) body.pageId = data.get('pageId');
    // A secret left empty is not sent: "is required" on a new source, kept on an edit.
    for (const key of ['appSecret', 'verifyToken', 'pageAccessToken'])
      if (data.get(key)) body[key] = data.get(key);
    // The page's whole mapping: what it has (the name, phone and email keys too) with the
    // questions typed here; an emptied question falls back to Meta's default or none.
    const mapping = { ...(source?.page?.mapping ?? {}) };
    for (const [f] of META_QUESTIONS) {
      const key = String(data.get(`q-${f}`) ?? '').trim();
      if (key) mapping[f] = key;
      else delete mapping[f];
    }
    body.mapping = mapping;
    body.instagramPlatform = data.get('instagramPlatform') === 'true';
  } else if (kind === 'google') {
    body.formId = data.get('formId');
    if (!editing || data.get('googleKey')) body.googleKey = data.get('googleKey');
    const destination = String(data.get('destination') ?? '').trim();
    body.mapping = destination ? { destination } : {};
  } else {
    body.thankYouUrl = data.get('thankYouUrl');
    body.errorUrl = data.get('errorUrl');
    body.allowedOrigins = listFromText(data.get('allowedOrigins'));
  }
  return body;
}

function Snippet({ source }) {
  return html`<section class="card" aria-label=${`Snippet of ${source.name}`}>
    <h2>Put "${source.name}" on your page</h2>
    <p>Form key <code data-testid="form-key">${source.formKey}</code>. Paste this where the form goes
      (docs/intake.md, "Website forms", has a fetch() example too):</p>
    <textarea readOnly rows="12" class="snippet" aria-label="HTML snippet" spellcheck="false"
      onFocus=${(e) => e.currentTarget.select()}>${snippet(source)}</textarea>
  </section>`;
}

function EditSource({ source, onSaved, onClose }) {
  const save = async (data) => {
    const saved = await patch(`/intake/sources/${source.id}`, bodyOf(source.kind, data, true, source));
    await onSaved(saved);
  };
  return html`<${Form} class="card" label=${`Edit ${source.name}`} action=${save}>
    <h2>Edit "${source.name}" (${KIND_LABEL[source.kind]})</h2>
    <div class="row">
      <${FormField} label="Name" id="edit-source-name" name="name">
        <input id="edit-source-name" name="name" size="30" autocomplete="off" value=${source.name} /><//>
    </div>
    <${KindFields} kind=${source.kind} source=${source} prefix="edit-source" />
    <${Submit}>Save<//> <button type="button" onClick=${onClose}>Close</button>
  <//>`;
}

function SourceList({ sources, onEdit, onDeleted }) {
  if (sources.length === 0) return html`<p class="empty">No lead sources yet.</p>`;
  return html`<table class="list" aria-label="Lead sources">
    <thead><tr>${['Name', 'Kind', 'Key', 'Last lead', 'Last error', ''].map((t) => html`<th>${t}</th>`)}</tr></thead>
    <tbody>${sources.map((s) => html`<tr key=${s.id} data-name=${s.name}>
      <td>${s.name}</td><td>${KIND_LABEL[s.kind] ?? s.kind}</td>
      <td>${s.kind === 'form' ? html`<code>${s.formKey}</code>` : s.kind === 'meta' ? `page ${s.pageId}`
        : `form ${s.formId}${s.hasGoogleKey ? ' (key saved)' : ''}`}</td>
      <td>${s.lastLeadAt ? formatTime(s.lastLeadAt) : 'none yet'}</td>
      <td class="source-error">${s.lastError ?? ''}</td>
      <td class="actions">
        <div class="row-action"><button type="button" onClick=${() => onEdit(s)}>Edit</button></div>
        <${ConfirmAction} label="Delete" question=${`Delete "${s.name}"? Its leads stay; it takes no more.`}
          action=${async () => {
            await api('DELETE', `/intake/sources/${s.id}`);
            await onDeleted(s);
          }} />
      </td>
    </tr>`)}</tbody>
  </table>`;
}

export function LeadSources() {
  const [sources, setSources] = useState(null);
  const [error, setError] = useState(null);
  const [kind, setKind] = useState('form');
  const [open, setOpen] = useState(null);  // the source being edited
  const [notice, setNotice] = useState(null);
  const [pagesVersion, setPagesVersion] = useState(0);  // the Meta pages' list is read again
  const load = () => get('/intake/sources').then((answer) => {
    setSources(answer.items);
    setPagesVersion((v) => v + 1);
  }, setError);
  useEffect(() => {
    load();
  }, []);
  const create = async (data, form) => {
    const created = await post('/intake/sources', { kind, ...bodyOf(kind, data, false) });
    form.reset();
    setNotice(`Created ${created.name}.`);
    setOpen(created);
    await load();
  };
  return html`<h1>Lead sources</h1>
    <p class="muted">Website forms, Meta (Facebook and Instagram) lead ads pages and Google Ads lead forms that send leads straight to leadproc (docs/intake.md). Each Meta page's receipts, forms and "Sync now" are below the list.</p>
    <${Flash} message=${notice} />
    <${Form} class="card" label="New lead source" action=${create}>
      <h2>New lead source</h2>
      <div class="row">
        <${FormField} label="Kind" id="source-kind" name="kind">
          <${Select} id="source-kind" name="kind" value=${kind} options=${KINDS}
            onChange=${(e) => setKind(e.currentTarget.value)} /><//>
        <${FormField} label="Name" id="source-name" name="name">
          <input id="source-name" name="name" size="30" autocomplete="off" /><//>
      </div>
      <${KindFields} key=${kind} kind=${kind} prefix="source" />
      <${Submit}>Create<//>
    <//>
    <section aria-label="Sources">
      ${error ? html`<${Failure} error=${error} />` : !sources ? html`<p class="muted">Loading…</p>`
        : html`<${SourceList} sources=${sources} onEdit=${setOpen} onDeleted=${async (s) => {
          setNotice(`Deleted ${s.name}.`);
          if (open?.id === s.id) setOpen(null);
          await load();
        }} />`}
    </section>
    ${open && html`<${EditSource} key=${open.id + open.updatedAt} source=${open}
      onSaved=${async (saved) => {
        setNotice(`Saved ${saved.name}.`);
        setOpen(saved);
        await load();
      }} onClose=${() => setOpen(null)} />`}
    ${open?.kind === 'form' && html`<${Snippet} key=${`snippet-${open.id}`} source=${open} />`}
    <${MetaPages} version=${pagesVersion} />`;
}
