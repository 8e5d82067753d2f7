// Admin: score configurations (docs/api-scoring-jobs.md, PRODUCT.md "Scoring"): the list, newest
// first, with the active one marked; creating one (the twelve weights, prefilled from the active
// configuration; optionally made active at once); activating another (the API deactivates the
// rest in the same transaction).
import { get, post } from './api.js';
import { h, field, onSubmit, formatTime, failure } from './dom.js';
import { rowAction, setFlash, takeFlash, numberOr } from './admin_common.js';

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

export async function scoreConfigurationsView(main, { rerender }) {
  main.append(h('h1', {}, 'Score configurations'),
    h('p', { class: 'muted' }, 'The weights that score opportunities: the weight of the lead\'s platform, plus re-enquiries × their weight, plus the tag and hot-lead weights. Exactly one configuration is active; activating one deactivates the others. Stored opportunities are rescored with the new weights at their next change (and by the daily travel-month refresh), not at once.'));
  const flash = takeFlash();
  if (flash) main.append(flash);
  let items;
  try {
    items = (await get('/score-configurations')).items;
  } catch (err) {
    main.append(failure(err));
    return;
  }
  const active = items.find((c) => c.isActive);

  const form = h('form', { class: 'card', 'aria-label': 'Create score configuration', novalidate: true },
    h('h2', {}, 'Create a configuration'),
    h('p', { class: 'muted' }, active ? 'Prefilled with the active configuration\'s weights.' : 'No configuration is active yet: opportunities score 0.'),
    h('div', { class: 'weights' }, WEIGHTS.map(([name, label, hint]) =>
      field(label, h('input', { name, type: 'number', min: 0, step: 'any', value: active?.[name] ?? '' }), hint))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'isActive', value: 'true' }), 'Make it the active configuration'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Create configuration')));
  onSubmit(form, async (data) => {
    const body = Object.fromEntries(WEIGHTS.map(([name]) => [name, numberOr(data.get(name), undefined)]));
    body.isActive = data.get('isActive') === 'true';
    const created = await post('/score-configurations', body);
    setFlash(created.isActive ? 'Created the configuration; it is now the active one.' : 'Created the configuration (not active).');
    rerender();
  });

  const list = items.length === 0 ? h('p', { class: 'empty' }, 'No score configurations yet.')
    : h('div', { class: 'table-wrap' }, h('table', { class: 'list', 'aria-label': 'Score configurations' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Created'), h('th', {}, 'Active'),
        WEIGHTS.map(([, label]) => h('th', { class: 'num' }, label)), h('th', {}, ''))),
      h('tbody', {}, items.map((c) => h('tr', { 'data-id': c._id, class: c.isActive ? 'active' : null },
        h('td', {}, formatTime(c.createdAt)),
        h('td', { 'data-testid': 'active' }, c.isActive ? h('span', { class: 'badge' }, 'active') : 'no'),
        WEIGHTS.map(([name]) => h('td', { class: 'num' }, String(c[name]))),
        h('td', { class: 'actions' }, !c.isActive && rowAction('Activate', async () => {
          await post(`/score-configurations/${c._id}/activate`);
          setFlash('Activated the configuration; the others are inactive.');
          rerender();
        })))))));
  main.append(list, form);
}
