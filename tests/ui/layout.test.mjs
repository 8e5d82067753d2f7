// Issue 16 item 7: every page is usable on a phone (390 × 844) and on a laptop (1280 wide):
// no page is wider than the screen (no horizontal scrolling), as an admin, a PSV agent and a
// sales person, on every view each of them has; on a phone the header folds into "Menu", and
// "Sign out" is reachable from it; lists become cards whose cells say what they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, signIn, expectText, EMAILS } from './harness.mjs';

let server, browser;
const opps = {};
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  // Data on every list: a PSV lead with long words, a sales lead with a follow-up due.
  opps.psv = await server.lead('Asha Rao-Venkataraghavan Subramaniam', {
    destination: 'Goa', email: 'a.very.long.email.address.for.testing@example-travel-agency.com',
    page: 'https://blog.example.com/goa/best-beaches-of-north-and-south-goa-for-families?utm_source=newsletter&utm_campaign=winter',
    remarks: 'Wants a 12-day trip with a villa near the beach and a car; call after 6 pm'.repeat(3),
  });
  opps.sales = await server.lead('Sia Sales', { destination: 'Bali' });
  await server.lead('Unknown Umesh', { page: 'https://example.com/some/very/long/landing/page/that/names/no/destination/at/all' });
});

const SIZES = { phone: { width: 390, height: 844 }, laptop: { width: 1280, height: 800 } };

const ADMIN_VIEWS = ['/admin/opportunities', '/admin/users', '/admin/availabilities', '/admin/weburls',
  '/admin/destinations', '/admin/routing', '/admin/api-keys', '/admin/sources', '/admin/sla', '/admin/sla-policies',
  '/admin/jobs', '/admin/scoring'];

async function openAt(size) {
  const context = await browser.newContext({ baseURL: server.base, viewport: SIZES[size] });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto('/');
  return page;
}

// Goes to `route` and waits until its view has drawn its heading and has every answer it asked
// for (no API call under way: api.js marks <body aria-busy> while one is).
async function visit(page, route) {
  await page.goto(`/#${route}`);
  await page.waitForFunction((hash) => location.hash === hash
    && document.querySelector('main#view h1') && !document.body.hasAttribute('aria-busy')
    && !document.querySelector('main#view').textContent.includes('Loading…'), `#${route}`);
}

// The page is no wider than the window: nothing scrolls sideways.
async function assertNoOverflow(page, where) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `${where}: the page is ${scrollWidth}px wide in a ${innerWidth}px window`);
}

async function signedIn(size, email) {
  const page = await openAt(size);
  await assertNoOverflow(page, `${size} sign-in`);
  if (size === 'phone') {
    // The sign-in form has no menu to open; the fields are reachable as they are.
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('leadproc-demo-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Menu' }).waitFor();
  } else {
    await signIn(page, email);
  }
  return page;
}

for (const size of Object.keys(SIZES)) {
  test(`${size}: every admin view fits the screen`, async () => {
    const page = await signedIn(size, EMAILS.admin);
    for (const route of [...ADMIN_VIEWS, `/opportunities/${opps.psv._id}`, `/opportunities/${opps.sales._id}`,
      `/search?q=${encodeURIComponent(opps.psv.number)}`, `/customers/${encodeURIComponent(opps.psv.number)}`]) {
      await visit(page, route);
      await assertNoOverflow(page, `${size} admin ${route}`);
    }
    await page.context().close();
  });

  test(`${size}: a PSV agent's and a sales person's views fit the screen`, async () => {
    for (const opp of [opps.psv, opps.sales]) {
      const page = await signedIn(size, await server.workerEmail(opp));
      await visit(page, '/');
      await assertNoOverflow(page, `${size} worklist`);
      await visit(page, `/search?q=${encodeURIComponent(opp.name)}`);
      await assertNoOverflow(page, `${size} search`);
      await visit(page, `/customers/${encodeURIComponent(opp.number)}`);
      await assertNoOverflow(page, `${size} customer`);
      await visit(page, `/opportunities/${opp._id}`);
      await assertNoOverflow(page, `${size} opportunity ${opp.name}`);
      // The forms that unfold (editing, reschedule) fit too.
      for (const summary of await page.locator('main summary').all()) await summary.click();
      await assertNoOverflow(page, `${size} opportunity ${opp.name}, every section open`);
      await page.context().close();
    }
  });
}

test('phone: the header folds into a menu that holds the links and "Sign out"', async () => {
  const page = await signedIn('phone', EMAILS.admin);
  await visit(page, '/admin/opportunities');
  const signOut = page.getByRole('button', { name: 'Sign out' });
  assert.equal(await signOut.isVisible(), false, 'folded away until the menu is opened');
  assert.equal(await page.getByRole('link', { name: 'Users' }).isVisible(), false);
  await page.getByRole('button', { name: 'Menu' }).click();
  assert.equal(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded'), 'true');
  await page.getByRole('link', { name: 'Users' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Users');
  assert.equal(await signOut.isVisible(), false, 'following a link closes the menu');
  await page.getByRole('button', { name: 'Menu' }).click();
  await signOut.click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Sign in');
  await expectText(page.getByRole('status'), 'You have signed out');
  await page.context().close();
});

test('phone: a list is a stack of cards, each value labelled with its column', async () => {
  const page = await signedIn('phone', await server.workerEmail(opps.psv));
  await visit(page, '/');
  const row = page.getByRole('table', { name: 'Opportunities' }).locator('tbody tr').first();
  const cells = row.locator('td');
  assert.deepEqual(await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-label'))),
    ['', 'Status', 'Stage', 'Name', 'Number', 'Destination', 'Age', 'SLA', 'Next follow-up', 'Created']);
  // One cell per line: the row is a card as wide as the screen, not a table row.
  const box = await row.boundingBox();
  assert.ok(box.width <= 390, `a card is ${box.width}px wide`);
  const [first, second] = [await cells.nth(0).boundingBox(), await cells.nth(1).boundingBox()];
  assert.ok(second.y >= first.y + first.height - 1, 'the cells are stacked, not side by side');
  // At a laptop's width it is a table again.
  await page.setViewportSize(SIZES.laptop);
  const [a, b] = [await cells.nth(0).boundingBox(), await cells.nth(1).boundingBox()];
  assert.equal(Math.round(a.y), Math.round(b.y), 'side by side in a table row');
  await page.context().close();
});

// The steps that unfold before a change (issue 16 items 8-10) fit the screen too: the next
// attempt of a follow-up step, a new user's rotation, a deactivation's handover and a URL mark's
// preview. Each is left without confirming.
for (const size of Object.keys(SIZES)) {
  test(`${size}: the confirming steps fit the screen`, async () => {
    const agent = await server.ok('GET', `/users/${opps.psv.assignedPsv._id}`);
    const page = await signedIn(size, EMAILS.admin);

    await visit(page, `/opportunities/${opps.psv._id}`);
    await page.getByRole('region', { name: 'Move' }).getByLabel('Move to').selectOption('PSVFollowUp1');
    await page.getByLabel('Next attempt').waitFor();
    await assertNoOverflow(page, `${size} next attempt`);

    await visit(page, '/admin/users');
    const create = page.getByRole('form', { name: 'Create user' });
    await create.getByLabel('Email').fill(`layout.${size}@leadproc.test`);
    await create.getByLabel('First name').fill(`Layout${size}`);
    await create.getByLabel('Department').selectOption('PSV');
    await create.getByRole('button', { name: 'Create user' }).click();
    const rotation = page.getByRole('form', { name: `Put Layout${size} in rotation` });
    await rotation.waitFor();
    await assertNoOverflow(page, `${size} rotation`);
    await rotation.getByRole('button', { name: 'Not now' }).click();

    await page.locator(`tr[data-email="${agent.email}"]`).getByRole('button', { name: 'Deactivate' }).click();
    const leaving = page.getByRole('list', { name: 'Open leads' });
    await leaving.waitFor();
    await assertNoOverflow(page, `${size} deactivation`);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await visit(page, '/admin/weburls');
    const row = page.locator('tr[data-url="https://example.com/some/very/long/landing/page/that/names/no/destination/at/all"]');
    await row.getByRole('combobox').selectOption({ label: 'Goa' });
    await row.getByRole('button', { name: 'Save' }).click();
    const confirm = page.getByRole('form', { name: 'Confirm the mark' });
    await confirm.waitFor();
    await assertNoOverflow(page, `${size} mark preview`);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await server.ok('GET', `/users/${agent._id}`)).isActive, true, 'nothing confirmed');
    await page.context().close();
  });
}
