// Crons and backups as the PocketBase JavaScript SDK calls them (issue 17): pb.crons.getFullList() and run(id),
// pb.backups.upload() of a downloaded backup, and pb.backups.getDownloadURL(fileToken, key) fetched with a plain
// fetch (no Authorization header). Run by SdkEndToEndTest beside the other files against the same server: every
// backup name carries a run id and each test deletes the backups it made.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase from 'pocketbase';
import { url, adminEmail, adminPassword, rejects } from './sdk-support.mjs';

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const admin = new PocketBase(url);
const user = new PocketBase(url);

before(async () => {
  await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword);
  const email = `cron_${run}@example.com`;
  await user.collection('users').create({ email, password: 'password123', passwordConfirm: 'password123' });
  await user.collection('users').authWithPassword(email, 'password123');
});

test('crons getFullList lists the built-in jobs and run starts one', async () => {
  const jobs = await admin.crons.getFullList();
  const sweep = jobs.find((j) => j.id === '__nanodbFilesSweep__');
  assert.deepEqual(sweep, { id: '__nanodbFilesSweep__', expression: '0 * * * *' });
  for (const id of ['__pbOTPCleanup__', '__pbMFACleanup__', '__pbLogsCleanup__']) assert.ok(jobs.some((j) => j.id === id), id);
  assert.deepEqual(jobs.map((j) => j.id), [...jobs.map((j) => j.id)].sort());
  assert.equal(await admin.crons.run('__nanodbFilesSweep__'), true);
  await rejects(404, () => admin.crons.run(`nope_${run}`));
  await rejects(403, () => user.crons.getFullList());
  await rejects(403, () => user.crons.run('__nanodbFilesSweep__'));
});

test('a backup downloaded through getDownloadURL uploads back with backups.upload', async () => {
  const key = `sdk_${run}.zip`;
  await admin.backups.create(key);
  const token = await admin.files.getToken();
  const res = await fetch(admin.backups.getDownloadURL(token, key));
  assert.equal(res.status, 200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const listed = (await admin.backups.getFullList()).find((b) => b.key === key);
  assert.equal(listed.size, bytes.length);

  const named = `sdk_up_${run}.zip`;
  assert.equal(await admin.backups.upload({ file: new File([bytes], named) }), true);
  const before = new Set((await admin.backups.getFullList()).map((b) => b.key));
  assert.equal(await admin.backups.upload({ file: new Blob([bytes]) }), true);
  const added = (await admin.backups.getFullList()).map((b) => b.key).filter((k) => !before.has(k));
  assert.equal(added.length, 1);
  assert.match(added[0], /^nanodb_upload_\d{14}(_\d+)?\.zip$/);
  const again = await rejects(400, () => admin.backups.upload({ file: new File([bytes], named) }));
  assert.equal(again.response.data.file.code, 'validation_backup_name_exists');
  const junk = await rejects(400, () => admin.backups.upload({ file: new File([new Uint8Array([1, 2, 3])], `junk_${run}.zip`) }));
  assert.equal(junk.response.data.file.code, 'validation_invalid_backup');

  const userToken = await user.files.getToken();
  assert.equal((await fetch(admin.backups.getDownloadURL(userToken, key))).status, 403);
  assert.equal((await fetch(admin.backups.getDownloadURL('', key))).status, 401);
  await rejects(403, () => user.backups.upload({ file: new File([bytes], `u_${run}.zip`) }));

  for (const k of [key, named, added[0]]) await admin.backups.delete(k);
  const left = (await admin.backups.getFullList()).map((b) => b.key);
  assert.ok(![key, named, added[0]].some((k) => left.includes(k)));
});
