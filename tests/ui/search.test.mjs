// Issue 16 items 1-3 in the UI: the search box of every page finds a customer by the number as a
// person types it, by name; an agent searching a colleague's customer's number is told how many
// enquiries are with whom, not shown them; the customer page lists every enquiry of a number with
// duplicates under their originals and call/WhatsApp links, reachable from the opportunity page
// and from a duplicate's original; the opportunity page shows what the customer asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS, DEMO_KEY } from './harness.mjs';

let server, browser;
let original, duplicate, other;
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  const lead = async (fields) => (await server.ok('POST', '/leads', fields, { key: DEMO_KEY })).opportunity;
  original = await lead({ name: 'Asha Rao', number: '98200 22222', destination: 'Goa', sourceMeta: { formName: 'Goa winter form' },
    page: 'https://blog.example.com/goa/beaches?utm_source=news', utmSource: 'news', utmCampaign: 'winter', travelDate: 'May 2027', pax: 4 });
  duplicate = await lead({ name: 'Asha Rao', number: '+91 98200 22222', destination: 'Goa' });
  other = await lead({ name: 'Asha R', number: '09820022222', destination: 'Atlantis' });
});

const results = (page) => page.getByRole('region', { name: 'Search results' });

test('the search box finds a number typed any way, and names', async () => {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
  for (const q of ['98200 22222', '+91 98200 22222', '09820022222', '919820022222', '022222']) {
    const box = page.getByRole('search').getByLabel('Search');
    await box.fill(q);
    await box.press('Enter');
    await expectText(results(page), `Results for “${q}”`);
    const rows = results(page).locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3, `${q} finds the three enquiries of the number`);
  }
  await page.getByRole('search').getByLabel('Search').fill('rao asha');
  await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
  await expectText(results(page), 'Results for “rao asha”');
  await expectText(results(page).locator('tbody tr'), 'Asha Rao');
  await page.context().close();
});

test("an agent searching a colleague's customer gets the count and the owner's name, not the record", async () => {
  const owner = original.assignedPsv;
  const psvs = (await server.ok('GET', '/users')).items.filter((u) => u.department === 'PSV' && u.isActive && u._id !== owner._id);
  const page = await openPage(browser, server);
  await signIn(page, psvs[0].email);
  await page.goto('/#/search?q=9820022222');
  await expectText(results(page), 'Results for');
  const hint = page.getByTestId('hidden-hint');
  await expectText(hint, 'other enquir');
  await expectText(hint, owner.name);
  assert.equal(await results(page).getByRole('link', { name: 'Asha Rao' }).count(), 0, 'no record shown');
  await page.context().close();
});

test('the customer page lists every enquiry, duplicates under originals, with call and WhatsApp links', async () => {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
  await page.goto(`/#/opportunities/${duplicate._id}`);
  await page.getByTestId('original').click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Asha Rao');
  assert.match(page.url(), new RegExp(`#/opportunities/${original._id}`));
  // What the customer asked, as the lead arrived.
  const asked = page.getByRole('region', { name: 'What the customer asked' });
  for (const text of ['Goa winter form', 'https://blog.example.com/goa/beaches', 'winter', 'May 2027', 'Website'])
    await expectText(asked, text);

  await page.getByTestId('customer-link').click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Customer +919820022222');
  assert.equal(await page.getByTestId('call').getAttribute('href'), 'tel:+919820022222');
  assert.equal(await page.getByTestId('whatsapp').getAttribute('href'), 'https://wa.me/919820022222');
  const enquiries = page.getByRole('region', { name: 'Enquiries' });
  const nested = enquiries.locator(`li.dups li.duplicate[data-id="${duplicate._id}"]`);
  await nested.waitFor();
  assert.equal(await enquiries.locator(`li.enquiry[data-id="${other._id}"]`).count(), 1);
  assert.equal(await enquiries.locator(`li.enquiry[data-id="${original._id}"]`).count(), 1);
  await page.context().close();
});

test('a landing page that is not a web address is shown as text, never as a link', async () => {
  const opp = (await server.ok('POST', '/leads', { name: 'Jay Script', number: '9811100222', destination: 'Goa',
    page: 'javascript:alert(document.cookie)' }, { key: DEMO_KEY })).opportunity;
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
  await page.goto(`/#/opportunities/${opp._id}`);
  const asked = page.getByRole('region', { name: 'What the customer asked' });
  await expectText(asked, 'javascript:alert(document.cookie)');
  assert.equal(await asked.locator('a[href^="javascript"]').count(), 0);
  await page.context().close();
});

test('a field the source sent that a lead does not have is shown to the agent, as sent', async () => {
  const answer = await server.ok('POST', '/leads', { name: 'Uma Extra', number: '9811100333', destination: 'Goa',
    fbclid: 'IwAR-extra-click', emial: 'uma@example.com' }, { key: DEMO_KEY });
  assert.deepEqual(answer.warnings.map((w) => w.field).sort(), ['emial', 'fbclid']);
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
  await page.goto(`/#/opportunities/${answer.opportunity._id}`);
  const asked = page.getByRole('region', { name: 'What the customer asked' });
  for (const text of ['fbclid', 'IwAR-extra-click', 'emial', 'uma@example.com']) await expectText(asked, text);
  await page.context().close();
});

test('an unknown lead shows the destination as the customer wrote it', async () => {
  const page = await openPage(browser, server);
  await signIn(page, await server.workerEmail(other));
  await page.goto(`/#/opportunities/${other._id}`);
  await expectText(page.getByRole('region', { name: 'What the customer asked' }), 'Atlantis');
  await page.context().close();
});
