// NanoDB realtime through the official PocketBase JavaScript SDK, used the way an app uses it:
// pb.collection(x).subscribe('*' | id, callback, { filter, fields }) and unsubscribe(). Run by SdkEndToEndTest
// (which starts the server and sets NANODB_URL); by hand:
//   NANODB_URL=http://127.0.0.1:3000 node --test realtime.test.mjs
// The tests share state and run in order (node:test runs top-level tests of a file one after the other).
//
// Absence is never checked by sleeping: the server fans changes out in commit order, one stream's events in
// order, so once a "marker" written after some changes has reached a stream, every event those changes would
// have produced on it has arrived too. Every wait is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import PocketBase from 'pocketbase';
import { ownedNotes } from './owned-notes.mjs';

const url = process.env.NANODB_URL;
if (!url) throw new Error('NANODB_URL is not set (the base address of a running NanoDB)');
const adminEmail = process.env.NANODB_ADMIN_EMAIL ?? 'admin@local.host';
const adminPassword = process.env.NANODB_ADMIN_PASSWORD ?? 'password123';

/**
 * Everything any stream of this file received, straight off the wire (including events no SDK callback
 * listens to), each with the client id of its stream. The SDK in Node needs a global EventSource; this one
 * is the `eventsource` package's, only recording what it dispatches.
 */
const wire = [];
const sources = [];
class RecordingEventSource extends EventSource {
  constructor(...args) {
    super(...args);
    this.clientId = '';
    sources.push(this);
  }

  dispatchEvent(event) {
    if (event.type === 'PB_CONNECT') this.clientId = event.lastEventId;
    if (typeof event.data === 'string') wire.push({ clientId: this.clientId, topic: event.type, data: event.data });
    return super.dispatchEvent(event);
  }
}
globalThis.EventSource = RecordingEventSource;

// A run id keeps names unique, so the file can also run twice against one long-lived server.
const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const notes = `rt_notes_${run}`;
const board = `rt_board_${run}`; // readable by anyone: the marker that proves a stream is still delivering
const password = 'correct-horse-1';
const newPassword = 'battery-staple-2';
const WAIT_MS = 5000;

const admin = new PocketBase(url);
/** One SDK client per person, as two browsers would have; `live` is a second tab of the same person. */
const alice = { pb: new PocketBase(url), live: new PocketBase(url), email: `alice_rt_${run}@example.com` };
const bob = { pb: new PocketBase(url), live: new PocketBase(url), email: `bob_rt_${run}@example.com` };
const clients = [admin, alice.pb, alice.live, bob.pb, bob.live];

/** Fails when a payload carries a hidden auth field as a key, or either password as a value. */
function noSecrets(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  assert.ok(!/"(password|tokenKey|passwordConfirm|oldPassword)"\s*:/.test(text), `event carries a hidden field: ${text}`);
  assert.ok(!text.includes(password) && !text.includes(newPassword), `event carries a password: ${text}`);
  return value;
}

/**
 * A subscription callback that keeps what it is given, with bounded waits on it: `until` resolves once the
 * predicate holds for the events so far and rejects after `ms`, listing what did arrive.
 */
function collector(label) {
  const events = [];
  let waiters = [];
  const settle = () => {
    waiters = waiters.filter((w) => {
      if (!w.predicate(events)) return true;
      clearTimeout(w.timer);
      w.resolve(events);
      return false;
    });
  };
  return {
    events,
    cb: (e) => {
      events.push(e);
      settle();
    },
    until(predicate, what, ms = WAIT_MS) {
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve };
        w.timer = setTimeout(() => {
          waiters = waiters.filter((x) => x !== w);
          reject(new Error(`${label}: no ${what} within ${ms} ms; got ${events.length} event(s): ${JSON.stringify(events)}`));
        }, ms);
        waiters.push(w);
        settle();
      });
    },
    count(n, ms) {
      return this.until((ev) => ev.length >= n, `${n} event(s)`, ms);
    },
    /** Waits for an event of the record with that title (a marker). */
    title(title, ms) {
      return this.until((ev) => ev.some((e) => e.record?.title === title), `event for "${title}"`, ms);
    },
  };
}

const summary = (events) => events.map((e) => [e.action, e.record?.id, e.record?.title]);
/** The wire log of one SDK client's current stream. */
const wireOf = (pb) => {
  assert.ok(pb.realtime.clientId, 'the client has a realtime connection');
  return wire.filter((w) => w.clientId === pb.realtime.clientId);
};

/** A record of `board`, created by the superuser; reaching a stream proves the earlier commits reached it. */
async function marker(label) {
  return admin.collection(board).create({ title: `${label} ${Math.random().toString(36).slice(2, 8)}` });
}

let adminUsers; // the superuser's subscription to users/*, from before anyone signed up

before(async () => {
  await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword);
  assert.ok(admin.authStore.isSuperuser, 'superuser login gives a superuser token');
  await admin.collections.create(ownedNotes(notes));
  await admin.collections.create({
    name: board,
    type: 'base',
    fields: [{ name: 'title', type: 'text' }],
    listRule: '', viewRule: '', createRule: null, updateRule: null, deleteRule: null,
  });

  adminUsers = collector('superuser on users/*');
  await admin.collection('users').subscribe('*', adminUsers.cb);

  for (const user of [alice, bob]) {
    const signedUp = await user.pb.collection('users').create({ email: user.email, password, passwordConfirm: password });
    user.id = signedUp.id;
    await user.pb.collection('users').authWithPassword(user.email, password);
    await user.live.collection('users').authWithPassword(user.email, password);
  }
});

after(async () => {
  // Open streams would keep this process alive: end every subscription, then close whatever is left.
  await Promise.allSettled(clients.map((pb) => pb.realtime.unsubscribe()));
  for (const s of sources) s.close();
});

test('subscribe("*") and subscribe(id) receive create, update and delete in order', async () => {
  const { pb } = alice;
  const all = collector('alice on *');
  await pb.collection(notes).subscribe('*', all.cb);
  assert.ok(pb.realtime.isConnected, 'subscribe connects');

  const r1 = await pb.collection(notes).create({ title: 'one' });
  await all.count(1);
  const one = collector('alice on one id');
  await pb.collection(notes).subscribe(r1.id, one.cb);

  const v2 = await pb.collection(notes).update(r1.id, { title: 'one v2' });
  const v3 = await pb.collection(notes).update(r1.id, { title: 'one v3' });
  const r2 = await pb.collection(notes).create({ title: 'two' });
  assert.equal(await pb.collection(notes).delete(r1.id), true);

  await all.count(5);
  await one.count(3);
  assert.deepEqual(summary(all.events), [
    ['create', r1.id, 'one'],
    ['update', r1.id, 'one v2'],
    ['update', r1.id, 'one v3'],
    ['create', r2.id, 'two'],
    ['delete', r1.id, 'one v3'],
  ]);
  assert.deepEqual(summary(one.events), [
    ['update', r1.id, 'one v2'],
    ['update', r1.id, 'one v3'],
    ['delete', r1.id, 'one v3'],
  ]);
  // The event's record is the record as the REST API returns it.
  assert.deepEqual(all.events[0].record, r1);
  assert.deepEqual(all.events[1].record, v2);
  assert.deepEqual(one.events[1].record, v3);
  assert.deepEqual(all.events[3].record, r2);
  assert.equal(all.events[4].record.owner_id, alice.id);
  // Nothing more arrives later (a marker on the same stream proves the queue is drained).
  const pub = collector('alice on board');
  await pb.collection(board).subscribe('*', pub.cb);
  const m = await marker('after order');
  await pub.title(m.title);
  assert.equal(all.events.length, 5);
  assert.equal(one.events.length, 3);

  await pb.collection(notes).unsubscribe();
  await pb.collection(board).unsubscribe();
  assert.equal(pb.realtime.isConnected, false, 'no subscription left closes the stream');
});

test('two users subscribed at once never see each other\'s records', async () => {
  const seen = new Map();
  for (const user of [alice, bob]) {
    const all = collector(`${user === alice ? 'alice' : 'bob'} on *`);
    await user.pb.collection(notes).subscribe('*', all.cb);
    await user.pb.collection(board).subscribe('*', all.cb);
    seen.set(user, all);
  }
  const a1 = await alice.pb.collection(notes).create({ title: 'alice 1' });
  const b1 = await bob.pb.collection(notes).create({ title: 'bob 1' });
  assert.equal(a1.owner_id, alice.id, 'owner_id is filled with the caller');
  assert.equal(b1.owner_id, bob.id);
  // Each also asks for the other's record by id: the view rule must keep it out all the same.
  const aliceOnB1 = collector('alice on bob\'s id');
  const bobOnA1 = collector('bob on alice\'s id');
  await alice.pb.collection(notes).subscribe(b1.id, aliceOnB1.cb);
  await bob.pb.collection(notes).subscribe(a1.id, bobOnA1.cb);

  await alice.pb.collection(notes).update(a1.id, { title: 'alice 1 edited' });
  await bob.pb.collection(notes).update(b1.id, { title: 'bob 1 edited' });
  const a2 = await alice.pb.collection(notes).create({ title: 'alice 2' });
  const b2 = await bob.pb.collection(notes).create({ title: 'bob 2' });
  await alice.pb.collection(notes).delete(a1.id);
  await bob.pb.collection(notes).delete(b1.id);
  // The superuser too may change a user's record: only its owner hears of it.
  await admin.collection(notes).update(b2.id, { title: 'bob 2 by admin' });

  const m = await marker('end of two users');
  for (const user of [alice, bob]) await seen.get(user).title(m.title);

  const mine = (user) => summary(seen.get(user).events.filter((e) => e.record.collectionName === notes));
  assert.deepEqual(mine(alice), [
    ['create', a1.id, 'alice 1'],
    ['update', a1.id, 'alice 1 edited'],
    ['create', a2.id, 'alice 2'],
    ['delete', a1.id, 'alice 1 edited'],
  ]);
  assert.deepEqual(mine(bob), [
    ['create', b1.id, 'bob 1'],
    ['update', b1.id, 'bob 1 edited'],
    ['create', b2.id, 'bob 2'],
    ['delete', b1.id, 'bob 1 edited'],
    ['update', b2.id, 'bob 2 by admin'],
  ]);
  assert.deepEqual(aliceOnB1.events, []);
  assert.deepEqual(bobOnA1.events, []);
  // Not even on the wire, under any topic: the SDK only filters by topic name, the server must not send.
  for (const [user, other] of [[alice, bob], [bob, alice]]) {
    for (const w of wireOf(user.pb)) {
      assert.ok(!w.data.includes(other.id), `${user.email}'s stream got an event naming ${other.email}: ${JSON.stringify(w)}`);
    }
  }
  for (const user of [alice, bob]) {
    await user.pb.collection(notes).unsubscribe();
    await user.pb.collection(board).unsubscribe();
  }
});

test('subscribe("*", cb, { filter, fields }) sends only matching records, only those fields', async () => {
  const { pb } = alice;
  const all = collector('alice on * unfiltered');
  const some = collector('alice on * filtered');
  await pb.collection(notes).subscribe('*', all.cb);
  await pb.collection(notes).subscribe('*', some.cb, { filter: 'title ~ "keep"', fields: 'id,title' });

  const k = await pb.collection(notes).create({ title: 'keep 1' });
  const d = await pb.collection(notes).create({ title: 'drop 1' });
  await pb.collection(notes).update(d.id, { title: 'keep 2' }); // now matches
  await pb.collection(notes).update(k.id, { title: 'drop 3' }); // no longer matches
  await pb.collection(notes).delete(d.id); // deleted while matching
  await pb.collection(notes).create({ title: 'last' });
  await all.title('last');

  assert.equal(all.events.length, 6);
  assert.deepEqual(some.events, [
    { action: 'create', record: { id: k.id, title: 'keep 1' } },
    { action: 'update', record: { id: d.id, title: 'keep 2' } },
    { action: 'delete', record: { id: d.id, title: 'keep 2' } },
  ]);
  // The unfiltered subscription of the same client still gets whole records.
  assert.equal(all.events[0].record.owner_id, alice.id);
  assert.equal(all.events[0].record.collectionName, notes);
  await pb.collection(notes).unsubscribe();
});

test('unsubscribe() stops the events of that collection while the stream stays open', async () => {
  const { pb } = alice;
  const mine = collector('alice on notes');
  const pub = collector('alice on board');
  await pb.collection(notes).subscribe('*', mine.cb);
  await pb.collection(board).subscribe('*', pub.cb);
  const before = await pb.collection(notes).create({ title: 'before unsubscribe' });
  await mine.count(1);
  const clientId = pb.realtime.clientId;

  await pb.collection(notes).unsubscribe();
  assert.ok(pb.realtime.isConnected, 'another subscription keeps the stream open');
  assert.equal(pb.realtime.clientId, clientId, 'the same stream');
  const afterRow = await pb.collection(notes).create({ title: 'after unsubscribe' });
  await pb.collection(notes).update(before.id, { title: 'before, edited after unsubscribe' });
  const m = await marker('after unsubscribe');
  await pub.title(m.title);

  assert.deepEqual(summary(mine.events), [['create', before.id, 'before unsubscribe']]);
  const late = wireOf(pb).filter((w) => w.data.includes(afterRow.id) || w.data.includes('edited after unsubscribe'));
  assert.deepEqual(late, [], 'the server sent events for a topic no longer subscribed');

  // Unsubscribing from the last topic closes the stream.
  await pb.collection(board).unsubscribe();
  assert.equal(pb.realtime.isConnected, false);
});

test('a user whose password changes stops receiving private events on its open stream', async () => {
  // `live` subscribes; `pb` changes the password. Separate clients, so that the subscriber keeps the identity
  // it had, as another tab or device of that user would.
  const { live } = alice;
  const mine = collector('alice (old password) on notes');
  const own = collector('alice (old password) on own user record');
  const pub = collector('alice (old password) on board');
  await live.collection(notes).subscribe('*', mine.cb);
  await live.collection('users').subscribe(alice.id, own.cb);
  await live.collection(board).subscribe('*', pub.cb);

  const control = await alice.pb.collection(notes).create({ title: 'seen before the change' });
  await mine.count(1);
  await alice.pb.collection('users').update(alice.id, { name: 'Alice' });
  await own.count(1);
  assert.equal(own.events[0].record.name, 'Alice');

  const changed = await alice.pb.collection('users')
    .update(alice.id, { oldPassword: password, password: newPassword, passwordConfirm: newPassword });
  noSecrets(changed);
  // At once: everything private written after the change stays off the old stream. The superuser writes, so
  // that nothing waits for a new login.
  const afterChange = await admin.collection(notes).create({ title: 'private after the change', owner_id: alice.id });
  await admin.collection(notes).update(control.id, { title: 'edited after the change' });
  await admin.collection('users').update(alice.id, { name: 'Alice after the change' });
  const m = await marker('after the password change');
  await pub.title(m.title);

  assert.deepEqual(summary(mine.events), [['create', control.id, 'seen before the change']]);
  assert.equal(own.events.length, 1, `own user record events after the change: ${JSON.stringify(own.events)}`);
  const leaked = wireOf(live).filter((w) => w.data.includes(afterChange.id) || w.data.includes('after the change"'));
  assert.deepEqual(leaked, [], 'private events reached a stream whose password was changed');
  assert.equal(afterChange.owner_id, alice.id);

  // A new login with the new password hears of its records again.
  const fresh = new PocketBase(url);
  clients.push(fresh);
  await fresh.collection('users').authWithPassword(alice.email, newPassword);
  const again = collector('alice (new password) on notes');
  await fresh.collection(notes).subscribe('*', again.cb);
  const later = await admin.collection(notes).create({ title: 'private, new login', owner_id: alice.id });
  await again.count(1);
  assert.deepEqual(summary(again.events), [['create', later.id, 'private, new login']]);
  await fresh.realtime.unsubscribe();
  await live.realtime.unsubscribe();
});

test('a deleted user\'s open stream stops receiving its private events', async () => {
  const { live } = bob;
  const mine = collector('bob (deleted) on notes');
  const pub = collector('bob (deleted) on board');
  await live.collection(notes).subscribe('*', mine.cb);
  await live.collection(board).subscribe('*', pub.cb);
  const control = await bob.pb.collection(notes).create({ title: 'bob before deletion' });
  await mine.count(1);

  assert.equal(await bob.pb.collection('users').delete(bob.id), true);
  const afterDelete = await admin.collection(notes).create({ title: 'bob private after deletion', owner_id: bob.id });
  await admin.collection(notes).update(control.id, { title: 'bob edited after deletion' });
  const m = await marker('after the deletion');
  await pub.title(m.title);

  assert.deepEqual(summary(mine.events), [['create', control.id, 'bob before deletion']]);
  const leaked = wireOf(live).filter((w) => w.data.includes(afterDelete.id) || w.data.includes('after deletion"'));
  assert.deepEqual(leaked, [], 'private events reached the stream of a deleted user');
  await live.realtime.unsubscribe();
});

test('hidden fields and passwords never appear in any event', async () => {
  // The superuser's users/* subscription saw both sign-ups, the name and password changes and the deletion.
  const about = (e) => [alice.id, bob.id].includes(e.record?.id);
  await adminUsers.until((ev) => ev.filter(about).some((e) => e.action === 'delete'), 'users delete event');
  const users = adminUsers.events.filter(about);
  assert.deepEqual(users.map((e) => [e.action, e.record.id]), [
    ['create', alice.id],
    ['create', bob.id],
    ['update', alice.id],
    ['update', alice.id],
    ['update', alice.id],
    ['delete', bob.id],
  ]);
  assert.equal(users[0].record.email, alice.email, 'a superuser sees the email');
  for (const e of users) noSecrets(e);
  assert.ok(wire.length > 20, `the wire log recorded the events (${wire.length})`);
  for (const w of wire) noSecrets(w.data);
});

test('subscribe("*", cb, {expand}) expands each event as its subscriber may see it', async () => {
  const reader = new PocketBase(url); // a user of its own: earlier tests sign alice and bob out
  const email = `reader_rt_${run}@example.com`;
  const bobId = (await reader.collection('users').create({ email, password, passwordConfirm: password })).id;
  await reader.collection('users').authWithPassword(email, password);
  const authors = await admin.collections.create({ name: `rt_authors_${run}`, type: 'base',
    fields: [{ name: 'name', type: 'text' }, { name: 'owner_id', type: 'text' }],
    listRule: '', viewRule: 'owner_id = @request.auth.id' });
  const posts = await admin.collections.create({ name: `rt_posts_${run}`, type: 'base', listRule: '', viewRule: '',
    fields: [{ name: 'title', type: 'text' }, { name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1 }] });
  const author = await admin.collection(authors.name).create({ name: 'Bo', owner_id: bobId });
  const anon = new PocketBase(url);
  const forBob = collector('the author\'s owner with expand');
  const forAnon = collector('anonymous with expand');
  await reader.collection(posts.name).subscribe('*', forBob.cb, { expand: 'author' });
  await anon.collection(posts.name).subscribe('*', forAnon.cb, { expand: 'author' });
  try {
    await admin.collection(posts.name).create({ title: 'rt', author: author.id });
    const [got] = await forBob.title('rt');
    assert.equal(got.record.expand.author.name, 'Bo');
    const [other] = await forAnon.title('rt');
    assert.equal(other.record.expand?.author, undefined, 'the anonymous subscriber may not view the author');
  } finally {
    await reader.realtime.unsubscribe();
    await anon.realtime.unsubscribe();
  }
});
