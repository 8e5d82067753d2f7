// Admin: API keys: the list, issuing a key (the API's 422 next to the fields; the key shown once,
// in a field to copy, and working for POST /leads), and revoking it (asks first; the key stops
// working and stays listed as revoked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS, DEMO_KEY } from './harness.mjs';

let server, browser, page;
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  page = await openPage(browser, server);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  await signIn(page, EMAILS.admin);
});

const row = (name) => page.locator(`table[aria-label="API keys"] tr[data-name="${name}"]`);
async function cells(name) {
  await row(name).waitFor();
  return (await row(name).locator('td').allInnerTexts()).slice(0, 5);
}
const sendLead = (key) => server.call('POST', '/leads', { name: 'Key test', number: '9812345678' }, { key });

test('the list shows each key\'s name, platform, last use and status', async () => {
  await page.getByRole('link', { name: 'API keys' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'API keys');
  const [name, platform, , lastUsed, status] = await cells('demo website form');
  assert.deepEqual([name, platform, lastUsed, status], ['demo website form', 'Website', 'never', 'active']);

  assert.equal((await sendLead(DEMO_KEY)).status, 201);
  await page.reload();
  await row('demo website form').waitFor();
  assert.notEqual((await cells('demo website form'))[3], 'never');
});

test('issuing a key: the API\'s 422 next to the fields, then the key shown once to copy', async () => {
  await page.goto('/#/admin/api-keys');
  const form = page.getByRole('form', { name: 'Issue API key' });
  await form.getByRole('button', { name: 'Issue key' }).click();
  await expectText(form.locator('[data-error-for="name"]'), 'must be 1 to 100 characters');
  await expectText(form.locator('[data-error-for="platform"]'), 'must be one of');
  assert.equal(await page.getByRole('region', { name: 'New API key' }).count(), 0);

  await form.getByLabel('Name').fill('Goa landing page');
  await form.getByLabel('Platform').selectOption('paid_ads');
  await form.getByRole('button', { name: 'Issue key' }).click();
  const box = page.getByRole('region', { name: 'New API key' });
  await expectText(box.getByRole('heading'), 'Copy the key for "Goa landing page" now: it is shown only this once');
  const key = await box.getByTestId('new-key').inputValue();
  assert.match(key, /^lpk_[A-Za-z0-9_-]{40,}$/);
  assert.equal(await box.getByTestId('new-key').getAttribute('readonly'), '');
  await box.getByRole('button', { name: 'Copy' }).click();
  await expectText(box.getByRole('status'), 'Copied to the clipboard.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);

  const [, platform, , lastUsed, status] = await cells('Goa landing page');
  assert.deepEqual([platform, lastUsed, status], ['Paid ads', 'never', 'active']);
  assert.equal(await form.getByLabel('Name').inputValue(), '', 'the form is cleared');

  // The key works, and its leads get its platform.
  const lead = await sendLead(key);
  assert.equal(lead.status, 201);
  assert.equal(lead.body.opportunity.leadSource.platform, 'paid_ads');

  // Never shown again: not after "I have stored the key", not on the next visit.
  await box.getByRole('button', { name: 'I have stored the key' }).click();
  await box.waitFor({ state: 'detached' });
  await page.goto('/#/admin/users');
  await page.goto('/#/admin/api-keys');
  await row('Goa landing page').waitFor();
  assert.equal(await page.getByRole('region', { name: 'New API key' }).count(), 0);
  assert.ok(!(await page.locator('main').innerText()).includes(key));
  assert.equal((await server.ok('GET', '/api-keys')).items.find((k) => k.name === 'Goa landing page').key, undefined);
});

test('revoking asks first; the key then stops working and stays listed as revoked', async () => {
  await page.goto('/#/admin/api-keys');
  const form = page.getByRole('form', { name: 'Issue API key' });
  await form.getByLabel('Name').fill('Old chatbot');
  await form.getByLabel('Platform').selectOption('whatsapp_bot');
  await form.getByRole('button', { name: 'Issue key' }).click();
  const key = await page.getByTestId('new-key').inputValue();
  assert.equal((await sendLead(key)).status, 201);

  await row('Old chatbot').getByRole('button', { name: 'Revoke' }).click();
  await expectText(row('Old chatbot'), 'Revoke "Old chatbot"? Its source can no longer send leads.');
  await row('Old chatbot').getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await sendLead(key)).status, 201, 'cancelled: still works');

  await row('Old chatbot').getByRole('button', { name: 'Revoke' }).click();
  await row('Old chatbot').getByRole('button', { name: 'Yes, revoke' }).click();
  await expectText(page.getByRole('status').filter({ hasText: 'Revoked' }), 'Revoked Old chatbot.');
  await expectText(row('Old chatbot').locator('td:nth-child(5)'), 'revoked');
  assert.equal(await row('Old chatbot').getByRole('button', { name: 'Revoke' }).count(), 0);
  assert.equal((await sendLead(key)).status, 401);
  assert.equal((await cells('demo website form'))[4], 'active', 'other keys untouched');
});
