// Account flows through the official PocketBase JavaScript SDK: mail settings, verification, password reset and
// e-mail change, with the messages read from the test JVM's SMTP server (SdkEndToEndTest sets SMTP_PORT and
// MAILBOX_URL). The tests share state and run in order.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import PocketBase, { ClientResponseError } from 'pocketbase';

const url = process.env.NANODB_URL;
const smtpPort = Number(process.env.SMTP_PORT);
const mailbox = process.env.MAILBOX_URL;
if (!url || !smtpPort || !mailbox) throw new Error('NANODB_URL, SMTP_PORT and MAILBOX_URL must be set');
const adminEmail = process.env.NANODB_ADMIN_EMAIL ?? 'admin@local.host';
const adminPassword = process.env.NANODB_ADMIN_PASSWORD ?? 'password123';
const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const admin = new PocketBase(url);
const user = { pb: new PocketBase(url), email: `acc_${run}@example.com`, password: 'first-password-1' };

async function rejects(status, call) {
  try {
    await call();
    assert.fail(`expected HTTP ${status}`);
  } catch (e) {
    if (!(e instanceof ClientResponseError)) throw e;
    assert.equal(e.status, status, `expected HTTP ${status}: ${JSON.stringify(e.response)}`);
    return e;
  }
}

/** The messages to `to`, waiting until there are at least `count`. */
async function mailTo(to, count = 1) {
  for (let i = 0; i < 200; i++) {
    const all = await (await fetch(mailbox)).json();
    const mine = all.filter((m) => m.to === to);
    if (mine.length >= count) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${count} message(s) to ${to}`);
}

/** The token of the link in the latest message to `to`. */
async function tokenFor(to, count = 1) {
  const messages = await mailTo(to, count);
  const m = /confirm-[a-z-]+\/([A-Za-z0-9_.-]+)/.exec(messages[messages.length - 1].body);
  assert.ok(m, `a confirmation link in ${messages[messages.length - 1].body}`);
  return m[1];
}

before(async () => {
  await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword);
  await user.pb.collection('users').create({ email: user.email, password: user.password, passwordConfirm: user.password });
  await user.pb.collection('users').authWithPassword(user.email, user.password);
});

test('a superuser configures mail with pb.settings and never reads the SMTP password back', async () => {
  const saved = await admin.settings.update({
    meta: { appName: 'Acme', appURL: 'https://acme.test' },
    smtp: { enabled: true, host: '127.0.0.1', port: smtpPort, password: `smtp-secret-${run}` },
  });
  assert.equal(saved.meta.appName, 'Acme');
  assert.equal(saved.smtp.enabled, true);
  const read = await admin.settings.getAll();
  assert.equal(read.smtp.port, smtpPort);
  assert.ok(!JSON.stringify(read).includes(`smtp-secret-${run}`), 'the SMTP password is never answered');
  const bad = await rejects(400, () => admin.settings.update({ smtp: { port: 70000 } }));
  assert.equal(bad.response.data.smtp.port.code, 'validation_invalid_port');
  assert.equal(await admin.settings.testEmail('users', `test_${run}@example.com`, 'verification'), true);
  const notAuth = await rejects(400, () => admin.settings.testEmail('nothing_here', `test_${run}@example.com`, 'otp'));
  assert.equal(notAuth.response.data.collection.code, 'validation_invalid_auth_collection');
  const [test] = await mailTo(`test_${run}@example.com`);
  assert.match(test.subject, /Acme/);
  await rejects(403, () => user.pb.settings.getAll());
});

test('requestVerification and confirmVerification verify the user', async () => {
  assert.equal(await user.pb.collection('users').requestVerification(user.email), true);
  assert.equal(await new PocketBase(url).collection('users').requestVerification(`nobody_${run}@example.com`), true);
  const token = await tokenFor(user.email);
  assert.equal(await new PocketBase(url).collection('users').confirmVerification(token), true);
  const me = await user.pb.collection('users').authRefresh();
  assert.equal(me.record.verified, true);
  await rejects(400, () => new PocketBase(url).collection('users').confirmVerification('not-a-token'));
});

test('a password reset works once and ends the old session', async () => {
  const oldSession = user.pb.authStore.token;
  assert.equal(await new PocketBase(url).collection('users').requestPasswordReset(user.email), true);
  const token = await tokenFor(user.email, 2);
  const anon = new PocketBase(url);
  assert.equal(await anon.collection('users').confirmPasswordReset(token, 'second-password-2', 'second-password-2'), true);
  await rejects(400, () => anon.collection('users').confirmPasswordReset(token, 'third-password-3', 'third-password-3'));
  await rejects(400, () => new PocketBase(url).collection('users').authWithPassword(user.email, user.password));
  await rejects(401, () => user.pb.collection('users').authRefresh());
  assert.notEqual(oldSession, '');
  user.password = 'second-password-2';
  await user.pb.collection('users').authWithPassword(user.email, user.password);
});

test('an e-mail change is confirmed from the new mailbox with the password', async () => {
  const newEmail = `acc_new_${run}@example.com`;
  assert.equal(await user.pb.collection('users').requestEmailChange(newEmail), true);
  const token = await tokenFor(newEmail);
  const anon = new PocketBase(url);
  const wrong = await rejects(400, () => anon.collection('users').confirmEmailChange(token, 'not-the-password'));
  assert.equal(wrong.response.data.password.code, 'validation_invalid_password');
  assert.equal(await anon.collection('users').confirmEmailChange(token, user.password), true);
  const auth = await new PocketBase(url).collection('users').authWithPassword(newEmail, user.password);
  assert.equal(auth.record.email, newEmail);
  assert.equal(auth.record.verified, true);
  await rejects(401, () => new PocketBase(url).collection('users').requestEmailChange(`x_${run}@example.com`));
});

test('a one-time code signs in with requestOTP and authWithOTP, once', async () => {
  const name = `otp_${run}`;
  await admin.collections.create({ name, type: 'auth', otp: { enabled: true, length: 6 }, createRule: '' });
  const email = `otp_${run}@example.com`;
  const pb = new PocketBase(url);
  await pb.collection(name).create({ email, password: 'otp-password-1', passwordConfirm: 'otp-password-1' });
  const { otpId } = await pb.collection(name).requestOTP(email);
  const [message] = await mailTo(email);
  const code = /<strong>(\d+)<\/strong>/.exec(message.body)[1];
  assert.equal(code.length, 6);
  await rejects(400, () => pb.collection(name).authWithOTP(otpId, '000000x'));
  const auth = await pb.collection(name).authWithOTP(otpId, code);
  assert.equal(auth.record.email, email);
  assert.equal(auth.record.verified, true);
  assert.ok(pb.authStore.isValid);
  await rejects(400, () => new PocketBase(url).collection(name).authWithOTP(otpId, code));
  const unknown = await pb.collection(name).requestOTP(`nobody_${run}@example.com`);
  assert.equal(unknown.otpId.length, 15);
});

test('MFA: a password answers 401 with mfaId and a code completes the sign-in', async () => {
  const name = `mfa_${run}`;
  await admin.collections.create({ name, type: 'auth', otp: { enabled: true }, mfa: { enabled: true }, createRule: '' });
  const email = `mfa_${run}@example.com`;
  const pb = new PocketBase(url);
  await pb.collection(name).create({ email, password: 'mfa-password-1', passwordConfirm: 'mfa-password-1' });
  const first = await rejects(401, () => pb.collection(name).authWithPassword(email, 'mfa-password-1'));
  const mfaId = first.response.mfaId;
  assert.equal(typeof mfaId, 'string');
  assert.ok(!pb.authStore.isValid, 'no token after the first factor');
  const { otpId } = await pb.collection(name).requestOTP(email);
  const [message] = await mailTo(email);
  const code = /<strong>(\d+)<\/strong>/.exec(message.body)[1];
  const done = await pb.collection(name).authWithOTP(otpId, code, { mfaId });
  assert.equal(done.record.email, email);
  assert.ok(pb.authStore.isValid);
});
