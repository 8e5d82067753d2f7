// Admin: API keys of lead sources (docs/api-auth.md "API keys"): the list (revoked ones too),
// issuing one (its secret is answered once: it is shown in a box to copy, never again) and
// revoking (the key stops working at once and stays listed).
import { get, post, api } from './api.js';
import { h, field, select, onSubmit, formatTime, failure } from './dom.js';
import { PLATFORMS, confirmAction } from './admin_common.js';

// The one-time display of a new key: a read-only field selected on focus and a Copy button.
function newKeyBox(issued, onDone) {
  const input = h('input', { readonly: true, value: issued.key, 'aria-label': 'New API key', 'data-testid': 'new-key',
    spellcheck: 'false', onfocus: (e) => e.target.select() });
  const copied = h('span', { class: 'muted', role: 'status' });
  const copy = async () => {
    input.focus();
    input.select();
    try {
      await navigator.clipboard.writeText(issued.key);
      copied.textContent = 'Copied to the clipboard.';
    } catch {
      copied.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  };
  return h('section', { class: 'card secret', 'aria-label': 'New API key' },
    h('h2', {}, `Copy the key for "${issued.name}" now: it is shown only this once`),
    h('p', {}, 'leadproc keeps only a hash of it. Put it in the lead source\'s configuration (sent as the X-Api-Key header). If it is lost, revoke it and issue a new one.'),
    h('div', { class: 'copy' }, input, h('button', { type: 'button', onclick: copy }, 'Copy')),
    copied,
    h('p', {}, h('button', { type: 'button', onclick: onDone }, 'I have stored the key')));
}

export async function apiKeysView(main) {
  main.append(h('h1', {}, 'API keys'),
    h('p', { class: 'muted' }, 'Keys that websites, ad platforms and bots send leads with (POST /api/v1/leads). A key\'s platform is the default source platform of its leads.'));
  const shown = h('div', {});   // the new key, until dismissed
  const notice = h('div', {});
  const list = h('section', { 'aria-label': 'Keys' }, h('p', { class: 'muted' }, 'Loading…'));

  const load = async () => {
    try {
      const keys = (await get('/api-keys')).items;
      list.replaceChildren(keys.length === 0 ? h('p', { class: 'empty' }, 'No API keys yet.')
        : h('table', { class: 'list', 'aria-label': 'API keys' },
          h('thead', {}, h('tr', {}, ['Name', 'Platform', 'Issued', 'Last used', 'Status', ''].map((t) => h('th', {}, t)))),
          h('tbody', {}, keys.map((k) => h('tr', { 'data-name': k.name, class: k.revoked ? 'revoked' : null },
            h('td', {}, k.name), h('td', {}, k.platform), h('td', {}, formatTime(k.createdAt)),
            h('td', {}, k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never'),
            h('td', {}, k.revoked ? 'revoked' : 'active'),
            h('td', { class: 'actions' }, !k.revoked && confirmAction('Revoke', `Revoke "${k.name}"? Its source can no longer send leads.`, async () => {
              await api('DELETE', `/api-keys/${k._id}`);
              notice.replaceChildren(h('p', { class: 'notice', role: 'status' }, `Revoked ${k.name}.`));
              await load();
            })))))));
    } catch (err) {
      list.replaceChildren(failure(err));
    }
  };

  const form = h('form', { class: 'card', 'aria-label': 'Issue API key', novalidate: true },
    h('h2', {}, 'Issue a key'),
    h('div', { class: 'row' },
      field('Name', h('input', { name: 'name', autocomplete: 'off', size: 30 }), 'Who uses it, e.g. "Goa landing page"'),
      field('Platform', select('platform', PLATFORMS, { blank: 'Choose' }))),
    h('button', { type: 'submit' }, 'Issue key'));
  onSubmit(form, async (data) => {
    const issued = await post('/api-keys', { name: data.get('name'), platform: data.get('platform') });
    form.reset();
    notice.replaceChildren();
    shown.replaceChildren(newKeyBox(issued, () => shown.replaceChildren()));
    shown.querySelector('input').focus();
    await load();
  });
  main.append(notice, shown, form, list);
  await load();
}
