// Putting a newly created person into rotation (docs/api-config.md "Users": create, then
// rotation): right after creating a PSV, WEST or sales user the admin is offered their
// availability, the pool of their department with the destinations and sources they cover
// (none ticked: every destination, every source), POST /availabilities. A person in rotation
// takes leads at once, the waiting ones of their pool first.
import { get, post } from './api.js';
import { userName } from './format.js';
import { html } from './ui.js';
import { Form, FieldErrors, Submit } from './forms.js';
import { Failure } from './components.js';
import { useLoad } from './worklist.js';
import { label } from './labels.js';

// The pool a department works (availability `process`); ADMIN works none.
const POOL_OF = { PSV: 'PSV', WEST: 'West', SALES: 'Sales' };
const SOURCES = ['website', 'paid_ads', 'instagram', 'whatsapp_bot', 'dc', 'referral', 'google_ads_west', 'crm_direct'];

export function Rotation({ user, done, cancel }) {
  const pool = POOL_OF[user.department];
  const [answer, error] = useLoad(() => get('/destinations'));
  if (!pool) return null;
  const title = `Put ${userName(user) || user.email} in rotation`;
  if (error) return html`<section class="card" aria-label=${title}><${Failure} error=${error} /></section>`;
  if (!answer) return html`<section class="card" aria-label=${title}><p class="muted">Loading…</p></section>`;
  const save = async (data) => {
    await post('/availabilities', {
      personId: user._id, process: pool, isAvailable: true,
      destinations: data.getAll('destinations'), source: data.getAll('source'),
    });
    done(`${user.email} is in the ${pool} rotation.`);
  };
  const destinations = [...answer.items].sort((a, b) => a.name.localeCompare(b.name));
  return html`<${Form} class="card" label=${title} action=${save}>
    <h2>${title}?</h2>
    <p class="muted">The ${pool} pool. Tick nothing to cover every destination and every source.</p>
    <fieldset data-claims="destinations" data-whole><legend>Destinations</legend>
      ${destinations.map((d) => html`<label class="check" key=${d._id}><input type="checkbox" name="destinations" value=${d._id} />${d.name}</label>`)}
      <${FieldErrors} name="destinations" whole /></fieldset>
    <fieldset data-claims="source" data-whole><legend>Sources</legend>
      ${SOURCES.map((s) => html`<label class="check" key=${s}><input type="checkbox" name="source" value=${s} />${label(s)}</label>`)}
      <${FieldErrors} name="source" whole /></fieldset>
    <div class="row"><${Submit}>Put in rotation<//><button type="button" onClick=${cancel}>Not now</button></div>
  <//>`;
}
