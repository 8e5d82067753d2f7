// Finding a customer: the search box of the header (every page) and its results
// (#/search?q=…, GET /api/v1/search), and the customer page (#/customers/<number>,
// GET /api/v1/customers/{number}): every enquiry of one phone number, duplicates under their
// originals, with links to call and to message on WhatsApp. For a number, both say how many of its
// enquiries are with people the caller may not read, and who they are (docs/api-search.md).
import { html, useState } from './ui.js';
import { get } from './api.js';
import { formatTime, text } from './format.js';
import { Failure, StatusBadge, StageText } from './components.js';
import { OpportunityTable, Pager, opportunityHref, useLoad } from './worklist.js';
import { label } from './labels.js';

export const customerHref = (number) => `#/customers/${encodeURIComponent(number)}`;

// The header's search box: what it holds becomes #/search?q=….
export function SearchBox({ navigate, initial = '' }) {
  const [q, setQ] = useState(initial);
  const submit = (event) => {
    event.preventDefault();
    if (q.trim()) navigate('/search', { q: q.trim() });
  };
  return html`<form class="search" role="search" aria-label="Search" onSubmit=${submit}>
    <input type="search" name="q" aria-label="Search" placeholder="Phone, name, email or id"
      value=${q} onInput=${(e) => setQ(e.currentTarget.value)} />
    <button type="submit">Search</button>
  </form>`;
}

// "2 other enquiries of this number are with Bela Iyer and Sam Kapoor." (or nothing).
export function HiddenHint({ hidden }) {
  if (!hidden || hidden.count === 0) return null;
  const names = hidden.owners.map((o) => o.name);
  const who = names.length === 0 ? 'nobody yet'
    : names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const count = hidden.count === 1 ? '1 other enquiry of this number is' : `${hidden.count} other enquiries of this number are`;
  return html`<p class="notice hidden-hint" data-testid="hidden-hint">${count} with ${who}.</p>`;
}

export function SearchResults({ params, navigate }) {
  const q = params.get('q') ?? '';
  const [answer, error] = useLoad(() => (q ? get('/search', { q, cursor: params.get('cursor') }) : Promise.resolve(null)));
  const number = answer?.kind === 'number' && answer.items[0]?.number;
  return html`<h1>Search</h1>
    <section aria-label="Search results">
      ${error ? html`<${Failure} error=${error} />`
        : !q ? html`<p class="muted">Type a phone number (any format), a name, an email or an id in the search box above.</p>`
        : !answer ? html`<p class="muted">Loading…</p>`
        : html`<p class="muted">Results for “${q}”</p>
          <${HiddenHint} hidden=${answer.hidden} />
          ${number && html`<p><a href=${customerHref(number)}>Every enquiry of ${number}</a></p>`}
          <${OpportunityTable} items=${answer.items} />
          <${Pager} nextCursor=${answer.nextCursor} params=${params} go=${(p) => navigate('/search', p)} />`}
    </section>`;
}

// tel: and WhatsApp links for an E.164 number.
export function ContactLinks({ number }) {
  const digits = number.replace(/\D/g, '');
  return html`<span class="contact">
    <a href=${`tel:${number}`} data-testid="call">Call ${number}</a>
    <a href=${`https://wa.me/${digits}`} target="_blank" rel="noopener noreferrer" data-testid="whatsapp">WhatsApp</a>
  </span>`;
}

function ownerOf(o) {
  return o.opportunityOwnerName ?? o.assignedWest?.name ?? o.assignedPsv?.name ?? (o.opportunityOwner ? 'a sales person' : '—');
}

function Enquiry({ opp, duplicate = false, names }) {
  const owner = opp.opportunityOwner ? (names.get(opp.opportunityOwner) ?? 'a sales person') : ownerOf(opp);
  return html`<li class=${duplicate ? 'enquiry duplicate' : 'enquiry'} data-id=${opp._id}>
    <div class="enquiry-head">
      <a href=${opportunityHref(opp._id)}>${opp.name}</a>
      ${duplicate && html`<span class="badge">duplicate</span>`}
      <${StatusBadge} opp=${opp} /> <${StageText} opp=${opp} />
    </div>
    <div class="muted">${text(opp.destination)} · ${label(opp.leadSource?.platform)} · with ${owner}
      · created ${formatTime(opp.createdAt)} · updated ${formatTime(opp.updatedAt)}</div>
  </li>`;
}

export function Customer({ id: number }) {
  const [answer, error] = useLoad(() => Promise.all([
    get(`/customers/${encodeURIComponent(number)}`),
    get('/people').then((p) => new Map(p.items.map((x) => [x._id, x.name])), () => new Map()),
  ]));
  if (error) return html`<h1>Customer</h1><${Failure} error=${error} />`;
  if (!answer) return html`<h1>Customer</h1><p class="muted">Loading…</p>`;
  const [customer, names] = answer;
  return html`<h1>Customer ${customer.number}</h1>
    <p><${ContactLinks} number=${customer.number} /></p>
    <${HiddenHint} hidden=${customer.hidden} />
    <section class="card" aria-label="Enquiries">
      <h2>Every enquiry of this number</h2>
      ${customer.items.length === 0 ? html`<p class="empty">No enquiry you may read.</p>`
        : html`<ul class="enquiries">${customer.items.map((o) => html`<${Enquiry} opp=${o} names=${names} />
          ${o.duplicates?.length > 0 && html`<li class="dups"><ul class="enquiries">${o.duplicates.map((d) => html`<${Enquiry} opp=${d} duplicate names=${names} />`)}</ul></li>`}`)}</ul>`}
    </section>`;
}
