// Slice 2: "My opportunities" (what is assigned to or owned by the user, filtered by status and
// paged with the API's cursor) and the follow-ups due today and overdue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS, onlyPriyaInPsv } from './harness.mjs';

let server, browser;
const names = (page) => page.getByRole('table', { name: 'Opportunities' }).locator('tbody tr td:nth-child(4)').allInnerTexts();

serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  await onlyPriyaInPsv(server);
  // 27 Goa leads for Priya (PSV), 3 of them disqualified; one Switzerland lead for WEST.
  const opps = [];
  for (let i = 1; i <= 27; i++) opps.push(await server.lead(`Goa lead ${String(i).padStart(2, '0')}`, { destination: 'Goa' }));
  assert.ok(opps.every((o) => o.assignedPsv?.name === 'Priya Shah'));
  for (const o of opps.slice(0, 3))
    await server.ok('POST', `/opportunities/${o._id}/transitions`, { to: 'PSVDisqualified', reasons: ['junk'] });
  const west = await server.lead('Swiss lead', { destination: 'Switzerland' });
  assert.equal(west.status, 'InWEST');
});

test('an agent sees the leads assigned to them, newest first, and pages with "Next page"', async () => {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.priya);
  const table = page.getByRole('table', { name: 'Opportunities' });
  await table.waitFor();
  const header = await table.locator('thead th').allInnerTexts();
  assert.deepEqual(header, ['', 'Status', 'Stage', 'Name', 'Number', 'Destination', 'Age', 'SLA', 'Next follow-up', 'Created']);
  const first = await names(page);
  assert.equal(first.length, 25);
  assert.equal(first[0], 'Goa lead 27');
  assert.equal(first[24], 'Goa lead 03');
  const row = table.locator('tbody tr').first();
  assert.deepEqual((await row.locator('td').allInnerTexts()).slice(1, 3), ['With PSV', 'PSV — new lead']);
  assert.match(await row.locator('td').nth(4).innerText(), /^\+91\d{10}$/);
  assert.equal(await row.locator('td').nth(5).innerText(), 'Goa');
  assert.equal(await page.getByRole('cell', { name: 'Swiss lead' }).count(), 0, "another agent's lead");

  await page.getByRole('button', { name: 'Next page' }).click();
  await expectText(table.locator('tbody tr').first(), 'Goa lead 02');
  assert.deepEqual(await names(page), ['Goa lead 02', 'Goa lead 01']);
  assert.equal(await page.getByRole('button', { name: 'Next page' }).count(), 0);
  await page.getByRole('button', { name: 'First page' }).click();
  await expectText(table.locator('tbody tr').first(), 'Goa lead 27');
  await page.context().close();
});

test('the status filter narrows the list', async () => {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.priya);
  await page.getByLabel('Status').selectOption('Disqualified');
  const table = page.getByRole('table', { name: 'Opportunities' });
  await expectText(table.locator('tbody tr').first(), 'Disqualified');
  assert.deepEqual(await names(page), ['Goa lead 03', 'Goa lead 02', 'Goa lead 01']);
  assert.deepEqual(await table.locator('tbody tr td:nth-child(3)').allInnerTexts(), Array(3).fill('PSV — disqualified'));

  await page.getByLabel('Status').selectOption('Won');
  await expectText(page.locator('main'), 'No opportunities match.');
  await page.getByLabel('Status').selectOption('');
  await expectText(table.locator('tbody tr').first(), 'Goa lead 27');
  await page.context().close();
});

test('a WEST agent sees only their own leads', async () => {
  const page = await openPage(browser, server);
  const west = (await server.ok('GET', '/opportunities?status=InWEST')).items[0];
  await signIn(page, await server.workerEmail(west));
  await expectText(page.getByRole('table', { name: 'Opportunities' }).locator('tbody'), 'Swiss lead');
  assert.deepEqual(await names(page), ['Swiss lead']);
  await page.context().close();
});

test('a sales person sees their opportunities and their follow-ups due today and overdue', async () => {
  const bali = await server.lead('Bali buyer', { destination: 'Bali' });  // NO-FILTER: straight to sales
  assert.equal(bali.status, 'Open');
  // Its first contact is due in 24 h: bring it to later today (the server's day; harness.mjs).
  const [first] = (await server.ok('GET', `/opportunities/${bali._id}/followups`)).items;
  const later = new Date(Date.now() + 3600_000).toISOString();
  await server.ok('POST', `/followups/${first._id}/reschedule`, { reminderDate: later, note: 'call at lunch' });
  // An overdue one cannot be made without waiting for time to pass: the API's answer for it is
  // given to the page as the server would write it, to check how the page shows it.
  const page = await openPage(browser, server);
  await page.route('**/api/v1/followups?due=overdue*', (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({
      due: 'overdue', count: 1, items: [{
        kind: 'followup', _id: 'ffffffffffffffffffffffff', oppId: bali._id, stage: 'fresh_lead',
        subStage: 'first_contact', reminderDate: '2020-01-01T09:00:00.000Z', status: 'active',
        note: 'was due long ago', overdue: true, opportunity: { _id: bali._id, name: 'Bali buyer (overdue)' },
      }],
    }),
  }));
  await signIn(page, await server.workerEmail(bali));
  const due = page.getByRole('table', { name: 'Follow-ups due' });
  await due.waitFor();
  const rows = due.locator('tbody tr');
  assert.equal(await rows.count(), 2);
  await expectText(rows.nth(0), 'Overdue');
  await expectText(rows.nth(0), 'Bali buyer (overdue)');
  await expectText(rows.nth(1), 'Today');
  await expectText(rows.nth(1), 'First contact');
  await expectText(rows.nth(1), 'call at lunch');
  const opps = page.getByRole('table', { name: 'Opportunities' });
  await expectText(opps.locator('tbody tr').first(), 'Bali buyer');
  await expectText(opps.locator('tbody tr').first(), 'Fresh lead');
  assert.doesNotMatch(await opps.locator('tbody tr').first().innerText(), /fresh_lead|FRESH_LEAD/);

  await rows.nth(1).getByRole('link', { name: 'Bali buyer' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Bali buyer');
  await page.context().close();
});
