// The collections API beyond CRUD (issue 17) through the official PocketBase JavaScript SDK: a filtered and sorted
// list, truncate (with the realtime delete events), import (atomic) and scaffolds. Run by SdkEndToEndTest, beside
// the other files against the same server, so every name carries a run id and nothing here deletes what it did
// not create (no deleteMissing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import PocketBase, { ClientResponseError } from 'pocketbase';

globalThis.EventSource ??= EventSource; // the SDK's realtime in Node (each test file runs in its own process)

const url = process.env.NANODB_URL;
if (!url) throw new Error('NANODB_URL is not set (the base address of a running NanoDB)');
const adminEmail = process.env.NANODB_ADMIN_EMAIL ?? 'admin@local.host';
const adminPassword = process.env.NANODB_ADMIN_PASSWORD ?? 'password123';
const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const admin = new PocketBase(url);
const a = `c17a_${run}`;
const b = `c17b_${run}`;

/** Expects the call to fail with this HTTP status; returns the SDK's error (its response holds the answer). */
async function rejects(status, call) {
  let error;
  await assert.rejects(call, (e) => {
    error = e;
    return e instanceof ClientResponseError && e.status === status;
  });
  return error;
}

async function until(check) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(check(), 'condition not reached within 5 s');
}

before(async () => {
  await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword);
  for (const name of [a, b]) {
    await admin.collections.create({ name, type: 'base', fields: [{ name: 'title', type: 'text' }] });
  }
});

after(() => admin.realtime.unsubscribe());

test('getList filters and sorts collections', async () => {
  const page = await admin.collections.getList(1, 10, { filter: `name ~ "c17" && name ~ "${run}"`, sort: '-name' });
  assert.equal(page.totalItems, 2);
  assert.deepEqual(page.items.map((c) => c.name), [b, a]);
  const auth = await admin.collections.getList(1, 10, { filter: 'type = "auth" && system = true', sort: 'name' });
  assert.deepEqual(auth.items.map((c) => c.name), ['_superusers', 'users']);
  const all = await admin.collections.getFullList({ filter: `name ~ "${run}"`, fields: 'id,name' });
  assert.equal(all.length, 2);
  assert.equal(all[0].type, undefined);
  await rejects(400, () => admin.collections.getList(1, 10, { filter: 'colour = "red"' }));
});

test('truncate deletes every record with a realtime delete event each', async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await admin.collection(a).create({ title: `t${i}` })).id);
  const deleted = [];
  await admin.collection(a).subscribe('*', (e) => {
    if (e.action === 'delete') deleted.push(e.record.id);
  });
  assert.equal(await admin.collections.truncate(a), true);
  assert.equal((await admin.collection(a).getList(1, 10)).totalItems, 0);
  await until(() => deleted.length === 3);
  assert.deepEqual([...deleted].sort(), [...ids].sort());
  await admin.collection(a).unsubscribe('*');
});

test('import creates and updates, and an invalid import changes nothing', async () => {
  const c = `c17c_${run}`;
  assert.equal(await admin.collections.import([
    { name: a, listRule: '' },
    { name: c, type: 'base', fields: [{ name: 'label', type: 'text' }] },
  ], false), true);
  assert.equal((await admin.collections.getOne(a)).listRule, '');
  assert.equal((await admin.collections.getOne(a)).fields.some((f) => f.name === 'title'), true);
  assert.equal((await admin.collections.getOne(c)).fields[0].name, 'label');

  const d = `c17d_${run}`;
  const e = await rejects(400, () => admin.collections.import([{ name: d }, { name: b, listRule: '((' }], false));
  assert.equal(e.response.data.collections.code, 'validation_collections_import_failure');
  assert.ok(e.response.data['collections.1.listRule']);
  await rejects(404, () => admin.collections.getOne(d));
  await rejects(400, () => admin.collections.import([{ name: `c17v_${run}`, type: 'view', viewQuery: 'select 1' }]));
});

test('getScaffolds answers the default definitions of each type', async () => {
  const s = await admin.collections.getScaffolds();
  assert.deepEqual(Object.keys(s).sort(), ['auth', 'base', 'view']);
  assert.equal(s.base.type, 'base');
  assert.equal(s.base.fields[0].name, 'id');
  assert.ok(s.auth.fields.some((f) => f.name === 'email'));
  assert.equal(s.auth.passwordAuth.enabled, true);
  const created = await admin.collections.create({ ...s.base, name: `c17s_${run}` });
  assert.equal(created.type, 'base');
  await rejects(400, () => admin.collections.create({ ...s.view, name: `c17w_${run}` }));
});
