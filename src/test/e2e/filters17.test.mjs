// Issue 17 through the official PocketBase JavaScript SDK: date macros, strftime and geoDistance in getList
// filters and sorts, and a geoPoint field. The tests share one collection and run in order.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';

const url = process.env.NANODB_URL;
if (!url) throw new Error('NANODB_URL must be set');
const adminEmail = process.env.NANODB_ADMIN_EMAIL ?? 'admin@local.host';
const adminPassword = process.env.NANODB_ADMIN_PASSWORD ?? 'password123';
const name = 'places_' + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const admin = new PocketBase(url);
const guest = new PocketBase(url);

before(async () => {
  await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword);
  await admin.collections.create({
    name,
    type: 'base',
    fields: [{ name: 'title', type: 'text' }, { name: 'when', type: 'date' }, { name: 'loc', type: 'geoPoint' }],
    listRule: '',
    viewRule: '',
  });
  const places = admin.collection(name);
  await places.create({ title: 'rome', when: '2000-02-29 23:30:00.000Z', loc: { lon: 12.4964, lat: 41.9028 } });
  await places.create({ title: 'paris', when: new Date().toISOString(), loc: { lon: 2.3522, lat: 48.8566 } });
  await places.create({ title: 'nowhere', when: '2999-01-01 00:00:00.000Z' });
});

test('getList filters with @todayStart for a superuser and a guest', async () => {
  for (const pb of [admin, guest]) {
    const past = await pb.collection(name).getList(1, 10, { filter: 'when < @todayStart' });
    assert.deepEqual(past.items.map((r) => r.title), ['rome']);
    const today = await pb.collection(name).getList(1, 10, { filter: pb.filter('when > @yesterday && when < {:end}', { end: '2998-01-01' }) });
    assert.deepEqual(today.items.map((r) => r.title), ['paris']);
  }
});

test('getList filters with strftime', async () => {
  const list = await guest.collection(name).getList(1, 10, { filter: "strftime('%Y-%m-%d', when) = '2000-02-29'" });
  assert.deepEqual(list.items.map((r) => r.title), ['rome']);
  const thisYear = await guest.collection(name).getList(1, 10, { filter: "strftime('%Y', when) = strftime('%Y', 'now')" });
  assert.deepEqual(thisYear.items.map((r) => r.title), ['paris']);
});

test('a geoPoint field is read back as lon and lat, zero when not given', async () => {
  const rome = await guest.collection(name).getFirstListItem("title = 'rome'");
  assert.deepEqual(rome.loc, { lon: 12.4964, lat: 41.9028 });
  const nowhere = await guest.collection(name).getFirstListItem("title = 'nowhere'");
  assert.deepEqual(nowhere.loc, { lon: 0, lat: 0 });
});

test('getList filters and sorts by geoDistance on a geoPoint field', async () => {
  const near = await guest.collection(name).getList(1, 10, { filter: 'geoDistance(loc.lon, loc.lat, 12.5, 41.9) < 25' });
  assert.deepEqual(near.items.map((r) => r.title), ['rome']);
  const sorted = await guest.collection(name).getList(1, 10, { sort: 'geoDistance(loc.lon, loc.lat, 2.35, 48.85),title' });
  assert.deepEqual(sorted.items.map((r) => r.title), ['paris', 'rome', 'nowhere']);
  const all = await guest.collection(name).getFullList({ sort: '-geoDistance(loc.lon, loc.lat, 2.35, 48.85)' });
  assert.deepEqual(all.map((r) => r.title), ['nowhere', 'rome', 'paris']);
});
