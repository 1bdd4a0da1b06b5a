// NanoDB through the official PocketBase JavaScript SDK, used the way an app uses it: a superuser defines a
// collection with owner rules, two users sign up and work on their own notes, and each must see exactly its
// own rows. Run by SdkEndToEndTest (which starts the server and sets NANODB_URL); by hand:
//   NANODB_URL=http://127.0.0.1:3000 node --test
// The tests share state and run in order (node:test runs top-level tests of a file one after the other).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { url, adminEmail, adminPassword, rejects as rejectsWith } from './sdk-support.mjs';
import pngjs from 'pngjs';
const { PNG } = pngjs;


// A run id keeps names unique, so the file can also run twice against one long-lived server.
const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const notes = `notes_${run}`;
const password = 'correct-horse-1';

/** One SDK client per person, as two browsers would have: their auth stores must not mix. */
const admin = new PocketBase(url);
const alice = { pb: new PocketBase(url), email: `alice_${run}@example.com`, rows: [] };
const bob = { pb: new PocketBase(url), email: `bob_${run}@example.com`, rows: [] };

/**
 * Every payload the server sends back passes through here: hidden auth fields must never leak, neither as a
 * key anywhere in the JSON nor as the password's value (a message may still say the word "password").
 */
function noSecrets(value) {
  const text = JSON.stringify(value) ?? '';
  assert.ok(!/"(password|tokenKey)"\s*:/.test(text), `response carries a hidden field: ${text}`);
  assert.ok(!text.includes(password), `response carries the password: ${text}`);
  return value;
}

/** Runs an SDK call expected to fail and returns its ClientResponseError after checking the status. */
const rejects = (status, call) => rejectsWith(status, call, noSecrets);

const ids = (records) => records.map((r) => r.id);

before(async () => {
  const auth = noSecrets(await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword));
  assert.ok(admin.authStore.isValid && admin.authStore.isSuperuser, 'superuser login gives a superuser token');
  assert.equal(auth.record.email, adminEmail);

  const owner = 'owner_id = @request.auth.id';
  const created = await admin.collections.create({
    name: notes,
    type: 'base',
    fields: [
      { name: 'title', type: 'text', required: true },
      { name: 'n', type: 'number' },
      { name: 'owner_id', type: 'text', indexed: true },
    ],
    listRule: owner, viewRule: owner, createRule: '@request.auth.id != ""', updateRule: owner, deleteRule: owner,
  });
  assert.equal(created.name, notes);
  assert.equal(created.listRule, owner);
  const fields = (await admin.collections.getOne(notes)).fields;
  for (const name of ['title', 'n', 'owner_id']) assert.ok(fields.some((f) => f.name === name), `field ${name}`);
});

test('two users sign up and log in with authWithPassword', async () => {
  for (const user of [alice, bob]) {
    const signedUp = noSecrets(await user.pb.collection('users').create({ email: user.email, password, passwordConfirm: password }));
    assert.equal(signedUp.email, user.email);
    assert.match(signedUp.id, /^[a-z0-9]{15}$/);
    assert.equal(user.pb.authStore.isValid, false, 'sign-up does not log in');

    const auth = noSecrets(await user.pb.collection('users').authWithPassword(user.email, password));
    assert.equal(auth.record.id, signedUp.id);
    assert.equal(user.pb.authStore.token, auth.token);
    assert.equal(user.pb.authStore.record.id, signedUp.id);
    assert.ok(user.pb.authStore.isValid);
    user.id = signedUp.id;
  }
  assert.notEqual(alice.id, bob.id);
});

test('a wrong password is a 400 ClientResponseError and keeps the store empty', async () => {
  const stranger = new PocketBase(url);
  await rejects(400, () => stranger.collection('users').authWithPassword(alice.email, 'wrong-password-1'));
  await rejects(400, () => stranger.collection('users').authWithPassword(`nobody_${run}@example.com`, password));
  assert.equal(stranger.authStore.isValid, false);
});

test('each user creates notes; owner_id is filled with the caller', async () => {
  for (const [user, count] of [[alice, 4], [bob, 3]]) {
    for (let n = 1; n <= count; n++) {
      const row = noSecrets(await user.pb.collection(notes).create({ title: `${user === alice ? 'a' : 'b'}${n}`, n }));
      assert.equal(row.owner_id, user.id);
      assert.equal(row.collectionName, notes);
      assert.equal(row.n, n);
      user.rows.push(row);
    }
  }
  // A shared title, so that filters must separate users by the rule and not by the data.
  for (const user of [alice, bob]) user.rows.push(await user.pb.collection(notes).create({ title: 'same', n: 10 }));
});

test('getList with filter and sort shows only own rows with exact totals', async () => {
  for (const user of [alice, bob]) {
    const all = noSecrets(await user.pb.collection(notes).getList(1, 50, { sort: '-n' }));
    assert.equal(all.totalItems, user.rows.length);
    assert.equal(all.totalPages, 1);
    assert.equal(all.page, 1);
    assert.equal(all.perPage, 50);
    assert.deepEqual(ids(all.items), ids([...user.rows].sort((x, y) => y.n - x.n)));
    assert.ok(all.items.every((r) => r.owner_id === user.id));

    const some = await user.pb.collection(notes).getList(1, 2, { filter: 'n >= 2', sort: 'n' });
    const expected = user.rows.filter((r) => r.n >= 2).sort((x, y) => x.n - y.n);
    assert.equal(some.totalItems, expected.length);
    assert.equal(some.totalPages, Math.ceil(expected.length / 2));
    assert.deepEqual(ids(some.items), ids(expected.slice(0, 2)));

    const same = await user.pb.collection(notes).getList(1, 50, { filter: 'title = "same"' });
    assert.deepEqual(ids(same.items), [user.rows.at(-1).id]);
    assert.equal(same.totalItems, 1);
  }
});

test('getFullList returns every own row, in order', async () => {
  for (const user of [alice, bob]) {
    const rows = noSecrets(await user.pb.collection(notes).getFullList({ sort: '-created,title' }));
    assert.equal(rows.length, user.rows.length);
    assert.deepEqual(new Set(ids(rows)), new Set(ids(user.rows)));
    const titles = await user.pb.collection(notes).getFullList({ sort: 'title' });
    assert.deepEqual(titles.map((r) => r.title), user.rows.map((r) => r.title).sort());
  }
});

test('getFirstListItem with pb.filter parameters finds own rows only', async () => {
  const { pb } = alice;
  const hit = noSecrets(await pb.collection(notes).getFirstListItem(pb.filter('title = {:t} && n >= {:n}', { t: 'a3', n: 2 })));
  assert.equal(hit.id, alice.rows[2].id);
  // Quotes in a parameter are escaped by the SDK and must stay data, not syntax.
  await rejects(404, () => pb.collection(notes).getFirstListItem(pb.filter('title = {:t}', { t: 'a1" || title != "' })));
  // Bob's title exists, but not for Alice: 404, exactly as if it did not exist.
  await rejects(404, () => pb.collection(notes).getFirstListItem(pb.filter('title = {:t}', { t: 'b1' })));
  const shared = await bob.pb.collection(notes).getFirstListItem(bob.pb.filter('title = {:t}', { t: 'same' }));
  assert.equal(shared.id, bob.rows.at(-1).id);
});

test('getOne, update and delete work on own rows and are 404 on the other user\'s', async () => {
  const mine = alice.rows[0];
  const theirs = bob.rows[0];
  const got = noSecrets(await alice.pb.collection(notes).getOne(mine.id));
  assert.deepEqual(got, mine);

  const updated = noSecrets(await alice.pb.collection(notes).update(mine.id, { title: 'a1 edited', n: 100 }));
  assert.equal(updated.title, 'a1 edited');
  assert.equal(updated.n, 100);
  assert.equal(updated.owner_id, alice.id);
  assert.equal(updated._version, mine._version + 1);
  assert.equal((await alice.pb.collection(notes).getOne(mine.id)).title, 'a1 edited');

  await rejects(404, () => alice.pb.collection(notes).getOne(theirs.id));
  await rejects(404, () => alice.pb.collection(notes).update(theirs.id, { title: 'stolen' }));
  await rejects(404, () => alice.pb.collection(notes).delete(theirs.id));
  const untouched = await bob.pb.collection(notes).getOne(theirs.id);
  assert.equal(untouched.title, theirs.title);
  assert.equal(untouched._version, theirs._version);

  assert.equal(await alice.pb.collection(notes).delete(mine.id), true);
  await rejects(404, () => alice.pb.collection(notes).getOne(mine.id));
  alice.rows.shift();
  assert.equal((await alice.pb.collection(notes).getList(1, 50)).totalItems, alice.rows.length);
  assert.equal((await bob.pb.collection(notes).getList(1, 50)).totalItems, bob.rows.length);
});

test('the users collection shows each user only itself', async () => {
  for (const [user, other] of [[alice, bob], [bob, alice]]) {
    const list = noSecrets(await user.pb.collection('users').getFullList());
    assert.deepEqual(ids(list), [user.id]);
    noSecrets(await user.pb.collection('users').getOne(user.id));
    await rejects(404, () => user.pb.collection('users').getOne(other.id));
  }
});

test('authRefresh returns a new valid token and the record', async () => {
  const { pb } = alice;
  const old = pb.authStore.token;
  // Tokens carry their issue time in seconds: wait so that the refreshed one must differ.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const refreshed = noSecrets(await pb.collection('users').authRefresh());
  assert.equal(refreshed.record.id, alice.id);
  assert.equal(refreshed.record.email, alice.email);
  assert.notEqual(refreshed.token, old);
  assert.equal(pb.authStore.token, refreshed.token);
  assert.ok(pb.authStore.isValid);
  const exp = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).exp;
  assert.ok(exp(refreshed.token) > exp(old), 'the refreshed token expires later');
  // The new token works for the next request.
  assert.equal((await pb.collection(notes).getList(1, 1)).totalItems, alice.rows.length);

  pb.authStore.clear();
  await rejects(401, () => pb.collection('users').authRefresh());
});

test('a superuser sees every row', async () => {
  const all = await admin.collection(notes).getFullList({ sort: 'n' });
  assert.deepEqual(new Set(ids(all)), new Set(ids([...alice.rows, ...bob.rows])));
});

test('createBatch().send() creates, updates, upserts and deletes in one transaction', async () => {
  const { pb } = alice;
  // The authRefresh test ended by logging alice out.
  await pb.collection('users').authWithPassword(alice.email, password);
  const batch = pb.createBatch();
  batch.collection(notes).create({ title: 'batch new', n: 1 });
  batch.collection(notes).update(alice.rows[0].id, { title: 'batch edited' });
  batch.collection(notes).upsert({ id: alice.rows[1].id, title: 'batch upserted' });
  batch.collection(notes).upsert({ title: 'batch upsert created', n: 2 });
  batch.collection(notes).delete(alice.rows[2].id);
  const results = noSecrets(await batch.send());

  assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 204]);
  assert.equal(results[0].body.title, 'batch new');
  assert.equal(results[0].body.owner_id, alice.id);
  assert.equal(results[1].body.title, 'batch edited');
  assert.equal(results[1].body._version, alice.rows[0]._version + 1);
  assert.equal(results[2].body.id, alice.rows[1].id);
  assert.equal(results[2].body.title, 'batch upserted');
  assert.match(results[3].body.id, /^[a-z0-9]{15}$/);
  assert.equal(results[4].body, null);
  await rejects(404, () => pb.collection(notes).getOne(alice.rows[2].id));
  alice.rows.splice(2, 1);
  alice.rows.push(results[0].body, results[3].body);
  assert.equal((await pb.collection(notes).getList(1, 50)).totalItems, alice.rows.length);
});

test('a failing batch is a ClientResponseError naming the operation, and stores nothing', async () => {
  const { pb } = alice;
  const before = await admin.collection(notes).getFullList({ sort: 'id' });
  const batch = pb.createBatch();
  batch.collection(notes).create({ title: 'never stored 1' });
  batch.collection(notes).update(alice.rows[0].id, { title: 'never applied' });
  batch.collection(notes).update(bob.rows[0].id, { title: 'stolen' });
  batch.collection(notes).delete(alice.rows[1].id);
  const e = await rejects(400, () => batch.send());
  assert.deepEqual(Object.keys(e.response.data.requests), ['2']);
  assert.equal(e.response.data.requests['2'].code, 'batch_request_failed');
  assert.equal(e.response.data.requests['2'].response.status, 404);

  const invalid = pb.createBatch();
  invalid.collection(notes).create({ title: 'never stored 2' });
  invalid.collection(notes).create({ n: 5 });
  const v = await rejects(400, () => invalid.send());
  assert.equal(v.response.data.requests['1'].response.data.title.code, 'validation_required');

  const after = await admin.collection(notes).getFullList({ sort: 'id' });
  assert.deepEqual(after, before);
});

test('a write the caller may not view is applied and answered without the record', async () => {
  // An inbox: signed-in users may post, only superusers may read. NanoDB answers such a create 204 (the SDK
  // resolves it to {}) and such a batch operation {status: 204, body: null}: the answer never shows a record
  // the caller may not view (PocketBase would answer the record; docs/API.md lists the difference).
  const inbox = `inbox_${run}`;
  await admin.collections.create({
    name: inbox, type: 'base', fields: [{ name: 'message', type: 'text' }, { name: 'owner_id', type: 'text' }],
    listRule: null, viewRule: null, createRule: '@request.auth.id != ""', updateRule: null, deleteRule: null,
  });
  const { pb } = alice;
  assert.deepEqual(noSecrets(await pb.collection(inbox).create({ message: 'hello' })), {});
  const batch = pb.createBatch();
  batch.collection(inbox).create({ message: 'second' });
  const results = await batch.send();
  assert.deepEqual(results, [{ status: 204, body: null }]);
  const stored = await admin.collection(inbox).getFullList({ sort: 'created' });
  assert.deepEqual(stored.map((r) => [r.message, r.owner_id]), [['hello', alice.id], ['second', alice.id]]);
  await rejects(403, () => pb.collection(inbox).getFullList());
});

test('relations: a missing target is 400 on the field, tags+/tags-, author.name filters, cascade and refused deletes', async () => {
  const open = { listRule: '', viewRule: '', createRule: '@request.auth.id != ""', updateRule: '@request.auth.id != ""',
    deleteRule: '@request.auth.id != ""' };
  const a = await admin.collections.create({ name: `writers_${run}`, type: 'base', ...open, fields: [{ name: 'name', type: 'text' }] });
  const t = await admin.collections.create({ name: `labels_${run}`, type: 'base', ...open, fields: [{ name: 'label', type: 'text' }] });
  const p = await admin.collections.create({ name: `articles_${run}`, type: 'base', ...open, fields: [
    { name: 'title', type: 'text' },
    { name: 'author', type: 'relation', collectionId: a.id, maxSelect: 1, cascadeDelete: true },
    { name: 'tags', type: 'relation', collectionId: t.id, maxSelect: 5 }] });
  const r = await admin.collections.create({ name: `reviews_${run}`, type: 'base', ...open, fields: [
    { name: 'label', type: 'relation', collectionId: t.id, maxSelect: 1, required: true }] });
  const x = await alice.pb.collection(a.name).create({ name: 'X' });
  const y = await alice.pb.collection(a.name).create({ name: 'Y' });
  const labels = [];
  for (const label of ['red', 'blue', 'green']) labels.push(await alice.pb.collection(t.name).create({ label }));

  const missing = await rejects(400, () => alice.pb.collection(p.name).create({ title: 'm', author: 'zzzzzzzzzzzzzzz' }));
  assert.equal(missing.response.data.author.code, 'validation_missing_rel_records');

  const p1 = await alice.pb.collection(p.name).create({ title: 'p1', author: x.id, tags: [labels[0].id] });
  await alice.pb.collection(p.name).create({ title: 'p2', author: y.id });
  const added = await alice.pb.collection(p.name).update(p1.id, { 'tags+': [labels[1].id, labels[2].id] });
  assert.deepEqual(added.tags, [labels[0].id, labels[1].id, labels[2].id]);
  const removed = await alice.pb.collection(p.name).update(p1.id, { 'tags-': labels[0].id });
  assert.deepEqual(removed.tags, [labels[1].id, labels[2].id]);

  const byName = await bob.pb.collection(p.name).getList(1, 30, { filter: 'author.name = "X"', expand: 'author,tags' });
  assert.equal(byName.totalItems, 1);
  assert.equal(byName.items[0].expand.author.name, 'X');
  assert.deepEqual(byName.items[0].expand.tags.map((l) => l.label), ['blue', 'green']);
  const bound = await bob.pb.collection(p.name).getList(1, 30, { filter: bob.pb.filter('author.name = {:n}', { n: 'Y' }) });
  assert.deepEqual(bound.items.map((i) => i.title), ['p2']);

  await alice.pb.collection(r.name).create({ label: labels[1].id });
  const refused = await rejects(400, () => alice.pb.collection(t.name).delete(labels[1].id));
  assert.match(refused.message, /required relation reference/);
  assert.equal((await alice.pb.collection(t.name).getOne(labels[1].id)).label, 'blue');
  await alice.pb.collection(t.name).delete(labels[2].id);
  assert.deepEqual((await alice.pb.collection(p.name).getOne(p1.id)).tags, [labels[1].id], 'the id left the relation');

  await alice.pb.collection(a.name).delete(x.id);
  await rejects(404, () => alice.pb.collection(p.name).getOne(p1.id));
  assert.deepEqual((await alice.pb.collection(p.name).getFullList()).map((i) => i.title), ['p2'], 'cascade took p1 only');
});

test('expand: getOne, getList, getFullList, nested and back relations, create and update answers', async () => {
  // authors are viewable by their owner only: alice sees her author expanded, bob does not; hidden fields never.
  const a = await admin.collections.create({
    name: `authors_${run}`, type: 'base',
    fields: [{ name: 'name', type: 'text' }, { name: 'owner_id', type: 'text' }, { name: 'secret', type: 'text', hidden: true }],
    listRule: '', viewRule: 'owner_id = @request.auth.id',
  });
  const t = await admin.collections.create({ name: `tags_${run}`, type: 'base', fields: [{ name: 'label', type: 'text' }],
    listRule: '', viewRule: '' });
  const open = { listRule: '', viewRule: '', createRule: '@request.auth.id != ""', updateRule: '@request.auth.id != ""' };
  const p = await admin.collections.create({ name: `posts_${run}`, type: 'base', ...open, fields: [
    { name: 'title', type: 'text' },
    { name: 'author', type: 'relation', collectionId: a.id, maxSelect: 1 },
    { name: 'tags', type: 'relation', collectionId: t.id, maxSelect: 10 }] });
  const c = await admin.collections.create({ name: `comments_${run}`, type: 'base', ...open, fields: [
    { name: 'body', type: 'text' }, { name: 'post', type: 'relation', collectionId: p.id, maxSelect: 1 }] });
  const ann = await admin.collection(a.name).create({ name: 'Ann', owner_id: alice.id, secret: 'EXPAND-SECRET' });
  const red = await admin.collection(t.name).create({ label: 'red' });
  const blue = await admin.collection(t.name).create({ label: 'blue' });
  const post = await alice.pb.collection(p.name).create({ title: 'p1', author: ann.id, tags: [blue.id, red.id] },
    { expand: 'author,tags' });
  assert.equal(post.expand.author.name, 'Ann');
  assert.deepEqual(post.expand.tags.map((x) => x.label), ['blue', 'red']);
  await alice.pb.collection(c.name).create({ body: 'c1', post: post.id });
  await alice.pb.collection(c.name).create({ body: 'c2', post: post.id });

  const one = noSecrets(await alice.pb.collection(p.name).getOne(post.id, { expand: 'author' }));
  assert.equal(one.expand.author.id, ann.id);
  assert.ok(!JSON.stringify(one).includes('EXPAND-SECRET'), 'hidden field of an expanded record');
  const forBob = await bob.pb.collection(p.name).getOne(post.id, { expand: 'author' });
  assert.equal(forBob.expand?.author, undefined, 'bob may not view Ann');

  const page = await alice.pb.collection(p.name).getList(1, 30, { expand: 'author,tags' });
  assert.equal(page.items[0].expand.author.name, 'Ann');
  assert.equal(page.items[0].expand.tags.length, 2);

  const all = await alice.pb.collection(c.name).getFullList({ expand: 'post.author', sort: 'body' });
  assert.deepEqual(all.map((x) => x.expand.post.expand.author.name), ['Ann', 'Ann']);
  const back = await alice.pb.collection(p.name).getOne(post.id, { expand: 'comments_' + run + '_via_post' });
  assert.deepEqual(back.expand[`comments_${run}_via_post`].map((x) => x.body), ['c1', 'c2']);

  const picked = await alice.pb.collection(p.name).getOne(post.id, { expand: 'author', fields: 'id,expand.author.name' });
  assert.deepEqual(picked, { id: post.id, expand: { author: { name: 'Ann' } } });
  const updated = await alice.pb.collection(p.name).update(post.id, { tags: [red.id] }, { expand: 'tags' });
  assert.deepEqual(updated.expand.tags.map((x) => x.label), ['red']);
});

test('files: a FormData upload reads back byte for byte through pb.files.getURL, a 32x32 thumbnail, a users avatar, files in a batch, files+/files-, a deleted record\'s file is 404', async () => {
  const open = { listRule: '', viewRule: '', createRule: '@request.auth.id != ""', updateRule: '@request.auth.id != ""',
    deleteRule: '@request.auth.id != ""' };
  const d = await admin.collections.create({ name: `docs_${run}`, type: 'base', ...open, fields: [
    { name: 'title', type: 'text' },
    { name: 'image', type: 'file', maxSelect: 1, mimeTypes: ['image/png'], thumbs: ['32x32'] },
    { name: 'files', type: 'file', maxSelect: 5 }] });
  assert.equal(d.fields.find((f) => f.name === 'image').type, 'file');
  const picture = new PNG({ width: 64, height: 48 });
  picture.data.fill(200);
  const png = Uint8Array.from(PNG.sync.write(picture));
  const form = new FormData();
  form.append('title', 'with files');
  form.append('image', new Blob([png], { type: 'image/png' }), 'pixel.png');
  form.append('files', new Blob(['one']), 'one.txt');
  const rec = await alice.pb.collection(d.name).create(form);
  assert.match(rec.image, /^pixel_[a-z0-9]{10}\.png$/);
  assert.equal(rec.files.length, 1);
  const got = await fetch(alice.pb.files.getURL(rec, rec.image));
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.deepEqual(new Uint8Array(await got.arrayBuffer()), png);
  const thumb = await fetch(alice.pb.files.getURL(rec, rec.image, { thumb: '32x32' }));
  assert.equal(thumb.status, 200);
  const decoded = PNG.sync.read(Buffer.from(await thumb.arrayBuffer()));
  assert.deepEqual([decoded.width, decoded.height], [32, 32]);

  await rejects(400, () => alice.pb.collection(d.name).create({ title: 'x', image: new Blob(['not a png']) }));

  const me = await alice.pb.collection('users').update(alice.id, { avatar: new Blob([png], { type: 'image/png' }) });
  assert.match(me.avatar, /^[a-z0-9_]+\.png$/);
  assert.deepEqual(new Uint8Array(await (await fetch(alice.pb.files.getURL(me, me.avatar))).arrayBuffer()), png);

  const batch = alice.pb.createBatch();
  batch.collection(d.name).create({ title: 'in a batch', image: new Blob([png], { type: 'image/png' }), files: [new Blob(['b1']), new Blob(['b2'])] });
  const [batched] = await batch.send();
  assert.equal(batched.status, 200);
  assert.deepEqual(new Uint8Array(await (await fetch(alice.pb.files.getURL(batched.body, batched.body.image))).arrayBuffer()), png);
  assert.equal(await (await fetch(alice.pb.files.getURL(batched.body, batched.body.files[1]))).text(), 'b2');

  const more = await alice.pb.collection(d.name).update(rec.id, { 'files+': new Blob(['two']) });
  assert.equal(more.files.length, 2);
  const fewer = await alice.pb.collection(d.name).update(rec.id, { 'files-': [rec.files[0]] });
  assert.deepEqual(fewer.files, [more.files[1]]);
  assert.equal(await (await fetch(alice.pb.files.getURL(fewer, fewer.files[0]))).text(), 'two');

  await alice.pb.collection(d.name).delete(rec.id);
  let status = 200;
  for (let i = 0; i < 50 && status !== 404; i++) {
    status = (await fetch(alice.pb.files.getURL(rec, rec.image))).status;
    if (status !== 404) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(status, 404);
});

test('protected files: pb.files.getToken() opens them for a caller the view rule admits, and for nobody else', async () => {
  const v = await admin.collections.create({ name: `vault_${run}`, type: 'base', listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id', createRule: '@request.auth.id != ""', fields: [
      { name: 'owner', type: 'text' }, { name: 'doc', type: 'file', maxSelect: 1, protected: true }] });
  const aliceId = alice.pb.authStore.record.id;
  const rec = await alice.pb.collection(v.name).create({ owner: aliceId, doc: new Blob(['top secret']) });
  const plain = alice.pb.files.getURL(rec, rec.doc);
  assert.equal((await fetch(plain)).status, 404, 'no token');
  const token = await alice.pb.files.getToken();
  const got = await fetch(alice.pb.files.getURL(rec, rec.doc, { token }));
  assert.equal(got.status, 200);
  assert.equal(await got.text(), 'top secret');
  const bobToken = await bob.pb.files.getToken();
  assert.equal((await fetch(bob.pb.files.getURL(rec, rec.doc, { token: bobToken }))).status, 404, 'bob may not view it');
});

// ----- auth collection options: auth methods, username sign-in, emailVisibility, impersonation -----
const members = `members_${run}`;

test('listAuthMethods answers the password method and its identity fields', async () => {
  const methods = await new PocketBase(url).collection('users').listAuthMethods();
  assert.equal(methods.password.enabled, true);
  assert.deepEqual(methods.password.identityFields, ['email']);
  assert.equal(methods.oauth2.enabled, false);
  assert.deepEqual(methods.oauth2.providers, []);
  assert.equal(methods.mfa.enabled, false);
  assert.equal(methods.otp.enabled, false);
});

test('a unique username listed in identityFields signs in with authWithPassword', async () => {
  const created = await admin.collections.create({
    name: members,
    type: 'auth',
    fields: [{ name: 'username', type: 'text', unique: true }],
    passwordAuth: { enabled: true, identityFields: ['email', 'username'] },
    listRule: '', viewRule: '', createRule: '',
  });
  assert.deepEqual(created.passwordAuth.identityFields, ['email', 'username']);
  const methods = await new PocketBase(url).collection(members).listAuthMethods();
  assert.deepEqual(methods.password.identityFields, ['email', 'username']);

  const ann = new PocketBase(url);
  noSecrets(await ann.collection(members).create({
    email: `ann_${run}@example.com`, username: `ann_${run}`, password, passwordConfirm: password,
  }));
  const byName = noSecrets(await ann.collection(members).authWithPassword(`ann_${run}`, password));
  assert.equal(byName.record.username, `ann_${run}`);
  assert.equal(byName.record.email, `ann_${run}@example.com`, 'the owner sees its own email');
  const byEmail = noSecrets(await new PocketBase(url).collection(members).authWithPassword(`ann_${run}@example.com`, password));
  assert.equal(byEmail.record.id, byName.record.id);
  await rejects(400, () => new PocketBase(url).collection(members).authWithPassword(`ann_${run}`, 'wrong-password-1'));
});

test('emailVisibility decides whether others read an email', async () => {
  const shown = new PocketBase(url);
  const hidden = new PocketBase(url);
  const shownRecord = noSecrets(await shown.collection(members).create({
    email: `shown_${run}@example.com`, username: `shown_${run}`, password, passwordConfirm: password, emailVisibility: true,
  }));
  assert.equal(shownRecord.emailVisibility, true);
  const hiddenRecord = noSecrets(await hidden.collection(members).create({
    email: `hidden_${run}@example.com`, username: `hidden_${run}`, password, passwordConfirm: password,
  }));
  assert.equal(hiddenRecord.emailVisibility, false);

  const stranger = new PocketBase(url);
  assert.equal((await stranger.collection(members).getOne(shownRecord.id)).email, `shown_${run}@example.com`);
  const other = await stranger.collection(members).getOne(hiddenRecord.id);
  assert.equal(other.username, `hidden_${run}`);
  assert.equal(other.email ?? '', '', 'a hidden email is not answered');
  const found = await stranger.collection(members).getList(1, 10, {
    filter: stranger.filter('email = {:e}', { e: `hidden_${run}@example.com` }),
  });
  assert.equal(found.totalItems, 0, 'a filter cannot find a hidden email');
  assert.ok(!JSON.stringify(await stranger.collection(members).getFullList()).includes(`hidden_${run}@example.com`));

  await hidden.collection(members).authWithPassword(`hidden_${run}`, password);
  assert.equal((await hidden.collection(members).getOne(hiddenRecord.id)).email, `hidden_${run}@example.com`);
  assert.equal((await admin.collection(members).getOne(hiddenRecord.id)).email, `hidden_${run}@example.com`);
});

test('a superuser impersonates a user with a token that authRefresh does not renew', async () => {
  const as = await admin.collection('users').impersonate(alice.id, 120);
  assert.equal(as.authStore.record.id, alice.id);
  assert.notEqual(as.authStore.token, admin.authStore.token);
  const claims = JSON.parse(Buffer.from(as.authStore.token.split('.')[1], 'base64url'));
  assert.equal(claims.refreshable, false);
  assert.equal(claims.exp - claims.iat, 120);
  const aliceAgain = new PocketBase(url);
  await aliceAgain.collection('users').authWithPassword(alice.email, password);
  assert.equal((await as.collection(notes).getList(1, 1)).totalItems, (await aliceAgain.collection(notes).getList(1, 1)).totalItems);
  const token = as.authStore.token;
  const refreshed = noSecrets(await as.collection('users').authRefresh());
  assert.equal(refreshed.token, token);
  await rejects(403, () => aliceAgain.collection('users').impersonate(bob.id, 60));
});
