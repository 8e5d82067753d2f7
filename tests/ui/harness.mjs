// What every browser test file needs: its own `leadproc serve` on a free loopback port with a
// fresh SQLite database holding the demo data (src/cli/demo_data.cpp), a JSON client of its API
// to arrange data, and headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
//
// LEADPROC_BINARY names the server binary (tests/CMakeLists.txt passes the built one);
// CHROMIUM overrides the browser's path.
import { before, after } from 'node:test';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium } from 'playwright-core';

export const PASSWORD = 'leadproc-demo-1';
export const DEMO_KEY = 'lpk_demo-website-form-key-not-for-production';
export const EMAILS = {
  admin: 'admin@leadproc.test', priya: 'priya.psv@leadproc.test', rahul: 'rahul.psv@leadproc.test',
  meera: 'insta.psv@leadproc.test', wes: 'wes.west@leadproc.test', emma: 'emma.west@leadproc.test',
  sam: 'sam.sales@leadproc.test', nina: 'nina.sales@leadproc.test',
};

const BINARY = process.env.LEADPROC_BINARY;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// A fixed-offset zone where it is about noon now, so that "in one hour" is later today in the
// server's business time zone whatever the hour the tests run at (due-today lists).
function noonZone() {
  let offset = 12 - new Date().getUTCHours();
  if (offset === 0) return 'Etc/UTC';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;  // Etc/GMT-5 is UTC+5
}

export class Server {
  // Starts the server; resolves once it listens and its database answers.
  static async start() {
    if (!BINARY || !existsSync(BINARY)) throw new Error(`LEADPROC_BINARY (${BINARY}) is not the leadproc binary`);
    const s = new Server();
    s.dir = mkdtempSync(join(tmpdir(), 'leadproc-ui-'));
    const db = `sqlite:${join(s.dir, 'ui.db')}`;
    const common = ['--database-url', db, '--bcrypt-cost', '4', '--timezone', noonZone()];
    s.common = common;
    execFileSync(BINARY, [...common, 'demo-data'], { stdio: 'ignore' });
    const portFile = join(s.dir, 'port');
    s.logFile = join(s.dir, 'server.log');
    const log = openSync(s.logFile, 'a');
    s.child = spawn(BINARY, [...common, 'serve', '--listen', '127.0.0.1:0', '--port-file', portFile],
      { stdio: ['ignore', log, log] });
    // Start-up: poll for the port file (the server writes it once listening), at most 15 s.
    for (let i = 0; i < 300 && !existsSync(portFile); i++) {
      if (s.child.exitCode !== null) break;
      await delay(50);
    }
    if (!existsSync(portFile)) throw new Error(`leadproc did not start:\n${s.log()}`);
    s.base = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
    const ready = await fetch(`${s.base}/readyz`);
    if (!ready.ok) throw new Error(`leadproc is not ready: ${ready.status}`);
    s.adminToken = await s.login(EMAILS.admin);
    return s;
  }

  // Runs `leadproc <args>` on this server's database (e.g. ['jobs', 'run', 'cms-url-sync']) with
  // `env` added to the environment; answers its stdout parsed as JSON, whatever its exit code.
  cli(args, env = {}) {
    let out;
    try {
      out = execFileSync(BINARY, [...this.common, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      if (err.stdout === undefined) throw err;
      out = err.stdout;
    }
    return JSON.parse(out.toString());
  }

  log() {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').slice(-8000) : '';
  }

  async stop() {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  // Calls the API; answers {status, body}. `auth`: a token, {key}, or undefined for the admin.
  async call(method, path, body, auth) {
    const headers = { 'Content-Type': 'application/json' };
    if (auth?.key) headers['X-Api-Key'] = auth.key;
    else headers.Authorization = `Bearer ${auth ?? this.adminToken}`;
    const r = await fetch(`${this.base}/api/v1${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }

  // As call(), but the status must be 2xx; answers the body.
  async ok(method, path, body, auth) {
    const r = await this.call(method, path, body, auth);
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async login(email) {
    return (await this.ok('POST', '/auth/login', { email, password: PASSWORD }, 'none')).token;
  }

  // Sends a lead as the demo website form; answers the opportunity.
  async lead(name, fields = {}) {
    const number = `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    return (await this.ok('POST', '/leads', { name, number, ...fields }, { key: DEMO_KEY })).opportunity;
  }

  async userById(id) {
    return this.ok('GET', `/users/${id}`);
  }

  async userByEmail(email) {
    return (await this.ok('GET', '/users')).items.find((u) => u.email === email);
  }

  // The email of who works `opp` now (its sales owner, else its PSV/WEST agent).
  async workerEmail(opp) {
    const id = opp.opportunityOwner ?? opp.assignedPsv?._id ?? opp.assignedWest?._id;
    return (await this.userById(id)).email;
  }
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

// A fresh browser context (its own sessionStorage) with a page at the UI.
export async function openPage(browser, server) {
  const context = await browser.newContext({ baseURL: server.base });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto('/');
  return page;
}

// Takes Rahul out of the PSV rotation, so that every website lead to a PSV destination goes to
// Priya (Meera takes Instagram leads only): a list whose rows a test can predict.
export async function onlyPriyaInPsv(server) {
  const psv = await server.ok('GET', '/availabilities?process=PSV');
  const rahul = psv.items.find((a) => a.personName === 'Rahul Verma');
  await server.ok('PATCH', `/availabilities/${rahul._id}`, { isAvailable: false });
}

// Signs in through the form and waits for the header to show the user.
// Starts a leadproc server (a fresh database of demo data) and a browser before a file's tests
// and closes both after them; `ready(server, browser)` runs once both are up (the file keeps
// them, signs in, adds its data).
export function serverAndBrowser(ready) {
  let server, browser;
  before(async () => {
    server = await Server.start();
    browser = await launchBrowser();
    await ready(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

export async function signIn(page, email) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-department').waitFor();
}

// Waits until the work list has its answers (its opportunities and its follow-ups due), so that
// none of the page's calls is still under way: a test that ends the session next must not race
// them.
export async function worklistLoaded(page) {
  await page.waitForFunction(() => {
    const list = document.querySelector('section[aria-label="My opportunities"]');
    const due = document.querySelector('section.due');
    return list && !list.textContent.includes('Loading…') && due && due.children.length > 1;
  });
}

// A datetime-local input's value for `date` in this machine's time zone (the browser's too).
export function localDateTime(date) {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

// Waits until `locator` shows `text` (auto-waiting, no sleeps); fails with what it shows instead.
export async function expectText(locator, text) {
  try {
    await locator.filter({ hasText: text }).first().waitFor();
  } catch {
    const shown = (await locator.allInnerTexts()).join(' | ');
    throw new Error(`expected ${locator} to show ${JSON.stringify(String(text))}; it shows: ${JSON.stringify(shown)}`);
  }
}

// True iff the server signs browsers in with a session cookie (POST /auth/login sets
// `leadproc_session`: issue 16 item 5). The tests of cookie sessions skip themselves without it.
export async function cookieSessions(server) {
  const r = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: EMAILS.admin, password: PASSWORD }),
  });
  const cookies = typeof r.headers.getSetCookie === 'function' ? r.headers.getSetCookie().join('\n') : (r.headers.get('set-cookie') ?? '');
  return /(^|\n)leadproc_session=/.test(cookies);
}

// The credentials a signed-in page sends: its tab's bearer token, else its session cookie, as
// request headers (with the page's Origin, which a cookie-authenticated write needs).
export async function pageCredentials(page) {
  const origin = new URL(page.url()).origin;
  const token = await page.evaluate(() => sessionStorage.getItem('leadproc.token'));
  if (token) return { Authorization: `Bearer ${token}`, Origin: origin };
  const cookie = (await page.context().cookies(origin)).find((c) => c.name === 'leadproc_session');
  return cookie ? { Cookie: `${cookie.name}=${cookie.value}`, Origin: origin } : { Origin: origin };
}

// Calls the API with `headers` (pageCredentials); answers the status.
export async function statusWith(server, headers, method, path) {
  const r = await fetch(`${server.base}/api/v1${path}`, { method, headers });
  await r.arrayBuffer();
  return r.status;
}
