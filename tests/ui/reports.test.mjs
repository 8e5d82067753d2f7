// The reports page (issue 18 item 5): the funnel with its drop-off, every number a link to
// exactly those leads in the opportunities list; the trend chart (uPlot) with its numbers; the
// filters; time in stage; the people table with revenue; what waits now. A sales
// person sees their own numbers beside the team's total.
// Readable at a phone's width (390 px) and a laptop's (1280 px).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS, DEMO_KEY } from './harness.mjs';

let server, browser, admin;
const opps = {};
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  // Two platforms (the demo website key, and a paid-ads key), two campaigns, PSV leads (Goa) and
  // leads straight to sales (Bali: NO-FILTER, qualified on arrival), and one re-inquiry.
  const ads = (await server.ok('POST', '/api-keys', { name: 'Ads', platform: 'paid_ads' })).key;
  opps.goaOne = await server.lead('Goa one', { destination: 'Goa', utmCampaign: 'winter' });
  opps.goaTwo = await server.lead('Goa two', { destination: 'Goa' });
  opps.baliOne = await server.lead('Bali one', { destination: 'Bali', utmCampaign: 'winter' });
  opps.baliAds = (await server.ok('POST', '/leads', {
    name: 'Bali ads', number: '9876500001', destination: 'Bali', utmCampaign: 'summer',
  }, { key: ads })).opportunity;
  opps.again = (await server.ok('POST', '/leads', { name: 'Goa again', number: opps.goaOne.number, destination: 'Goa' },
    { key: DEMO_KEY })).opportunity;
  assert.equal(opps.again.isDuplicate, true, 'a re-inquiry');
  // Bali one is won (first contact made), for INR 125000.50.
  const [first] = (await server.ok('GET', `/opportunities/${opps.baliOne._id}/followups`)).items;
  await server.ok('POST', `/followups/${first._id}/complete`, { outcome: 'connected' });
  await server.ok('POST', `/opportunities/${opps.baliOne._id}/transitions`, {
    to: 'won', bookingId: 'BK-1', dealValue: { amount: '125000.50', currency: 'INR' },
  });
  admin = await openPage(browser, server);
  await signIn(admin, EMAILS.admin);
});

// Goes to the reports page and waits until every answer is drawn.
async function showReports(page, query = '') {
  await page.goto(`/#/reports${query}`);
  await page.waitForFunction(() => document.querySelector('main#view h1')?.textContent === 'Reports'
    && !document.body.hasAttribute('aria-busy') && !document.querySelector('main#view').textContent.includes('Loading…'));
}

const stepCount = (page, step) => page.getByTestId(`funnel-${step}`).innerText();

test('the funnel: counts and drop-off as the API counts them, duplicates apart', async () => {
  await showReports(admin);
  const api = (await server.ok('GET', '/reports/funnel')).total;
  for (const s of api.steps) {
    assert.equal(await stepCount(admin, s.step), String(s.count), s.step);
    const drop = { null: '', 0: '0%' }[s.dropOffPercent] ?? `−${s.dropOffPercent}%`;
    assert.equal(await admin.getByTestId(`drop-${s.step}`).innerText(), drop, `${s.step} drop-off`);
  }
  assert.equal(await stepCount(admin, 'captured'), '4', 'four leads; the re-inquiry is not one');
  assert.equal(await stepCount(admin, 'qualified'), '2', 'the two Bali leads entered the CRM phase');
  assert.equal(await stepCount(admin, 'won'), '1');
  assert.equal(await stepCount(admin, 'duplicates'), '1');
  assert.equal(await stepCount(admin, 'total'), '5');
  assert.equal(await admin.getByTestId('drop-assigned').innerText(), '0%', 'every lead was assigned');
  assert.equal(await admin.getByTestId('drop-contacted').innerText(), '−50%', 'the two Goa leads wait for a call');
});

test('a number of the funnel opens exactly those leads in the list', async () => {
  await showReports(admin);
  await admin.getByTestId('funnel-qualified').click();
  const list = admin.getByRole('table', { name: 'Opportunities' });
  await expectText(admin.getByTestId('total'), '2 opportunities');
  const names = (await list.locator('tbody tr td:nth-child(4)').allInnerTexts()).sort();
  assert.deepEqual(names, ['Bali ads', 'Bali one']);
  await expectText(admin.getByTestId('report-filter'), 'reached');

  await showReports(admin);
  await admin.getByTestId('funnel-duplicates').click();
  await expectText(admin.getByTestId('total'), '1 opportunity');
  assert.deepEqual(await list.locator('tbody tr td:nth-child(4)').allInnerTexts(), ['Goa again']);
  // "Show all" drops the report's filters and keeps the period.
  await admin.getByTestId('report-filter').getByRole('link', { name: 'Show all' }).click();
  await expectText(admin.getByTestId('total'), '5 opportunities');
});

test('filters: a platform, a campaign, a person; the breakdown by platform', async () => {
  await showReports(admin);
  const form = admin.getByRole('form', { name: 'Report filters' });
  await form.getByLabel('Platform').selectOption('paid_ads');
  await form.getByRole('button', { name: 'Show' }).click();
  await expectText(admin.getByTestId('funnel-captured'), '1');
  assert.equal(await stepCount(admin, 'duplicates'), '0');

  await showReports(admin, '?campaign=winter');
  assert.equal(await stepCount(admin, 'captured'), '2', 'Goa one and Bali one');
  assert.equal(await admin.getByRole('form', { name: 'Report filters' }).getByLabel('Campaign').inputValue(), 'winter');

  const owner = opps.baliOne.opportunityOwner;
  const api = (await server.ok('GET', `/reports/funnel?person=${owner}`)).total;
  await showReports(admin, `?person=${owner}`);
  assert.equal(await stepCount(admin, 'total'), String(api.total.count));
  const people = admin.getByRole('table', { name: 'People' });
  assert.equal(await people.locator('tbody tr').count(), 1, 'only that person\'s row');

  await showReports(admin, '?breakdown=platform');
  const table = admin.getByRole('table', { name: 'Funnel by platform' });
  const row = async (key) => table.locator(`tbody tr[data-key="${key}"] td`).allInnerTexts();
  assert.deepEqual((await row('website')).slice(0, 3), ['website', '4', '3']);
  assert.deepEqual((await row('paid_ads')).slice(0, 3), ['paid_ads', '1', '1']);
});

test('the trend: a chart drawn by uPlot and the numbers per day', async () => {
  await showReports(admin);
  const chart = admin.locator('.chart canvas');
  await chart.waitFor();
  assert.match(await admin.locator('.chart').getAttribute('aria-label'), /^Leads per day: captured, contacted, qualified, won$/);
  await admin.getByText('The numbers per day').click();
  const days = admin.getByRole('table', { name: 'Funnel per day' });
  const total = await days.locator('tfoot td').allInnerTexts();
  assert.deepEqual(total.slice(0, 3), ['Total', '5', '4']);
  assert.equal(await days.locator('tbody tr').count(), 30, 'every day of the default 30, zeros included');

  await showReports(admin, '?trend=week');
  assert.match(await admin.locator('.chart').getAttribute('aria-label'), /^Leads per week/);
});

test('the people table: a row per person and the team total, as the API answers', async () => {
  await showReports(admin);
  const api = await server.ok('GET', '/reports/people');
  const people = admin.getByRole('table', { name: 'People' });
  assert.equal(await people.locator('tbody tr').count(), api.rows.length);
  const total = await people.locator('tfoot td').allInnerTexts();
  assert.equal(total[0], 'Team total');
  assert.equal(total[1], String(api.total.received.count));
  assert.equal(total[1], '5');
  // Revenue: the won lead's deal value, in its owner's row and in the total.
  const owner = (await server.userById(opps.baliOne.opportunityOwner)).firstName;
  await expectText(people.locator('tbody tr').filter({ hasText: owner }).getByTestId('revenue'), 'INR 125000.50');
  assert.equal(await people.locator('tfoot').getByTestId('revenue').innerText(), 'INR 125000.50');
  // Re-inquiries: "Goa again" counts for the PSV agent who holds Goa one, and in the total.
  const agent = opps.goaOne.assignedPsv.name;
  const agentRow = api.rows.find((r) => r.person._id === opps.goaOne.assignedPsv._id);
  assert.equal(agentRow.reInquiries, 1);
  await expectText(people.locator(`tbody tr[data-person="${agent}"]`).getByTestId('reinquiries'), '1');
  assert.equal(await people.locator('tfoot').getByTestId('reinquiries').innerText(), '1');
  assert.equal(api.rows.reduce((n, r) => n + r.reInquiries, 0), 1, 'no one else holds Goa one');
});

test('a sales person sees their own numbers beside the team\'s total, and no funnel', async () => {
  const email = await server.workerEmail(opps.baliOne);
  const page = await openPage(browser, server);
  await signIn(page, email);
  await page.getByRole('link', { name: 'My numbers' }).click();
  await page.waitForFunction(() => document.querySelector('table[aria-label="People"]') && !document.body.hasAttribute('aria-busy'));
  assert.equal(await page.getByRole('heading', { name: 'Funnel' }).count(), 0);
  const mine = await server.ok('GET', '/reports/people', undefined, await server.login(email));
  const people = page.getByRole('table', { name: 'People' });
  assert.equal(await people.locator('tbody tr').count(), 1);
  const own = await people.locator('tbody td').allInnerTexts();
  assert.equal(own[1], String(mine.rows[0].received.count));
  assert.equal((await people.locator('tfoot td').allInnerTexts())[1], '5', 'the team\'s total');
  // Their count opens their own list with exactly those leads.
  await people.locator('tbody td').nth(1).getByRole('link').click();
  await expectText(page.getByTestId('total'), `${mine.rows[0].received.count} opportunit`);
  await page.context().close();
});

test('time in stage: milestones and stays as the API answers them', async () => {
  await showReports(admin);
  const api = (await server.ok('GET', '/reports/time-in-stage')).total;
  const milestones = admin.getByRole('table', { name: 'Time to milestones' });
  for (const key of ['toContacted', 'toQualified', 'toWon']) {
    const cells = await milestones.locator(`tr[data-key="${key}"] td`).allInnerTexts();
    assert.equal(cells[1], String(api[key].count), key);
  }
  assert.equal(api.toWon.count, 1, 'Bali one was won');
  const stays = admin.getByRole('table', { name: 'Time in stage' });
  assert.equal(await stays.locator('tbody tr').count(), api.stages.length);
  assert.ok(api.stages.length >= 1, 'Bali one left its first stages');
  for (const st of api.stages) {
    const cells = await stays.locator(`tr[data-key="${st.status}/${st.stage}"] td`).allInnerTexts();
    assert.equal(cells[1], String(st.count), `${st.status}/${st.stage}`);
  }
});

const SIZES = { phone: { width: 390, height: 844 }, laptop: { width: 1280, height: 800 } };
for (const [size, viewport] of Object.entries(SIZES)) {
  test(`${size}: the reports page fits the screen, the chart too`, async () => {
    for (const email of [EMAILS.admin, await server.workerEmail(opps.baliOne)]) {
      const context = await browser.newContext({ baseURL: server.base, viewport });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error('page error:', err));
      await page.goto('/');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('leadproc-demo-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('user-department').waitFor({ state: 'attached' });
      await showReports(page);
      for (const summary of await page.locator('main summary').all()) await summary.click();
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
      }));
      assert.ok(scrollWidth <= innerWidth, `${size} ${email}: the page is ${scrollWidth}px wide in a ${innerWidth}px window`);
      if (email === EMAILS.admin) {
        const box = await page.locator('.chart canvas').boundingBox();
        assert.ok(box.width <= viewport.width && box.width >= 200, `${size}: the chart is ${box.width}px wide`);
      }
      await context.close();
    }
  });
}

test('what waits now: the admin\'s morning list, as the API counts it, each count opening its list', async () => {
  await showReports(admin);
  const api = await server.ok('GET', '/reports/now');
  const lines = [['now-unassigned', api.unassigned], ['now-overdue-followups', api.overdueFollowUps],
    ['now-overdue-attempts', api.overdueAttempts], ['now-resolving', api.resolvingUnknown]];
  for (const [testid, waiting] of lines) {
    const text = await admin.getByTestId(testid).innerText();
    assert.match(text, new RegExp(`: ${waiting.count}( |$)`), `${testid}: ${text}`);
  }
  for (const [testid, waiting] of [lines[0], lines[3]]) {
    assert.equal(await admin.getByTestId(testid).getByRole('link').getAttribute('href'),
      `#/admin/opportunities?${waiting.query}`, testid);
  }
});
