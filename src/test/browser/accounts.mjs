// An auth collection's sign-in options in the collection editor (OTP, MFA, an OAuth2 provider with a write-only
// secret), checked through the collections API, and the superuser's own password change from the header, after
// which the dashboard keeps working with a new token. Registered by dashboard.test.mjs: the options while the
// superuser's first API client still works, the password change after the banner's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { url, adminEmail, shot, call } from './browser.mjs';

/** Waits for the editor's save to end; a refused one fails with the page's message. */
async function saved(page) {
  const outcome = page.locator('form.editor').locator('.notice-ok:not(.hidden), .notice-error:not(.hidden)').first();
  await outcome.waitFor();
  const text = await outcome.textContent();
  const details = await page.locator('.field-error').evaluateAll((els) => els.map((e) => e.textContent).filter(Boolean));
  assert.match(text, /^Saved at/, `the save was refused: ${text} ${details.join('; ')}`);
}

/** @param s () => { page, admin, run } */
export function authOptionTests(s) {
  test('OTP, MFA and an OAuth2 provider are set on users; errors show under their inputs', async () => {
    const { page, admin, run } = s();
    const secret = `oauth-secret-${run}`;
    await page.goto(`${url}/_/#/collections/users`);
    await page.getByTestId('auth-options').waitFor();
    await page.getByTestId('opt-otp-enabled').check();
    await page.getByTestId('opt-otp-length').fill('3');
    await page.getByTestId('save-collection').click();
    await page.locator('.row', { has: page.getByTestId('opt-otp-length') }).locator('.field-error').waitFor();
    assert.notEqual(await page.locator('.row', { has: page.getByTestId('opt-otp-length') }).locator('.field-error').textContent(), '');

    await page.getByTestId('opt-otp-length').fill('6');
    await page.getByTestId('opt-otp-duration').fill('300');
    await page.getByTestId('opt-mfa-enabled').check();
    await page.getByTestId('opt-mfa-duration').fill('900');
    await page.getByTestId('add-provider').click();
    await page.getByTestId('provider-name-0').selectOption('oidc');
    await page.getByTestId('provider-clientId-0').fill('dash-client');
    await page.getByTestId('provider-clientSecret-0').fill(secret);
    await page.getByTestId('provider-authURL-0').fill('not a url');
    await page.getByTestId('provider-tokenURL-0').fill('https://id.example.test/token');
    await page.getByTestId('save-collection').click();
    const authUrl = page.locator('.opt', { has: page.getByTestId('provider-authURL-0') }).locator('.field-error');
    await authUrl.waitFor();
    assert.notEqual(await authUrl.textContent(), '', 'the provider\'s URL error is shown under that input');
    await page.getByTestId('provider-authURL-0').fill('https://id.example.test/auth');
    await page.getByTestId('save-collection').click();
    await saved(page);

    const users = await admin('GET', '/api/collections/users');
    assert.deepEqual([users.otp.enabled, users.otp.length, users.otp.duration], [true, 6, 300]);
    assert.deepEqual([users.mfa.enabled, users.mfa.duration], [true, 900]);
    assert.equal(users.passwordAuth.enabled, true);
    assert.deepEqual(users.oauth2.providers.map((p) => [p.name, p.clientId, p.authURL]), [['oidc', 'dash-client', 'https://id.example.test/auth']]);
    assert.ok(!JSON.stringify(users).includes(secret), 'the API never answers the client secret');

    // Read back: the options are shown, the secret is not; saving again keeps the stored secret.
    await page.reload();
    await page.getByTestId('auth-options').waitFor();
    assert.ok(await page.getByTestId('opt-mfa-enabled').isChecked());
    assert.equal(await page.getByTestId('opt-otp-length').inputValue(), '6');
    assert.equal(await page.getByTestId('provider-clientId-0').inputValue(), 'dash-client');
    assert.equal(await page.getByTestId('provider-clientSecret-0').inputValue(), '');
    assert.ok(!(await page.content()).includes(secret), 'the client secret is nowhere in the page');
    await page.getByTestId('auth-options').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, 'auth-options');

    // MFA off again (later tests sign users in with a password alone); the provider keeps its secret.
    await page.getByTestId('opt-mfa-enabled').uncheck();
    await page.getByTestId('save-collection').click();
    await saved(page);
    const after = await admin('GET', '/api/collections/users');
    assert.deepEqual([after.mfa.enabled, after.otp.enabled, after.oauth2.providers.length], [false, true, 1]);
  });
}

/** @param s () => { page, run }; the superuser's password is `current` when this runs */
export function ownPasswordTest(s, current) {
  test('the superuser changes its own password from the header and the dashboard goes on', async () => {
    const { page, run } = s();
    const next = `own-new-secret-${run}`;
    const oldToken = await page.evaluate(() => sessionStorage.getItem('nanodb.dashboard.token'));
    await page.getByTestId('own-password').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('pw-oldPassword').fill(current);
    await dialog.getByTestId('pw-password').fill(next);
    await dialog.getByTestId('pw-passwordConfirm').fill(`${next}-typo`);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.locator('.row', { has: page.getByTestId('pw-passwordConfirm') }).getByText('do not match').waitFor();
    await dialog.getByTestId('pw-passwordConfirm').fill(next);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await page.getByTestId('flash').getByText('Your password was changed').waitFor();
    assert.equal(await page.getByRole('dialog').count(), 0);

    const newToken = await page.evaluate(() => sessionStorage.getItem('nanodb.dashboard.token'));
    assert.notEqual(newToken, oldToken);
    const refused = await fetch(`${url}/api/settings`, { headers: { Authorization: oldToken } });
    assert.equal(refused.status, 401, 'the old token is revoked');
    await call('POST', '/api/collections/_superusers/auth-with-password', { identity: adminEmail, password: next });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('opt-meta-appName').waitFor(); // a superuser-only route answers the new token
    assert.equal(await page.getByTestId('login-email').count(), 0, 'still signed in');
  });
}
