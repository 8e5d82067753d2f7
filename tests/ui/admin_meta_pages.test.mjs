// Admin: Meta pages on the lead sources page (docs/intake.md "Meta Lead Ads", "The reconciler"):
// an admin sets the page up as a lead source (the API's 422 next to the fields, then its secrets
// never shown again, and Meta's handshake answered with its verify token); Sync now takes in the leads only Meta has (their webhooks never arrived), the page's receipts
// are listed with how each came and why one failed, and Retry fetches the failed one again; a
// form's custom questions are mapped to lead fields (at a laptop's and a phone's width), and its
// next lead is mapped so. The
// Graph API is a stand-in on 127.0.0.1 (LEADPROC_META_GRAPH_URL), so nothing leaves the machine.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS } from './harness.mjs';

const PAGE_ID = '104857600123456';
const FORM_ID = '700000000000001';
const GOOD = '97000000000000001';
const MISSING = '97000000000000002';  // Meta answers 404 until `found` is set
let found = false;
const MAPPED = '97000000000000003';  // listed once `mappedListed` is set; its form's own questions
let mappedListed = false;

// The stand-in: the page's one form, its two leads (created minutes ago), and each lead.
const graph = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const send = (status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const created = new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d+Z$/, '+0000');
  if (url.pathname.endsWith('/leadgen_forms'))
    return send(200, { data: [{ id: FORM_ID, name: 'Goa winter', status: 'ACTIVE' }] });
  if (url.pathname.endsWith('/leads'))
    return send(200, { data: [GOOD, MISSING, ...(mappedListed ? [MAPPED] : [])].map((id) => ({ id, created_time: created, form_id: FORM_ID })) });
  const id = url.pathname.split('/').pop();
  if (id === MISSING && !found) return send(404, { error: { message: 'no such lead', code: 100 } });
  if (id === MAPPED) {
    return send(200, {
      id, created_time: created, form_id: FORM_ID, platform: 'fb',
      field_data: [{ name: 'your_name', values: ['Mapped Traveller'] },
        { name: 'mobile_no', values: ['+919811100003'] }, { name: 'trip_month', values: ['March'] }],
    });
  }
  const mobile = id === GOOD ? '9811100001' : '9811100002';
  return send(200, {
    id, created_time: created, form_id: FORM_ID, platform: 'fb',
    field_data: [{ name: 'full_name', values: [`Meta ${id.slice(-1)}`] },
      { name: 'phone_number', values: [`+91${mobile}`] }],
  });
});
await new Promise((resolve) => graph.listen(0, '127.0.0.1', resolve));
process.env.LEADPROC_META_GRAPH_URL = `http://127.0.0.1:${graph.address().port}`;
process.env.LEADPROC_META_RECONCILE_MINUTES = '0';  // only Sync now reads Meta's side here

let server, page;
serverAndBrowser(async (s, b) => {
  server = s;
  page = await openPage(b, server);
  await signIn(page, EMAILS.admin);
});
after(() => graph.close());

// Reloads the lead sources page until the receipt row of `leadgenId` has `status`.
async function rowWithStatus(leadgenId, status) {
  const row = page.locator(`table[aria-label="Receipts of page ${PAGE_ID}"] tr[data-leadgen="${leadgenId}"]`);
  for (let i = 0; i < 100; i++) {
    await row.waitFor();
    if ((await row.getAttribute('data-status')) === status) return row;
    await new Promise((r) => setTimeout(r, 200));
    await page.reload();
  }
  throw new Error(`${leadgenId} never became ${status}`);
}

const APP_SECRET = 'ui-app-secret-5150';
const VERIFY = 'ui-verify-token-2718';
const TOKEN = 'EAAB-ui-test';

test('an admin sets the page up as a lead source; its secrets are never shown again', async () => {
  await page.getByRole('link', { name: 'Lead sources' }).click();
  await expectText(page.getByRole('region', { name: 'Meta pages' }), 'No Meta pages yet.');
  const form = page.getByRole('form', { name: 'New lead source' });
  await form.getByLabel('Kind').selectOption('meta');
  await form.getByLabel('Name').fill('Goa page');
  await form.getByLabel('Page ID').fill('10485760x');
  await form.getByLabel('App secret').fill(APP_SECRET);
  await form.getByLabel('Verify token').fill(VERIFY);
  await form.getByRole('button', { name: 'Create' }).click();
  await expectText(form.locator('[data-error-for="pageId"]'), 'digits');
  await expectText(form.locator('[data-error-for="pageAccessToken"]'), 'required');
  assert.equal((await server.ok('GET', '/intake/sources')).items.length, 0);

  await form.getByLabel('Page ID').fill(PAGE_ID);
  await form.getByLabel('Page access token').fill(TOKEN);
  await form.getByLabel('Destination question').fill('where_to');
  await form.getByRole('button', { name: 'Create' }).click();
  const row = page.locator('table[aria-label="Lead sources"] tr[data-name="Goa page"]');
  await expectText(row, `page ${PAGE_ID}`);
  await expectText(row, 'none yet');
  const card = page.getByRole('region', { name: `Meta page ${PAGE_ID}` });
  await expectText(card.getByTestId('last-lead'), 'none yet');
  const edit = page.getByRole('form', { name: 'Edit Goa page' });
  assert.equal(await edit.getByLabel('New app secret').inputValue(), '');
  assert.equal(await edit.getByLabel('Destination question').inputValue(), 'where_to');
  const shown = await page.locator('main').innerHTML();
  for (const secret of [APP_SECRET, VERIFY, TOKEN]) assert.ok(!shown.includes(secret), secret);

  // Meta's subscription handshake is answered with the source's verify token, and only with it.
  const handshake = (token) => fetch(`${server.base}/api/v1/intake/meta?hub.mode=subscribe` +
    `&hub.verify_token=${token}&hub.challenge=1158201444`);
  const ok = await handshake(VERIFY);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), '1158201444');
  assert.equal((await handshake('wrong-token')).status, 403);
  // The source's form fits a phone's width too.
  await page.setViewportSize({ width: 390, height: 844 });
  await fitsTheWindow({ width: 390 });
  await page.setViewportSize({ width: 1280, height: 800 });
  await edit.getByRole('button', { name: 'Close' }).click();
});

test('Sync now takes in the leads only Meta has; the receipts show how each came', async () => {
  const card = page.getByRole('region', { name: `Meta page ${PAGE_ID}` });
  await expectText(card.getByTestId('last-lead'), 'none yet');
  await expectText(card, 'No receipts yet.');
  await card.getByRole('button', { name: 'Sync now' }).click();
  await expectText(card.getByRole('status'), '2 leads listed, 2 new');

  const good = await rowWithStatus(GOOD, 'ingested');
  await expectText(good, 'sync');
  const missing = await rowWithStatus(MISSING, 'failed');
  await expectText(missing, 'HTTP 404');
  // Both receipts are final now: the page's summary, loaded afresh, counts them.
  await page.reload();
  const fresh = page.getByRole('region', { name: `Meta page ${PAGE_ID}` });
  assert.notEqual(await fresh.getByTestId('last-lead').innerText(), 'none yet');
  await expectText(fresh.getByTestId('failed'), '1');
  await expectText(fresh.getByRole('table', { name: `Forms of page ${PAGE_ID}` }), 'Goa winter');

  // Again: nothing new.
  await fresh.getByRole('button', { name: 'Sync now' }).click();
  await expectText(fresh.getByRole('status'), '2 leads listed, 0 new');
});

test('Retry fetches a failed receipt again', async () => {
  found = true;
  const missing = await rowWithStatus(MISSING, 'failed');
  await missing.getByRole('button', { name: 'Retry' }).click();
  const ingested = await rowWithStatus(MISSING, 'ingested');
  await expectText(ingested, 'the lead');
  const receipts = await server.ok('GET', `/intake/meta/receipts?pageId=${PAGE_ID}`);
  assert.equal(receipts.items.length, 2);
  assert.ok(receipts.items.every((r) => r.status === 'ingested' && r.via === 'sync'));
});

// Whether the page is wider than the window (nothing may overflow at either width).
async function fitsTheWindow(viewport) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `${viewport.width}px: the page is ${scrollWidth}px wide`);
}

test('an admin maps a listed form\'s questions at 1280 px', async () => {
  const viewport = { width: 1280, height: 800 };
  await page.setViewportSize(viewport);
  await page.reload();
  const card = page.getByRole('region', { name: `Meta page ${PAGE_ID}` });
  const row = card.locator(`table[aria-label="Forms of page ${PAGE_ID}"] tr[data-form="${FORM_ID}"]`);
  await expectText(row, 'phone_number');  // Meta's default, before any mapping
  await row.getByRole('button', { name: 'Edit mapping' }).click();
  const editor = card.getByRole('form', { name: `Mapping of form ${FORM_ID}` });
  assert.equal(await editor.getByLabel('Phone question').getAttribute('placeholder'), 'phone_number');
  await editor.getByLabel('Name question').fill('your_name');
  await editor.getByLabel('Phone question').fill('mobile_no');
  await editor.getByLabel('Travel date question').fill('trip_month');
  await fitsTheWindow(viewport);
  await editor.getByRole('button', { name: 'Save mapping' }).click();
  await expectText(card.getByRole('status'), `Saved the mapping of form ${FORM_ID}`);
  await expectText(row, 'mobile_no');
  await expectText(row, 'trip_month');
  const forms = await server.ok('GET', `/intake/meta/pages/${PAGE_ID}/forms`);
  assert.deepEqual(forms.items[0].mapping, { name: 'your_name', number: 'mobile_no', travelDate: 'trip_month' });
});

test('an admin maps a form not listed yet, by its id, at 390 px', async () => {
  const viewport = { width: 390, height: 844 };
  await page.setViewportSize(viewport);
  await page.reload();
  const card = page.getByRole('region', { name: `Meta page ${PAGE_ID}` });
  const other = card.getByRole('form', { name: `Map a form of page ${PAGE_ID}` });
  await other.getByLabel('Form id').fill('700000000000077');
  await other.getByRole('button', { name: 'Map a form by id' }).click();
  const editor = card.getByRole('form', { name: 'Mapping of form 700000000000077' });
  await editor.getByLabel('Form name').fill('Kerala backwaters');
  await editor.getByLabel('Destination question').fill('which_place');
  await fitsTheWindow(viewport);
  await editor.getByRole('button', { name: 'Save mapping' }).click();
  const row = card.locator(`table[aria-label="Forms of page ${PAGE_ID}"] tr[data-form="700000000000077"]`);
  await expectText(row, 'Kerala backwaters');
  await expectText(row, 'which_place');
  await fitsTheWindow(viewport);
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('the mapped form\'s next lead is filled from its own questions', async () => {
  mappedListed = true;
  const card = page.getByRole('region', { name: `Meta page ${PAGE_ID}` });
  await card.getByRole('button', { name: 'Sync now' }).click();
  await expectText(card.getByRole('status'), '1 new');
  await rowWithStatus(MAPPED, 'ingested');
  const customer = await server.ok('GET', '/customers/9811100003');
  assert.equal(customer.items.length, 1);
  assert.equal(customer.items[0].name, 'Mapped Traveller');
  assert.equal(customer.items[0].travelDate, 'March');
});
