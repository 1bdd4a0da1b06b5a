// The dashboard's file fields, as an operator uses them: file fields with their options defined in the collection
// editor, a PNG uploaded through the record form (playwright's setInputFiles), a file of the wrong type refused
// under its field, thumbnails in the records table and the form (a protected one loaded with a file token that
// never lands in the page), and files removed and added in one save — checked through the API afterwards.
// Registered by dashboard.test.mjs at its place in the shared page's sequence (before the password change).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { url, shot, addFields } from './browser.mjs';

/** A 16×16 RGB PNG (463 bytes). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAABlklEQVR42g3L0QBAIQxA0RCGEMIQhjCEEIYwhBBC2McFCCGEE'
  + 'EJ47/yf1hrS6A1tWMMboxGNbMzGalRjN07jNl6jNUGELqhgggtDCCGFKSyhhC0c4QpP/tCRTu9oxzreGZ3oZGd2Vqc6u3M6t/P6HxRRuqKKKa4MJZRUprKUUrZylKs8/YMhR'
  + 'jfUMMONYYSRxjSWUcY2jnGNZ39wxOmOOua4M5xw0pnOcsrZznGu8/wPAxn0gQ5s4IMxiEEO5mANarAHZ3AHb/whkKAHGljgwQgiyGAGK6hgBye4wYs/JJL0RBNLPBlJJJnMZ'
  + 'CWV7OQkN3n5h4lM+kQnNvHJmMQkJ3OyJjXZkzO5kzf/sJBFX+jCFr4Yi1jkYi7WohZ7cRZ38dYfCil6oYUVXowiiixmsYoqdnGKW7z6w0Y2faMb2/hmbGKTm7lZm9rszdnc'
  + 'zdt/OMihH/RgBz+MQxzyMA/rUId9OId7eOcPF7n0i17s4pdxiUte5mVd6rIv53Iv7/7hIY/+0Ic9/DEe8cjHfKxHPfbjPO7jPT74o6QQb2NdBgAAAABJRU5ErkJggg==', 'base64');
const text = (name, body = `${name} body`) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(body) });
const png = (name) => ({ name, mimeType: 'image/png', buffer: PNG });

/** @param s () => { page, admin, run } (set once the file's `before` has run) */
export function fileTests(s) {
  let media; let record;

  test('file fields are defined in the collection editor with their options', async () => {
    const { page, admin, run } = s();
    media = `media_${run}`;
    await page.goto(`${url}/_/#/collections/new`);
    await page.getByTestId('collection-name').fill(media);
    await addFields(page, [['title', 'text'], ['image', 'file'], ['docs', 'file']]);
    await page.getByTestId('field-maxSize-1').fill('100000');
    await page.getByTestId('field-mimeTypes-1').fill('image/png, image/jpeg');
    await page.getByTestId('field-thumbs-1').fill('100x100, 0x300');
    await page.getByTestId('field-maxSelect-2').fill('3');
    await page.getByTestId('field-protected-2').check();
    await page.getByTestId('field-thumbs-2').fill('huge');
    await page.getByTestId('save-collection').click();
    await page.locator('.field-card', { has: page.getByTestId('field-thumbs-2') }).locator('.field-error')
      .getByText('sizes such as').waitFor();
    await page.getByTestId('field-thumbs-2').fill('');
    await page.getByTestId('save-collection').click();
    await page.getByRole('heading', { name: `Collection ${media}` }).waitFor();

    const fields = (await admin('GET', `/api/collections/${media}`)).fields;
    const f = (name) => fields.find((x) => x.name === name);
    assert.deepEqual([f('image').type, f('image').maxSize, f('image').mimeTypes, f('image').thumbs, f('image').protected],
      ['file', 100000, ['image/png', 'image/jpeg'], ['100x100', '0x300'], false]);
    assert.deepEqual([f('docs').type, f('docs').maxSelect, f('docs').protected], ['file', 3, true]);
    // Read back: the saved options are shown, and a file field offers no default.
    assert.equal(await page.getByTestId('field-mimeTypes-1').inputValue(), 'image/png, image/jpeg');
    assert.ok(await page.getByTestId('field-protected-2').isChecked());
    assert.equal(await page.locator('.field-card', { has: page.getByTestId('field-name-1') }).getByText('Default').isVisible(), false);
    await page.getByTestId('field-protected-2').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, 'collection-files');
  });

  test('a record is created with files uploaded through the form; the table shows thumbnails', async () => {
    const { page, admin } = s();
    await page.goto(`${url}/_/#/records/${media}`);
    await page.getByTestId('new-record').click();
    await page.getByTestId('input-title').fill('with files');
    // A text file in the PNG-only field: the server's 400 is shown under that field.
    await page.getByTestId('file-upload-image').setInputFiles(text('notes.txt'));
    await page.getByTestId('uploads-image').getByText('notes.txt').waitFor();
    await page.getByTestId('save-record').click();
    const imageRow = page.getByRole('dialog').locator('.row', { has: page.getByTestId('input-image') });
    await imageRow.locator('.field-error').getByText('allowed: image/png').waitFor();
    // A single file field holds one: the PNG replaces the refused pick. The multi field takes two at once.
    await page.getByTestId('file-upload-image').setInputFiles(png('Red Dot.png'));
    await page.getByTestId('uploads-image').getByText('Red Dot.png').waitFor();
    assert.equal(await page.getByTestId('uploads-image').getByText('notes.txt').count(), 0);
    await page.getByTestId('uploads-image').locator('img[src^="data:image/png"]').waitFor();
    await page.getByTestId('file-upload-docs').setInputFiles([png('scan.png'), text('readme.txt')]);
    await page.getByTestId('uploads-docs').getByText('readme.txt').waitFor();
    await page.getByTestId('save-record').click();

    const row = page.locator('table.records tr', { hasText: 'with files' });
    await row.waitFor();
    [record] = (await admin('GET', `/api/collections/${media}/records`)).items;
    assert.match(record.image, /^red_dot_[a-z0-9]{10}\.png$/);
    assert.equal(record.docs.length, 2);
    const [scan, readme] = record.docs;
    assert.match(readme, /^readme_[a-z0-9]{10}\.txt$/);
    const open = await fetch(`${url}/api/files/${media}/${record.id}/${record.image}`);
    assert.deepEqual(Buffer.from(await open.arrayBuffer()), PNG, 'the uploaded bytes are stored as sent');
    assert.equal((await fetch(`${url}/api/files/${media}/${record.id}/${scan}`)).status, 404, 'a protected file needs a token');

    // The open image by its URL, the protected one as a data: URL fetched with a file token; a text file by name.
    const thumb = row.getByTestId('file-cell-image').getByRole('img', { name: record.image });
    await loaded(page, thumb);
    assert.match(await thumb.getAttribute('src'), /\?thumb=100x100$/);
    const secret = row.getByTestId('file-cell-docs').getByRole('img', { name: scan });
    await loaded(page, secret);
    assert.match(await secret.getAttribute('src'), /^data:image\//);
    await row.getByTestId('file-cell-docs').getByRole('link', { name: /^readme_/ }).waitFor();
    assert.equal(await page.locator('[src*="token="], [href*="token="]').count(), 0, 'no file token in the page');
    await shot(page, 'records-files');
  });

  test('files are shown in the form, removed and added in one save; a removed file is gone', async () => {
    const { page, admin } = s();
    const [scan, readme] = record.docs;
    await page.getByTestId(`edit-${record.id}`).click();
    await loaded(page, page.getByTestId('files-image').getByRole('img', { name: record.image }));
    await loaded(page, page.getByTestId('files-docs').getByRole('img', { name: scan }));
    await page.getByTestId('files-docs').getByText(readme).waitFor();
    await shot(page, 'record-files');

    // Remove by keyboard; "Keep" undoes a removal.
    await page.getByRole('button', { name: `Remove ${record.image}` }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('files-image').getByText('removed on save').waitFor();
    await page.getByRole('button', { name: `Remove ${scan}` }).click();
    await page.getByRole('button', { name: `Keep ${scan}` }).click();
    await page.getByRole('button', { name: `Remove ${readme}` }).click();
    await page.getByTestId('file-upload-docs').setInputFiles(text('later.txt'));
    await page.getByTestId('uploads-docs').getByText('later.txt').waitFor();
    const [upload] = await Promise.all([page.waitForRequest((r) => r.method() === 'PATCH'), page.getByTestId('save-record').click()]);
    assert.match(upload.headers()['content-type'], /^multipart\/form-data; boundary=/);

    const row = page.locator(`tr[data-id="${record.id}"]`);
    await row.getByTestId('file-cell-docs').getByRole('link', { name: /^later_/ }).waitFor();
    assert.equal(await row.getByTestId('file-cell-image').locator('img').count(), 0, 'the table shows no image any more');
    const after = await admin('GET', `/api/collections/${media}/records/${record.id}`);
    assert.equal(after.image, '', 'the single file field is empty');
    assert.equal(after.docs.length, 2);
    assert.equal(after.docs[0], scan, 'the kept file keeps its place');
    assert.match(after.docs[1], /^later_[a-z0-9]{10}\.txt$/);
    assert.equal((await fetch(`${url}/api/files/${media}/${record.id}/${record.image}`)).status, 404, 'the removed image is gone');
    const { token } = await admin('POST', '/api/files/token');
    assert.equal((await fetch(`${url}/api/files/${media}/${record.id}/${readme}?token=${token}`)).status, 404, 'the removed document is gone');
    assert.equal((await fetch(`${url}/api/files/${media}/${record.id}/${scan}?token=${token}`)).status, 200, 'the kept one is there');

    // A removal alone is a JSON save with `docs-`: only the named file goes.
    await page.getByTestId(`edit-${record.id}`).click();
    await page.getByRole('button', { name: `Remove ${after.docs[1]}` }).click();
    const [patch] = await Promise.all([page.waitForRequest((r) => r.method() === 'PATCH'), page.getByTestId('save-record').click()]);
    assert.deepEqual(patch.postDataJSON()['docs-'], [after.docs[1]]);
    assert.equal('docs' in patch.postDataJSON(), false, 'the kept names are not sent');
    await row.getByTestId('file-cell-docs').getByRole('link', { name: /^later_/ }).waitFor({ state: 'detached' });
    assert.deepEqual((await admin('GET', `/api/collections/${media}/records/${record.id}`)).docs, [scan]);
  });
}

/** Waits until the image has loaded (a broken one would never get a natural width). */
async function loaded(page, img) {
  await img.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
}
