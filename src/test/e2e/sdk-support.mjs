// Shared by the SDK tests (*.test.mjs): the server to test (NANODB_URL, set by SdkEndToEndTest), the superuser's
// credentials, and rejects() for SDK calls that must fail with a given status.
import assert from 'node:assert/strict';
import { ClientResponseError } from 'pocketbase';

export const url = process.env.NANODB_URL;
if (!url) throw new Error('NANODB_URL is not set (the base address of a running NanoDB)');
export const adminEmail = process.env.NANODB_ADMIN_EMAIL ?? 'admin@local.host';
export const adminPassword = process.env.NANODB_ADMIN_PASSWORD ?? 'password123';

/**
 * Runs an SDK call expected to fail and returns its ClientResponseError after checking the status; `inspect` sees
 * the error's response body (the SDK test checks it for hidden fields).
 */
export async function rejects(status, call, inspect = () => {}) {
  try {
    const got = await call();
    assert.fail(`expected HTTP ${status}, got success: ${JSON.stringify(got)}`);
  } catch (e) {
    if (!(e instanceof ClientResponseError)) throw e;
    assert.equal(e.status, status, `expected HTTP ${status}: ${JSON.stringify(e.response)}`);
    inspect(e.response);
    return e;
  }
}
