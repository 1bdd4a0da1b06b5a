// The dashboard's relations, as an operator uses them: relation fields defined in the collection editor, a related
// record chosen with the keyboard in the record form's picker, labels in the records table, a 400 for an id that
// went missing before the save, and the refused deletes (a required reference, a referenced collection).
// Registered by dashboard.test.mjs at its place in the shared page's sequence (before the password change).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { url, shot, addFields } from './browser.mjs';

/** @param s () => { page, admin, run } (set once the file's `before` has run) */
export function relationTests(s) {
  let authors; let posts; let ann; let bob;

  test('relation fields are defined in the collection editor and read back with their target', async () => {
    const { page, admin, run } = s();
    authors = `authors_${run}`;
    posts = `posts_${run}`;
    await page.goto(`${url}/_/#/collections/new`);
    await page.getByTestId('collection-name').fill(authors);
    await addFields(page, [['name', 'text']]);
    await page.getByTestId('save-collection').click();
    await page.getByRole('heading', { name: `Collection ${authors}` }).waitFor();

    await page.goto(`${url}/_/#/collections/new`);
    await page.getByTestId('collection-name').fill(posts);
    await addFields(page, [['title', 'text'], ['author', 'relation'], ['reviewers', 'relation'], ['parent', 'relation']]);
    await page.getByTestId('field-collectionId-1').selectOption({ label: authors });
    await page.getByTestId('field-required-1').check();
    await page.getByTestId('field-collectionId-2').selectOption({ label: authors });
    await page.getByTestId('field-multiple-2').selectOption('multiple');
    await page.getByTestId('field-maxSelect-2').fill('3');
    await page.getByTestId('field-cascadeDelete-2').check();
    // A target left unchosen is the server's 400, shown under that select.
    await page.getByTestId('save-collection').click();
    await page.locator('.field-card', { has: page.getByTestId('field-collectionId-3') }).locator('.field-error')
      .getByText('target collection').waitFor();
    await page.getByTestId('field-collectionId-3').selectOption({ label: 'this new collection' });
    await page.getByTestId('save-collection').click();
    await page.getByRole('heading', { name: `Collection ${posts}` }).waitFor();

    const [a, p] = [await admin('GET', `/api/collections/${authors}`), await admin('GET', `/api/collections/${posts}`)];
    const f = (name) => p.fields.find((x) => x.name === name);
    assert.deepEqual([f('author').collectionId, f('author').maxSelect, f('author').required], [a.id, 1, true]);
    assert.deepEqual([f('reviewers').collectionId, f('reviewers').maxSelect, f('reviewers').cascadeDelete], [a.id, 3, true]);
    assert.equal(f('parent').collectionId, p.id, 'a new collection points at itself by its name');

    // Read back: the saved target is shown, and fixed.
    const target = page.getByTestId('field-collectionId-1');
    assert.equal(await target.inputValue(), a.id);
    assert.ok(await target.isDisabled(), 'the target of a saved relation cannot change');
    assert.match(await target.getAttribute('title'), /cannot change/);
    assert.equal(await page.getByTestId('field-collectionId-3').inputValue(), p.id);
    assert.equal(await page.getByTestId('field-multiple-2').inputValue(), 'multiple');
  });

  test('a post picks its author and reviewers in the record form; the table shows their names', async () => {
    const { page, admin, run } = s();
    await page.goto(`${url}/_/#/records/${authors}`);
    await page.getByTestId('new-record').click();
    await page.getByTestId('input-name').fill(`Ann ${run}`);
    await page.getByTestId('save-record').click();
    await page.locator('table.records td', { hasText: `Ann ${run}` }).waitFor();
    ann = (await admin('GET', `/api/collections/${authors}/records?filter=${encodeURIComponent(`name = "Ann ${run}"`)}`)).items[0];
    bob = await admin('POST', `/api/collections/${authors}/records`, { name: `Bob ${run}` });

    await page.goto(`${url}/_/#/records/${posts}`);
    await page.getByTestId('new-record').click();
    await page.getByTestId('input-title').fill('Hello');
    // Single: type, ArrowDown to the result, Enter chooses it; focus comes back to the search box.
    const search = page.getByTestId('relation-search-author');
    await search.fill(`Ann ${run}`);
    await page.getByTestId('relation-results-author').getByRole('option', { name: `Ann ${run}` }).waitFor();
    await search.press('ArrowDown');
    await focusOn(page, 'option', `Ann ${run}`);
    await page.keyboard.press('Enter');
    await page.getByTestId('relation-chips-author').getByText(`Ann ${run}`).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'relation-search-author');
    // Multiple: search by id, then by name; both chosen, then Ann removed with Backspace on her chip.
    const reviewers = page.getByTestId('relation-search-reviewers');
    await reviewers.fill(ann.id);
    await page.getByTestId('relation-results-reviewers').getByRole('option', { name: `Ann ${run}` }).click();
    await reviewers.fill(run);
    const bobOption = page.getByTestId('relation-results-reviewers').getByRole('option', { name: `Bob ${run}` });
    await bobOption.waitFor();
    await shot(page, 'record-relation');
    await bobOption.focus();
    await page.keyboard.press('Enter');
    const chips = page.getByTestId('relation-chips-reviewers');
    await chips.getByText(`Bob ${run}`).waitFor();
    await chips.getByRole('button', { name: `Remove Ann ${run}` }).focus();
    await page.keyboard.press('Backspace');
    await chips.getByText(`Ann ${run}`).waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Remove Bob ${run}`, 'focus moves to the next chip');
    await page.getByTestId('save-record').click();

    const cell = page.locator('table.records tr', { hasText: 'Hello' }).getByTestId('relation-cell-author');
    await cell.getByText(`Ann ${run}`).waitFor();
    await page.locator('table.records tr', { hasText: 'Hello' }).getByTestId('relation-cell-reviewers').getByText(`Bob ${run}`).waitFor();
    const [post] = (await admin('GET', `/api/collections/${posts}/records`)).items;
    assert.deepEqual([post.author, post.reviewers, post.parent ?? ''], [ann.id, [bob.id], ''], 'an empty single relation is left out');

    // Editing shows the chosen records by name, from the page's `expand`.
    await page.getByTestId(`edit-${post.id}`).click();
    await page.getByTestId('relation-chips-author').getByText(`Ann ${run}`).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  test('a related record deleted before the save is the field\'s 400', async () => {
    const { page, admin, run } = s();
    const gone = await admin('POST', `/api/collections/${authors}/records`, { name: `Gone ${run}` });
    await page.getByTestId('new-record').click();
    await page.getByTestId('input-title').fill('Orphan');
    await page.getByTestId('relation-search-author').fill(`Gone ${run}`);
    await page.getByTestId('relation-results-author').getByRole('option', { name: `Gone ${run}` }).click();
    await admin('DELETE', `/api/collections/${authors}/records/${gone.id}`); // someone else deletes it meanwhile
    await page.getByTestId('save-record').click();
    const row = page.getByRole('dialog').locator('.row', { has: page.getByTestId('input-author') });
    await row.locator('.field-error').getByText('relation records').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  test('deleting a required reference or a referenced collection is refused with the reason', async () => {
    const { page } = s();
    await page.goto(`${url}/_/#/records/${authors}`);
    await page.getByTestId(`delete-${ann.id}`).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alert').getByText('required relation reference').waitFor();
    await page.locator(`tr[data-id="${ann.id}"]`).waitFor();

    await page.getByRole('link', { name: 'Collections', exact: true }).click();
    await page.locator(`tr[data-collection="${authors}"]`).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete collection' }).click();
    await page.getByRole('alert').getByText(`${posts}.author`).waitFor();
    await page.locator(`tr[data-collection="${authors}"]`).waitFor();
  });
}

/** Waits until the focused element has this role and its text contains `text`. */
async function focusOn(page, role, text) {
  await page.waitForFunction(([r, t]) => document.activeElement?.getAttribute('role') === r
    && document.activeElement.textContent.includes(t), [role, text]);
}
