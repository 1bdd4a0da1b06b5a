// One labelled option of a settings-like form (the settings page, an auth collection's options): a control for a
// value of a known kind, its error place registered under the option's API path, and `read()` giving the value in
// the API's JSON form. Secrets are write-only: the field starts empty and `read()` is undefined while it stays so
// (the API keeps the stored value of a key left out and never answers it).
import { h, row, checkRow } from './dom.js';

/**
 * @param spec   `{label, kind, hint?, options?, placeholder?}`; kind: text, email, url, number, bool, select, secret, rule
 * @param value  the current value from the API
 * @param path   the option's dotted API path (`smtp.port`, `otp.length`): the error place and the test id
 * @param errors an ErrorSlots
 */
export function optionField(spec, value, path, errors) {
  const testid = `opt-${path.replaceAll('.', '-')}`;
  const attrs = { 'data-testid': testid, name: path };
  let control;
  let read;
  switch (spec.kind) {
    case 'bool':
      control = h('input', { type: 'checkbox', checked: Boolean(value), attrs });
      read = () => control.checked;
      break;
    case 'select':
      control = h('select', { attrs }, spec.options.map((o) => h('option', { value: o, text: o, selected: o === value })));
      read = () => control.value;
      break;
    case 'number':
      control = h('input', { type: 'number', step: '1', value: value ?? '', attrs });
      // Whatever was typed goes to the server, which names what is wrong with it (a blank is its null).
      read = () => (control.value.trim() === '' ? null : Number(control.value));
      break;
    case 'secret':
      control = h('input', { type: 'password', value: '', placeholder: spec.placeholder ?? 'empty = keep the stored one',
        attrs: { ...attrs, autocomplete: 'new-password' } });
      read = () => (control.value === '' ? undefined : control.value);
      break;
    case 'rule':
      control = h('textarea', { rows: 1, value: value ?? '', placeholder: spec.placeholder ?? '', attrs: { ...attrs, spellcheck: 'false' } });
      read = () => control.value.trim();
      break;
    default:
      control = h('input', { type: spec.kind ?? 'text', value: value ?? '', placeholder: spec.placeholder ?? '', attrs });
      read = () => control.value.trim();
  }
  const el = (spec.kind === 'bool' ? checkRow : row)(spec.label, control, spec.hint);
  errors.add(path, el.errorEl);
  return { el, control, read, path };
}

/** Sets `value` at a dotted `path` of `target` (`set({}, 'otp.length', 8)` → `{otp: {length: 8}}`). */
export function setPath(target, path, value) {
  const keys = path.split('.');
  let at = target;
  for (const k of keys.slice(0, -1)) at = at[k] ??= {};
  at[keys[keys.length - 1]] = value;
  return target;
}

/** The value at a dotted `path` of `source`, or undefined. */
export function getPath(source, path) {
  return path.split('.').reduce((at, k) => (at == null ? undefined : at[k]), source);
}
