// Slice 4: the admin pages: every opportunity with filters, reassignment, users (create,
// deactivate, clear a login delay), availabilities (the last POC of a pool cannot leave rotation) and web URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS, PASSWORD } from './harness.mjs';

let server, browser, page;
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  await server.lead('Ann Goa', { destination: 'Goa' });
  await server.lead('Ben Swiss', { destination: 'Switzerland' });
  await server.lead('Cal Bali', { destination: 'Bali' });
  page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
});

test('all opportunities, filtered by process and destination', async () => {
  await page.goto('/#/admin/opportunities');
  const table = page.getByRole('table', { name: 'Opportunities' });
  await expectText(table.locator('tbody tr').first(), 'Cal Bali');
  const names = () => table.locator('tbody tr td:nth-child(4)').allInnerTexts();
  assert.deepEqual(await names(), ['Cal Bali', 'Ben Swiss', 'Ann Goa']);

  await page.getByLabel('Process').selectOption('WEST');
  await expectText(table.locator('tbody tr').first(), 'Ben Swiss');
  assert.deepEqual(await names(), ['Ben Swiss']);
  await expectText(table.locator('tbody tr').first(), 'WEST');

  await page.getByLabel('Process').selectOption('');
  await page.getByLabel('Destination').selectOption({ label: 'Goa' });
  await expectText(table.locator('tbody tr').first(), 'Ann Goa');
  assert.deepEqual(await names(), ['Ann Goa']);
});

test('reassigning an opportunity to another PSV agent', async () => {
  const opp = await server.lead('Dia Reassign', { destination: 'Goa' });
  const other = opp.assignedPsv.name === 'Priya Shah' ? 'Rahul Verma' : 'Priya Shah';
  await page.goto(`/#/opportunities/${opp._id}`);
  const form = page.getByRole('region', { name: 'Reassign' });
  await form.getByRole('option', { name: other }).waitFor({ state: 'attached' });
  await form.getByLabel('Give it to (PSV)').selectOption({ label: other });
  await form.getByLabel('Remarks').fill('on leave');
  await form.getByRole('button', { name: 'Reassign' }).click();
  await expectText(page.getByRole('status'), 'Reassigned.');
  await expectText(page.getByRole('region', { name: 'Details' }).locator('dd'), other);
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}`)).assignedPsv.name, other);
});

test('creating a user shows the API\'s field errors; deactivating takes them out', async () => {
  await page.goto('/#/admin/users');
  const form = page.getByRole('form', { name: 'Create user' });
  await form.getByLabel('Email').fill('tara.psv@leadproc.test');
  await form.getByLabel('First name').fill('Tara');
  await form.getByLabel('Department').selectOption('PSV');
  await form.getByLabel('Password').fill('short');
  await form.getByRole('button', { name: 'Create user' }).click();
  await form.locator('[data-error-for="password"]').waitFor();
  assert.equal(await server.userByEmail('tara.psv@leadproc.test'), undefined);

  await form.getByLabel('Password').fill('Tara-long-password-1');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expectText(page.getByRole('status'), 'Created tara.psv@leadproc.test.');
  const row = page.locator('tr[data-email="tara.psv@leadproc.test"]');
  await row.waitFor();  // the list loads after the form
  assert.deepEqual((await row.locator('td').allInnerTexts()).slice(0, 4), ['Tara', 'tara.psv@leadproc.test', 'PSV', 'yes']);

  // Creating offers the rotation (issue 16 item 10): Tara joins the PSV pool for Goa, leads
  // from Instagram.
  const tara = await server.userByEmail('tara.psv@leadproc.test');
  const rotation = page.getByRole('form', { name: 'Put Tara in rotation' });
  await rotation.getByLabel('Goa').check();
  await rotation.getByLabel('Instagram').check();
  await rotation.getByRole('button', { name: 'Put in rotation' }).click();
  await expectText(page.getByRole('status'), 'tara.psv@leadproc.test is in the PSV rotation.');
  const [poc] = (await server.ok('GET', `/availabilities?personId=${tara._id}`)).items;
  assert.equal(poc.process, 'PSV');
  assert.equal(poc.isAvailable, true);
  assert.deepEqual(poc.destinations.map((d) => d.name), ['Goa']);
  assert.deepEqual(poc.source, ['instagram']);
  // She holds no leads: deactivating her takes her out of rotation again.

  // Deactivating asks first; Tara holds no leads, so there is nothing to hand over.
  await row.getByRole('button', { name: 'Deactivate' }).click();
  const confirm = page.getByRole('form', { name: 'Deactivate Tara' });
  await expectText(confirm, 'No open leads');
  assert.equal((await server.userByEmail('tara.psv@leadproc.test')).isActive, true, 'not before confirming');
  await confirm.getByRole('button', { name: 'Confirm deactivation' }).click();
  await expectText(page.locator('tr[data-email="tara.psv@leadproc.test"] td:nth-child(4)'), 'no');
  assert.equal((await server.userByEmail('tara.psv@leadproc.test')).isActive, false);
});

test('a user delayed after failed logins is cleared from the users view', async () => {
  const email = 'una.psv@leadproc.test';
  await server.ok('POST', '/users', { email, firstName: 'Una', department: 'PSV', password: PASSWORD });
  for (let i = 0; i < 5; i++)
    assert.equal((await server.call('POST', '/auth/login', { email, password: 'Wrong-password-9' }, 'none')).status, 401);
  assert.equal((await server.call('POST', '/auth/login', { email, password: PASSWORD }, 'none')).status, 429);
  await page.goto('/#/admin/users');
  await page.reload();  // the previous test may have left this view open, rendered before the failures
  const row = page.locator(`tr[data-email="${email}"]`);
  await row.getByRole('button', { name: 'Clear login delay' }).click();
  await expectText(page.getByRole('status'), `${email} can log in again at once.`);
  await page.locator(`tr[data-email="${email}"]`).waitFor();
  assert.equal(await page.locator(`tr[data-email="${email}"]`).getByRole('button', { name: 'Clear login delay' }).count(), 0);
  assert.equal((await server.call('POST', '/auth/login', { email, password: PASSWORD }, 'none')).status, 200);
});

test('availabilities: a POC leaves rotation, but not the last one a pool needs (409 shown)', async () => {
  await page.goto('/#/admin/availabilities');
  const sam = page.locator('tr[data-person="Sam Kapoor"][data-pool="Sales"]');
  await sam.getByRole('button', { name: 'Take out of rotation' }).click();
  await expectText(page.locator('tr[data-person="Sam Kapoor"][data-pool="Sales"] td:nth-child(6)'), 'no');

  const nina = page.locator('tr[data-person="Nina Das"][data-pool="Sales"]');
  await nina.getByRole('button', { name: 'Take out of rotation' }).click();
  await expectText(nina.getByRole('alert'), 'Conflict');
  await expectText(nina.locator('td:nth-child(6)'), 'yes');
  const sales = await server.ok('GET', '/availabilities?process=Sales');
  assert.equal(sales.items.find((a) => a.personName === 'Nina Das').isAvailable, true);

  await page.locator('tr[data-person="Sam Kapoor"][data-pool="Sales"]').getByRole('button', { name: 'Put in rotation' }).click();
  await expectText(page.locator('tr[data-person="Sam Kapoor"][data-pool="Sales"] td:nth-child(6)'), 'yes');
});

test('web URLs: most hits first; marking one gives its leads a destination', async () => {
  const popular = 'https://blog.example.com/monsoon-escapes';
  for (let i = 0; i < 3; i++) await server.lead(`Web ${i}`, { page: popular });
  await page.goto('/#/admin/weburls');
  const rows = page.getByRole('table', { name: 'Web URLs' }).locator('tbody tr');
  await expectText(rows.first(), popular);
  await expectText(rows.first().locator('td:nth-child(2)'), '3');

  // Three leads wait on the URL (no destination yet): the mark says where they will go first
  // (issue 16 item 9), and changes nothing until confirmed.
  const waiting = (await server.ok('GET', '/opportunities?status=ResolvingUnknown&limit=500')).items
    .filter((o) => o.name.startsWith('Web '));
  assert.equal(waiting.length, 3);
  const row = page.locator(`tr[data-url="${popular}"]`);
  await row.getByRole('combobox').selectOption({ label: 'Kerala' });
  await row.getByRole('button', { name: 'Save' }).click();
  const confirm = page.getByRole('form', { name: 'Confirm the mark' });
  await expectText(confirm, '3 waiting leads will be routed as new leads of Kerala');
  const routes = await confirm.getByRole('list', { name: 'Where they go' }).locator('li').allInnerTexts();
  assert.equal(routes.reduce((n, r) => n + Number(r.split(' ')[0]), 0), 3, routes.join(' | '));
  for (const o of waiting)
    assert.equal((await server.ok('GET', `/opportunities/${o._id}`)).status, 'ResolvingUnknown', 'not before confirming');
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expectText(page.locator(`tr[data-url="${popular}"] td:nth-child(4)`), 'Kerala');
  for (const o of waiting) {
    const routed = await server.ok('GET', `/opportunities/${o._id}`);
    assert.notEqual(routed.status, 'ResolvingUnknown');
    assert.equal(routed.destination?.name, 'Kerala');
  }
  const opp = await server.lead('Web after', { page: `${popular}?utm=x` });
  assert.equal(opp.destination?.name, 'Kerala');

  // The to-do list: a marked URL leaves it, the unmarked ones stay.
  await page.getByLabel('Show').selectOption('false');
  await page.locator(`tr[data-url="${popular}"]`).waitFor({ state: 'detached' });
  await page.locator('tr[data-url="https://blog.example.com/goa/best-beaches"]').waitFor();
  assert.equal(await page.locator('tr[data-url="https://blog.example.com/kerala-backwaters-guide"]').count(), 0);
});

// Issue 16 item 10: deactivating someone who holds open leads shows them and hands them over in
// the same step; without a choice the API's refusal is shown and nothing changes.
test('deactivating an agent hands their open leads over in the same step', async () => {
  const leads = [await server.lead('Eve Handover', { destination: 'Goa' }), await server.lead('Fay Handover', { destination: 'Goa' })];
  const holder = leads[0].assignedPsv;
  const theirs = leads.filter((o) => o.assignedPsv._id === holder._id);
  const user = await server.ok('GET', `/users/${holder._id}`);
  await page.goto('/#/admin/users');
  await page.reload();
  await page.locator(`tr[data-email="${user.email}"]`).getByRole('button', { name: 'Deactivate' }).click();
  const confirm = page.getByRole('form', { name: `Deactivate ${holder.name}` });
  const open = (await server.ok('GET', `/users/${holder._id}/open-opportunities`)).count;
  await expectText(confirm, `${open} open lead`);
  for (const o of theirs) await expectText(confirm.getByRole('list', { name: 'Open leads' }), o.name);

  // No choice: the API's answer is shown, nothing changes.
  await confirm.getByRole('button', { name: 'Confirm deactivation' }).click();
  await confirm.getByRole('alert').waitFor();
  assert.equal((await server.ok('GET', `/users/${holder._id}`)).isActive, true);

  await confirm.getByLabel('Hand them over to').selectOption({ label: 'Spread by round robin' });
  await confirm.getByRole('button', { name: 'Confirm deactivation' }).click();
  await expectText(page.getByRole('status'), `Deactivated ${user.email}; ${open} open`);
  assert.equal((await server.ok('GET', `/users/${holder._id}`)).isActive, false);
  assert.equal((await server.ok('GET', `/users/${holder._id}/open-opportunities`)).count, 0);
  for (const o of theirs)
    assert.notEqual((await server.ok('GET', `/opportunities/${o._id}`)).assignedPsv._id, holder._id);
});

test('availabilities: shifts edited as text; who is working now; a bad line is named', async () => {
  await page.goto('/#/admin/availabilities');
  const row = () => page.locator('tr[data-person="Rahul Verma"][data-pool="PSV"]');
  await expectText(row().getByTestId('working-now'), 'yes');
  await row().getByRole('button', { name: 'Edit shifts' }).click();
  const form = page.getByRole('form', { name: 'Shifts and leave of Rahul Verma' });
  // A shift that is never now: a day three days away (in any zone).
  const far = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][(new Date().getUTCDay() + 2) % 7];
  await form.getByLabel(/Shifts/).fill(`${far} 09:00 18:00\nmonday 25:00 10:00`);
  await form.getByRole('button', { name: 'Save shifts' }).click();
  await expectText(form.locator('[data-error-for="shifts[1].day"]'), 'must be one of');
  await expectText(form.locator('[data-error-for="shifts[1].start"]'), 'HH:MM');

  await form.getByLabel(/Shifts/).fill(`${far} 09:00 18:00`);
  await form.getByRole('button', { name: 'Save shifts' }).click();
  await expectText(row().getByTestId('working-now'), 'no (off shift)');
  await expectText(row().locator('td:nth-child(7)'), `${far} 09:00–18:00`);

  await row().getByRole('button', { name: 'Edit shifts' }).click();
  await page.getByRole('form', { name: 'Shifts and leave of Rahul Verma' }).getByLabel(/Shifts/).fill('');
  await page.getByRole('button', { name: 'Save shifts' }).click();
  await expectText(row().getByTestId('working-now'), 'yes');
  await expectText(row().locator('td:nth-child(7)'), 'always');
});

// Issue 21 items 2, 3 and 7: caps, quotas, weights, languages and the night desk are edited
// where shifts are, at 1280 and 390 px; a bad weight is named on its field; nothing overflows.
for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test(`availabilities: routing rules edited at ${viewport.width} px`, async () => {
    const p = await openPage(browser, server);
    await signIn(p, EMAILS.admin);  // at the default width, where the header shows the badge
    await p.setViewportSize(viewport);
    await p.goto('/#/admin/availabilities');
    const row = () => p.locator('tr[data-person="Rahul Verma"][data-pool="PSV"]');
    await row().getByRole('button', { name: 'Edit shifts and routing' }).click();
    const form = p.getByRole('form', { name: 'Shifts and leave of Rahul Verma' });
    await form.getByLabel(/Weight/).fill('0');
    await form.getByRole('button', { name: 'Save shifts' }).click();
    await expectText(form.locator('[data-error-for="weight"]'), 'from 1 to 100');
    const { scrollWidth, innerWidth } = await p.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    }));
    assert.ok(scrollWidth <= innerWidth, `${viewport.width}px: the page is ${scrollWidth}px wide`);

    await form.getByLabel(/Weight/).fill('2');
    await form.getByLabel(/Cap on untouched/).fill('15');
    await form.getByLabel(/Daily quota/).fill('40');
    await form.getByLabel(/Languages/).fill('en HI');
    await form.getByLabel(/Night desk/).check();
    await form.getByRole('button', { name: 'Save shifts' }).click();
    await expectText(row().getByTestId('routing-rules'), 'weight 2, cap 15, 40 a day, en hi, night desk');
    const [poc] = (await server.ok('GET', '/availabilities?process=PSV')).items
      .filter((a) => a.personName === 'Rahul Verma');
    assert.deepEqual([poc.weight, poc.cap, poc.dailyQuota, poc.languages, poc.nightDesk],
      [2, 15, 40, ['en', 'hi'], true]);

    // Back to the defaults, so that the other tests route as before.
    await row().getByRole('button', { name: 'Edit shifts and routing' }).click();
    await form.getByLabel(/Weight/).fill('1');
    await form.getByLabel(/Cap on untouched/).fill('');
    await form.getByLabel(/Daily quota/).fill('');
    await form.getByLabel(/Languages/).fill('');
    await form.getByLabel(/Night desk/).uncheck();
    await form.getByRole('button', { name: 'Save shifts' }).click();
    await expectText(row().getByTestId('routing-rules'), '—');
    await p.context().close();
  });
}

test('"Why this person?" shows how round robin chose, with the candidates and their counts', async () => {
  const opp = await server.lead('Wyn Why', { destination: 'Goa' });
  await page.goto(`/#/opportunities/${opp._id}`);
  await page.getByText('Why this person?', { exact: true }).click();
  const outcome = page.getByTestId('routing-outcome').first();
  await expectText(outcome, opp.assignedPsv.name);
  await expectText(page.locator('details[aria-label="Why this person?"]'), 'Candidates (fewest leads first)');
  await expectText(page.locator('details[aria-label="Why this person?"]'), 'PSV pool');
});

test('"Why this person?" names the sticky owner who got a returning customer', async () => {
  const first = await server.lead('Stu Back', { destination: 'Goa' });
  await server.ok('POST', `/opportunities/${first._id}/transitions`, { to: 'PSVDisqualified', reasons: ['junk'] });
  const again = await server.lead('Stu Back', { destination: 'Goa', number: first.number });
  assert.equal(again.assignedPsv._id, first.assignedPsv._id);
  await page.goto(`/#/opportunities/${again._id}`);
  await page.getByText('Why this person?', { exact: true }).click();
  await expectText(page.getByTestId('routing-outcome').first(), `${first.assignedPsv.name} (the sticky owner)`);
  await expectText(page.getByTestId('routing-sticky').first(), `sticky owner: closed opportunity ${first._id}`);
});
