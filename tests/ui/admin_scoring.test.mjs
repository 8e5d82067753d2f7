// Admin: score configurations: creating one (the API's 422 next to each weight; made active at
// once), the form prefilled from the active one, and activating another (the rest go inactive).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS } from './harness.mjs';

let server, browser, page;
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
});

const LABELS = ['Paid ads', 'Website (organic)', 'Instagram', 'Instagram, qualified', 'WhatsApp', 'WhatsApp, qualified',
  'Direct call', 'Re-enquiries', 'Visa', 'Flights booked', 'Ex-client', 'Hot lead'];
const stored = async () => (await server.ok('GET', '/score-configurations')).items;
const rows = () => page.getByRole('table', { name: 'Score configurations' }).locator('tbody tr');

test('creating a configuration: the API\'s 422 next to each weight, then created and active', async () => {
  await page.getByRole('link', { name: 'Scoring' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Score configurations');
  await expectText(page.locator('main .empty'), 'No score configurations yet.');
  const form = page.getByRole('form', { name: 'Create score configuration' });
  await form.getByLabel('Paid ads').fill('-1');
  await form.getByLabel('Website (organic)').fill('20');
  await form.getByRole('button', { name: 'Create configuration' }).click();
  await expectText(form.locator('[data-error-for="paidAds"]'), 'must be between 0 and 1e9');
  await expectText(form.locator('[data-error-for="hotLead"]'), 'is required');
  assert.equal(await form.locator('[data-error-for="websiteOrganic"]').count(), 0);
  assert.equal((await stored()).length, 0);

  for (const [i, label] of LABELS.entries()) await form.getByLabel(label, { exact: true }).fill(String(10 * (i + 1)));
  await form.getByLabel('Make it the active configuration').check();
  await form.getByRole('button', { name: 'Create configuration' }).click();
  await expectText(page.getByRole('status'), 'Created the configuration; it is now the active one.');
  await expectText(rows().first().getByTestId('active'), 'active');
  assert.deepEqual((await rows().first().locator('td').allInnerTexts()).slice(2, 14),
    ['10', '20', '30', '40', '50', '60', '70', '80', '90', '100', '110', '120']);
  const [config] = await stored();
  assert.equal(config.isActive, true);
  assert.equal(config.hotLead, 120);
  // New leads are scored with it: a website lead scores websiteOrganic.
  assert.equal((await server.lead('Scored', { destination: 'Goa' })).opportunityScore, 20);
});

test('the form starts from the active weights; activating another deactivates the first', async () => {
  await page.goto('/#/admin/scoring');
  const form = page.getByRole('form', { name: 'Create score configuration' });
  await expectText(form, 'Prefilled with the active configuration');
  assert.equal(await form.getByLabel('Hot lead').inputValue(), '120');
  await form.getByLabel('Website (organic)').fill('35');
  await form.getByRole('button', { name: 'Create configuration' }).click();
  await expectText(page.getByRole('status'), 'Created the configuration (not active).');
  await expectText(rows().nth(1).locator('td').nth(2), '10');  // the list has two rows
  assert.equal(await rows().count(), 2);
  assert.equal(await rows().nth(0).getByTestId('active').innerText(), 'no', 'the new one, first');
  assert.equal(await rows().nth(1).getByTestId('active').innerText(), 'active');
  assert.equal(await rows().nth(1).getByRole('button', { name: 'Activate' }).count(), 0);

  await rows().nth(0).getByRole('button', { name: 'Activate' }).click();
  await expectText(page.getByRole('status'), 'Activated the configuration; the others are inactive.');
  await expectText(rows().nth(0).getByTestId('active'), 'active');
  assert.equal(await rows().nth(1).getByTestId('active').innerText(), 'no');
  const configs = await stored();
  assert.deepEqual(configs.map((c) => [c.websiteOrganic, c.isActive]), [[35, true], [20, false]]);
  assert.equal((await server.lead('Scored again', { destination: 'Goa' })).opportunityScore, 35);
});
