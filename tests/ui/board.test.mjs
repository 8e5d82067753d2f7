// Issue 17 item 4: the sales pipeline board. Dragging a card to a column makes the move of the
// opportunity page (it is on the timeline); a move that needs input opens its form (won: the
// booking and its deal value); a card someone changed meanwhile is refused with the 412's words,
// a move the workflow forbids with the 409's; every move can be made from the keyboard ("Move
// to"); the board is never wider than the screen, on a phone or a laptop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS } from './harness.mjs';

let server, browser;
serverAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// A lead straight to sales (Bali is NO-FILTER in the demo data), then at the follow-up stage.
async function inFollowup(name) {
  const opp = await server.lead(name, { destination: 'Bali' });
  return server.ok('POST', `/opportunities/${opp._id}/transitions`, { to: 'followup' });
}

// The board, as `email`, once every column has its cards.
async function openBoard(email, viewport) {
  const page = await openPage(browser, server);
  await signIn(page, email);  // (on a phone the header folds: sign in first, then narrow it)
  if (viewport) await page.setViewportSize(viewport);
  await page.goto('/#/board');
  await page.waitForFunction(() => document.querySelector('.board') && !document.body.hasAttribute('aria-busy'));
  return page;
}

const column = (page, title) => page.locator(`section.board-column[aria-label="${title}"]`);
const card = (page, name) => page.locator('.board-card', { hasText: name });

test('dragging a card to a column moves it; the move is on its timeline', async () => {
  const opp = await inFollowup('Dara Drag');
  const page = await openBoard(await server.workerEmail(opp));
  await card(page, 'Dara Drag').waitFor();
  assert.equal(await column(page, 'Follow-up').locator('.board-card', { hasText: 'Dara Drag' }).count(), 1);
  for (const shown of ['Bali', 'Age', 'Next follow-up', 'Score']) await expectText(card(page, 'Dara Drag'), shown);

  await card(page, 'Dara Drag').dragTo(column(page, 'Hot lead'));
  await expectText(page.getByRole('status'), 'Moved “Dara Drag” to Hot lead.');
  await column(page, 'Hot lead').locator('.board-card', { hasText: 'Dara Drag' }).waitFor();
  const stored = await server.ok('GET', `/opportunities/${opp._id}`);
  assert.equal(stored.crmStageMeta.subStage, 'HOT_LEAD');
  assert.equal(stored.version, opp.version + 1);

  await card(page, 'Dara Drag').getByRole('link', { name: 'Dara Drag' }).click();
  await expectText(page.getByRole('region', { name: 'Timeline' }).locator('.t-activity'), 'to Hot lead');
  await page.context().close();
});

test('the keyboard moves a card with its "Move to" menu', async () => {
  const opp = await inFollowup('Kiran Keys');
  const page = await openBoard(EMAILS.admin);
  await card(page, 'Kiran Keys').getByLabel('Move Kiran Keys to').selectOption('NEGOTIATION');
  await expectText(page.getByRole('status'), 'Moved “Kiran Keys” to Negotiation.');
  await column(page, 'Negotiation').locator('.board-card', { hasText: 'Kiran Keys' }).waitFor();
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}`)).crmStageMeta.subStage, 'NEGOTIATION');
  await page.context().close();
});

test('won asks for the booking and the deal value, named when wrong, and stores them', async () => {
  const opp = await inFollowup('Wanda Won');
  const page = await openBoard(EMAILS.admin);
  await card(page, 'Wanda Won').dragTo(column(page, 'Won'));
  const form = page.getByRole('region', { name: 'Move' });
  await expectText(form.getByRole('heading'), 'Move “Wanda Won” to Won');
  await form.getByLabel('Booking id').fill('BK-2026-77');
  await form.getByLabel('Deal value').fill('1,25,000');
  await form.getByRole('button', { name: 'Move' }).click();
  await expectText(form.locator('[data-error-for="dealValue.amount"]'), 'decimal');
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}`)).status, 'Open', 'nothing changed');

  await form.getByLabel('Deal value').fill('125000.5');
  await form.getByRole('button', { name: 'Move' }).click();
  await expectText(page.getByRole('status'), 'Moved “Wanda Won” to Won.');
  await column(page, 'Won').locator('.board-card', { hasText: 'Wanda Won' }).waitFor();
  const stored = await server.ok('GET', `/opportunities/${opp._id}`);
  assert.equal(stored.status, 'Won');
  assert.equal(stored.bookingId, 'BK-2026-77');
  assert.deepEqual(stored.dealValue, { amount: '125000.50', currency: 'INR' });
  await page.context().close();
});

test('a card changed since the board was loaded is refused with the 412 in words', async () => {
  const opp = await inFollowup('Stella Stale');
  const page = await openBoard(EMAILS.admin);
  await card(page, 'Stella Stale').waitFor();
  await server.ok('PATCH', `/opportunities/${opp._id}`, { remarks: 'changed by someone else' });
  await card(page, 'Stella Stale').dragTo(column(page, 'Hot lead'));
  const alert = page.getByTestId('board-refused');
  await expectText(alert, 'Someone else changed “Stella Stale” since the board was loaded: nothing was moved.');
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}`)).crmStageMeta.subStage, 'FRESH_LEAD');
  await alert.getByRole('button', { name: 'Reload' }).click();
  await card(page, 'Stella Stale').getByLabel('Move Stella Stale to').selectOption('HOT_LEAD');
  await expectText(page.getByRole('status'), 'Moved “Stella Stale” to Hot lead.');
  await page.context().close();
});

test('a move the workflow forbids is explained with the moves allowed (409)', async () => {
  const opp = await inFollowup('Parker Parked');
  const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
  await server.ok('POST', `/opportunities/${opp._id}/transitions`, { to: 'closed_for_future_followup', nextFollowUpDate: later });
  const page = await openBoard(EMAILS.admin);
  await column(page, 'Closed — follow up later').locator('.board-card', { hasText: 'Parker Parked' }).waitFor();
  await card(page, 'Parker Parked').dragTo(column(page, 'Hot lead'));
  const alert = page.getByTestId('board-refused');
  await expectText(alert, '“Parker Parked” cannot move from Open · Closed — follow up later');
  await expectText(alert, 'From there it can go to: Follow-up, Won, Lost');
  assert.doesNotMatch(await alert.innerText(), /HOT_LEAD|closed_for_future_followup/);
  await page.context().close();
});

test('the board is no wider than the screen on a phone and on a laptop', async () => {
  await inFollowup('Wide Rao-Venkataraghavan Subramaniam Iyer');
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    const page = await openBoard(EMAILS.admin, viewport);
    await card(page, 'Wide Rao').waitFor();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    }));
    assert.ok(scrollWidth <= innerWidth, `${viewport.width}px: the page is ${scrollWidth}px wide`);
    await page.context().close();
  }
});

test('a column counts every opportunity it holds, not only the cards it shows', async () => {
  // More lost opportunities than the board draws (its newest 50).
  let lost = (await server.ok('GET', '/opportunities/counts')).byStatus.Lost ?? 0;
  for (; lost <= 52; ++lost) {
    const opp = await server.lead(`Lola Lost ${lost}`, { destination: 'Bali' });
    await server.ok('POST', `/opportunities/${opp._id}/transitions`, { to: 'lost', lostReason: 'plan_dropped' });
  }
  const page = await openBoard(EMAILS.admin);
  await expectText(column(page, 'Lost').getByTestId('column-count'), String(lost));
  await expectText(column(page, 'Lost').getByTestId('column-shown'), `The newest 50 of ${lost}.`);
  assert.equal(await column(page, 'Lost').locator('.board-card').count(), 50);
  // A column that shows all it holds says only its count.
  const hot = await column(page, 'Hot lead').locator('.board-card').count();
  await expectText(column(page, 'Hot lead').getByTestId('column-count'), String(hot));
  assert.equal(await column(page, 'Hot lead').getByTestId('column-shown').count(), 0);
  await page.context().close();
});
