// The official PocketBase SDK as a realtime subscriber on one NanoDB node (B) while the writes go to another (A),
// both serving one PostgreSQL database. Run by MultiNodeTest, which starts both nodes and sets NANODB_URL_A and
// NANODB_URL_B; not a *.test.mjs, as it needs two nodes and a conversation:
//   1. prints "PHASE 1 PASSED" once B delivered A's create, update and delete of alice's note, once each, in order;
//   2. waits for a line on stdin: meanwhile the Java test terminates B's change-log listener connection;
//   3. writes on A again, checks B delivers those changes the same way over the same stream, and prints
//      "PHASE 2 PASSED" last.
// A failed check or a wait that runs out ends the script with an error and a non-zero exit.
//
// Absence is never checked by sleeping: a node fans changes out in commit order, one stream's events in order, so
// once alice's marker written after some changes has reached her stream, every event those changes would have
// produced on it has arrived too. One bounded quiet wait at the end catches a late repeat all the same.
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventSource } from 'eventsource';
import PocketBase from 'pocketbase';
import { ownedNotes } from './owned-notes.mjs';

// The SDK needs a global EventSource, which Node 20 lacks.
globalThis.EventSource = EventSource;
// Node's own report of an uncaught error quotes the minified SDK line it came from (kilobytes); this one is short,
// says which request failed, and exits although realtime streams are still open.
process.on('uncaughtException', (e) => {
  console.error(`FAILED: ${e?.stack ?? e}`);
  if (e?.url) console.error(`request: ${e.url} answered ${e.status} ${JSON.stringify(e.response)}`);
  process.exit(1);
});

const env = (name) => process.env[name] ?? assert.fail(`${name} is not set`);
const urlA = env('NANODB_URL_A');
const urlB = env('NANODB_URL_B');
const adminEmail = process.env.NANODB_ADMIN_EMAIL ?? 'admin@local.host';
const adminPassword = process.env.NANODB_ADMIN_PASSWORD ?? 'password123';
/** Generous: the second phase waits through B's listener reconnecting, and two CPUs may be busy. */
const WAIT_MS = 30000;
const QUIET_MS = 500;

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const notes = `mn_notes_${run}`;
const password = 'correct-horse-1';
const admin = new PocketBase(urlA);
/** alice writes on A and watches on B (two devices, two nodes); bob only writes on A. */
const alice = { onA: new PocketBase(urlA), onB: new PocketBase(urlB), email: `alice_mn_${run}@example.com` };
const bob = { onA: new PocketBase(urlA), email: `bob_mn_${run}@example.com` };

/** Resolves with `probe()`'s value once it holds (is truthy and does not throw); fails after WAIT_MS with why. */
async function eventually(what, probe) {
  const deadline = Date.now() + WAIT_MS;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) assert.fail(`no ${what} within ${WAIT_MS} ms (last: ${last})`);
    await sleep(20);
  }
}

/** A subscription callback keeping what it receives. */
function recorder() {
  const events = [];
  return { events, cb: (e) => events.push(e) };
}

const summary = (events) => events.map((e) => [e.action, e.record?.id, e.record?.title]);
const hasRecord = (rec, id) => () => rec.events.some((e) => e.record?.id === id);

/** alice creates a note on A, and bob one of his own (never to reach alice). */
async function createOnA(label) {
  const note = { created: await alice.onA.collection(notes).create({ title: `${label} v1` }) };
  note.bobs = await bob.onA.collection(notes).create({ title: `bob ${label}` });
  return note;
}

/** alice updates and deletes her note on A, bob his in between, then alice writes her marker. */
async function changeOnA(note, label) {
  note.updated = await alice.onA.collection(notes).update(note.created.id, { title: `${label} v2` });
  await bob.onA.collection(notes).update(note.bobs.id, { title: `bob ${label} v2` });
  assert.equal(await alice.onA.collection(notes).delete(note.created.id), true);
  await bob.onA.collection(notes).delete(note.bobs.id);
  note.marker = await alice.onA.collection(notes).create({ title: `${label} marker` });
  return note;
}

function assertDelivered(events, note, label) {
  assert.deepEqual(summary(events), [
    ['create', note.created.id, `${label} v1`],
    ['update', note.created.id, `${label} v2`],
    ['delete', note.created.id, `${label} v2`],
    ['create', note.marker.id, `${label} marker`],
  ]);
  assert.deepEqual(events[0].record, note.created, 'the create event carries the record A answered');
  assert.deepEqual(events[1].record, note.updated, 'the update event carries the record A answered');
  assert.deepEqual(events[3].record, note.marker);
  assert.equal(note.created.owner_id, alice.id);
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function nextLine() {
  const { value, done } = await lines.next();
  assert.ok(!done, 'stdin ended before the go-ahead for phase 2');
  return value;
}

await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword);
await admin.collections.create(ownedNotes(notes));
for (const user of [alice, bob]) {
  user.id = (await user.onA.collection('users').create({ email: user.email, password, passwordConfirm: password })).id;
  await user.onA.collection('users').authWithPassword(user.email, password);
}
await alice.onB.collection('users').authWithPassword(alice.email, password);
assert.equal(alice.onB.authStore.record.id, alice.id, 'the user signed up on A logs in on B');
// B learns of the collection created on A from the change log, moments later.
await eventually(`collection ${notes} on B`, () => alice.onB.collection(notes).getList(1, 1));

const all = recorder();
await alice.onB.collection(notes).subscribe('*', all.cb);
const stream = alice.onB.realtime.clientId;
assert.ok(stream, 'subscribing on B connects a stream');

/**
 * Subscribes on B to the note's own topic, as a page showing that one record would, once its create reached B
 * (so that the topic's events are exactly the update and the delete written after this).
 */
async function watch(note) {
  await eventually(`create of "${note.created.title}" on B`, hasRecord(all, note.created.id));
  const rec = recorder();
  await alice.onB.collection(notes).subscribe(note.created.id, rec.cb);
  return rec;
}

function assertDeliveredById(events, note, label) {
  assert.deepEqual(summary(events), [
    ['update', note.created.id, `${label} v2`],
    ['delete', note.created.id, `${label} v2`],
  ]);
}

const first = await createOnA('first');
const firstById = await watch(first);
await changeOnA(first, 'first');
await eventually('first marker on B', hasRecord(all, first.marker.id));
assertDelivered(all.events, first, 'first');
assertDeliveredById(firstById.events, first, 'first');
console.log('PHASE 1 PASSED');

await nextLine();
const seenBefore = all.events.length;
const second = await createOnA('second');
const secondById = await watch(second);
await changeOnA(second, 'second');
await eventually('second marker on B', hasRecord(all, second.marker.id));
await sleep(QUIET_MS);
assertDelivered(all.events.slice(seenBefore), second, 'second');
assertDeliveredById(secondById.events, second, 'second');
assert.equal(firstById.events.length, 2, 'nothing more for the deleted first note');
assert.equal(alice.onB.realtime.clientId, stream, 'the SDK kept its stream: B delivered, not a reconnect');
console.log('PHASE 2 PASSED');

await alice.onB.realtime.unsubscribe();
lines.return();
