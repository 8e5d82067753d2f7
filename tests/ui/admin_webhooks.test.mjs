// Admin: webhooks (docs/events.md): subscribing a URL (the API's 422 next to the field; the
// secret shown once, in a field to copy, never in the list), and a subscription's deliveries.
// The UI server allows no private address, so a delivery to the loopback URL below fails with the
// reason shown in its row (no subscriber is needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS, DEMO_KEY } from './harness.mjs';

let server, browser, page;
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
});

const URL = 'http://127.0.0.1:9/hooks';

test('subscribing: the 422 next to the field, then the secret shown once', async () => {
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Webhooks');
  const form = page.getByRole('form', { name: 'Subscribe' });
  await form.getByLabel('URL').fill('ftp://nowhere');
  await form.getByRole('button', { name: 'Subscribe' }).click();
  await expectText(form.locator('[data-error-for="url"]'), 'http://');

  await form.getByLabel('URL').fill(URL);
  await form.getByLabel('Event types').fill('lead.created');
  await form.getByRole('button', { name: 'Subscribe' }).click();
  const box = page.getByRole('region', { name: 'Webhook secret' });
  const secret = await box.getByTestId('new-webhook-secret').inputValue();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  const row = page.locator(`table[aria-label="Webhook subscriptions"] tr[data-url="${URL}"]`);
  await row.waitFor();
  await box.getByRole('button', { name: 'I have stored the secret' }).click();
  await box.waitFor({ state: 'detached' });
  assert.ok(!(await page.locator('main').innerText()).includes(secret));
});

test('a subscription\'s deliveries show each event with its last failure', async () => {
  await page.goto('/#/admin/webhooks');
  const lead = await server.call('POST', '/leads', { name: 'Hook test', number: '9812345670' }, { key: DEMO_KEY });
  assert.equal(lead.status, 201);
  const row = page.locator(`table[aria-label="Webhook subscriptions"] tr[data-url="${URL}"]`);
  await row.getByRole('link', { name: URL }).click();
  const deliveries = page.getByRole('region', { name: `Deliveries to ${URL}` });
  const first = deliveries.locator('table[aria-label="Deliveries"] tbody tr').first();
  await expectText(first, 'lead.created');
  await expectText(first, 'LEADPROC_WEBHOOK_ALLOW_NETWORKS');
});
