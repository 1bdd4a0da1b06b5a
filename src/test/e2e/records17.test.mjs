// Issue 17 through the official PocketBase JavaScript SDK, as an app sends and reads records: number and select
// modifiers, a record read and sent back whole, sort @random / @rowid, fields with :excerpt, perPage above 1000, and
// an expired token reading public data as a guest (INVALID_TOKEN=guest, the default). Run by SdkEndToEndTest.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { url, adminEmail, adminPassword, rejects } from './sdk-support.mjs';

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const articles = `articles_${run}`;
const admin = new PocketBase(url);
const html = '<p>Hello <b>big</b> world</p><script>alert(1)</script><p>second para</p>';

before(async () => {
  await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword);
  await admin.collections.create({
    name: articles,
    type: 'base',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'body', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    ],
    listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
  });
});

test('views+ and views- add and subtract, and concurrent views+ sum exactly', async () => {
  const pb = new PocketBase(url);
  const r = await pb.collection(articles).create({ title: 'counted', views: 1 });
  assert.equal((await pb.collection(articles).update(r.id, { 'views+': 5 })).views, 6);
  assert.equal((await pb.collection(articles).update(r.id, { 'views-': 2 })).views, 4);
  const clients = Array.from({ length: 20 }, () => new PocketBase(url));
  await Promise.all(clients.map((c) => c.collection(articles).update(r.id, { 'views+': 1 })));
  assert.equal((await pb.collection(articles).getOne(r.id)).views, 24);
});

test('tags+ and tags- change a multi-select', async () => {
  const pb = new PocketBase(url);
  const r = await pb.collection(articles).create({ title: 'tagged', tags: ['a'] });
  assert.deepEqual((await pb.collection(articles).update(r.id, { 'tags+': ['b', 'c'] })).tags, ['a', 'b', 'c']);
  assert.deepEqual((await pb.collection(articles).update(r.id, { 'tags-': 'a' })).tags, ['b', 'c']);
  const e = await rejects(400, () => pb.collection(articles).update(r.id, { 'tags+': 'zzz' }));
  assert.equal(e.response.data.tags.code, 'validation_invalid_value');
});

test('a record read and sent back whole with update(id, record) is saved', async () => {
  const pb = new PocketBase(url);
  const created = await pb.collection(articles).create({ title: 'round trip', views: 3, tags: ['a'] });
  const read = await pb.collection(articles).getOne(created.id);
  read.title = 'round trip, edited';
  read.expand = { something: { id: 'x' } }; // what an expanded read carries
  const saved = await pb.collection(articles).update(read.id, read);
  assert.equal(saved.title, 'round trip, edited');
  assert.equal(saved.created, created.created);
  assert.equal(saved._version, created._version + 1);
  assert.equal(saved.views, 3);
  const stale = { ...read, title: 'from a stale copy', updated: '2000-01-01 00:00:00.000Z', _version: 1 };
  assert.equal((await pb.collection(articles).update(read.id, stale)).title, 'from a stale copy');
  const moved = await rejects(400, () => pb.collection(articles).update(read.id, { ...read, id: 'zzzzzzzzzzzzzzz' }));
  assert.equal(moved.response.data.id.code, 'validation_pk_change');
});

test('sort @random lists every record, sort @rowid lists them in insertion order', async () => {
  const pb = new PocketBase(url);
  const all = await pb.collection(articles).getFullList({ sort: '@rowid' });
  assert.ok(all.length >= 3);
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].created <= all[i].created, 'rowid order is creation order');
  const want = new Set(all.map((r) => r.id));
  const orders = new Set();
  for (let i = 0; i < 8; i++) {
    const random = await pb.collection(articles).getList(1, 50, { sort: '@random' });
    assert.equal(random.totalItems, all.length);
    assert.deepEqual(new Set(random.items.map((r) => r.id)), want);
    orders.add(random.items.map((r) => r.id).join());
  }
  assert.ok(orders.size > 1, 'eight random lists are not all in one order');
});

test('fields with excerpt give plain text cut with an ellipsis', async () => {
  const pb = new PocketBase(url);
  const r = await pb.collection(articles).create({ title: 'html', body: html });
  const short = await pb.collection(articles).getOne(r.id, { fields: 'id,body:excerpt(10,true)' });
  assert.deepEqual(short, { id: r.id, body: 'Hello big...' });
  const list = await pb.collection(articles).getList(1, 1, { filter: `id = "${r.id}"`, fields: '*,body:excerpt(200)' });
  assert.equal(list.items[0].body, 'Hello big world second para');
  assert.equal(list.items[0].title, 'html');
});

test('perPage above 1000 is answered with pages of 1000', async () => {
  const pb = new PocketBase(url);
  const page = await pb.collection(articles).getList(1, 5000);
  assert.equal(page.perPage, 1000);
  assert.ok(page.items.length <= 1000);
});

test('an app holding an expired token still reads public data, and auth-only calls are 401', async () => {
  const pb = new PocketBase(url);
  const email = `expired_${run}@example.com`;
  await pb.collection('users').create({ email, password: 'correct-horse-1', passwordConfirm: 'correct-horse-1' });
  const { token, record } = await pb.collection('users').authWithPassword(email, 'correct-horse-1');
  const [head, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  claims.exp = Math.floor(Date.now() / 1000) - 3600;
  const expired = `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${token.split('.')[2]}`;
  pb.authStore.save(expired, record);
  const page = await pb.collection(articles).getList(1, 5);
  assert.ok(page.totalItems >= 1);
  await rejects(401, () => pb.collection('users').authRefresh());
  await rejects(404, () => pb.collection('users').getOne(record.id)); // a guest may not view the account
});

test('a collection created with PocketBase indexes keeps them and lists through its composite index', async () => {
  const name = `feed_${run}`;
  const feedIndex = `CREATE INDEX \`idx_feed_${run}\` ON \`${name}\` (\`status\`, \`owner\`, \`created\` DESC)`;
  const created = await admin.collections.create({
    name,
    type: 'base',
    fields: [{ name: 'status', type: 'text' }, { name: 'owner', type: 'text' }, { name: 'slug', type: 'text' }],
    indexes: [feedIndex, `CREATE UNIQUE INDEX \`idx_slug_${run}\` ON \`${name}\` (\`slug\`)`],
    listRule: '', viewRule: '', createRule: '',
  });
  assert.equal(created.indexes[0], feedIndex);
  assert.equal(created.fields.find((f) => f.name === 'slug').unique, true);
  const pb = new PocketBase(url);
  for (const [status, owner, slug] of [['open', 'u1', 'a'], ['open', 'u2', 'b'], ['open', 'u1', 'c'], ['done', 'u1', 'd']]) {
    await pb.collection(name).create({ status, owner, slug });
  }
  const page = await pb.collection(name).getList(1, 10, { filter: 'status = "open" && owner = "u1"', sort: '-created' });
  assert.equal(page.totalItems, 2);
  assert.deepEqual(page.items.map((r) => r.slug), ['c', 'a']);
  await rejects(409, () => pb.collection(name).create({ slug: 'a' }),
    (body) => assert.equal(body.data.slug.code, 'validation_not_unique'));
  await rejects(400, () => admin.collections.update(name, { indexes: ['CREATE INDEX x ON other (status)'] }),
    (body) => assert.equal(body.data['indexes.0'].code, 'validation_invalid_index'));
});
