// The record form's input of a file field: the files the record holds (a thumbnail for an image, else the name;
// each can be marked for removal and kept again before the save), the files picked for upload (each can be taken
// back), and a native file input to pick more — one file when the field holds one, several otherwise.
// It sends nothing itself: `changes()` tells the form what to send (the picked files as parts, the removed names
// as `field-`), and it has no `read()` value, so the field's names never go into the JSON.
import { h, bytes } from './dom.js';
import { fileNames, isImage, thumbnail, fileLink, previewOf, tokenSource } from './files.js';

/** Default upper size of a file when the field says 0 (the server's default, 5 MiB). */
const DEFAULT_MAX_SIZE = 5 * 1024 * 1024;

export function fileInput(field, collection) {
  const many = (field.maxSelect ?? 1) > 1;
  const maxSize = field.maxSize || DEFAULT_MAX_SIZE;
  let recordId = null;
  let held = [];
  const removed = new Set();
  let added = [];
  let token = tokenSource();
  const heldList = h('ul', { class: 'files', attrs: { 'aria-label': `Stored files of ${field.name}`, 'data-testid': `files-${field.name}` } });
  const addedList = h('ul', { class: 'files', attrs: { 'aria-label': `Files to upload to ${field.name}`, 'data-testid': `uploads-${field.name}` } });
  const picker = h('input', { type: 'file', multiple: many, accept: (field.mimeTypes ?? []).join(',') || undefined,
    attrs: { 'data-testid': `file-upload-${field.name}`, 'aria-label': many ? `Add files to ${field.name}` : `Choose a file for ${field.name}` } });
  const status = h('span', { class: 'hint', attrs: { 'aria-live': 'polite' } });
  const el = h('div', { class: 'file-input' }, heldList, addedList, h('div', { class: 'file-pick' }, picker, status));
  el.isFile = true;

  picker.addEventListener('change', () => {
    const picked = [...picker.files];
    picker.value = ''; // the same file may be picked again after taking it back
    if (!picked.length) return;
    added = many ? [...added, ...picked] : [picked[picked.length - 1]];
    drawAdded();
    if (!many) held.forEach(markHeld); // a single file replaces the stored one
    drawStatus();
  });

  const heldItems = new Map();
  function drawHeld() {
    heldItems.clear();
    heldList.replaceChildren(...held.map((name) => {
      const toggle = h('button', { type: 'button', class: 'chip-remove' });
      const item = h('li', { class: 'file-item', dataset: { name } },
        isImage(name) ? thumbnail(collection, field, recordId, name, token) : fileIcon(name),
        fileLink(collection, field, recordId, name, name), h('span', { class: 'file-state hint' }), toggle);
      toggle.addEventListener('click', () => {
        if (removed.has(name)) removed.delete(name); else removed.add(name);
        markHeld(name);
        drawStatus();
      });
      heldItems.set(name, item);
      markHeld(name);
      return item;
    }));
  }

  /** Shows whether a stored file stays, goes or is replaced, without redrawing (focus stays on its button). */
  function markHeld(name) {
    const item = heldItems.get(name);
    if (!item) return;
    const gone = removed.has(name);
    const replaced = !many && added.length > 0;
    item.classList.toggle('removed', gone || replaced);
    item.querySelector('.file-state').textContent = gone ? 'removed on save' : replaced ? 'replaced on save' : '';
    const toggle = item.querySelector('button');
    toggle.textContent = gone ? 'Keep' : '×';
    toggle.setAttribute('aria-label', gone ? `Keep ${name}` : `Remove ${name}`);
    toggle.title = toggle.getAttribute('aria-label');
  }

  function drawAdded() {
    addedList.replaceChildren(...added.map((file, i) => {
      const preview = fileIcon(file.name);
      previewOf(file).then((src) => { if (src) preview.replaceWith(h('img', { class: 'thumb', src, alt: `${file.name} (to upload)`, width: 40, height: 40 })); })
        .catch(() => {});
      const over = file.size > maxSize;
      const take = h('button', { type: 'button', class: 'chip-remove', text: '×', title: `Do not upload ${file.name}`,
        attrs: { 'aria-label': `Do not upload ${file.name}` } });
      take.addEventListener('click', () => {
        added = added.filter((_, j) => j !== i);
        drawAdded();
        if (!many) held.forEach(markHeld);
        drawStatus();
        (addedList.querySelectorAll('button')[Math.min(i, added.length - 1)] ?? picker).focus();
      });
      return h('li', { class: `file-item new${over ? ' over' : ''}` }, preview, h('span', { class: 'file-name', text: file.name }),
        h('span', { class: 'hint', text: over ? `${bytes(file.size)}: over the limit of ${bytes(maxSize)}` : `${bytes(file.size)} · new` }), take);
    }));
  }

  function drawStatus() {
    const kept = held.filter((n) => !removed.has(n)).length;
    const count = many ? kept + added.length : added.length || kept;
    const parts = [many ? `${count} of at most ${field.maxSelect} files` : (count ? '1 file' : 'no file')];
    if (field.mimeTypes?.length) parts.push(field.mimeTypes.join(', '));
    parts.push(`at most ${bytes(maxSize)} each`);
    status.textContent = parts.join(' · ');
    status.classList.toggle('over', many && count > field.maxSelect);
  }

  el.write = (value, _expand, record) => {
    recordId = record?.id ?? null;
    held = recordId ? fileNames(value) : [];
    removed.clear();
    added = [];
    token = tokenSource();
    drawHeld();
    drawAdded();
    drawStatus();
  };
  /** What the save sends: files to upload, and stored names to remove (a single file replaced needs none). */
  el.changes = () => ({
    added: [...added],
    removed: held.filter((n) => removed.has(n) && (many || added.length === 0)),
  });
  return el;
}

/** A stand-in for a file without a thumbnail: its extension in a small box. */
function fileIcon(name) {
  const ext = /\.([a-z0-9]{1,4})$/i.exec(name)?.[1] ?? 'file';
  return h('span', { class: 'file-icon', attrs: { 'aria-hidden': 'true' }, text: ext.toUpperCase() });
}
