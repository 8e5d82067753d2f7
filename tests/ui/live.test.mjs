// Live events in the UI (web/live.js): a lead assigned to the signed-in agent appears in their
// list without a reload, announced by a toast, the count badge and the tab title; the badge and
// the toasts never make the page wider than the window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, worklistLoaded, EMAILS } from './harness.mjs';

let server, browser;

serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  // Only Priya in the PSV rotation for website leads, so a Goa lead is hers.
  const psv = await server.ok('GET', '/availabilities?process=PSV');
  const rahul = psv.items.find((a) => a.personName === 'Rahul Verma');
  await server.ok('PATCH', `/availabilities/${rahul._id}`, { isAvailable: false });
});

// Signed in as Priya with her work list loaded and her event stream open.
async function priyaLive(viewport) {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.priya);
  if (viewport) await page.setViewportSize(viewport);  // after: on a phone the menu folds
  await worklistLoaded(page);
  await page.locator('[data-live="open"]').waitFor({ state: 'attached' });
  return page;
}

test('a lead assigned to the agent appears in their open list, with a toast, the badge and the title', async () => {
  const page = await priyaLive();
  assert.equal(await page.title(), 'leadproc');
  const opp = await server.lead('Live Lead Anand', { destination: 'Goa' });
  assert.equal(opp.assignedPsv?.name, 'Priya Shah');
  const table = page.getByRole('table', { name: 'Opportunities' });
  await expectText(table.locator('tbody tr').first(), 'Live Lead Anand');
  await expectText(page.getByRole('status'), 'New lead: Live Lead Anand');
  await expectText(page.getByTestId('live-count'), '1');
  await page.waitForFunction(() => document.title === '(1) leadproc');
  // Looking at the list clears the count.
  await page.getByTestId('live-count').click();
  await page.waitForFunction(() => document.title === 'leadproc');
  // Notifications are asked for only on a click, never on load.
  assert.equal(await page.getByRole('button', { name: 'Notify me' }).count(), 1);
  await page.context().close();
});

for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
  test(`at ${viewport.width} px the badge and a toast keep the page within the window`, async () => {
    const page = await priyaLive(viewport);
    await server.lead(`Wide toast ${'x'.repeat(60)} ${viewport.width}`, { destination: 'Goa' });
    await expectText(page.getByRole('status'), `Wide toast`);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    }));
    assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth}px wide in a ${innerWidth}px window`);
    await page.context().close();
  });
}
