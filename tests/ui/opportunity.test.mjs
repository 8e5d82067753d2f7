// Slice 3: the opportunity page: its fields, moves (with what each needs), the timeline with each
// changed field's old -> new, notes, completing a follow-up, and someone else's change in between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, localDateTime } from './harness.mjs';

let server, browser;
serverAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// Opens `opp` as the person who works it.
async function openAsWorker(opp) {
  const page = await openPage(browser, server);
  await signIn(page, await server.workerEmail(opp));
  await page.goto(`/#/opportunities/${opp._id}`);
  await expectText(page.getByRole('heading', { level: 1 }), opp.name);
  return page;
}

const move = (page) => page.getByRole('region', { name: 'Move' });
const timeline = (page) => page.getByRole('region', { name: 'Timeline' });

test('shows the fields and moves to an allowed stage; the timeline shows old -> new', async () => {
  const opp = await server.lead('Asha Goa', { destination: 'Goa', email: 'asha@example.com', pax: 3,
    remarks: 'Wants 12-day Europe in May' });
  const page = await openAsWorker(opp);
  const details = page.getByRole('region', { name: 'Details' });
  for (const value of [opp.number, 'asha@example.com', 'Goa', 'PSV', 'website', opp.assignedPsv.name])
    await expectText(details.locator('dd'), value);
  await expectText(page.getByTestId('status'), 'With PSV');
  await expectText(page.getByTestId('stage'), 'PSV — new lead');
  const options = await move(page).getByLabel('Move to').locator('option').allInnerTexts();
  assert.deepEqual(options.slice(1), ['PSV — follow-up 1', 'PSV — call back later', 'PSV — qualified', 'PSV — disqualified']);

  await move(page).getByLabel('Move to').selectOption('PSVFollowUp1');
  await move(page).getByLabel('Comment').fill('no answer, try tomorrow');
  await move(page).getByRole('button', { name: 'Move' }).click();
  await expectText(page.getByRole('status'), 'Moved to PSV — follow-up 1.');
  await expectText(page.getByTestId('stage'), 'PSV — follow-up 1');
  const change = timeline(page).locator('.changes li').filter({ hasText: 'PSV/WEST stage' }).first();
  await expectText(change, 'PSV/WEST stage: PSV — new lead → PSV — follow-up 1');
  await expectText(timeline(page).locator('.t-activity'), 'Moved from With PSV · PSV — new lead to PSV — follow-up 1');
  // Words, never codes, field paths or ids.
  const shown = await timeline(page).innerText();
  assert.doesNotMatch(shown, /filtrationStatus|PSVFollowUp1|InPSV|[0-9a-f]{24}/);
  // The comment is on the move's timeline entry; the customer's remarks are untouched.
  await expectText(timeline(page), 'no answer, try tomorrow');
  let stored = await server.ok('GET', `/opportunities/${opp._id}`);
  assert.equal(stored.filtrationStatus.stage, 'PSVFollowUp1');
  assert.equal(stored.remarks, 'Wants 12-day Europe in May');
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}/notes`)).items.length, 0);

  // Kept as a note too, when asked.
  await move(page).getByLabel('Move to').selectOption('PSVFollowUp2');
  await move(page).getByLabel('Comment').fill('called twice, will try Friday');
  await move(page).getByLabel('Also keep it as a note').check();
  await move(page).getByRole('button', { name: 'Move' }).click();
  await expectText(page.getByTestId('stage'), 'PSV — follow-up 2');
  await expectText(timeline(page).locator('.note-text'), 'called twice, will try Friday');
  stored = await server.ok('GET', `/opportunities/${opp._id}`);
  assert.equal(stored.remarks, 'Wants 12-day Europe in May');
  await page.context().close();
});

// Issue 16 item 8: a PSV follow-up step proposes the next attempt (the same time tomorrow); the
// agent may change it, and it is the attempt's due time in their list.
test('a follow-up step proposes the next attempt, which the agent may change', async () => {
  const opp = await server.lead('Nik Attempt', { destination: 'Goa' });
  const page = await openAsWorker(opp);
  await move(page).getByLabel('Move to').selectOption('PSVFollowUp1');
  const field = move(page).getByLabel('Next attempt');
  const proposed = new Date(await field.inputValue());
  const hours = (proposed.getTime() - Date.now()) / 3_600_000;
  assert.ok(hours > 23 && hours < 25, `proposed ${proposed.toISOString()}: about a day ahead`);

  const chosen = new Date(Date.now() + 2 * 86_400_000);
  chosen.setHours(10, 30, 0, 0);
  await field.fill(localDateTime(chosen));
  await move(page).getByRole('button', { name: 'Move' }).click();
  await expectText(page.getByTestId('stage'), 'PSV — follow-up 1');
  const stored = await server.ok('GET', `/opportunities/${opp._id}`);
  assert.equal(stored.nextFollowUpDate, chosen.toISOString());
  const due = await server.ok('GET', `/followups?due=upcoming&owner=${opp.assignedPsv._id}`);
  const item = due.items.find((i) => i.oppId === opp._id);
  assert.equal(item?.kind, 'filtration');
  assert.equal(item?.reminderDate, chosen.toISOString());
  await page.context().close();
});

test('a move that needs more shows the API\'s field errors next to the fields', async () => {
  const opp = await server.lead('Dev Disqualify', { destination: 'Kerala' });
  const page = await openAsWorker(opp);
  await move(page).getByLabel('Move to').selectOption('PSVDisqualified');
  await move(page).getByRole('button', { name: 'Move' }).click();
  const reasons = move(page).locator('fieldset[data-field="reasons"]');
  await reasons.locator('.field-error').waitFor();
  await expectText(move(page).getByRole('alert'), 'Unprocessable');
  await expectText(page.getByTestId('status'), 'With PSV');  // nothing changed

  await reasons.getByLabel('other').check();
  await move(page).getByRole('button', { name: 'Move' }).click();
  // "other" needs remarks: the error lands next to the remarks field.
  await move(page).locator('[data-error-for="remarks"]').waitFor();
  await move(page).getByLabel('Comment').fill('asked for a job');
  await move(page).getByRole('button', { name: 'Move' }).click();
  await expectText(page.getByTestId('status'), 'Disqualified');
  await expectText(move(page), 'No moves: this opportunity is closed.');
  await page.context().close();
});

test('a future follow-up asks for its date', async () => {
  const opp = await server.lead('Fay Future', { destination: 'Goa' });
  const page = await openAsWorker(opp);
  await move(page).getByLabel('Move to').selectOption('PSVFutureFollowUp');
  const when = new Date(Date.now() + 3 * 86400_000);
  const local = new Date(when.getTime() - when.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await move(page).getByLabel('Next follow-up').fill(local);
  await move(page).getByRole('button', { name: 'Move' }).click();
  await expectText(page.getByTestId('stage'), 'PSV — call back later');
  await expectText(page.getByRole('region', { name: 'Details' }).locator('dt'), 'Next follow-up');
  await page.context().close();
});

test('a change made by someone else in the meantime is refused; Reload shows it', async () => {
  const opp = await server.lead('Raj Race', { destination: 'Goa' });
  const page = await openAsWorker(opp);
  await move(page).getByLabel('Move to').selectOption('PSVFollowUp1');
  // An admin moves it first.
  await server.ok('POST', `/opportunities/${opp._id}/transitions`, { to: 'PSVFollowUp1' });
  await move(page).getByRole('button', { name: 'Move' }).click();
  await expectText(move(page).getByRole('alert'), 'Someone else changed this');
  await expectText(page.getByTestId('stage'), 'PSV — new lead');  // still the page as it was read
  await move(page).getByRole('alert').getByRole('button', { name: 'Reload' }).click();
  await expectText(page.getByTestId('stage'), 'PSV — follow-up 1');
  const stored = await server.ok('GET', `/opportunities/${opp._id}`);
  assert.equal(stored.version, opp.version + 1, 'the refused move changed nothing');
  await page.context().close();
});

test('a lead the agent qualified is the sales person\'s: the agent may read it, not change it', async () => {
  const opp = await server.lead('Quinn Qualified', { destination: 'Goa' });
  const page = await openAsWorker(opp);
  await move(page).getByLabel('Move to').selectOption('PSVQualified');
  await move(page).getByLabel('Comment').fill('wants a beach villa');
  await move(page).getByRole('button', { name: 'Move' }).click();
  await expectText(page.getByTestId('status'), 'Open');
  await expectText(page.getByTestId('read-only'), 'You can read this opportunity but not change it');
  assert.equal(await page.getByRole('region', { name: 'Move' }).count(), 0, 'no move form is offered');
  await page.context().close();
});

test('notes: over 2000 characters is refused next to the field; a note joins the timeline', async () => {
  const opp = await server.lead('Nora Notes', { destination: 'Goa' });
  const page = await openAsWorker(opp);
  const notes = page.getByRole('region', { name: 'Notes' });
  await notes.getByLabel('Note', { exact: true }).fill('x'.repeat(2001));
  await expectText(notes, '2001 / 2000');
  await notes.getByRole('button', { name: 'Add note' }).click();
  await notes.locator('[data-error-for="note"]').waitFor();
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}/notes`)).items.length, 0);

  await notes.getByLabel('Note', { exact: true }).fill('Wants a beach villa\nfor 3 nights');
  await notes.getByRole('button', { name: 'Add note' }).click();
  await expectText(page.getByRole('status'), 'Note added.');
  await expectText(timeline(page).locator('.note-text'), 'Wants a beach villa');
  await page.context().close();
});

test('a sales person completes the first-contact follow-up', async () => {
  const opp = await server.lead('Sia Sales', { destination: 'Bali' });
  const page = await openAsWorker(opp);
  await expectText(page.getByTestId('stage'), 'Fresh lead');
  const followups = page.getByRole('region', { name: 'Follow-ups' });
  await expectText(followups.getByTestId('followup-status'), 'active');
  await expectText(followups, 'First contact');
  const form = followups.getByRole('form', { name: 'Complete follow-up' });
  await form.getByRole('button', { name: 'Complete' }).click();  // no outcome yet
  await form.locator('[data-error-for="outcome"]').waitFor();

  await form.getByLabel('Outcome').selectOption('connected');
  await form.getByLabel('Note').fill('spoke, sending a quote');
  await form.getByRole('button', { name: 'Complete' }).click();
  await expectText(page.getByRole('status'), 'Follow-up completed.');
  await expectText(followups.getByTestId('followup-status'), 'completed');
  await expectText(page.getByTestId('stage'), 'Follow-up');
  await expectText(timeline(page).locator('.changes li'), 'CRM stage: Fresh lead → Follow-up');
  await page.context().close();
});
