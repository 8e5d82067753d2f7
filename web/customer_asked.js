// "What the customer asked", on the opportunity page for everyone who may read it: the lead as it
// arrived (GET /leads/{id}) beside the opportunity: the destination as the customer wrote it (kept
// when it did not resolve: agents resolving unknown leads need it), the landing page, the form,
// platform and sources, every utm and ad field, travel date, pax, when it arrived, and every field
// it sent that a lead does not have (`extra`).
import { html } from './ui.js';
import { formatTime } from './format.js';
import { label } from './labels.js';

// The campaign fields a lead carries verbatim (docs/api.md "Lead ingestion").
const CAMPAIGN_FIELDS = [
  'utmSource', 'utmMedium', 'utmContent', 'utmCampaign', 'utmTerm', 'utmId', 'adid', 'ad', 'adSet',
  'adName', 'adsetId', 'adsetName', 'campaignId', 'campaignName', 'campaignType', 'eventId',
  'eventName', 'eventSourceUrl', 'fbc', 'fbp', 'gclid', 'placement', 'siteSourceName', 'leadOwner',
];

const present = (v) => v !== null && v !== undefined && v !== '';

export function CustomerAsked({ opp, lead }) {
  const src = lead ?? opp;
  const written = lead?.destination;
  const destination = typeof written === 'object' && written ? written.name ?? written._id : written;
  const source = src.leadSource ?? {};
  const rows = [
    ['Destination as written', present(destination) ? destination : null],
    // A link only for a web address: the page is what a lead source sent (never a javascript: URL).
    ['Landing page', src.page && (/^https?:\/\//i.test(src.page)
      ? html`<a href=${src.page} target="_blank" rel="noopener noreferrer">${src.page}</a>` : src.page)],
    ['Form', src.sourceMeta?.formName],
    ['Platform', label(source.platform)],
    ['Sources', [source.primarySource, source.secondarySource, src.sourceMeta?.subSource].filter(present).join(' · ')],
    ['Travel date', opp.travelDate ?? src.travelDate],
    ['Pax', opp.pax ?? src.pax],
    ['Arrived', formatTime(src.createdAt)],
    ...CAMPAIGN_FIELDS.map((f) => [f, src[f] ?? opp[f]]),
    // The fields the source sent that a lead does not have (`extra`: a fbclid, a typo like
    // emial), by the name it gave them, each value as sent.
    ...Object.entries(lead?.extra ?? {}).map(([f, v]) => [f, typeof v === 'string' ? v : JSON.stringify(v)]),
  ].filter(([, v]) => present(v));
  return html`<section class="card" aria-label="What the customer asked">
    <h2>What the customer asked</h2>
    <dl>${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
  </section>`;
}
