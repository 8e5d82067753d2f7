// Deactivating a person (docs/api-config.md "Users"): the admin first sees the open leads the
// person holds (GET /users/{id}/open-opportunities) and, when there are any, hands them over in
// the same step, to a colleague of the same department or spread by round robin, so that no lead
// stays with someone who cannot work it (the API refuses a deactivation that would: 409).
import { get, post } from './api.js';
import { userName } from './format.js';
import { html } from './ui.js';
import { Form, FormField, Submit } from './forms.js';
import { Select, Failure } from './components.js';
import { useLoad } from './worklist.js';
import { label } from './labels.js';

// How many of the leads are listed by name; the count says how many there are.
const LISTED = 20;

export function Deactivation({ user, done, cancel }) {
  const [answer, error] = useLoad(() => Promise.all([
    get(`/users/${user._id}/open-opportunities`), get('/people')]));
  const title = `Deactivate ${userName(user) || user.email}`;
  if (error) return html`<section class="card" aria-label=${title}><${Failure} error=${error} /></section>`;
  if (!answer) return html`<section class="card" aria-label=${title}><p class="muted">Loading…</p></section>`;
  const [open, people] = answer;
  const colleagues = people.items
    .filter((p) => p.isActive && p.department === user.department && p._id !== user._id)
    .map((p) => [p._id, p.name ?? p._id]);
  const confirm = async (data) => {
    const body = {};
    if (open.count > 0) {
      const to = data.get('handover') ?? '';
      body.handover = to === 'roundRobin' ? { roundRobin: true } : { to };
    }
    await post(`/users/${user._id}/deactivate`, body);
    done(open.count > 0
      ? `Deactivated ${user.email}; ${open.count} open ${open.count === 1 ? 'lead' : 'leads'} handed over.`
      : `Deactivated ${user.email}.`);
  };
  return html`<${Form} class="card" label=${title} action=${confirm}>
    <h2>${title}?</h2>
    ${open.count === 0
      ? html`<p>No open leads: nothing to hand over. They leave every rotation and cannot sign in.</p>`
      : html`<p>${open.count} open ${open.count === 1 ? 'lead' : 'leads'} must go to someone who can work them:</p>
        <ul aria-label="Open leads">${open.items.slice(0, LISTED).map((o) => html`<li key=${o._id}>
          <a href=${`#/opportunities/${o._id}`}>${o.name}</a> · ${label(o.status)}</li>`)}</ul>
        ${open.count > LISTED && html`<p class="muted">and ${open.count - LISTED} more.</p>`}
        <${FormField} label="Hand them over to" id="handover" name="handover" whole>
          <${Select} id="handover" name="handover" blank="Choose"
            options=${[['roundRobin', 'Spread by round robin'], ...colleagues]} /><//>`}
    <div class="row"><${Submit}>Confirm deactivation<//>
      <button type="button" onClick=${cancel}>Cancel</button></div>
  <//>`;
}
