// One input per field type, each with `read()` giving the value in the API's JSON form (or throwing a message
// for a value that cannot be one, such as malformed JSON) and `write(value)` to show a value.
import { h } from './dom.js';

export function inputFor(field) {
  const maker = MAKERS[field.type] ?? textInput;
  const input = maker(field);
  input.dataset.field = field.name;
  input.setAttribute('data-testid', `input-${field.name}`);
  return input;
}

function textInput(field) {
  const long = !field.max || field.max > 200;
  const el = h(long ? 'textarea' : 'input', { rows: long ? 2 : undefined, type: long ? undefined : 'text', spellcheck: false });
  el.read = () => el.value;
  el.write = (v) => { el.value = v ?? ''; };
  return el;
}

function typed(type) {
  return () => {
    const el = h('input', { type });
    el.read = () => (el.value === '' ? null : el.value);
    el.write = (v) => { el.value = v ?? ''; };
    return el;
  };
}

function numberInput() {
  const el = h('input', { type: 'number', step: 'any' });
  el.read = () => {
    if (el.value.trim() === '') return null;
    const n = Number(el.value);
    if (!Number.isFinite(n)) throw new Error('Not a number.');
    return n;
  };
  el.write = (v) => { el.value = v ?? ''; };
  return el;
}

function boolInput() {
  const el = h('input', { type: 'checkbox' });
  el.read = () => el.checked;
  el.write = (v) => { el.checked = v === true; };
  return el;
}

/** Dates as ISO-8601 text: exact to the millisecond and in UTC, as stored (a datetime-local input would drop both). */
function dateInput() {
  const el = h('input', { type: 'text', placeholder: '2026-01-31T12:00:00.000Z' });
  el.read = () => (el.value.trim() === '' ? null : el.value.trim());
  el.write = (v) => { el.value = v ?? ''; };
  return el;
}

function selectInput(field) {
  const many = (field.maxSelect ?? 1) > 1;
  const el = h('select', { multiple: many }, many ? null : h('option', { value: '', text: '—' }),
    (field.values ?? []).map((v) => h('option', { value: v, text: v })));
  el.read = () => {
    if (many) return [...el.selectedOptions].map((o) => o.value);
    return el.value === '' ? null : el.value;
  };
  el.write = (v) => {
    const chosen = new Set([v ?? []].flat());
    for (const o of el.options) o.selected = chosen.has(o.value);
  };
  return el;
}

function jsonInput() {
  const el = h('textarea', { rows: 3, spellcheck: false, class: 'mono', placeholder: 'JSON' });
  el.read = () => {
    if (el.value.trim() === '') return null;
    try { return JSON.parse(el.value); } catch (e) { throw new Error(`Not valid JSON: ${e.message}`); }
  };
  el.write = (v) => { el.value = v === undefined || v === null ? '' : JSON.stringify(v, null, 2); };
  return el;
}

/** Relations as record ids, comma-separated when the field takes several. */
function relationInput(field) {
  const many = (field.maxSelect ?? 1) > 1;
  const el = h('input', { type: 'text', class: 'mono', placeholder: many ? 'record ids, comma-separated' : 'record id' });
  el.read = () => {
    const ids = el.value.split(',').map((s) => s.trim()).filter(Boolean);
    return many ? ids : (ids[0] ?? null);
  };
  el.write = (v) => { el.value = [v ?? []].flat().join(', '); };
  return el;
}

const MAKERS = {
  text: textInput,
  number: numberInput,
  bool: boolInput,
  email: typed('email'),
  url: typed('url'),
  date: dateInput,
  select: selectInput,
  json: jsonInput,
  geoPoint: jsonInput,
  relation: relationInput,
  password: passwordInput,
};

/** Write-only: a password field's value is never served, so the input starts empty (empty keeps the stored hash). */
function passwordInput() {
  const el = h('input', { type: 'password', autocomplete: 'new-password' });
  el.read = () => el.value;
  el.write = () => { el.value = ''; };
  return el;
}
