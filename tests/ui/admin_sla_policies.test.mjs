// Admin: escalation policies: creating one (the API's 422 next to each field), editing it in
// place, deleting it; the page fits a phone (390 px) and a laptop (1280 px) with a policy listed.
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

const stored = async () => (await server.ok('GET', '/sla-policies')).items;
const rows = () => page.getByRole('table', { name: 'Escalation policies' }).locator('tbody tr');

test('creating a policy: the API\'s 422 next to each field, then listed', async () => {
  await page.getByRole('link', { name: 'Escalations' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Escalation policies');
  await expectText(page.locator('main .empty'), 'No escalation policies yet.');
  const form = page.getByRole('form', { name: 'Create escalation policy' });
  await form.getByLabel('Leads').selectOption('CRM');
  await form.getByLabel('Deadline (working minutes)').fill('30');
  await form.getByLabel('Warn before (minutes)').fill('30');
  await form.getByRole('button', { name: 'Create policy' }).click();
  await expectText(form.locator('[data-error-for="warnBeforeMinutes"]'), 'afterMinutes - 1');
  await expectText(form.locator('[data-error-for="action"]'), 'is required');
  assert.equal((await stored()).length, 0);

  await form.getByLabel('Warn before (minutes)').fill('10');
  await form.getByLabel('At the deadline').selectOption('reassign');
  await form.getByRole('button', { name: 'Create policy' }).click();
  await expectText(page.getByRole('status'), 'Created the policy.');
  await expectText(rows().first(), 'CRM: fresh lead, first contact not done');
  const [policy] = await stored();
  assert.deepEqual([policy.process, policy.stage, policy.afterMinutes, policy.warnBeforeMinutes, policy.action],
    ['CRM', 'fresh_lead', 30, 10, 'reassign']);
});

test('editing a policy in place, then deleting it', async () => {
  await page.goto('/#/admin/sla-policies');
  await rows().first().getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('form', { name: 'Edit escalation policy' });
  assert.equal(await form.getByLabel('Deadline (working minutes)').inputValue(), '30');
  await form.getByLabel('Deadline (working minutes)').fill('120');
  await form.getByLabel('At the deadline').selectOption('notify');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expectText(page.getByRole('status'), 'Saved the policy.');
  await expectText(rows().first(), '120 working min');
  const [policy] = await stored();
  assert.deepEqual([policy.afterMinutes, policy.action], [120, 'notify']);

  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(viewport);
    await expectText(rows().first(), 'Notify the admins');
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    }));
    assert.ok(scrollWidth <= innerWidth, `${viewport.width}: the page is ${scrollWidth}px wide`);
  }

  await rows().first().getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expectText(page.getByRole('status'), 'Deleted the policy.');
  await expectText(page.locator('main .empty'), 'No escalation policies yet.');
  assert.equal((await stored()).length, 0);
});
