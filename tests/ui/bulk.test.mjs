// Issue 17 item 5: bulk work from a list. On the admin's list, rows ticked one by one, or "all
// that match this filter", are handed over to a person in one step; the bar says how many were
// done and why any was refused; each opportunity has its reassignment on its timeline. On an
// agent's own list the same bar tags and moves, without reassignment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, signIn, expectText, EMAILS } from './harness.mjs';

let server, browser, goa, page;
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
  goa = (await server.ok('GET', '/destinations')).items.find((d) => d.name === 'Goa')._id;
  page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
});

const table = () => page.getByRole('table', { name: 'Opportunities' });
const bar = () => page.getByRole('region', { name: 'Bulk actions' });

test('the rows that match a filter are handed over to a person in one step', async () => {
  const opps = [];
  for (const name of ['Hana One', 'Hana Two', 'Hana Three']) opps.push(await server.lead(name, { destination: 'Goa' }));
  const meera = await server.userByEmail(EMAILS.meera);
  await page.goto(`/#/admin/opportunities?destination=${goa}`);
  await expectText(table().locator('tbody tr').first(), 'Hana Three');
  await bar().getByRole('button', { name: 'Select all that match this filter' }).click();
  await expectText(bar().getByTestId('bulk-selected'), 'All that match this filter are selected');
  await bar().getByLabel('Action', { exact: true }).selectOption('reassign');
  await bar().getByLabel('Person').selectOption({ label: 'Meera Iyer (PSV)' });
  await bar().getByLabel('Remarks').fill('Priya and Rahul are on leave');
  await bar().getByRole('button', { name: 'Apply' }).click();
  await expectText(bar().getByTestId('bulk-result'), 'Done 3 of 3.');
  await expectText(table().locator('tbody tr').first(), 'Meera Iyer');
  for (const o of opps) {
    assert.equal((await server.ok('GET', `/opportunities/${o._id}`)).assignedPsv._id, meera._id);
    const acts = (await server.ok('GET', `/opportunities/${o._id}/activities`)).items;
    assert.match(acts[0].description, /^reassigned from .* Priya and Rahul are on leave$/);
  }
});

test('ticked rows are handed over; one that cannot be is refused with its reason', async () => {
  const keep = await server.lead('Ira Keep', { destination: 'Goa' });
  const give = await server.lead('Ira Give', { destination: 'Goa' });
  await server.ok('POST', `/opportunities/${keep._id}/transitions`, { to: 'PSVDisqualified', reasons: ['junk'] });
  await page.goto('/#/admin/opportunities');  // another hash first: the list is drawn afresh
  await page.goto(`/#/admin/opportunities?destination=${goa}`);
  await expectText(table().locator('tbody tr').first(), 'Ira Give');
  await table().getByLabel('Select Ira Give').check();
  await table().getByLabel('Select Ira Keep').check();
  await expectText(bar().getByTestId('bulk-selected'), '2 selected');
  await bar().getByLabel('Person').selectOption({ label: 'Meera Iyer (PSV)' });
  await bar().getByRole('button', { name: 'Apply' }).click();
  const result = bar().getByTestId('bulk-result');
  await expectText(result, 'Done 1 of 2.');
  await expectText(result.locator('li'), 'Ira Keep');
  await expectText(result.locator('li'), 'closed');
  assert.equal((await server.ok('GET', `/opportunities/${give._id}`)).assignedPsv.name, 'Meera Iyer');

  // A tag on the rows ticked; an empty one is named next to its field and nothing is done.
  await table().getByLabel('Select Ira Give').check();
  await bar().getByLabel('Action', { exact: true }).selectOption('tag');
  await bar().getByRole('button', { name: 'Apply' }).click();
  await expectText(bar().locator('[data-error-for="tags[0]"]'), 'non-empty');
  await bar().getByLabel('Tag', { exact: true }).fill('visa');
  await bar().getByRole('button', { name: 'Apply' }).click();
  await expectText(bar().getByTestId('bulk-result'), 'Done 1 of 1.');
  assert.deepEqual((await server.ok('GET', `/opportunities/${give._id}`)).tags, ['visa']);
});

test('an agent tags their own rows in bulk, and is not offered reassignment', async () => {
  const priya = await server.userByEmail(EMAILS.priya);
  const opps = [];
  for (const name of ['Uma One', 'Uma Two']) opps.push(await server.lead(name, { destination: 'Goa' }));
  await server.ok('POST', '/opportunities/bulk', { action: 'reassign', ids: opps.map((o) => o._id), to: priya._id });
  const agent = await openPage(browser, server);
  await signIn(agent, EMAILS.priya);
  await agent.goto(`/#/?destination=${goa}`);
  const rows = agent.getByRole('table', { name: 'Opportunities' });
  const agentBar = agent.getByRole('region', { name: 'Bulk actions' });
  await expectText(rows.locator('tbody tr').first(), 'Uma Two');
  await rows.getByLabel('Select Uma One').check();
  await rows.getByLabel('Select Uma Two').check();
  await expectText(agentBar.getByTestId('bulk-selected'), '2 selected');
  const offered = await agentBar.getByLabel('Action', { exact: true }).locator('option').allTextContents();
  assert.deepEqual(offered, ['Move to', 'Add a tag', 'Remove a tag']);
  await agentBar.getByLabel('Action', { exact: true }).selectOption('tag');
  await agentBar.getByLabel('Tag', { exact: true }).fill('honeymoon');
  await agentBar.getByRole('button', { name: 'Apply' }).click();
  await expectText(agentBar.getByTestId('bulk-result'), 'Done 2 of 2.');
  for (const o of opps) assert.deepEqual((await server.ok('GET', `/opportunities/${o._id}`)).tags, ['honeymoon']);
  await agent.context().close();
});
