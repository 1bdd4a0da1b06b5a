// The settings page as an operator uses it: application and mail settings saved (only the changed keys) and read
// back after a reload, the SMTP password never in the page, a validation error under its input, the test e-mail
// failing against a closed port (the SMTP client's reason in the page) and then delivered to the SMTP server of the
// test JVM (SMTP_PORT, read through MAILBOX_URL). Registered by dashboard.test.mjs while the superuser's first
// password still holds (its API client is used to check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { url, shot } from './browser.mjs';

const smtpPort = Number(process.env.SMTP_PORT);
const mailbox = process.env.MAILBOX_URL;

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The messages the test SMTP server received for `to`, waiting for the first. */
async function mailTo(to) {
  for (let i = 0; i < 200; i++) {
    const mine = (await (await fetch(mailbox)).json()).filter((m) => m.to === to);
    if (mine.length) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no message to ${to}`);
}

/** @param s () => { page, admin, run } */
export function settingsTests(s) {
  test('settings are saved with only the changed keys and read back; the SMTP password never reaches the page', async () => {
    const { page, admin, run } = s();
    const secret = `smtp-secret-${run}`;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    await page.getByTestId('env-settings').getByText('RATE_LIMITS').waitFor();
    await page.getByTestId('opt-meta-appName').fill(`Acme ${run}`);
    await page.getByTestId('opt-meta-appURL').fill('https://acme.test');
    await page.getByTestId('opt-meta-senderAddress').fill('hello@acme.test');
    await page.getByTestId('opt-smtp-enabled').check();
    await page.getByTestId('opt-smtp-host').fill('127.0.0.1');
    await page.getByTestId('opt-smtp-port').fill(String(await closedPort()));
    await page.getByTestId('opt-smtp-password').fill(secret);
    const [patch] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith('/api/settings')),
      page.getByTestId('save-settings').click(),
    ]);
    await page.getByTestId('settings-saved').getByText('Saved at').waitFor();
    const sent = patch.postDataJSON();
    assert.deepEqual(Object.keys(sent).sort(), ['meta', 'smtp'], 'only the changed sections');
    assert.deepEqual(Object.keys(sent.meta).sort(), ['appName', 'appURL', 'senderAddress'], 'only the changed keys');
    assert.deepEqual(Object.keys(sent.smtp).sort(), ['enabled', 'host', 'password', 'port']);

    await page.reload();
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    assert.equal(await page.getByTestId('opt-meta-appName').inputValue(), `Acme ${run}`);
    assert.equal(await page.getByTestId('opt-meta-appURL').inputValue(), 'https://acme.test');
    assert.equal(await page.getByTestId('opt-smtp-host').inputValue(), '127.0.0.1');
    assert.ok(await page.getByTestId('opt-smtp-enabled').isChecked());
    assert.equal(await page.getByTestId('opt-smtp-password').inputValue(), '');
    assert.ok(!(await page.content()).includes(secret), 'the SMTP password is nowhere in the page');
    const stored = await admin('GET', '/api/settings');
    assert.deepEqual([stored.meta.appName, stored.meta.senderAddress, stored.smtp.host], [`Acme ${run}`, 'hello@acme.test', '127.0.0.1']);
  });

  test('a port out of range is shown under the port input', async () => {
    const { page } = s();
    const before = await page.getByTestId('opt-smtp-port').inputValue();
    await page.getByTestId('opt-smtp-port').fill('70000');
    await page.getByTestId('save-settings').click();
    const portRow = page.locator('.row', { has: page.getByTestId('opt-smtp-port') });
    await portRow.locator('.field-error').getByText('65535').waitFor();
    assert.match(await portRow.getAttribute('class'), /invalid/);
    await page.getByTestId('opt-smtp-port').fill(before);
  });

  test('the test e-mail shows the SMTP error for a closed port, then is delivered', async () => {
    const { page, run } = s();
    const to = `dash_test_${run}@example.com`;
    const result = page.getByTestId('test-email-result');
    await page.getByTestId('test-email-to').fill(to);
    await page.getByTestId('test-email-template').selectOption('otp');
    await page.getByTestId('test-email-collection').selectOption('users');
    await page.getByTestId('send-test-email').click();
    await page.locator('[data-testid="test-email-result"].notice-error:not(.hidden)').waitFor({ timeout: 30_000 });
    assert.match(await result.textContent(), /connect/i, 'the SMTP client\'s reason is shown');

    await page.getByTestId('opt-smtp-port').fill(String(smtpPort));
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-saved').getByText('Saved at').waitFor();
    await page.getByTestId('send-test-email').click();
    await result.getByText(`Sent: the SMTP server accepted the message to ${to}.`).waitFor({ timeout: 30_000 });
    const [message] = await mailTo(to);
    assert.match(message.subject, new RegExp(`Acme ${run}`));
    assert.match(message.body, /123456/, 'the one-time code template with its test code');
    await page.getByRole('heading', { name: 'Mail', exact: true }).evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, 'settings');
  });
}
