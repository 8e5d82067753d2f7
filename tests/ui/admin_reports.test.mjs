// Admin: the first-contact SLA report (per sales person and in total, over a period whose days
// are both included; the API's 422 next to the To field) and the jobs with their latest runs (a
// failed run shows its error; a list that cannot load shows the problem).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS } from './harness.mjs';

let server, browser, page, owners;
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  // Three leads straight to sales (Bali: NO-FILTER); the first one's first contact is made.
  const opps = [];
  for (const name of ['Sla one', 'Sla two', 'Sla three']) opps.push(await server.lead(name, { destination: 'Bali' }));
  const [first] = (await server.ok('GET', `/opportunities/${opps[0]._id}/followups`)).items;
  await server.ok('POST', `/followups/${first._id}/complete`, { outcome: 'connected' });
  // sales person name -> how many of the three they own
  owners = new Map();
  for (const o of opps) {
    const name = (await server.userById(o.opportunityOwner)).firstName;
    owners.set(name, (owners.get(name) ?? 0) + 1);
  }
  page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
});

// The business day of an instant in `timeZone` (as the UI shows it), and the day before a day.
const dayIn = (iso, timeZone, shiftMs = 0) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
  .format(new Date(new Date(iso).getTime() + shiftMs));
const dayBefore = (day) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const cells = async (locator) => {
  await locator.waitFor();
  return locator.locator('td').allInnerTexts();
};

test('the SLA report: per sales person and in total, over the last 30 days by default', async () => {
  await page.getByRole('link', { name: 'SLA', exact: true }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'First-contact SLA');
  const table = page.getByRole('table', { name: 'First-contact SLA' });
  const total = await cells(table.locator('tfoot tr'));
  assert.deepEqual(total.slice(0, 7), ['Total', '3', '1', '0', '0', '2', '100%']);
  assert.match(total[7], /^\d+ s$/, 'the median of one contact made at once');
  const header = await table.locator('thead th').allInnerTexts();
  assert.deepEqual(header, ['Sales person', 'Entered CRM', 'Contacted in time', 'Contacted late',
    'Not contacted, overdue', 'Not contacted, still in time', 'SLA met', 'Median time to first contact']);
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), owners.size);
  let entered = 0;
  for (let i = 0; i < owners.size; i++) {
    const [person, count] = await rows.nth(i).locator('td').allInnerTexts();
    const first = person.split(' ')[0];
    assert.ok(owners.has(first), `${person} owns some of the leads`);
    assert.equal(Number(count), owners.get(first));
    entered += Number(count);
  }
  assert.equal(entered, 3);

  // The period's inputs show the API's default period, both days included.
  const api = await server.ok('GET', '/reports/sla');
  const today = dayIn(api.to, api.timezone, -1);
  assert.equal(await page.getByLabel('From').inputValue(), dayIn(api.from, api.timezone));
  assert.equal(await page.getByLabel('To').inputValue(), today);
  await expectText(page.getByTestId('sla-period'), `to ${today} (${api.timezone})`);
});

test('a period: one day is both From and To; To before From is the API\'s 422 next to To', async () => {
  const api = await server.ok('GET', '/reports/sla');
  const today = dayIn(api.to, api.timezone, -1);
  const yesterday = dayBefore(today);
  await page.goto('/#/admin/sla');
  const form = page.getByRole('form', { name: 'Report period' });

  await form.getByLabel('From').fill(yesterday);
  await form.getByLabel('To').fill(yesterday);
  await form.getByRole('button', { name: 'Show' }).click();
  await expectText(page.getByRole('region', { name: 'Report' }), 'No opportunity entered the CRM phase in this period.');

  await form.getByLabel('From').fill(today);
  await form.getByLabel('To').fill(today);
  await form.getByRole('button', { name: 'Show' }).click();
  await expectText(page.getByRole('table', { name: 'First-contact SLA' }).locator('tfoot td').nth(1), '3');
  await expectText(page.getByTestId('sla-period'), `from ${today} to ${today}`);

  await form.getByLabel('To').fill(yesterday);
  await form.getByRole('button', { name: 'Show' }).click();
  await expectText(form.locator('[data-error-for="to"]'), 'must be after from');
  await expectText(form.getByRole('alert'), 'bad report period');
  assert.equal(await page.getByRole('table', { name: 'First-contact SLA' }).count(), 0);
  assert.equal(await form.getByLabel('To').inputValue(), yesterday, 'the input keeps what was asked');
});

test('jobs: each one\'s schedule and latest runs; a failed run shows its error', async () => {
  assert.equal(server.cli(['jobs', 'run', 'overdue-followups']).outcome, 'ok');
  const failed = server.cli(['jobs', 'run', 'cms-url-sync'], { LEADPROC_CMS_SITEMAP_URL: 'http://127.0.0.1:1/sitemap.xml' });
  assert.equal(failed.outcome, 'failed');

  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  const table = page.getByRole('table', { name: 'Jobs' });
  await table.waitFor();
  assert.deepEqual(await table.locator(':scope > tbody > tr > td:first-child').allInnerTexts(),
    ['session-purge', 'overdue-followups', 'score-refresh', 'cms-url-sync', 'followup-alerts', 'live-events-purge', 'assign-waiting', 'conversions-send', 'sla-escalation', 'meta-reconcile', 'retention']);
  const job = (name) => table.locator(`tr[data-job="${name}"]`);
  assert.equal(await job('session-purge').locator('td').nth(1).innerText(), 'every 1 min');
  assert.match(await job('score-refresh').locator('td').nth(1).innerText(), /^daily 02:00 \(.+\)$/);
  assert.equal(await job('overdue-followups').getByTestId('last-outcome').innerText(), 'ok');
  assert.equal(await job('overdue-followups').locator('td').nth(4).innerText(), 'overdue 0');

  const cms = job('cms-url-sync');
  assert.equal(await cms.getByTestId('last-outcome').innerText(), 'failed');
  await expectText(cms.locator('td').nth(3), 'fetching http://127.0.0.1:1/sitemap.xml failed');
  const runs = page.getByRole('table', { name: 'Runs of cms-url-sync' });
  assert.equal(await runs.isVisible(), false, 'folded');
  await cms.locator('summary').click();
  await runs.waitFor();
  const api = (await server.ok('GET', '/jobs')).items.find((j) => j.name === 'cms-url-sync');
  assert.equal(await runs.locator('tbody tr').count(), api.runs.length);
  await expectText(runs.locator('tbody tr').first(), 'failed');
  await expectText(runs.locator('tbody tr').first(), 'Failed to connect');
});

test('jobs: "Run now" runs a job at once, and its run joins the list', async () => {
  const runsOf = async (name) => (await server.ok('GET', '/jobs')).items.find((j) => j.name === name).runs.length;
  const before = await runsOf('score-refresh');
  await page.goto('/#/admin/jobs');
  const row = page.getByRole('table', { name: 'Jobs' }).locator('tr[data-job="score-refresh"]');
  await row.getByRole('button', { name: 'Run now' }).click();
  await expectText(row.locator('summary'), `${before + 1} run`);
  await expectText(row.getByTestId('last-outcome'), 'ok');
  assert.equal(await runsOf('score-refresh'), before + 1, 'one run, recorded');
});

test('jobs: a list that cannot load shows the API\'s problem', async () => {
  await page.route('**/api/v1/jobs', (route) => route.fulfill({
    status: 503, contentType: 'application/problem+json',
    body: JSON.stringify({ title: 'Service Unavailable', status: 503, detail: 'the database is unavailable' }),
  }));
  await page.goto('/#/admin/sla');
  await page.goto('/#/admin/jobs');
  await expectText(page.getByRole('alert'), 'Service Unavailable: the database is unavailable');
  assert.equal(await page.getByRole('table', { name: 'Jobs' }).count(), 0);
  await page.unroute('**/api/v1/jobs');
});
