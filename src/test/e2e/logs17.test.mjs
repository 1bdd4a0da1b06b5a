// The request logs (issue 17) through the official PocketBase JavaScript SDK: pb.logs.getList with a filter and a
// sort, getOne, getStats, and truncate (PocketBase's DELETE /api/logs). Run by SdkEndToEndTest beside the other
// files against the same server, so every request this file looks for carries its run id; only truncate touches
// what other files logged, and it runs last.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { url, adminEmail, adminPassword, rejects } from './sdk-support.mjs';

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const missing = `logs17_${run}`;
const admin = new PocketBase(url);
const guest = new PocketBase(url);
const mine = `data.url ~ "${missing}"`;

before(async () => {
  await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword);
  await rejects(404, () => guest.collection(missing).getList(1, 5, { filter: 'title = "x"' }));
  await rejects(404, () => guest.collection(missing).getOne('abcdefghijklmno'));
});

test('pb.logs.getList filters and sorts the requests answered before it', async () => {
  const page = await admin.logs.getList(1, 10, { filter: mine, sort: '-created' });
  assert.equal(page.totalItems, 2);
  assert.equal(page.items.length, 2);
  const [newest, oldest] = page.items;
  assert.match(newest.data.url, new RegExp(`/api/collections/${missing}/records/abcdefghijklmno$`));
  assert.match(oldest.message, new RegExp(`^GET /api/collections/${missing}/records\\?page=1&perPage=5&filter=title = "x"`));
  for (const item of page.items) {
    assert.equal(item.level, 8);
    assert.equal(item.data.type, 'request');
    assert.equal(item.data.status, 404);
    assert.equal(item.data.method, 'GET');
    assert.equal(item.data.auth, '');
    assert.equal(typeof item.data.execTime, 'number');
    assert.ok(item.data.error, 'the error message is kept');
  }
  assert.ok(newest.created >= oldest.created);
  const fields = await admin.logs.getList(1, 1, { filter: mine, sort: 'created', fields: 'id,data.status' });
  assert.deepEqual(Object.keys(fields.items[0]).sort(), ['data', 'id']);
  await rejects(400, () => admin.logs.getList(1, 10, { filter: 'colour = "red"' }));
});

test('pb.logs.getOne returns the entry a list shows; an unknown id is 404', async () => {
  const page = await admin.logs.getList(1, 1, { filter: mine });
  const one = await admin.logs.getOne(page.items[0].id);
  assert.deepEqual(one, page.items[0]);
  await rejects(404, () => admin.logs.getOne('zzzzzzzzzzzzzzz'));
});

test('pb.logs.getStats counts the entries per hour', async () => {
  const stats = await admin.logs.getStats({ filter: mine });
  assert.equal(stats.reduce((n, s) => n + s.total, 0), 2);
  for (const s of stats) assert.match(s.date, /^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/);
  const all = await admin.logs.getStats();
  assert.ok(all.reduce((n, s) => n + s.total, 0) >= 2);
});

test('only superusers read the logs', async () => {
  await rejects(401, () => guest.logs.getList(1, 1));
  await rejects(401, () => guest.logs.getStats());
});

test('pb.logs.truncate removes every entry', async () => {
  assert.equal(await admin.logs.truncate(), true);
  const page = await admin.logs.getList(1, 1, { filter: mine });
  assert.equal(page.totalItems, 0);
});
