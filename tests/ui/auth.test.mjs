// Slice 1: signing in and out, and a session that ends sends the user back to sign in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, openPage, signIn, worklistLoaded, expectText, EMAILS, PASSWORD, pageCredentials, statusWith,
} from './harness.mjs';

let server, browser;
serverAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('a wrong password shows the error and keeps the user on the sign-in form', async () => {
  const page = await openPage(browser, server);
  await page.getByLabel('Email').fill(EMAILS.priya);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.getByRole('alert'), 'invalid email or password');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('leadproc.token')), null);
  assert.equal(await page.getByTestId('user-name').count(), 0);
  await page.context().close();
});

test('signing in shows who is signed in and their department; signing out ends the session', async () => {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.priya);
  await expectText(page.getByTestId('user-name'), 'Priya Shah');
  await expectText(page.getByTestId('user-department'), 'PSV');
  await expectText(page.getByRole('heading', { level: 1 }), 'My opportunities');
  const credentials = await pageCredentials(page);
  assert.equal(await statusWith(server, credentials, 'GET', '/auth/me'), 200, 'signed in');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectText(page.getByRole('heading', { level: 1 }), 'Sign in');
  await expectText(page.getByRole('status'), 'You have signed out');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('leadproc.token')), null);
  assert.equal(await statusWith(server, credentials, 'GET', '/auth/me'), 401, 'the session is ended');
  await page.context().close();
});

test('an admin sees the admin pages and their department', async () => {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.admin);
  await expectText(page.getByTestId('user-department'), 'ADMIN');
  await expectText(page.getByRole('heading', { level: 1 }), 'All opportunities');
  await page.getByRole('link', { name: 'Users' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'My opportunities' }).count(), 0);
  await page.context().close();
});

test('a session that ended elsewhere returns the user to sign-in', async () => {
  const page = await openPage(browser, server);
  await signIn(page, EMAILS.sam);
  await worklistLoaded(page);
  // The session ends outside this page (an expiry, a logout elsewhere, a deactivation).
  assert.equal(await statusWith(server, await pageCredentials(page), 'POST', '/auth/logout'), 204);
  // The next thing the user does asks the API, which refuses the token.
  await page.getByLabel('Status').selectOption('Open');
  await expectText(page.getByRole('heading', { level: 1 }), 'Sign in');
  await expectText(page.getByRole('status'), 'Your session has ended');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('leadproc.token')), null);

  // And signing in again works.
  await page.getByLabel('Email').fill(EMAILS.sam);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.getByTestId('user-name'), 'Sam Kapoor');
  await page.context().close();
});

test('an invalid token in the tab opens the sign-in form', async () => {
  const page = await openPage(browser, server);
  await page.evaluate(() => sessionStorage.setItem('leadproc.token', 'lps_not-a-real-token'));
  await page.reload();
  await expectText(page.getByRole('heading', { level: 1 }), 'Sign in');
  await expectText(page.getByRole('status'), 'Your session has ended');
  await page.context().close();
});
