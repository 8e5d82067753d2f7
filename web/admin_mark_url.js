// Marking a web URL with a destination when leads are waiting on it (docs/api-config.md "Web
// URLs"): the admin first sees how many waiting leads the mark will route and where — the
// server's own answer (GET /weburls/{id}/destination-preview), which runs the real routing and
// rolls it back — and confirms. Marking a URL nobody waits on, or unmarking one, needs no step.
import { get, post } from './api.js';
import { html } from './ui.js';
import { Form, Submit } from './forms.js';
import { label } from './labels.js';

// Marks `url` with `destination` (an _id, or null to unmark) at once when no lead waits on it;
// otherwise answers the preview, for <MarkConfirmation>.
export async function markOrPreview(url, destination) {
  if (destination) {
    const preview = await get(`/weburls/${url._id}/destination-preview`, { destination });
    if (preview.waiting > 0) return preview;
  }
  await post(`/weburls/${url._id}/destination`, { destination: destination || null });
  return null;
}

function routeText(r) {
  const where = r.assignee ? `${label(r.status)} · ${r.assignee.name}` : label(r.status);
  const why = r.duplicateOf ? ' (a duplicate of an open lead)' : r.awaiting ? ` (waiting for a ${r.awaiting} person)` : '';
  return `${r.count} → ${where}${why}`;
}

export function MarkConfirmation({ url, destination, name, preview, done, cancel }) {
  const confirm = async () => {
    await post(`/weburls/${url._id}/destination`, { destination });
    done();
  };
  const n = preview.waiting;
  return html`<${Form} class="card" label="Confirm the mark" action=${confirm}>
    <h2>Mark ${url.url} as ${name}?</h2>
    <p>${n} waiting ${n === 1 ? 'lead' : 'leads'} will be routed as new leads of ${name}:</p>
    <ul aria-label="Where they go">${preview.routes.map((r) => html`<li>${routeText(r)}</li>`)}</ul>
    <div class="row"><${Submit}>Confirm<//><button type="button" onClick=${cancel}>Cancel</button></div>
  <//>`;
}
