// OAuth2 sign-in through the official PocketBase JavaScript SDK against a real OAuth2/OIDC server that the test JVM
// runs (mock-oauth2-server in interactive-login mode; SdkEndToEndTest sets OAUTH2_AUTH_URL, OAUTH2_TOKEN_URL and
// OAUTH2_USERINFO_URL). The browser's part is done with fetch: post the provider's login form, read the code from
// its redirect. The tests share state and run in order. They use an auth collection of their own, since test files
// run concurrently against one server and others check the options of `users`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import PocketBase from 'pocketbase';

const url = process.env.NANODB_URL;
const authURL = process.env.OAUTH2_AUTH_URL;
const tokenURL = process.env.OAUTH2_TOKEN_URL;
const userInfoURL = process.env.OAUTH2_USERINFO_URL;
if (!url || !authURL || !tokenURL || !userInfoURL) {
  throw new Error('NANODB_URL, OAUTH2_AUTH_URL, OAUTH2_TOKEN_URL and OAUTH2_USERINFO_URL must be set');
}
globalThis.EventSource ??= EventSource;
const adminEmail = process.env.NANODB_ADMIN_EMAIL ?? 'admin@local.host';
const adminPassword = process.env.NANODB_ADMIN_PASSWORD ?? 'password123';
const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const admin = new PocketBase(url);
const subject = `oauth-${run}`;
const email = `oauth_${run}@example.com`;
const secret = `oauth-client-secret-${run}`;
const members = `oauth_${run}`;
let firstId;

/** The browser: open the consent URL, sign in at the provider as `username`, return the provider's redirect URL. */
async function consent(consentURL, username, claims) {
  const form = new URLSearchParams({ username, claims: JSON.stringify(claims) });
  const answer = await fetch(consentURL, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(answer.status, 302, `the provider redirects back (HTTP ${answer.status})`);
  return new URL(answer.headers.get('location'));
}

const claims = { email, email_verified: true, name: 'Ada Lovelace' };

before(async () => {
  await admin.collection('_superusers').authWithPassword(adminEmail, adminPassword);
  await admin.collections.create({
    name: members,
    type: 'auth',
    createRule: '',
    viewRule: 'id = @request.auth.id',
    fields: [{ name: 'name', type: 'text' }],
  });
  await admin.collections.update(members, {
    oauth2: {
      enabled: true,
      mappedFields: { name: 'name' },
      providers: [{ name: 'oidc', clientId: 'nanodb-sdk', clientSecret: secret, authURL, tokenURL, userInfoURL, displayName: 'Mock' }],
    },
  });
});

test('listAuthMethods offers the provider with a state, a PKCE verifier and an S256 challenge, never the secret', async () => {
  const methods = await new PocketBase(url).collection(members).listAuthMethods();
  assert.equal(methods.oauth2.enabled, true);
  const p = methods.oauth2.providers.find((x) => x.name === 'oidc');
  assert.ok(p, 'the oidc provider is listed');
  assert.equal(p.displayName, 'Mock');
  assert.match(p.state, /^[A-Za-z0-9_-]{30}$/);
  assert.equal(p.codeChallengeMethod, 'S256');
  assert.match(p.authURL, /code_challenge=[A-Za-z0-9_-]{43}&code_challenge_method=S256&redirect_uri=$/);
  assert.ok(!JSON.stringify(methods).includes(secret));
});

test('authWithOAuth2Code with PKCE creates a verified user and links the provider account', async () => {
  const pb = new PocketBase(url);
  const p = (await pb.collection(members).listAuthMethods()).oauth2.providers.find((x) => x.name === 'oidc');
  const redirectURL = `${url}/api/oauth2-redirect`;
  const back = await consent(p.authURL + encodeURIComponent(redirectURL), subject, claims);
  assert.equal(back.searchParams.get('state'), p.state);
  const auth = await pb.collection(members).authWithOAuth2Code('oidc', back.searchParams.get('code'), p.codeVerifier,
    redirectURL, { emailVisibility: true });
  assert.equal(auth.meta.isNew, true);
  assert.equal(auth.meta.id, subject);
  assert.equal(auth.record.email, email);
  assert.equal(auth.record.verified, true);
  assert.equal(auth.record.name, 'Ada Lovelace');
  assert.equal(auth.record.emailVisibility, true);
  assert.ok(pb.authStore.isValid);
  assert.equal(pb.authStore.record.id, auth.record.id);
  firstId = auth.record.id;
  const links = await admin.collection('_externalAuths').getFullList({ filter: `recordRef = "${firstId}"` });
  assert.equal(links.length, 1);
  assert.equal(links[0].provider, 'oidc');
  assert.equal(links[0].providerId, subject);
});

test('the same provider account signs in as the same user again', async () => {
  const pb = new PocketBase(url);
  const p = (await pb.collection(members).listAuthMethods()).oauth2.providers.find((x) => x.name === 'oidc');
  const redirectURL = `${url}/api/oauth2-redirect`;
  const back = await consent(p.authURL + encodeURIComponent(redirectURL), subject, claims);
  const auth = await pb.collection(members).authWithOAuth2Code('oidc', back.searchParams.get('code'), p.codeVerifier, redirectURL);
  assert.equal(auth.meta.isNew, false);
  assert.equal(auth.record.id, firstId);
  assert.equal((await admin.collection('_externalAuths').getFullList({ filter: `recordRef = "${firstId}"` })).length, 1);
});

test('the all-in-one authWithOAuth2 completes through the realtime @oauth2 topic', async () => {
  const pb = new PocketBase(url);
  const auth = await pb.collection(members).authWithOAuth2({
    provider: 'oidc',
    // the browser: sign in at the provider, then follow its redirect to /api/oauth2-redirect
    urlCallback: async (consentURL) => {
      const back = await consent(consentURL, subject, claims);
      assert.equal(back.origin + back.pathname, `${url}/api/oauth2-redirect`);
      const page = await fetch(back);
      assert.match(await page.text(), /Auth completed/);
    },
  });
  assert.equal(auth.record.id, firstId);
  assert.equal(auth.meta.isNew, false);
  assert.ok(pb.authStore.isValid);
});
