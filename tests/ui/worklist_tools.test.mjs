// Issue 17 items 3, 6 and 7: the work list's tabs with counts, its sort, a saved view applied
// again, the "Export" of exactly the list, the keyboard (j/k/o, ?, /, Esc, never while typing),
// each row's age and SLA clock, and no page wider than a phone or a laptop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS, PASSWORD, onlyPriyaInPsv } from './harness.mjs';

let server, browser;
const leads = [];
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  // Only Priya in the PSV rotation for website leads: 6 Goa leads, the 2 oldest disqualified.
  await onlyPriyaInPsv(server);
  for (let i = 1; i <= 6; i++) leads.push(await server.lead(`Tools lead ${i}`, { destination: 'Goa' }));
  for (const o of leads.slice(0, 2))
    await server.ok('POST', `/opportunities/${o._id}/transitions`, { to: 'PSVDisqualified', reasons: ['junk'] });
});

const table = (page) => page.getByRole('table', { name: 'Opportunities' });
const names = (page) => table(page).locator('tbody tr td:nth-child(4)').allInnerTexts();
const tabs = (page) => page.getByRole('navigation', { name: 'Tabs' });

async function priya() {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.priya);
  await table(page).waitFor();
  return page;
}

test('tabs show the count of each status and open it', async () => {
  const page = await priya();
  await expectText(tabs(page).getByRole('link', { name: /^All/ }), '6');
  await expectText(tabs(page).getByRole('link', { name: /^With PSV/ }), '4');
  await expectText(tabs(page).getByRole('link', { name: /^Disqualified/ }), '2');
  await expectText(page.getByTestId('total'), '6 opportunities');
  await tabs(page).getByRole('link', { name: /^Disqualified/ }).click();
  await expectText(page.getByTestId('total'), '2 opportunities');
  await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Opportunities"] tbody tr').length === 2);
  assert.deepEqual(await names(page), ['Tools lead 2', 'Tools lead 1']);
  assert.equal(await tabs(page).getByRole('link', { name: /^Disqualified/ }).getAttribute('aria-current'), 'page');
  // Each row has its age; a PSV lead has no SLA clock yet (it starts at CRM entry).
  const row = table(page).locator('tbody tr').first();
  assert.match(await row.locator('td').nth(6).innerText(), /^\d+ min$/);
  assert.equal(await row.locator('td').nth(7).innerText(), '—');
  await page.context().close();
});

test('the sort orders the list, oldest first or newest first', async () => {
  const page = await priya();
  assert.equal((await names(page))[0], 'Tools lead 6');
  await page.getByLabel('Sort').selectOption('oldest');
  await expectText(table(page).locator('tbody tr').first(), 'Tools lead 1');
  assert.deepEqual(await names(page), ['Tools lead 1', 'Tools lead 2', 'Tools lead 3', 'Tools lead 4', 'Tools lead 5', 'Tools lead 6']);
  await page.getByLabel('Sort').selectOption('newest');
  await expectText(table(page).locator('tbody tr').first(), 'Tools lead 6');
  await page.context().close();
});

test('a saved view is applied again from the list of views', async () => {
  const page = await priya();
  await tabs(page).getByRole('link', { name: /^With PSV/ }).click();
  await expectText(page.getByTestId('total'), '4 opportunities');
  await page.getByLabel('Sort').selectOption('oldest');
  await expectText(table(page).locator('tbody tr').first(), 'Tools lead 3');
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.getByLabel('View name').fill('Oldest with me');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expectText(page.getByLabel('Saved view'), 'Oldest with me');

  await page.goto('/#/');
  await expectText(page.getByTestId('total'), '6 opportunities');
  await page.getByLabel('Saved view').selectOption({ label: 'Oldest with me' });
  await expectText(page.getByTestId('total'), '4 opportunities');
  await expectText(table(page).locator('tbody tr').first(), 'Tools lead 3');
  assert.equal(await page.getByLabel('Sort').inputValue(), 'oldest');
  // Another person does not see it.
  const other = await openPage(browser, server);
  await signIn(other, EMAILS.rahul);
  await other.getByLabel('Saved view').waitFor();
  assert.equal(await other.getByLabel('Saved view').locator('option', { hasText: 'Oldest with me' }).count(), 0);
  await other.context().close();
  // And it can be deleted.
  await page.getByRole('button', { name: 'Delete view' }).click();
  await page.waitForFunction(() => ![...document.querySelectorAll('#worklist-view option')].some((o) => o.textContent === 'Oldest with me'));
  await page.context().close();
});

test('"Export" downloads exactly the list as CSV', async () => {
  const page = await priya();
  await tabs(page).getByRole('link', { name: /^With PSV/ }).click();
  await expectText(page.getByTestId('total'), '4 opportunities');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export', exact: true }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^opportunities-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.equal(lines[0].split(',')[0], 'id');
  assert.equal(lines.length, 1 + 4);
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[2]), ['Tools lead 6', 'Tools lead 5', 'Tools lead 4', 'Tools lead 3']);
  await page.context().close();
});

test('the keyboard moves through the list, opens a row and shows the shortcuts', async () => {
  const page = await priya();
  const focusedName = () => page.evaluate(() => document.activeElement?.closest('tr')?.querySelector('td:nth-child(4)')?.textContent);
  await page.keyboard.press('j');
  assert.equal(await focusedName(), 'Tools lead 6');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  assert.equal(await focusedName(), 'Tools lead 4');
  await page.keyboard.press('k');
  assert.equal(await focusedName(), 'Tools lead 5');
  // The focused row is visibly marked.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, 'solid');
  await page.keyboard.press('o');
  await expectText(page.getByRole('heading', { level: 1 }), 'Tools lead 5');
  await page.goBack();
  await table(page).waitFor();
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expectText(page.getByRole('heading', { level: 1 }), 'Tools lead 6');
  await page.goBack();
  await table(page).waitFor();

  // `?` shows the shortcuts, Esc closes them.
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  await expectText(dialog, 'Next row of the list');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  // `/` goes to the search box, and what is typed there stays there.
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search' });
  assert.ok(await search.evaluate((el) => el === document.activeElement));
  await page.keyboard.type('jk?');
  assert.equal(await search.inputValue(), 'jk?');
  assert.equal(await page.getByRole('dialog').count(), 0);
  await page.context().close();
});

test('the work list with its tools is no wider than a phone or a laptop', async () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    const context = await browser.newContext({ baseURL: server.base, viewport });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto('/');
    // (On a phone the header's user is behind "Menu": the list shows the sign-in worked.)
    await page.getByLabel('Email').fill(EMAILS.priya);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await table(page).waitFor();
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByLabel('View name').waitFor();
    await page.waitForFunction(() => !document.body.hasAttribute('aria-busy'));
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    }));
    assert.ok(scrollWidth <= innerWidth, `${viewport.width}px: the page is ${scrollWidth}px wide`);
    await context.close();
  }
});

// Downloads the CSV behind the link named `name`; its lines.
async function downloaded(page, name) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name, exact: true }).click(),
  ]);
  return readFileSync(await download.path(), 'utf8').trim().split('\r\n');
}

test('the follow-ups due and the SLA report have their "Export" too', async () => {
  const bali = await server.lead('Export buyer', { destination: 'Bali' });  // straight to sales
  const [first] = (await server.ok('GET', `/opportunities/${bali._id}/followups`)).items;
  await server.ok('POST', `/followups/${first._id}/reschedule`, { reminderDate: new Date(Date.now() + 3600_000).toISOString() });
  const page = await openPage(browser, server);
  await signIn(page, await server.workerEmail(bali));
  await table(page).waitFor();
  // Its first-contact SLA clock runs (24 h from CRM entry).
  const row = table(page).locator('tbody tr', { hasText: 'Export buyer' });
  assert.match(await row.locator('td').nth(7).innerText(), /^23 h \d+ min left$/);
  const due = await downloaded(page, 'Export due today');
  assert.equal(due[0].split(',')[0], 'when');
  assert.ok(due.some((line) => line.includes(bali._id)), due.join('\n'));
  await page.context().close();

  const admin = await openPage(browser, server);
  await signIn(admin, EMAILS.admin);
  await admin.goto('/#/admin/sla');
  await admin.getByRole('table', { name: 'First-contact SLA' }).waitFor();
  const sla = await downloaded(admin, 'Export');
  assert.equal(sla[0].split(',')[0], 'sales person');
  assert.equal(sla[sla.length - 1].split(',')[0], 'total');
  await admin.context().close();
});
