// Field types of issue 17 through the official PocketBase JavaScript SDK: editor (HTML as given), autodate (stamped
// by the server), password on a base collection (never served, no filter), number.onlyInt, text.autogeneratePattern,
// and a collection in PocketBase's export shape (its id/created/updated definitions) taken by collections.import.
// Run by SdkEndToEndTest beside the other files against the same server, so every name carries a run id.
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
const guest = new PocketBase(url);
const name = `ft_${run}`;
const html = '<script>alert(1)</script><p class="x">a &amp; b <a href="https://example.com">link</a></p>';

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
  await admin.collections.create({
    name, type: 'base',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'body', type: 'editor', convertURLs: true },
      { name: 'pin', type: 'password', min: 4 },
      { name: 'views', type: 'number', onlyInt: true },
      { name: 'code', type: 'text', autogeneratePattern: '[a-z0-9]{15}' },
      { name: 'made', type: 'autodate', onCreate: true },
      { name: 'touched', type: 'autodate', onUpdate: true },
    ],
    listRule: '', viewRule: '', createRule: '', updateRule: '',
  });
});

after(() => guest.realtime.unsubscribe());

test('editor, autogeneratePattern and autodate on create', async () => {
  const r = await guest.collection(name).create({ title: 'one', body: html, pin: '4321', views: 2, made: '2001-01-01 00:00:00.000Z' });
  assert.equal(r.body, html);
  assert.match(r.code, /^[a-z0-9]{15}$/);
  assert.equal(r.made, r.created);
  assert.equal(r.touched, '');
  assert.equal(r.views, 2);
  assert.equal(r.pin, undefined);
  const read = await guest.collection(name).getOne(r.id);
  assert.equal(read.body, html);
  assert.equal(read.code, r.code);
  const def = await admin.collections.getOne(name);
  assert.deepEqual(def.fields.map((f) => f.type), ['text', 'editor', 'password', 'number', 'text', 'autodate', 'autodate']);
  assert.equal(def.fields[2].hidden, true);
});

test('autodate onUpdate takes the record updated stamp', async () => {
  const r = await guest.collection(name).create({ title: 'two' });
  const u = await guest.collection(name).update(r.id, { title: 'two!', touched: '2001-01-01 00:00:00.000Z' });
  assert.equal(u.touched, u.updated);
  assert.equal(u.made, r.made);
  const found = await guest.collection(name).getFirstListItem(`id = "${r.id}" && touched = updated && made = created`);
  assert.equal(found.id, r.id);
});

test('number onlyInt refuses a fraction with PocketBase code', async () => {
  const e = await rejects(400, () => guest.collection(name).create({ views: 1.5 }));
  assert.equal(e.response.data.views.code, 'validation_only_int_constraint');
});

test('a password field is never served nor filtered on', async () => {
  const r = await guest.collection(name).create({ title: 'secret', pin: 'open-sesame' });
  const events = [];
  await guest.collection(name).subscribe(r.id, (e) => events.push(e));
  await admin.collection(name).update(r.id, { pin: 'changed-pin' });
  await until(() => events.length === 1);
  assert.equal(events[0].record.pin, undefined);
  for (const client of [guest, admin]) {
    assert.equal((await client.collection(name).getOne(r.id)).pin, undefined);
    const all = await client.collection(name).getFullList({ fields: 'id,pin', filter: `id = "${r.id}"` });
    assert.deepEqual(all, [{ id: r.id }]);
    const e = await rejects(400, () => client.collection(name).getList(1, 1, { filter: 'pin != ""' }));
    assert.equal(e.response.data.filter.code, 'validation_hidden_field');
  }
  const short = await rejects(400, () => guest.collection(name).create({ pin: '123' }));
  assert.equal(short.response.data.pin.code, 'validation_min_text_constraint');
});

test('collections import takes PocketBase export shape', async () => {
  const pb = `ftpb_${run}`;
  assert.equal(await admin.collections.import([{
    id: `pbc_${run}`, name: pb, type: 'base', system: false, indexes: [],
    listRule: '', viewRule: '', createRule: '', updateRule: null, deleteRule: null,
    fields: [
      { autogeneratePattern: '[a-z0-9]{15}', hidden: false, id: 'text3208210256', max: 15, min: 15, name: 'id',
        pattern: '^[a-z0-9]+$', presentable: false, primaryKey: true, required: true, system: true, type: 'text' },
      { autogeneratePattern: '', hidden: false, id: 'text724990059', max: 0, min: 0, name: 'title', pattern: '',
        presentable: false, primaryKey: false, required: false, system: false, type: 'text' },
      { convertURLs: false, hidden: false, id: 'editor1', maxSize: 0, name: 'notes', presentable: false,
        required: false, system: false, type: 'editor' },
      { hidden: false, id: 'autodate2990389176', name: 'created', onCreate: true, onUpdate: false,
        presentable: false, system: false, type: 'autodate' },
      { hidden: false, id: 'autodate3332085495', name: 'updated', onCreate: true, onUpdate: true,
        presentable: false, system: false, type: 'autodate' },
    ],
  }], false), true);
  const def = await admin.collections.getOne(pb);
  assert.deepEqual(def.fields.map((f) => f.name), ['title', 'notes']);
  const r = await guest.collection(pb).create({ title: 'imported', notes: '<p>ok</p>' });
  assert.equal(r.notes, '<p>ok</p>');
  const e = await rejects(400, () => admin.collections.import([{ name: `ftbad_${run}`, type: 'base', fields: [
    { name: 'id', type: 'text', system: true, primaryKey: true, pattern: '^[a-z]+$' }] }], false));
  assert.ok(Object.keys(e.response.data).some((k) => k.endsWith('fields.0.pattern')));
});
