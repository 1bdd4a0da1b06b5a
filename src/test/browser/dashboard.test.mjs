// The dashboard as an operator uses it, in headless Chromium: sign in, define a collection, work on records
// (including a concurrent edit), filter, relations (relations.mjs), files (files.mjs), watch live events, read stats,
// read the request logs (logs.mjs), back up and restore, change the settings (settings.mjs), an auth collection's
// options and the superuser's own password (accounts.mjs) — and through it all the page must render data only as text, open no dialog and load
// nothing from another origin.
// The tests share one page and run in order (node:test runs a file's top-level tests one after the other).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { url, adminEmail, adminPassword, openBrowser, shot, adminApi, call, addFields } from './browser.mjs';
import { relationTests } from './relations.mjs';
import { fileTests } from './files.mjs';
import { settingsTests } from './settings.mjs';
import { logsTests } from './logs.mjs';
import { authOptionTests, ownPasswordTest } from './accounts.mjs';

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 5);
const notes = `notes_${run}`;
const XSS = '<img src=x onerror=alert(1)>';
const SECRET = `hush-${run}`; // the value of a hidden field: it must never reach the page
let browser; let page; let watch; let admin;
const records = () => admin('GET', `/api/collections/${notes}/records?perPage=100&sort=created`);

before(async () => {
  ({ browser, page, watch } = await openBrowser());
  admin = await adminApi();
});

after(async () => {
  await browser?.close();
});

test('the dashboard is served with a strict CSP, no-cache and safe paths', async () => {
  const index = await fetch(`${url}/_/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  const csp = index.headers.get('content-security-policy') ?? '';
  for (const part of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) {
    assert.ok(csp.includes(part), `CSP ${csp} lacks ${part}`);
  }
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(index.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const again = await fetch(`${url}/_/`, { headers: { 'If-None-Match': index.headers.get('etag') } });
  assert.equal(again.status, 304);
  const js = await fetch(`${url}/_/js/main.js`);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  const bare = await fetch(`${url}/_`, { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.get('location'), '/_/');
  for (const bad of ['/_/nope.js', '/_/%2e%2e/pom.xml', '/_/..%2fpom.xml', '/_/js/%2e%2e/%2e%2e/simplelogger.properties', '/_/JS/MAIN.JS']) {
    const res = await fetch(url + bad);
    assert.equal(res.status, 404, `${bad} answered ${res.status}`);
  }
  const missing = await fetch(`${url}/_/nope.js`);
  assert.ok((missing.headers.get('content-security-policy') ?? '').includes("default-src 'none'"), 'a 404 under /_/ carries the CSP too');
});

test('a superuser signs in and sees the default-password banner', async () => {
  await page.goto(`${url}/_/`);
  await page.getByTestId('login-email').waitFor();
  await shot(page, 'login');
  await page.getByTestId('login-email').fill(adminEmail);
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong email or password').waitFor();
  await page.getByTestId('login-password').fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-email').getByText(adminEmail).waitFor();
  await page.getByTestId('warning-banner').getByText('default password').waitFor();
  const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('nanodb.dashboard.token'), local: localStorage.length, cookie: document.cookie }));
  assert.ok(stored.session, 'the token is kept in sessionStorage');
  assert.equal(stored.local, 0, 'nothing in localStorage');
  assert.equal(stored.cookie, '', 'no cookie');
});

test('a collection with an indexed field and owner rules is created; a bad rule is shown next to that rule', async () => {
  await page.getByTestId('new-collection').click();
  await page.getByTestId('collection-name').fill(notes);
  await addFields(page, [['title', 'text'], ['status', 'select'], ['owner_id', 'text'], ['secret', 'text']]);
  await page.getByTestId('field-required-0').check();
  await page.getByTestId('field-values-1').fill('draft, published');
  await page.getByTestId('field-indexed-1').check();
  await page.getByTestId('field-indexed-2').check();
  await page.getByTestId('field-hidden-3').check();
  const owner = 'owner_id = @request.auth.id';
  for (const rule of ['listRule', 'viewRule', 'updateRule', 'deleteRule', 'createRule']) {
    await page.getByTestId(`rule-${rule}-locked`).uncheck();
    await page.getByTestId(`rule-${rule}`).fill(rule === 'createRule' ? '@request.auth.id != ""' : owner);
  }
  await page.getByTestId('rule-listRule').fill('owner_id = (');
  await page.getByTestId('save-collection').click();
  const ruleBox = page.locator('.rule', { has: page.getByTestId('rule-listRule') });
  await ruleBox.locator('.field-error').getByText('position').waitFor();
  await page.getByTestId('rule-listRule').fill(owner);
  await page.getByTestId('save-collection').click();
  await page.getByRole('heading', { name: `Collection ${notes}` }).waitFor();
  await shot(page, 'collection-editor');
  const saved = await admin('GET', `/api/collections/${notes}`);
  assert.equal(saved.listRule, owner);
  assert.equal(saved.createRule, '@request.auth.id != ""');
  const status = saved.fields.find((f) => f.name === 'status');
  assert.deepEqual([status.type, status.indexed, status.values], ['select', true, ['draft', 'published']]);
  assert.equal(saved.fields.find((f) => f.name === 'title').required, true);
  assert.equal(saved.fields.find((f) => f.name === 'secret').hidden, true);
});

test('records are added, edited through a version conflict, and deleted', async () => {
  await page.goto(`${url}/_/#/records/${notes}`);
  for (const title of ['first', 'second']) {
    await page.getByTestId('new-record').click();
    await page.getByTestId('input-title').fill(title);
    await page.getByTestId('input-status').selectOption('draft');
    await page.getByTestId('save-record').click();
    await page.locator('table.records td', { hasText: title }).waitFor();
  }
  let [first, second] = (await records()).items;
  assert.deepEqual([first.title, second.title, first.status], ['first', 'second', 'draft']);

  await page.getByTestId(`edit-${first.id}`).click();
  await page.getByTestId('input-title').fill('mine');
  await admin('PATCH', `/api/collections/${notes}/records/${first.id}`, { title: 'theirs' }); // someone else saves first
  await page.getByTestId('save-record').click();
  const conflict = page.getByTestId('conflict');
  await conflict.getByText('Someone else saved this record').waitFor();
  await conflict.getByText('theirs').waitFor();
  await shot(page, 'record-conflict');
  assert.equal((await admin('GET', `/api/collections/${notes}/records/${first.id}`)).title, 'theirs', 'the stale save changed nothing');
  await page.getByTestId('conflict-reload').click();
  assert.equal(await page.getByTestId('input-title').inputValue(), 'theirs');
  await page.getByTestId('input-title').fill('merged');
  await page.getByTestId('save-record').click();
  await page.locator('table.records td', { hasText: 'merged' }).waitFor();
  first = await admin('GET', `/api/collections/${notes}/records/${first.id}`);
  assert.deepEqual([first.title, first._version], ['merged', 3]);

  await page.getByTestId(`delete-${second.id}`).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.locator(`tr[data-id="${second.id}"]`).waitFor({ state: 'detached' });
  assert.deepEqual((await records()).items.map((r) => r.id), [first.id]);
});

test('a filter with a syntax error is shown under the box with its position', async () => {
  await page.getByTestId('filter').fill('title = "merged" &&');
  await page.getByRole('button', { name: 'Apply' }).click();
  const error = page.getByTestId('filter-error');
  await error.getByText('position 19').waitFor();
  assert.match(await error.locator('pre.caret').textContent(), /\^$/);
  await page.getByTestId('filter').fill('title = "merged"');
  await page.getByRole('button', { name: 'Apply' }).click();
  await error.waitFor({ state: 'hidden' });
  await page.getByTestId('pager-info').getByText('1 records').waitFor();
});

test('a record whose title is markup is shown as text: no element, no script, no dialog', async () => {
  const evil = await admin('POST', `/api/collections/${notes}/records`, { title: XSS, status: 'published', secret: SECRET });
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.locator(`tr[data-id="${evil.id}"]`).getByText(XSS, { exact: true }).waitFor();
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no img element was created from the title');
  assert.equal(await page.locator('table.records img').count(), 0);
  await page.getByTestId(`edit-${evil.id}`).click();
  assert.equal(await page.getByTestId('input-title').inputValue(), XSS);
  assert.equal(await page.getByTestId('input-secret').inputValue(), '', 'a hidden field is write-only');
  assert.ok(!(await page.content()).includes(SECRET), 'the hidden value is nowhere in the page');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await shot(page, 'records');
  assert.deepEqual(watch.dialogs, [], 'no dialog fired');
});

relationTests(() => ({ page, admin, run }));
fileTests(() => ({ page, admin, run }));

test('a record created through the API appears in the Live panel', async () => {
  await page.getByRole('link', { name: 'Live' }).click();
  await page.getByTestId('live-status').getByText('live').waitFor();
  const made = await admin('POST', `/api/collections/${notes}/records`, { title: 'live one', status: 'draft' });
  const row = page.getByTestId('live-events').locator('tr', { hasText: made.id });
  await row.getByText('create', { exact: true }).waitFor();
  await row.getByText(notes).waitFor();
  await admin('PATCH', `/api/collections/${notes}/records/${made.id}`, { title: `${XSS} live`, secret: SECRET });
  await page.getByTestId('live-events').locator('tr', { hasText: made.id }).getByText('update', { exact: true }).waitFor();
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.ok(!(await page.content()).includes(SECRET), 'no hidden value in the live events');
  await shot(page, 'live');
});

test('the stats page shows the server figures and draws its charts', async () => {
  await page.getByRole('link', { name: 'Stats' }).click();
  await page.getByRole('heading', { name: 'Requests by route' }).waitFor();
  // Charts need two samples for a rate; the page samples every 3 s.
  await page.locator('svg.chart path.line').first().waitFor({ timeout: 20_000 });
  assert.match(await page.getByTestId('stat-requests').textContent(), /\/s$/);
  await page.locator('.card', { hasText: 'Records' }).getByText(notes).waitFor();
  if (process.env.SCREENSHOTS_DIR) await page.waitForTimeout(12_000); // a few more samples make a readable picture
  await shot(page, 'stats');
});

test('a backup is created, listed and restored', async () => {
  await page.getByRole('link', { name: 'Backups' }).click();
  const name = `e2e-${run}.zip`;
  await page.getByTestId('backup-name').fill('../bad name');
  await page.getByTestId('create-backup').click();
  await page.locator('.row', { has: page.getByTestId('backup-name') }).locator('.field-error').waitFor();
  await page.getByTestId('backup-name').fill(name);
  await page.getByTestId('create-backup').click();
  await page.getByText('Backup created.').waitFor({ timeout: 60_000 });
  const listed = page.locator(`tr[data-key="${name}"]`);
  await listed.waitFor();
  assert.match(await listed.textContent(), /\d+(\.\d)? (B|KB|MB)/);
  await shot(page, 'backups');

  const later = await admin('POST', `/api/collections/${notes}/records`, { title: 'after the backup', status: 'draft' });
  await page.getByTestId(`restore-${name}`).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
  await page.getByText(`Restored ${name}.`).waitFor({ timeout: 60_000 });
  const after = (await records()).items.map((r) => r.id);
  assert.ok(!after.includes(later.id), 'the record made after the backup is gone after the restore');
  assert.ok(after.length >= 2, 'the records of the backup are back');

  const listedSize = (await admin('GET', '/api/backups')).find((b) => b.key === name).size;
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`download-${name}`).click()]);
  assert.equal(download.suggestedFilename(), name);
  assert.equal((await stat(await download.path())).size, listedSize, 'the downloaded file is the whole backup');

  await page.getByTestId(`delete-${name}`).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete backup' }).click();
  await listed.waitFor({ state: 'detached' });
  assert.ok(!(await admin('GET', '/api/backups')).some((b) => b.key === name), 'the backup is deleted');
});

test('a running backup shows its progress from /api/operations', async () => {
  // Real backups of a small store end before a poll could see them, so this test holds the POST and answers the
  // operations list itself: what is tested is the page's rendering of the API's progress shape.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const running = [
    { id: 'op1', kind: 'backup', label: `progress-${run}.zip`, done: 3, total: 10, startedAt: new Date().toISOString() },
    { id: 'op2', kind: 'restore', label: 'unknown length', done: 0, total: 0, startedAt: new Date().toISOString() },
  ];
  await page.route('**/api/operations', (route) => route.fulfill({ json: running }));
  await page.route('**/api/backups', async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  await page.getByTestId('backup-name').fill(`progress-${run}.zip`);
  await page.getByTestId('create-backup').click();
  const bars = page.getByTestId('operations').locator('progress');
  await bars.nth(1).waitFor();
  assert.deepEqual([await bars.nth(0).getAttribute('value'), await bars.nth(0).getAttribute('max')], ['3', '10']);
  assert.equal(await bars.nth(1).getAttribute('value'), null, 'total 0 is an indeterminate bar');
  await page.getByTestId('operations').getByText('30 %').waitFor();
  release();
  await page.getByText('Backup created.').waitFor({ timeout: 60_000 });
  await page.unroute('**/api/operations');
  await page.unroute('**/api/backups');
  assert.equal(await bars.count(), 0, 'the bars go once the backup is done');
  await admin('DELETE', `/api/backups/progress-${run}.zip`);
});

test('the collections list shows record counts', async () => {
  await page.getByRole('link', { name: 'Collections' }).click();
  const row = page.locator(`tr[data-collection="${notes}"]`);
  await row.waitFor();
  assert.match(await row.getByTestId('record-count').textContent(), /^\d+$/);
  await shot(page, 'collections');
});

logsTests(() => ({ page, admin, run, notes }));
settingsTests(() => ({ page, admin, run }));
authOptionTests(() => ({ page, admin, run }));

test('the default password is changed from the banner, which then only warns about the secret', async () => {
  const banner = page.getByTestId('warning-banner');
  await banner.getByTestId('change-password').click();
  await page.locator('input[name="oldPassword"]').fill('not-the-password');
  await page.locator('input[name="password"]').fill('a-better-secret-1');
  await page.locator('input[name="passwordConfirm"]').fill('a-better-secret-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.locator('.row', { has: page.locator('input[name="oldPassword"]') }).locator('.field-error').waitFor();
  await page.locator('input[name="oldPassword"]').fill(adminPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await banner.getByText('JWT_SECRET is not set').waitFor();
  assert.equal(await banner.getByText('default password').count(), 0);
  await call('POST', '/api/collections/_superusers/auth-with-password', { identity: adminEmail, password: 'a-better-secret-1' });
  await page.reload();
  await page.getByTestId('signed-in-email').getByText(adminEmail).waitFor(); // the dashboard holds the new token
});

ownPasswordTest(() => ({ page, run }), 'a-better-secret-1');

test('a user token is refused with a clear message, and logout forgets the token', async () => {
  const email = `ann_${run}@example.com`;
  await call('POST', '/api/collections/users/records', { email, password: 'secret-123', passwordConfirm: 'secret-123' });
  const user = await call('POST', '/api/collections/users/auth-with-password', { identity: email, password: 'secret-123' });
  const own = await page.evaluate(() => sessionStorage.getItem('nanodb.dashboard.token'));
  await page.evaluate((t) => sessionStorage.setItem('nanodb.dashboard.token', t), user.token);
  await page.reload();
  await page.getByText('not a superuser').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('nanodb.dashboard.token')), null);
  assert.equal(await page.getByTestId('signed-in-email').count(), 0, 'nothing of the dashboard is shown');

  await page.evaluate(([t, e]) => { sessionStorage.setItem('nanodb.dashboard.token', t); sessionStorage.setItem('nanodb.dashboard.admin', JSON.stringify({ email: e })); }, [own, adminEmail]);
  await page.reload();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-email').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('nanodb.dashboard.token')), null);
});

test('no request left the origin, no dialog opened, every dashboard answer carried the CSP', () => {
  assert.deepEqual(watch.foreign, [], 'requests to other origins');
  assert.deepEqual(watch.dialogs, [], 'dialogs');
  assert.deepEqual(watch.pageErrors, [], 'uncaught page errors');
  assert.ok(watch.dashboardAnswers.length > 5, 'the page loaded its files from /_/');
  for (const a of watch.dashboardAnswers) {
    assert.ok((a.headers['content-security-policy'] ?? '').includes("script-src 'self'"), `${a.url} lacks the CSP`);
  }
});
