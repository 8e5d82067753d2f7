// Issue 16 item 5 in the UI: sessions that behave like a web app's. A pasted link asks to sign in
// and then shows that page; a session that ends mid-edit keeps what was being typed; Reload after
// a conflict keeps what was typed beside the new values (item 6).
//
// COOKIE: the session cookie (POST /auth/login sets `leadproc_session`, docs/api-auth.md);
// PASSWORD: a person's own password change (POST /auth/password).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, openPage, signIn, expectText, EMAILS, PASSWORD, cookieSessions, pageCredentials, statusWith,
} from './harness.mjs';

let server, browser;
serverAndBrowser(async (s, b) => {
  server = s;
  browser = b;
});

const heading = (page) => page.getByRole('heading', { level: 1 });

test('a pasted link asks to sign in, then shows the page it named', async () => {
  const opp = await server.lead('Lina Link', { destination: 'Goa' });
  const page = await openPage(browser, server);
  await page.goto(`/#/opportunities/${opp._id}`);
  await expectText(heading(page), 'Sign in');
  await signIn(page, await server.workerEmail(opp));
  await expectText(heading(page), 'Lina Link');
  assert.match(page.url(), new RegExp(`#/opportunities/${opp._id}$`));
  await page.context().close();
});

test('a session that ends mid-edit keeps the note and the edit being typed, and puts them back after signing in', async () => {
  const opp = await server.lead('Esha Expiry', { destination: 'Goa' });
  const email = await server.workerEmail(opp);
  const page = await openPage(browser, server);
  await signIn(page, email);
  await page.goto(`/#/opportunities/${opp._id}`);
  await expectText(heading(page), 'Esha Expiry');
  const notes = page.getByRole('region', { name: 'Notes' });
  await notes.getByLabel('Note', { exact: true }).fill('Customer wants a sea-view room, call back at 6');
  const edit = page.getByRole('region', { name: 'Edit' });
  await edit.locator('summary').click();
  await edit.getByLabel('Agent notes').fill('prefers WhatsApp');

  // The session ends elsewhere (an expiry, a sign-out in another tab); then the person saves.
  assert.equal(await statusWith(server, await pageCredentials(page), 'POST', '/auth/logout'), 204);
  await notes.getByRole('button', { name: 'Add note' }).click();
  await expectText(heading(page), 'Sign in');
  await expectText(page.getByRole('status'), 'Your session has ended');

  await signIn(page, email);
  await expectText(heading(page), 'Esha Expiry');
  assert.equal(await page.getByRole('region', { name: 'Notes' }).getByLabel('Note', { exact: true }).inputValue(),
    'Customer wants a sea-view room, call back at 6');
  assert.equal(await page.getByRole('region', { name: 'Edit' }).getByLabel('Agent notes').inputValue(), 'prefers WhatsApp');
  // Nothing was saved behind the person's back: the note is theirs to send.
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}/notes`)).items.length, 0);
  await page.context().close();
});

test('what one person typed before their session ended is not shown to another who signs in on the tab', async () => {
  const opp = await server.lead('Pia Private', { destination: 'Goa' });
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
  await page.goto(`/#/opportunities/${opp._id}`);
  await expectText(heading(page), 'Pia Private');
  await page.getByRole('region', { name: 'Notes' }).getByLabel('Note', { exact: true }).fill('admin-only remark');
  assert.equal(await statusWith(server, await pageCredentials(page), 'POST', '/auth/logout'), 204);
  await page.getByRole('region', { name: 'Notes' }).getByRole('button', { name: 'Add note' }).click();
  await expectText(heading(page), 'Sign in');

  await signIn(page, await server.workerEmail(opp));
  await expectText(heading(page), 'Pia Private');
  assert.equal(await page.getByRole('region', { name: 'Notes' }).getByLabel('Note', { exact: true }).inputValue(), '');
  await page.context().close();
});

test('Reload after a conflict keeps what was typed, beside the values saved in between', async () => {
  const opp = await server.lead('Cora Conflict', { destination: 'Goa', pax: 2 });
  const page = await openPage(browser, server);
  await signIn(page, await server.workerEmail(opp));
  await page.goto(`/#/opportunities/${opp._id}`);
  await expectText(heading(page), 'Cora Conflict');
  const edit = page.getByRole('region', { name: 'Edit' });
  await edit.locator('summary').click();
  await edit.getByLabel('Pax', { exact: true }).fill('5');
  // Someone else saves first.
  await server.ok('PATCH', `/opportunities/${opp._id}`, { pax: 3 });
  await edit.getByRole('button', { name: 'Save' }).click();
  await expectText(edit.getByRole('alert'), 'Someone else changed this');
  await edit.getByRole('alert').getByRole('button', { name: 'Reload' }).click();

  const reloaded = page.getByRole('region', { name: 'Edit' });
  await reloaded.locator('[data-latest-for="pax"]').waitFor();
  assert.equal(await reloaded.getByLabel('Pax', { exact: true }).inputValue(), '5', 'what was typed is kept');
  await expectText(reloaded.locator('[data-latest-for="pax"]'), 'Saved now: 3');
  await expectText(page.getByRole('region', { name: 'Details' }), '3');
  // Saving now is against the new version.
  await reloaded.getByRole('button', { name: 'Save' }).click();
  await expectText(page.getByRole('status'), 'Saved: pax.');
  assert.equal((await server.ok('GET', `/opportunities/${opp._id}`)).pax, '5');
  await page.context().close();
});

test('COOKIE: a link opened in a new tab is signed in; no script can read the credential', async (t) => {
  assert.ok(await cookieSessions(server), 'login sets the leadproc_session cookie');
  const opp = await server.lead('Tara Tabs', { destination: 'Goa' });
  const page = await openPage(browser, server);
  await signIn(page, await server.workerEmail(opp));
  const tab = await page.context().newPage();
  await tab.goto(`/#/opportunities/${opp._id}`);
  await expectText(heading(tab), 'Tara Tabs');
  for (const p of [page, tab]) {
    const stored = await p.evaluate(() => JSON.stringify([{ ...sessionStorage }, { ...localStorage }, document.cookie]));
    assert.doesNotMatch(stored, /lps_|leadproc_session/, 'the session is in an HttpOnly cookie only');
  }
  await page.context().close();
});

test('COOKIE: signing out in one tab ends the session in the others', async (t) => {
  assert.ok(await cookieSessions(server), 'login sets the leadproc_session cookie');
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.sam);
  const tab = await page.context().newPage();
  await tab.goto('/#/');
  await tab.getByTestId('user-department').waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectText(heading(page), 'Sign in');
  await tab.getByLabel('Status').selectOption('Open');
  await expectText(heading(tab), 'Sign in');
  await page.context().close();
});

test('PASSWORD: a person changes their own password; the old one is needed, other sessions end', async (t) => {
  const email = EMAILS.nina;
  const other = await openPage(browser, server);
  await signIn(other, email);
  const otherCredentials = await pageCredentials(other);
  const page = await openPage(browser, server);
  await signIn(page, email);
  await page.getByRole('link', { name: 'Change password' }).click();
  const form = page.getByRole('form', { name: 'Change password' });
  await form.getByLabel('Current password').fill('not-the-password-1');
  await form.getByLabel('New password', { exact: true }).fill('Nina-new-pass-42');
  await form.getByLabel('New password again').fill('Nina-new-pass-42');
  await form.getByRole('button', { name: 'Change password' }).click();
  await form.getByRole('alert').waitFor();
  assert.equal((await server.call('POST', '/auth/login', { email, password: PASSWORD }, 'none')).status, 200, 'unchanged');

  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByLabel('New password', { exact: true }).fill('Nina-new-pass-42');
  await form.getByLabel('New password again').fill('Nina-new-pass-42');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expectText(page.getByRole('status'), 'Your password is changed');
  assert.equal(await statusWith(server, otherCredentials, 'GET', '/auth/me'), 401, 'the other session ended');
  assert.equal(await statusWith(server, await pageCredentials(page), 'GET', '/auth/me'), 200, 'this one stays');
  assert.equal((await server.call('POST', '/auth/login', { email, password: 'Nina-new-pass-42' }, 'none')).status, 200);
  await page.context().close();
  await other.context().close();
});
