// One field of a collection as an editable card: name, type, the options every field has and the limits of its
// type. `read()` gives the field in the API's shape; options that do not apply to the type are left out, so the
// server's validation only ever sees what the operator could see.
import { h, button } from './dom.js';
import { relationOptions } from './relation-options.js';

export const TYPES = ['text', 'number', 'bool', 'email', 'url', 'date', 'autodate', 'select', 'json', 'relation', 'file',
  'geoPoint', 'editor', 'password'];

/** Which limits each type takes (the API's option names). */
const LIMITS = {
  text: ['min', 'max', 'pattern', 'autogeneratePattern'],
  number: ['min', 'max', 'onlyInt'],
  editor: ['maxSize', 'convertURLs'],
  autodate: ['onCreate', 'onUpdate'],
  password: ['min', 'max', 'pattern', 'cost'],
  select: ['values', 'maxSelect'],
  file: ['maxSelect', 'maxSize', 'mimeTypes', 'thumbs', 'protected'],
};
const LIMIT_LABELS = { min: 'Min', max: 'Max', pattern: 'Pattern (regex)', values: 'Values (comma-separated)', maxSelect: 'Max select',
  'file.maxSelect': 'Max files', maxSize: 'Max size (bytes, 0 = 5 MB)', mimeTypes: 'Allowed MIME types (comma-separated, empty = any)',
  thumbs: 'Thumb sizes (e.g. 100x100, 0x300)', protected: 'protected (token needed)',
  autogeneratePattern: 'Generate when empty (regex, e.g. [a-z0-9]{15})', onlyInt: 'whole numbers only',
  convertURLs: 'convert URLs', onCreate: 'set on create', onUpdate: 'set on update',
  cost: 'bcrypt cost (0 = the server\'s)', 'password.min': 'Min length', 'password.max': 'Max length (0 = 71)' };
const PLACEHOLDERS = { 'file.maxSelect': '1', maxSize: '0', mimeTypes: 'image/png, image/jpeg', thumbs: '100x100' };
const NUMBERS = ['min', 'max', 'maxSelect', 'maxSize', 'cost'];
const LISTS = ['values', 'mimeTypes', 'thumbs'];
const CHECKS = ['protected', 'onlyInt', 'convertURLs', 'onCreate', 'onUpdate'];
/** A new autodate field is stamped on create unless the operator says otherwise (the server needs one of the two). */
const CHECKED_WHEN_NEW = { onCreate: true };
/** Types whose value the server sets or hashes: they take no default (the server refuses one). */
const NO_DEFAULT = ['file', 'autodate', 'password'];
const FLAGS = ['required', 'unique', 'indexed', 'hidden'];

/**
 * @param field    the field as the API gives it (or a new one)
 * @param index    its position (errors come back as fields.{index}.{option})
 * @param errors   an ErrorSlots to register this card's error places in
 * @param onRemove called when the operator removes the field
 * @param locked   true for the fixed fields of auth collections (shown, not editable)
 * @param context  what a relation's options need: { collections, self, selfName } (see relation-options.js)
 */
export function fieldCard(field, index, errors, onRemove, locked = false, context = null) {
  const path = `fields.${index}`;
  const err = (p) => errors.add(p, h('div', { class: 'field-error', attrs: { role: 'alert' } }));
  const name = h('input', { type: 'text', value: field.name ?? '', placeholder: 'name', disabled: locked, attrs: { 'data-testid': `field-name-${index}` } });
  const type = h('select', { disabled: locked || Boolean(field.existing), attrs: { 'data-testid': `field-type-${index}` } },
    (TYPES.includes(field.type) ? TYPES : [field.type, ...TYPES]).map((t) => h('option', { value: t, text: t, selected: t === field.type })));
  if (field.existing) type.title = 'A field\'s type cannot change: remove the field and add it again.';
  const flags = Object.fromEntries(FLAGS.map((f) => [f, h('input', { type: 'checkbox', checked: Boolean(field[f]), disabled: locked,
    attrs: { 'data-testid': `field-${f}-${index}` } })]));
  const deflt = h('input', { type: 'text', value: field.default === undefined ? '' : JSON.stringify(field.default),
    placeholder: 'JSON, e.g. "draft" or 0', disabled: locked });
  const limits = {};
  const limitBox = h('div', { class: 'limits' });
  let relation = null; // the relation options while the type is relation

  function drawLimits() {
    limitBox.replaceChildren();
    relation = null;
    defaultRow.classList.toggle('hidden', NO_DEFAULT.includes(type.value));
    if (type.value === 'relation') {
      relation = relationOptions(field, index, (p) => err(p), context ?? { collections: [], self: null, selfName: () => '' }, locked);
      limitBox.append(relation.el);
      return;
    }
    for (const opt of LIMITS[type.value] ?? []) {
      const keyed = (table) => table[`${type.value}.${opt}`] ?? table[opt];
      const attrs = { 'data-testid': `field-${opt}-${index}` };
      if (CHECKS.includes(opt)) {
        const box = h('input', { type: 'checkbox', checked: limits[opt]?.checked ?? Boolean(field[opt] ?? (!field.name && CHECKED_WHEN_NEW[opt])),
          disabled: locked, attrs });
        limits[opt] = box;
        limitBox.append(h('div', { class: 'opt' }, h('span', { text: '\u00a0' }), h('label', { class: 'flag' }, box, keyed(LIMIT_LABELS)), err(`${path}.${opt}`)));
        continue;
      }
      const current = limits[opt]?.value ?? (LISTS.includes(opt) ? (field[opt] ?? []).join(', ') : field[opt] ?? '');
      const input = h('input', { type: NUMBERS.includes(opt) ? 'number' : 'text', value: current, disabled: locked,
        placeholder: keyed(PLACEHOLDERS), attrs });
      limits[opt] = input;
      limitBox.append(h('label', { class: `opt${LISTS.includes(opt) ? ' wide' : ''}` }, h('span', { text: keyed(LIMIT_LABELS) }), input, err(`${path}.${opt}`)));
    }
  }
  const defaultRow = h('label', { class: 'opt' }, h('span', { text: 'Default' }), deflt, err(`${path}.default`));
  type.addEventListener('change', () => { for (const k of Object.keys(limits)) delete limits[k]; drawLimits(); });
  drawLimits();

  const card = h('div', { class: 'field-card', dataset: { index } },
    h('div', { class: 'field-main' },
      h('label', { class: 'opt grow' }, h('span', { text: 'Name' }), name, err(`${path}.name`)),
      h('label', { class: 'opt' }, h('span', { text: 'Type' }), type, err(`${path}.type`)),
      h('div', { class: 'flags' }, FLAGS.map((f) => h('label', { class: 'flag' }, flags[f], f))),
      locked ? h('span', { class: 'tag', text: 'fixed' }) : button('Remove', onRemove, 'plain', { title: 'Remove this field' })),
    h('div', { class: 'field-more' }, limitBox, defaultRow),
    err(path));

  card.existing = Boolean(field.existing);
  card.read = () => {
    const out = { name: name.value.trim(), type: type.value };
    for (const f of FLAGS) out[f] = flags[f].checked;
    if (deflt.value.trim() !== '' && !NO_DEFAULT.includes(type.value)) {
      try { out.default = JSON.parse(deflt.value); } catch { out.default = deflt.value; }
    }
    if (relation) Object.assign(out, relation.read());
    for (const [opt, input] of Object.entries(limits)) {
      if (CHECKS.includes(opt)) { out[opt] = input.checked; continue; }
      const v = input.value.trim();
      if (v === '') continue;
      if (LISTS.includes(opt)) out[opt] = v.split(',').map((s) => s.trim()).filter(Boolean);
      else if (NUMBERS.includes(opt)) out[opt] = Number(v);
      else out[opt] = v;
    }
    return out;
  };
  return card;
}
