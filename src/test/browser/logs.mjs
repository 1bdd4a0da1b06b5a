// The Logs page as an operator uses it: the per-hour bars, the newest entries filtered with the filter language
// (a bad filter's error under the box), "Errors only", one entry in full, and the logs settings saved (a bad value
// shown under its input). Registered by dashboard.test.mjs after the pages that made requests to log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { url, shot } from './browser.mjs';

/** @param s () => { page, admin, run, notes } */
export function logsTests(s) {
  test('the logs page charts requests per hour and lists, filters and opens entries', async () => {
    const { page, run, notes } = s();
    const missing = `${url}/api/collections/${notes}/records/nope${run}`;
    assert.equal((await fetch(missing, { headers: { 'User-Agent': `browser-test-${run}` } })).status, 404);
    await page.getByRole('link', { name: 'Logs', exact: true }).click();
    await page.getByRole('heading', { name: 'Logs', exact: true }).waitFor();
    await page.getByTestId('logs-chart').locator('svg rect.bar').first().waitFor();
    assert.match(await page.getByTestId('logs-total').textContent(), /^[\d,]+ entries$/);

    await page.getByTestId('logs-filter').fill('nope = 1');
    await page.getByTestId('logs-filter').press('Enter');
    await page.getByTestId('logs-filter-error').getByText('Unknown log field').waitFor();

    await page.getByTestId('logs-filter').fill(`data.url ~ "/api/collections/${notes}/"`);
    await page.getByTestId('logs-filter').press('Enter');
    await page.getByTestId('logs-filter-error').waitFor({ state: 'hidden' });
    const rows = page.getByTestId('logs-list').locator('tr.log-row');
    await rows.first().waitFor();
    for (const text of await rows.allTextContents()) assert.ok(text.includes(`/api/collections/${notes}/`), text);

    await page.getByTestId('logs-errors-only').check();
    await rows.filter({ hasText: 'INFO' }).first().waitFor({ state: 'detached' });
    const errorRow = rows.filter({ hasText: `nope${run}` });
    await errorRow.waitFor();
    for (const text of await rows.allTextContents()) assert.match(text, /ERROR/);
    await shot(page, 'logs');

    await errorRow.click();
    const detail = page.getByTestId('log-detail');
    await detail.waitFor();
    assert.match(await detail.textContent(), /data\.status\s*404/);
    assert.match(await detail.textContent(), new RegExp(`browser-test-${run}`));
    await page.getByTestId('log-detail-close').click();
    await detail.waitFor({ state: 'detached' });
  });

  test('the logs settings are saved, and a bad value is shown under its input', async () => {
    const { page, admin } = s();
    await page.getByTestId('logs-settings').click();
    await page.getByTestId('opt-logs-maxDays').fill('-1');
    await page.getByTestId('save-logs-settings').click();
    const daysRow = page.locator('.row', { has: page.getByTestId('opt-logs-maxDays') });
    await daysRow.locator('.field-error').getByText('100000').waitFor();
    await page.getByTestId('opt-logs-maxDays').fill('3');
    await page.getByTestId('opt-logs-logAuthId').check();
    await page.getByTestId('save-logs-settings').click();
    await page.getByTestId('save-logs-settings').waitFor({ state: 'detached' });
    const { logs } = await admin('GET', '/api/settings');
    assert.deepEqual(logs, { maxDays: 3, minLevel: 0, logIP: true, logAuthId: true });
    await admin('PATCH', '/api/settings', { logs: { maxDays: 5, logAuthId: false } });
  });
}
