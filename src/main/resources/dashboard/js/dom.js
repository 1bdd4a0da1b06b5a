// Building the DOM without markup strings: every value reaches the page as a text node or a property, never as
// HTML, so a record holding "<img onerror=…>" is shown as those characters. Nothing here uses innerHTML.

/**
 * Creates an element. `props`: `class`, `text`, `on: {event: fn}`, `attrs: {name: value}`, `dataset`, and any
 * other key is set as a DOM property (value, type, checked, disabled, placeholder …). Children may be nodes,
 * strings (become text nodes), arrays, or null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'attrs') for (const [a, v] of Object.entries(value)) { if (v !== null && v !== false) el.setAttribute(a, v === true ? '' : String(v)); }
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el[key] = value;
  }
  append(el, children);
  return el;
}

/** Appends children as `h` does: strings become text nodes. */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Removes every child and appends the given ones. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A labelled form row: label, the control, an optional hint, and an error line filled by `showErrors`. */
export function row(label, control, hint) {
  const error = h('div', { class: 'field-error', attrs: { role: 'alert' } });
  const wrap = h('label', { class: 'row' }, label === null ? null : h('span', { class: 'row-label', text: label }), control,
    hint ? h('span', { class: 'hint', text: hint }) : null, error);
  wrap.errorEl = error;
  return wrap;
}

/** As `row`, for a checkbox: the box, then its label on the same line. */
export function checkRow(label, box, hint) {
  return row(null, h('span', { class: 'check' }, box, h('span', { class: 'row-label', text: label })), hint);
}

/**
 * As `row`, for a control made of several inputs (a <label> would send a click anywhere inside it to the first
 * of them): a group named by its label.
 */
let groups = 0;
export function groupRow(label, control, hint) {
  const id = `group-label-${++groups}`;
  const error = h('div', { class: 'field-error', attrs: { role: 'alert' } });
  const wrap = h('div', { class: 'row', attrs: { role: 'group', 'aria-labelledby': id } },
    h('span', { class: 'row-label', text: label, attrs: { id } }), control, hint ? h('span', { class: 'hint', text: hint }) : null, error);
  wrap.errorEl = error;
  return wrap;
}

/** A button; `kind` is one of primary, danger, plain. */
export function button(label, onClick, kind = 'plain', extra = {}) {
  return h('button', { type: 'button', class: `btn btn-${kind}`, text: label, on: { click: onClick }, ...extra });
}

/** A message box for a view: `kind` is error, info, warn or ok. Returns an element whose `show(text)` updates it. */
export function notice(kind = 'error') {
  const el = h('div', { class: `notice notice-${kind} hidden`, attrs: { role: kind === 'error' ? 'alert' : 'status' } });
  el.show = (text, newKind) => {
    if (newKind) el.className = `notice notice-${newKind}`;
    el.textContent = text ?? '';
    el.classList.toggle('hidden', !text);
  };
  return el;
}

/** A modal dialog built from our own elements (the native <dialog> is fine too, but this one styles alike everywhere). */
export function modal(title, body, actions) {
  const box = h('div', { class: 'modal', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-label': title } },
    h('header', { class: 'modal-head' }, h('h2', { text: title })), body, h('footer', { class: 'modal-actions' }, actions));
  const backdrop = h('div', { class: 'backdrop' }, box);
  const onKey = (ev) => { if (ev.key === 'Escape') backdrop.close(); };
  backdrop.close = () => { backdrop.remove(); document.removeEventListener('keydown', onKey); };
  document.addEventListener('keydown', onKey);
  document.body.append(backdrop);
  return backdrop;
}

/** Asks for a confirmation in our modal (window.confirm would block the page and look foreign). */
export function confirmAction(title, text, confirmLabel = 'Confirm', kind = 'danger') {
  return new Promise((resolve) => {
    const done = (answer) => { m.close(); resolve(answer); };
    const m = modal(title, h('p', { text }), [button('Cancel', () => done(false)), button(confirmLabel, () => done(true), kind)]);
  });
}

/** Human-readable bytes. */
export function bytes(n) {
  if (!Number.isFinite(n)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** A date for tables: local time as 2026-01-31 12:00:05 (short, and sorts as text). */
export function when(value) {
  // PocketBase writes dates with a space ("2026-01-31 12:00:00.000Z"); ISO-8601 wants the T.
  const d = new Date(typeof value === 'string' ? value.replace(/^(\d{4}-\d\d-\d\d) /, '$1T') : value);
  if (Number.isNaN(d.getTime())) return String(value ?? '');
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A short text form of any value for a table cell (objects as JSON, long text cut). */
export function cell(value, max = 80) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
