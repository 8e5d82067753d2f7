// Admin: lead sources (docs/intake.md): a website form set up in the UI (the API's 422 next to the
// field; then its key and snippet shown), the snippet pasted into a page of another site that a
// real browser fills in and sends, ending on the thank-you page with the lead stored (issue 19
// item 9); a Google form's key typed once and never shown again; editing and deleting. The other
// site is served by the browser itself (page.route), so nothing leaves the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS } from './harness.mjs';

let server, browser, page;
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
});

const SITE = 'http://shop.example';
const NAME = 'Goa enquiry form';

test('a website form: the 422 next to the field, then its key and snippet', async () => {
  await page.getByRole('link', { name: 'Lead sources' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Lead sources');
  const form = page.getByRole('form', { name: 'New lead source' });
  await form.getByLabel('Kind').selectOption('form');
  await form.getByLabel('Name').fill(NAME);
  await form.getByLabel('Thank-you URL').fill('ftp://nowhere');
  await form.getByLabel('Error URL').fill(`${SITE}/oops`);
  await form.getByLabel('Allowed origins').fill(SITE);
  await form.getByRole('button', { name: 'Create' }).click();
  await expectText(form.locator('[data-error-for="thankYouUrl"]'), 'http');

  await form.getByLabel('Thank-you URL').fill(`${SITE}/thanks`);
  await form.getByRole('button', { name: 'Create' }).click();
  const row = page.locator(`table[aria-label="Lead sources"] tr[data-name="${NAME}"]`);
  await expectText(row, 'none yet');
  const key = await page.getByTestId('form-key').innerText();
  assert.match(key, /^lpf_[A-Za-z0-9_-]{24}$/);
  const snippet = await page.getByRole('textbox', { name: 'HTML snippet' }).inputValue();
  assert.ok(snippet.includes(`/api/v1/intake/forms/${key}`), snippet);
});

test('the snippet on another site: a real browser sends it and lands on the thank-you page', async () => {
  const snippet = await page.getByRole('textbox', { name: 'HTML snippet' }).inputValue();
  const visitor = await browser.newContext();
  visitor.setDefaultTimeout(10_000);
  await visitor.route(`${SITE}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    route.fulfill({
      contentType: 'text/html',
      body: path === '/thanks' ? '<h1>Thank you!</h1>'
        : `<!doctype html><title>Enquiry</title><h1>Plan your trip</h1>${snippet}`,
    });
  });
  const site = await visitor.newPage();
  await site.goto(`${SITE}/goa-trips?utm_source=newsletter&gclid=Cj0-test`);
  await site.getByLabel('Name').fill('Anaïs Browser');
  await site.getByLabel('Mobile').fill('9812345671');
  await site.getByRole('button', { name: 'Send' }).click();
  await site.waitForURL(`${SITE}/thanks`);
  await expectText(site.getByRole('heading', { level: 1 }), 'Thank you!');
  await visitor.close();

  const customer = await server.ok('GET', '/customers/9812345671');
  assert.equal(customer.items.length, 1);
  const opp = customer.items[0];
  assert.equal(opp.name, 'Anaïs Browser');
  assert.equal(opp.utmSource, 'newsletter');
  assert.equal(opp.gclid, 'Cj0-test');
  assert.equal(opp.sourceMeta.formName, NAME);

  await page.reload();
  const row = page.locator(`table[aria-label="Lead sources"] tr[data-name="${NAME}"]`);
  await row.waitFor();
  assert.ok(!(await row.innerText()).includes('none yet'));
});

test('a Google form: its key is typed once and never shown; edited and deleted', async () => {
  await page.goto('/#/admin/sources');
  const form = page.getByRole('form', { name: 'New lead source' });
  await form.getByLabel('Kind').selectOption('google');
  await form.getByLabel('Name').fill('Google winter form');
  await form.getByLabel('Form ID').fill('123456789012345');
  const secret = 'g-key-never-shown-4711';
  await form.getByLabel('Google key').fill(secret);
  await form.getByRole('button', { name: 'Create' }).click();
  const row = page.locator('table[aria-label="Lead sources"] tr[data-name="Google winter form"]');
  await expectText(row, 'key saved');
  assert.ok(!(await page.locator('main').innerHTML()).includes(secret));

  // Edited without a new key: the key stays saved.
  const edit = page.getByRole('form', { name: 'Edit Google winter form' });
  assert.equal(await edit.getByLabel('New Google key').inputValue(), '');
  await edit.getByLabel('Name').fill('Google spring form');
  await edit.getByRole('button', { name: 'Save' }).click();
  const renamed = page.locator('table[aria-label="Lead sources"] tr[data-name="Google spring form"]');
  await expectText(renamed, 'key saved');

  await renamed.getByRole('button', { name: 'Delete' }).click();
  await renamed.getByRole('button', { name: 'Yes, delete' }).click();
  await renamed.waitFor({ state: 'detached' });
  const list = await server.ok('GET', '/intake/sources');
  assert.ok(!list.items.some((s) => s.kind === 'google'));
});
