// Admin: destinations: the list (with the routing maps each is in), create with the API's field
// errors next to the fields, edit in place (rename, slugs, preference) with a 409 on a taken
// name, and delete refused (409) while a routing map lists the destination.
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

const row = (name) => page.locator(`tr[data-name="${name}"]`);
// The texts of a row's cells, once the row is shown (the list loads after the form).
async function cells(name) {
  await row(name).waitFor();
  return (await row(name).locator('td').allInnerTexts()).slice(0, 4);
}
const stored = async (name) => (await server.ok('GET', '/destinations')).items.find((d) => d.name === name);

test('the list shows every destination with its slugs, preference and routing maps', async () => {
  await page.getByRole('link', { name: 'Destinations' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Destinations');
  const table = page.getByRole('table', { name: 'Destinations' });
  await table.waitFor();
  assert.deepEqual(await table.locator('tbody tr td:first-child').allInnerTexts(),
    ['Bali', 'Europe', 'Goa', 'Iceland', 'Kerala', 'Switzerland']);
  assert.deepEqual(await cells('Goa'),
    ['Goa', 'goa, goa-tour-packages', '1', 'PSV 100']);
  assert.deepEqual((await cells('Europe')).slice(2), ['1', 'PSV 70, WEST 30']);
  assert.equal(await row('Kerala').locator('td').nth(2).innerText(), '0.5');
});

test('creating a destination shows the API\'s 422 next to each field, then creates it', async () => {
  await page.goto('/#/admin/destinations');
  const form = page.getByRole('form', { name: 'Create destination' });
  await form.getByLabel('Name').fill('  ');
  await form.getByLabel('Slugs').fill('maldives, atolls/north');
  await form.getByLabel('Preference').fill('5');
  await form.getByRole('button', { name: 'Create destination' }).click();
  await expectText(form.locator('[data-error-for="name"]'), 'must not be empty');
  await expectText(form.locator('[data-error-for="slugs"]'), '"atolls/north" must be a single URL path segment');
  await expectText(form.locator('[data-error-for="preference"]'), 'between 0.1 and 1.0');
  await expectText(form.getByRole('alert'), 'the destination is invalid');
  assert.equal(await stored('Maldives'), undefined);

  await form.getByLabel('Name').fill('Maldives');
  await form.getByLabel('Slugs').fill('maldives, Maldives-Honeymoon');
  await form.getByLabel('Preference').fill('0.25');
  await form.getByRole('button', { name: 'Create destination' }).click();
  await expectText(page.getByRole('status'), 'Created Maldives.');
  assert.deepEqual(await cells('Maldives'),
    ['Maldives', 'maldives, maldives-honeymoon', '0.25', 'in no map']);
  const d = await stored('Maldives');
  assert.deepEqual(d.slugs, ['maldives', 'maldives-honeymoon']);
  assert.equal(d.preference, 0.25);
});

test('editing renames in place; a name that is taken is a 409 shown on the form', async () => {
  await page.goto('/#/admin/destinations');
  await row('Iceland').getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('form', { name: 'Edit Iceland' });
  await form.getByLabel('Name').fill('goa');
  await form.getByRole('button', { name: 'Save' }).click();
  await expectText(form.getByRole('alert'), "Conflict: a destination named 'Goa' already exists");
  assert.ok(await stored('Iceland'));

  await form.getByLabel('Name').fill('Iceland & Greenland');
  await form.getByLabel('Slugs').fill('iceland, greenland');
  await form.getByLabel('Preference').fill('');  // cleared: back to the default 1.0
  await form.getByRole('button', { name: 'Save' }).click();
  await expectText(page.getByRole('status'), 'Saved Iceland & Greenland.');
  assert.deepEqual(await cells('Iceland & Greenland'),
    ['Iceland & Greenland', 'iceland, greenland', '1', 'UPCOMING 100']);
  assert.equal(await row('Iceland').count(), 0);
  // The rename reached the routing map's copy of the name.
  const maps = (await server.ok('GET', '/process-destination-maps')).items;
  assert.equal(maps.find((m) => m.process === 'UPCOMING').destinations[0].name, 'Iceland & Greenland');
});

test('cancelling an edit keeps the row; deleting asks first and is refused while a map lists it', async () => {
  await page.goto('/#/admin/destinations');
  await row('Bali').getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('form', { name: 'Edit Bali' }).getByRole('button', { name: 'Cancel' }).click();
  await expectText(row('Bali').locator('td').first(), 'Bali');

  await row('Bali').getByRole('button', { name: 'Delete' }).click();
  await row('Bali').getByRole('button', { name: 'Yes, delete' }).click();
  await expectText(row('Bali').getByRole('alert'), 'Conflict');
  assert.ok(await stored('Bali'));

  // Maldives is in no map: it goes.
  await row('Maldives').getByRole('button', { name: 'Delete' }).click();
  await row('Maldives').getByRole('button', { name: 'Yes, delete' }).click();
  await expectText(page.getByRole('status'), 'Deleted Maldives.');
  await row('Maldives').waitFor({ state: 'detached' });
  assert.equal(await stored('Maldives'), undefined);
});
