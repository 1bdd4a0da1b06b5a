// Shared set-up of the dashboard browser tests: the system's Chromium through playwright-core (never a
// downloaded browser), a watch on every request the page makes (all must stay on the server's origin) and on
// every dialog (none may open), the superuser's API client for changes made "behind the browser's back", and
// screenshots when SCREENSHOTS_DIR is set.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';

export const url = process.env.NANODB_URL;
if (!url) throw new Error('NANODB_URL is not set (the base address of a running NanoDB)');
export const adminEmail = process.env.NANODB_ADMIN_EMAIL ?? 'admin@local.host';
export const adminPassword = process.env.NANODB_ADMIN_PASSWORD ?? 'password123';
const origin = new URL(url).origin;

/** Without the background-networking flags Chromium tries to reach services this closed network refuses. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function openBrowser() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const watch = { foreign: [], dialogs: [], pageErrors: [], dashboardAnswers: [] };
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !/^(data|blob):/.test(r.url())) watch.foreign.push(r.url()); });
  page.on('dialog', (d) => { watch.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => watch.pageErrors.push(String(e)));
  page.on('response', (r) => { if (new URL(r.url()).pathname.startsWith('/_/')) watch.dashboardAnswers.push({ url: r.url(), headers: r.headers() }); });
  page.setDefaultTimeout(15_000);
  return { browser, page, watch };
}

/** Saves a screenshot of the page as `name`.png when SCREENSHOTS_DIR is set. */
export async function shot(page, name) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.waitForTimeout(150); // let a just-started CSS transition or repaint settle before capturing
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** In the collection editor: adds a field card for each [name, type], numbered from 0. */
export async function addFields(page, fields) {
  for (const [i, [name, type]] of fields.entries()) {
    await page.getByTestId('add-field').click();
    await page.getByTestId(`field-name-${i}`).fill(name);
    await page.getByTestId(`field-type-${i}`).selectOption(type);
  }
}

/** The superuser's own API client, for changes the browser does not make (a concurrent edit, an event). */
export async function adminApi() {
  const login = await call('POST', '/api/collections/_superusers/auth-with-password', { identity: adminEmail, password: adminPassword });
  return (method, route, body) => call(method, route, body, login.token);
}

export async function call(method, route, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = token;
  const res = await fetch(url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${route} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}
