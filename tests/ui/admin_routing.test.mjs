// Admin: routing maps: where each destination goes (split by loadShare over the active entries),
// editing a map's entries (a destination split across PSV and WEST), the API's 422s next to the
// entry fields and its 409 for a second map of a process, creating and deleting a map.
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

const summary = (name) => page.locator(`table[aria-label="Routing by destination"] tr[data-destination="${name}"] td:nth-child(2)`);
const mapForm = (process) => page.getByRole('form', { name: `Edit ${process} map` });
const entry = (form, destination) => form.locator(`.entry[data-destination="${destination}"]`);
const storedMap = async (process) => (await server.ok('GET', '/process-destination-maps')).items.find((m) => m.process === process);

test('the summary says where each destination goes; each map lists its entries', async () => {
  await page.getByRole('link', { name: 'Routing' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Routing maps');
  await expectText(summary('Europe'), 'PSV 70%, WEST 30%');
  assert.equal(await summary('Goa').innerText(), 'PSV 100%');
  assert.equal(await summary('Bali').innerText(), 'NO-FILTER 100%');
  assert.equal(await summary('Iceland').innerText(), 'UPCOMING 100%');

  const psv = mapForm('PSV');
  assert.equal(await psv.locator('.entry').count(), 3);
  assert.equal(await entry(psv, 'Europe').getByLabel('Load share').inputValue(), '70');
  assert.equal(await entry(psv, 'Europe').getByLabel('Active').isChecked(), true);
  assert.equal(await entry(psv, 'Goa').getByLabel('Sheet name').isVisible(), false, 'WEST only');
  const west = mapForm('WEST');
  assert.equal(await entry(west, 'Europe').getByLabel('Load share').inputValue(), '30');
  assert.equal(await entry(west, 'Switzerland').getByLabel('Sheet name').inputValue(), 'Swiss leads');
  assert.equal(await entry(west, 'Switzerland').getByLabel('WABA number').inputValue(), '+919800000002');
});

test('splitting Goa across PSV and WEST by load share, and switching Kerala off', async () => {
  await page.goto('/#/admin/routing');
  const west = mapForm('WEST');
  await west.getByRole('button', { name: 'Add destination' }).click();
  const added = west.locator('.entry').last();
  await added.getByLabel('Destination').selectOption({ label: 'Goa' });
  await entry(west, 'Goa').getByLabel('Load share').fill('40');
  await entry(west, 'Goa').getByLabel('Sheet name').fill('Goa leads');
  await west.getByRole('button', { name: 'Save WEST map' }).click();
  await expectText(page.getByRole('status'), 'Saved the WEST map.');
  await expectText(summary('Goa'), 'PSV 71%, WEST 29%');  // 100 : 40

  const psv = mapForm('PSV');
  await entry(psv, 'Goa').getByLabel('Load share').fill('60');
  await entry(psv, 'Kerala').getByLabel('Active').uncheck();
  await psv.getByRole('button', { name: 'Save PSV map' }).click();
  await expectText(page.getByRole('status'), 'Saved the PSV map.');
  await expectText(summary('Goa'), 'PSV 60%, WEST 40%');
  await expectText(summary('Kerala'), 'PSV (inactive)');
  assert.equal(await entry(mapForm('PSV'), 'Kerala').getByLabel('Active').isChecked(), false);

  const storedWest = await storedMap('WEST');
  assert.deepEqual(storedWest.destinations.map((e) => [e.name, e.loadShare, e.sheetName ?? null]),
    [['Europe', 30, 'Europe leads'], ['Switzerland', 100, 'Swiss leads'], ['Goa', 40, 'Goa leads']]);
  const storedPsv = await storedMap('PSV');
  assert.deepEqual(storedPsv.destinations.map((e) => [e.name, e.loadShare, e.isActive]),
    [['Goa', 60, true], ['Kerala', 100, false], ['Europe', 70, true]]);
  // Leads follow the map: a Kerala lead no longer goes to PSV.
  const lead = await server.lead('Kerala after', { destination: 'Kerala' });
  assert.notEqual(lead.filterationProcess, 'PSV');
});

test('the API\'s 422s land next to the entry fields; nothing is saved', async () => {
  await page.goto('/#/admin/routing');
  const psv = mapForm('PSV');
  await entry(psv, 'Europe').getByLabel('Load share').fill('150');
  await psv.getByRole('button', { name: 'Add destination' }).click();
  await psv.locator('.entry').last().getByLabel('Destination').selectOption({ label: 'Goa' });
  await psv.getByRole('button', { name: 'Save PSV map' }).click();
  await expectText(psv.getByRole('alert'), 'the process map is invalid');
  await expectText(entry(psv, 'Europe').locator('[data-error-for="destinations[2].loadShare"]'), 'must be an integer from 0 to 100');
  await expectText(psv.locator('.entry').last().locator('[data-error-for="destinations[3]"]'), "lists destination 'Goa' again");
  assert.equal((await storedMap('PSV')).destinations.find((e) => e.name === 'Europe').loadShare, 70);

  // Removing the repeated entry and fixing the share saves.
  await psv.locator('.entry').last().getByRole('button', { name: 'Remove' }).click();
  await entry(psv, 'Europe').getByLabel('Load share').fill('50');
  await psv.getByRole('button', { name: 'Save PSV map' }).click();
  await expectText(page.getByRole('status'), 'Saved the PSV map.');
  assert.equal((await storedMap('PSV')).destinations.length, 3);
});

test('creating a map: a second map for a process is a 409; a new one for UNKNOWN, then deleted', async () => {
  await page.goto('/#/admin/routing');
  const form = page.getByRole('form', { name: 'Create routing map' });
  await form.getByLabel('Process').selectOption('PSV');
  await form.getByLabel('Destination').selectOption({ label: 'Iceland' });
  await form.getByRole('button', { name: 'Create map' }).click();
  await expectText(form.getByRole('alert'), 'Conflict: a PSV process map already exists');

  await form.getByLabel('Process').selectOption('UNKNOWN');
  await form.getByLabel('Load share').fill('50');
  await form.getByRole('button', { name: 'Create map' }).click();
  await expectText(page.getByRole('status'), 'Created the UNKNOWN map.');
  await expectText(summary('Iceland'), 'UNKNOWN 33%, UPCOMING 67%');
  assert.deepEqual((await storedMap('UNKNOWN')).destinations.map((e) => [e.name, e.loadShare]), [['Iceland', 50]]);

  const section = page.getByRole('region', { name: 'UNKNOWN map' });
  await section.getByRole('button', { name: 'Delete map' }).click();
  await section.getByRole('button', { name: 'Yes, delete map' }).click();
  await expectText(page.getByRole('status'), 'Deleted the UNKNOWN map.');
  await expectText(summary('Iceland'), 'UPCOMING 100%');
  assert.equal(await storedMap('UNKNOWN'), undefined);
});
