// Creating and editing one record in a modal form. Updates carry `_expectedVersion`: when someone else saved
// the record since the form was opened, the server answers 409 and the form shows the newer record beside a
// choice — load it into the form (dropping the edits) or keep editing — instead of overwriting silently.
import { h, button, notice, row, groupRow, modal, cell, when } from './dom.js';
import { api, query, seg } from './api.js';
import { ErrorSlots } from './errors.js';
import { inputFor } from './inputs.js';
import { relationPicker } from './relation-picker.js';
import { fileInput } from './file-input.js';
import { expandParam } from './relations.js';

/** Fields an operator writes: all but the token key. Hidden ones get write-only inputs (the API never returns them). */
/** The fields a form edits: not the token key, nor autodate fields (the server stamps them and ignores a value). */
function editable(collection) {
  return collection.fields.filter((f) => !(collection.type === 'auth' && f.name === 'tokenKey') && f.type !== 'autodate');
}

/**
 * @param targets relation field name → { collection, labelField } (relations.js); a relation field whose target
 *                is not in it gets a plain input of ids
 */
export function openRecordForm(collection, record, onSaved, targets = new Map()) {
  let current = record;
  const isNew = !record;
  const general = notice('error');
  const errors = new ErrorSlots(general);
  const conflict = h('div', { class: 'conflict hidden', attrs: { role: 'alert', 'data-testid': 'conflict' } });
  const schemaless = collection.schemaless && collection.fields.length === 0;
  const inputs = new Map();
  const writeOnly = new Set(['password', 'passwordConfirm']);
  const rows = [];
  if (schemaless) {
    const json = inputFor({ name: 'record', type: 'json' });
    inputs.set('*', json);
    const r = row('Record (JSON object)', json, 'Schemaless collection: any fields.');
    errors.add('*', r.errorEl);
    rows.push(r);
  } else {
    const add = (name, input, hint, makeRow = row) => {
      inputs.set(name, input);
      const r = makeRow(name, input, hint);
      errors.add(name, r.errorEl);
      rows.push(r);
    };
    for (const f of editable(collection)) {
      if (collection.type === 'auth' && f.name === 'password') {
        add('password', passwordInput(), isNew ? 'write-only' : 'write-only; empty keeps the current one');
        add('passwordConfirm', passwordInput('passwordConfirm'));
        continue;
      }
      const hint = [f.type, f.required ? 'required' : null, f.unique ? 'unique' : null].filter(Boolean).join(' · ');
      const target = f.type === 'relation' ? targets.get(f.name) : null;
      if (target) {
        const picker = relationPicker(f, target);
        picker.setAttribute('data-testid', `input-${f.name}`);
        add(f.name, picker, `${hint} · ${relationHint(f, target)}`, groupRow);
        continue;
      }
      if (f.type === 'file') {
        const files = fileInput(f, collection);
        files.setAttribute('data-testid', `input-${f.name}`);
        add(f.name, files, f.protected ? `${hint} · protected: shown with a short-lived file token` : hint, groupRow);
        // The server names an upload's errors by the part or key that carried it (`files+`, `files-`).
        for (const key of [`${f.name}+`, `+${f.name}`, `${f.name}-`]) errors.add(key, errors.slots.get(f.name));
        continue;
      }
      add(f.name, inputFor(f), f.hidden ? `${hint} · hidden: write-only, empty keeps the current value` : hint);
      if (f.hidden) writeOnly.add(f.name);
    }
  }
  const meta = h('div', { class: 'meta muted' });
  const fill = (rec) => {
    current = rec;
    if (schemaless) {
      const { id, collectionId, collectionName, created, updated, _version, ...rest } = rec ?? {};
      inputs.get('*').write(rec ? rest : {});
    } else {
      for (const [name, input] of inputs) input.write(writeOnly.has(name) ? undefined : rec?.[name] ?? defaultOf(name), rec?.expand?.[name], rec);
    }
    meta.textContent = rec ? `id ${rec.id} · version ${rec._version} · updated ${when(rec.updated)}` : 'New record';
  };
  const defaultOf = (name) => collection.fields.find((f) => f.name === name)?.default;
  fill(record);

  const save = h('button', { type: 'submit', class: 'btn btn-primary', text: isNew ? 'Create' : 'Save', attrs: { 'data-testid': 'save-record' } });
  const form = h('form', { class: 'record-form', attrs: { novalidate: true } }, meta, conflict, general, rows);
  const m = modal(isNew ? `New record in ${collection.name}` : `Edit record of ${collection.name}`, form,
    [button('Cancel', () => m.close()), save]);
  save.addEventListener('click', () => form.requestSubmit());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    const body = readBody();
    if (!body) return;
    if (!isNew) body._expectedVersion = current._version;
    save.disabled = true;
    try {
      const path = `/api/collections/${seg(collection.name)}/records`;
      const payload = withFiles(body);
      await (isNew ? api('POST', path, payload) : api('PATCH', `${path}/${seg(current.id)}`, payload));
      m.close();
      await onSaved();
    } catch (e) {
      if (e.status === 409 && e.data?._version) await showConflict();
      else errors.show(e);
    } finally {
      save.disabled = false;
    }
  });

  function readBody() {
    const body = {};
    const bad = {};
    for (const [name, input] of inputs) {
      if (input.isFile) continue; // see withFiles
      try {
        const value = input.read();
        if (name === '*') Object.assign(body, value ?? {});
        else if (writeOnly.has(name)) { if (value !== '' && value !== null && value !== false) body[name] = value; }
        // On create an empty value is left out, so the server applies the field's default (and owner_id its
        // caller); on update it is sent, since emptying a field is a change.
        else if (!isNew || (value !== '' && value !== null && !(Array.isArray(value) && !value.length))) body[name] = value;
      } catch (e) {
        bad[name] = { message: e.message };
      }
    }
    if (Object.keys(bad).length) { errors.show({ message: 'Some values are not valid.', data: bad }); return null; }
    return body;
  }

  /**
   * The body as multipart/form-data when files change: the values in `@jsonPayload`, each picked file as a part
   * (named by its field; `field+` to append to the files of a stored record), removed names as `field-`. Only the
   * changes are sent, so files nobody touched stay as they are. Without file changes the body stays JSON.
   */
  function withFiles(body) {
    const parts = [];
    for (const [name, input] of inputs) {
      if (!input.isFile) continue;
      const { added, removed } = input.changes();
      if (removed.length) body[`${name}-`] = removed;
      const many = (collection.fields.find((f) => f.name === name)?.maxSelect ?? 1) > 1;
      for (const file of added) parts.push([isNew || !many ? name : `${name}+`, file]);
    }
    if (!parts.length) return body;
    const form = new FormData();
    form.append('@jsonPayload', JSON.stringify(body));
    for (const [part, file] of parts) form.append(part, file, file.name);
    return form;
  }

  async function showConflict() {
    let newer;
    try {
      newer = await api('GET', `/api/collections/${seg(collection.name)}/records/${seg(current.id)}${query({ expand: expandParam(collection) })}`);
    } catch (e) {
      conflict.replaceChildren(h('strong', { text: 'This record was changed or deleted by someone else.' }), ' ', e.message);
      conflict.classList.remove('hidden');
      return;
    }
    const list = h('dl', { class: 'newer' });
    for (const [k, v] of Object.entries(newer)) {
      if (['collectionId', 'collectionName', 'expand'].includes(k) || collection.fields.some((f) => f.name === k && f.hidden)) continue;
      list.append(h('dt', { text: k }), h('dd', { text: cell(v, 300) }));
    }
    conflict.replaceChildren(
      h('strong', { text: `Someone else saved this record (now version ${newer._version}; you opened version ${current._version}). Your changes are not saved.` }),
      h('p', { class: 'muted', text: 'The newer record:' }), list,
      h('div', { class: 'actions' },
        button('Reload the newer record', () => { fill(newer); conflict.classList.add('hidden'); }, 'primary', { attrs: { 'data-testid': 'conflict-reload' } }),
        button('Keep my edits (the next save overwrites it)', () => {
          current = { ...current, _version: newer._version };
          conflict.classList.add('hidden');
        })));
    conflict.classList.remove('hidden');
  }
}

function relationHint(field, target) {
  const many = (field.maxSelect ?? 1) > 1;
  const count = many ? `up to ${field.maxSelect}${field.minSelect ? `, at least ${field.minSelect}` : ''}` : 'one';
  return `${count} of ${target.collection.name}`;
}

function passwordInput(name = 'password') {
  const el = h('input', { type: 'password', autocomplete: 'new-password', attrs: { 'data-testid': `input-${name}` } });
  el.read = () => el.value;
  el.write = () => { el.value = ''; };
  return el;
}
