// What agents and sales people do on the opportunity page beyond moving it: names instead of user
// ids (the people directory, read for each opportunity page), the destination picker of an unknown
// lead, editing the fields, rescheduling, cancelling and scheduling follow-ups, and handing a
// lead to a colleague.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, localDateTime, EMAILS, PASSWORD } from './harness.mjs';

let server, browser;
serverAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const region = (page, name) => page.getByRole('region', { name });
const fullName = (u) => `${u.firstName} ${u.lastName}`;
const inDays = (days) => new Date(Date.now() + days * 86400_000);

// Opens `opp` as the person who works it; answers the page and that person.
async function openAsWorker(opp) {
  const email = await server.workerEmail(opp);
  const page = await openPage(browser, server);
  await signIn(page, email);
  await page.goto(`/#/opportunities/${opp._id}`);
  await expectText(page.getByRole('heading', { level: 1 }), opp.name);
  return { page, worker: await server.userByEmail(email) };
}

test('a sales person sees names, not ids, and each opportunity page reads the directory afresh', async () => {
  const lead = await server.lead('Nia Names', { destination: 'Goa' });
  const agentEmail = await server.workerEmail(lead);
  const agent = await server.userByEmail(agentEmail);
  // The agent qualifies it (qualifiedBy, an activity by them); an admin adds a note.
  const agentToken = await server.login(agentEmail);
  const opp = await server.ok('POST', `/opportunities/${lead._id}/transitions`, { to: 'PSVQualified' }, agentToken);
  await server.ok('POST', `/opportunities/${opp._id}/notes`, { note: 'VIP client, call in the morning' });

  const { page, worker: sales } = await openAsWorker(opp);
  const directoryCalls = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/people') directoryCalls.push(r.url()); });
  const details = region(page, 'Details');
  await expectText(details.locator('dd'), `${fullName(sales)} (you)`);
  await expectText(details.locator('dt'), 'Qualified by');
  await expectText(details.locator('dd'), fullName(agent));
  const timeline = region(page, 'Timeline');
  for (const folded of await timeline.locator('summary').all()) await folded.click();
  await expectText(timeline.locator('.t-note'), 'Ada Admin');
  await expectText(timeline.locator('.t-activity'), `— ${fullName(agent)}`);
  await expectText(timeline.locator('.changes li').filter({ hasText: 'Sales owner' }), `Sales owner: ∅ → ${fullName(sales)} (you)`);
  await expectText(region(page, 'Follow-ups'), `${fullName(sales)} (you)`);
  assert.equal(await page.getByText(/user …[0-9a-f]{6}/).count(), 0, 'no bare user id on the page');

  // The team changes (a colleague's name): the next opportunity page shows it.
  await server.ok('PATCH', `/users/${agent._id}`, { firstName: 'Renamed' });
  await page.goto('/#/');
  await expectText(page.getByRole('heading', { level: 1 }), 'My opportunities');
  await page.goto(`/#/opportunities/${opp._id}`);
  await expectText(details.locator('dd'), `Renamed ${agent.lastName}`);
  assert.equal(directoryCalls.length, 1, 'one read for the page opened again');
  await server.ok('PATCH', `/users/${agent._id}`, { firstName: agent.firstName });  // as it was
  await page.context().close();
});

test('an agent resolves an unknown lead by picking its destination from a list', async () => {
  const opp = await server.lead('Uma Unknown');  // no destination: ResolvingUnknown
  assert.equal(opp.status, 'ResolvingUnknown');
  const { page } = await openAsWorker(opp);
  const move = region(page, 'Move');
  await move.getByLabel('Move to').selectOption('UnknownResolved');
  const picker = move.getByLabel('Destination');
  await picker.locator('option', { hasText: 'Kerala' }).waitFor({ state: 'attached' });
  const offered = await picker.locator('option').allInnerTexts();
  assert.deepEqual(offered, ['Choose a destination', 'Bali', 'Europe', 'Goa', 'Iceland', 'Kerala', 'Switzerland']);
  await move.getByRole('button', { name: 'Move' }).click();  // none chosen yet
  // Next to the picker (an inner locator of filter() is relative: from the page, not the region).
  await move.locator('.field').filter({ has: page.getByLabel('Destination') }).locator('[data-error-for="destination"]').waitFor();
  await expectText(page.getByTestId('status'), 'Destination unknown');

  await picker.selectOption({ label: 'Kerala' });
  await move.getByRole('button', { name: 'Move' }).click();
  await expectText(page.getByRole('status'), 'Moved to Destination found.');
  await expectText(page.getByTestId('status'), 'Open');
  await expectText(region(page, 'Details').locator('dd'), 'Kerala');
  const stored = await server.ok('GET', `/opportunities/${opp._id}`);
  assert.equal(stored.destination.name, 'Kerala');
  assert.equal(stored.qualificationStatus, 'UnknownResolved');
  await page.context().close();
});

test('editing the fields: errors next to their fields, only changes sent, a stale version refused', async () => {
  const opp = await server.lead('Eli Edit', { destination: 'Goa', email: 'eli@example.com', pax: 2 });
  const { page } = await openAsWorker(opp);
  const edit = region(page, 'Edit');
  await edit.getByText('Edit the customer and trip fields').click();
  const form = edit.getByRole('form', { name: 'Edit opportunity' });
  await form.getByRole('button', { name: 'Save' }).click();
  await expectText(form, 'Nothing to save: no field was changed.');

  await form.getByLabel('Email').fill('not an email');
  await form.getByLabel('Alternate phone').fill('12');
  await form.getByLabel('Pax', { exact: true }).fill('4');
  await form.getByLabel('Tags').fill('honeymoon, beach');
  await form.getByRole('button', { name: 'Save' }).click();
  const errorOf = (label, name) => form.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) }).locator(`[data-error-for="${name}"]`);
  await errorOf('Email', 'email').waitFor();
  await errorOf('Alternate phone', 'alternatePhone').waitFor();
  await expectText(form.getByRole('alert'), 'Unprocessable');
  let stored = await server.ok('GET', `/opportunities/${opp._id}`);
  assert.equal(stored.pax, '2', 'a refused edit changes nothing');

  await form.getByLabel('Email').fill('');  // cleared
  await form.getByLabel('Alternate phone').fill('+91 98123 45678');
  await form.getByRole('button', { name: 'Save' }).click();
  await expectText(page.getByRole('status'), 'Saved: email, alternatePhone, pax, tags.');
  const details = region(page, 'Details');
  await expectText(details.locator('dd'), 'honeymoon, beach');
  await expectText(details.locator('dd'), '+91 9812345678');
  stored = await server.ok('GET', `/opportunities/${opp._id}`);
  assert.equal(stored.email, null);
  assert.equal(stored.pax, '4');
  assert.deepEqual(stored.tags, ['honeymoon', 'beach']);
  assert.equal(stored.remarks, null, 'an untouched field is not sent');
  await expectText(region(page, 'Timeline').locator('.changes li'), 'Pax: 2 → 4');

  // Someone else edits it in between: the save is refused and Reload shows their change.
  await edit.getByText('Edit the customer and trip fields').click();
  await form.getByLabel('Trip type').fill('family');
  await server.ok('PATCH', `/opportunities/${opp._id}`, { tripType: 'honeymoon' });
  await form.getByRole('button', { name: 'Save' }).click();
  await expectText(form.getByRole('alert'), 'Someone else changed this');
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}`)).tripType, 'honeymoon');
  await form.getByRole('alert').getByRole('button', { name: 'Reload' }).click();
  await expectText(details.locator('dt'), 'Trip type');
  await page.context().close();
});

test('a sales person reschedules, cancels and schedules follow-ups', async () => {
  const opp = await server.lead('Ravi Reschedule', { destination: 'Bali' });  // straight to sales
  const { page, worker } = await openAsWorker(opp);
  const followups = region(page, 'Follow-ups');
  assert.equal(await followups.getByRole('form', { name: 'Schedule follow-up' }).count(), 0, 'one is active');
  await followups.getByText('Reschedule or cancel').click();
  const reschedule = followups.getByRole('form', { name: 'Reschedule follow-up' });
  await reschedule.getByLabel('New date').fill(localDateTime(inDays(-1)));
  await reschedule.getByRole('button', { name: 'Reschedule' }).click();
  await reschedule.locator('[data-error-for="reminderDate"]').waitFor();  // in the past

  const later = inDays(2);
  await reschedule.getByLabel('New date').fill(localDateTime(later));
  await reschedule.getByLabel('Note').fill('call after 6 pm');
  await reschedule.getByRole('button', { name: 'Reschedule' }).click();
  await expectText(page.getByRole('status'), 'Follow-up rescheduled.');
  await expectText(followups, 'call after 6 pm');
  let items = (await server.ok('GET', `/opportunities/${opp._id}/followups`)).items;
  assert.equal(items[0].status, 'active');
  assert.equal(new Date(items[0].reminderDate).getTime(), new Date(localDateTime(later)).getTime());

  // A change by someone else in between is refused.
  await followups.getByText('Reschedule or cancel').click();
  const cancel = followups.getByRole('form', { name: 'Cancel follow-up' });
  await cancel.getByLabel('Why').fill('client asked to wait');
  await server.ok('POST', `/followups/${items[0]._id}/reschedule`, { reminderDate: inDays(3).toISOString() });
  await cancel.getByRole('button', { name: 'Cancel follow-up' }).click();
  await expectText(cancel.getByRole('alert'), 'Someone else changed this');
  await cancel.getByRole('alert').getByRole('button', { name: 'Reload' }).click();

  // The Reload keeps what was typed (its section open), to send again against the new version.
  await cancel.locator('[data-latest-for="customRemark"]').waitFor();
  assert.equal(await cancel.getByLabel('Why').inputValue(), 'client asked to wait');
  await cancel.getByRole('button', { name: 'Cancel follow-up' }).click();
  await expectText(page.getByRole('status'), 'Follow-up canceled.');
  await expectText(followups.getByTestId('followup-status'), 'canceled');

  const schedule = followups.getByRole('form', { name: 'Schedule follow-up' });
  await schedule.getByRole('button', { name: 'Schedule' }).click();
  await schedule.locator('[data-error-for="reminderDate"]').waitFor();
  await schedule.getByLabel('When').fill(localDateTime(inDays(1)));
  await schedule.getByLabel('Note').fill('second try');
  await schedule.getByRole('button', { name: 'Schedule' }).click();
  await expectText(page.getByRole('status'), 'Follow-up scheduled.');
  await expectText(followups.getByTestId('followup-status'), 'active');
  items = (await server.ok('GET', `/opportunities/${opp._id}/followups`)).items;
  assert.deepEqual(items.map((f) => f.status), ['active', 'canceled']);
  assert.equal(items[0].subStage, 'first_contact', 'a canceled first contact is still owed');
  assert.equal(items[0].owner, worker._id);
  await page.context().close();
});

test('an agent hands a lead to a colleague and no longer works it', async () => {
  const opp = await server.lead('Hana Handover', { destination: 'Goa' });
  const { page, worker } = await openAsWorker(opp);
  const colleague = fullName(worker) === 'Priya Shah' ? 'Rahul Verma' : 'Priya Shah';
  const form = region(page, 'Reassign');
  const options = await form.getByLabel('Give it to (PSV)').locator('option').allInnerTexts();
  assert.ok(options.includes(colleague), `${colleague} offered: ${options}`);
  assert.ok(!options.includes(fullName(worker)), 'not to the agent themselves');
  assert.ok(!options.includes('Sam Kapoor'), 'only colleagues of the department');
  await form.getByLabel('Give it to (PSV)').selectOption({ label: colleague });
  await form.getByLabel('Remarks').fill('on leave tomorrow');
  await form.getByRole('button', { name: 'Reassign' }).click();
  await expectText(page.getByRole('status'), `Reassigned to ${colleague}. It has left your list.`);
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}`)).assignedPsv.name, colleague);
  await page.context().close();
});

test('someone who may read a lead but not change it gets no forms to change it', async () => {
  // An agent moved to WEST keeps sight of the PSV lead assigned to them, but may not change it.
  const opp = await server.lead('Rita Readonly', { destination: 'Goa' });
  const email = `dina.${Date.now()}@leadproc.test`;
  const dina = await server.ok('POST', '/users', { email, firstName: 'Dina', lastName: 'Moved', department: 'PSV', password: PASSWORD });
  await server.ok('POST', `/opportunities/${opp._id}/reassign`, { to: dina._id });
  await server.ok('PATCH', `/users/${dina._id}`, { department: 'WEST' });
  const page = await openPage(browser, server);
  await signIn(page, email);
  await page.goto(`/#/opportunities/${opp._id}`);
  await expectText(page.getByTestId('read-only'), 'You can read this opportunity but not change it.');
  await expectText(region(page, 'Details').locator('dd'), 'Dina Moved (you)');
  for (const name of ['Edit', 'Move', 'Reassign', 'Notes'])
    assert.equal(await region(page, name).count(), 0, `no ${name} section`);
  await expectText(region(page, 'Timeline'), 'Ada Admin');
  await page.context().close();
});

test('an agent checks out from the header and gets no lead until checking in', async () => {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.meera);
  const status = page.getByTestId('work-status');
  await expectText(status, 'Working');
  await status.getByRole('button', { name: 'Check out' }).click();
  await expectText(status, 'Checked out until');
  const me = await server.userByEmail(EMAILS.meera);
  const [poc] = (await server.ok('GET', `/availabilities?personId=${me._id}`)).items;
  assert.equal(poc.offDuty, 'checked out');
  await status.getByRole('button', { name: 'Check in' }).click();
  await expectText(status, 'Working');
  const [back] = (await server.ok('GET', `/availabilities?personId=${me._id}`)).items;
  assert.equal(back.workingNow, true);
});
