// Creating and editing a collection: name and type, its fields (with their index options: `indexed`, `unique`),
// and the five rules; an auth collection's sign-in options (auth-options.js). The server validates; its 400 answer
// is spread over the form by path (see errors.js).
// A save that builds indexes over many records can take a while: the operations panel shows its progress.
import { h, replace, button, notice, row } from './dom.js';
import { api, collections, seg } from './api.js';
import { ErrorSlots } from './errors.js';
import { fieldCard } from './field-editor.js';
import { ruleText } from './collections.js';
import { watchOperations } from './progress.js';
import { authOptions, authOptionsLater } from './auth-options.js';

const RULES = [
  ['listRule', 'List', 'who may list and search records'],
  ['viewRule', 'View', 'who may read one record'],
  ['createRule', 'Create', 'who may create (@request.body.* is the new record)'],
  ['updateRule', 'Update', 'who may change a record'],
  ['deleteRule', 'Delete', 'who may delete a record'],
];
/** Fields every auth collection has; the server adds and guards them, so the form shows them read-only. */
const AUTH_FIXED = new Set(['email', 'password', 'tokenKey', 'verified']);

export async function render(main, params, shell) {
  const [existing, all] = await Promise.all([params.name ? api('GET', `/api/collections/${seg(params.name)}`) : null, collections()]);
  const general = notice('error');
  const saved = notice('ok');
  const errors = new ErrorSlots(general);
  const name = h('input', { type: 'text', value: existing?.name ?? '', required: true, disabled: Boolean(existing?.system),
    attrs: { 'data-testid': 'collection-name' } });
  const type = h('select', { disabled: Boolean(existing), attrs: { 'data-testid': 'collection-type' } },
    ['base', 'auth'].map((t) => h('option', { value: t, text: t, selected: (existing?.type ?? 'base') === t })));
  const nameRow = row('Name', name, 'Letters, digits and _; used in URLs.');
  const typeRow = row('Type', type, existing ? 'The type is fixed once created.' : 'auth adds email, password and verified.');
  errors.add('name', nameRow.errorEl);
  errors.add('type', typeRow.errorEl);

  const fixed = (existing?.fields ?? []).filter((f) => existing.type === 'auth' && AUTH_FIXED.has(f.name));
  // A relation field's target is chosen among these; a new collection may also point at itself by its name.
  const relationContext = { collections: all, self: existing, selfName: () => name.value.trim() };
  const cardsBox = h('div', { class: 'fields' });
  const cards = [];
  const addCard = (field) => {
    const card = fieldCard(field, cards.length, errors, () => { cards.splice(cards.indexOf(card), 1); redraw(); }, false, relationContext);
    cards.push(card);
    cardsBox.append(card);
  };
  // Removing a card renumbers the rest so error paths (fields.{i}) keep matching the body that is sent.
  const redraw = () => {
    const fields = cards.map((c) => ({ ...c.read(), existing: c.existing }));
    cards.length = 0;
    cardsBox.replaceChildren();
    fields.forEach(addCard);
  };
  for (const f of existing?.fields ?? []) {
    if (fixed.includes(f)) continue;
    addCard({ ...f, existing: true });
  }
  errors.add('fields', h('div', { class: 'field-error', attrs: { role: 'alert' } }));

  const ruleInputs = {};
  const rules = RULES.map(([key, label, help]) => {
    const value = existing ? existing[key] : (key === 'listRule' || key === 'viewRule' ? '' : null);
    const text = h('textarea', { rows: 1, value: value ?? '', disabled: value === null, placeholder: 'empty = everyone',
      attrs: { 'data-testid': `rule-${key}`, spellcheck: 'false' } });
    const locked = h('input', { type: 'checkbox', checked: value === null, attrs: { 'data-testid': `rule-${key}-locked` } });
    const shown = h('span', { class: 'hint' });
    locked.addEventListener('change', () => { text.disabled = locked.checked; update(); });
    text.addEventListener('input', () => update());
    // Says in words what the two special values mean; an expression speaks for itself.
    const update = () => {
      const v = locked.checked ? null : text.value.trim();
      shown.textContent = v === null || v === '' ? ruleText(v) : '';
    };
    update();
    ruleInputs[key] = { text, locked };
    const error = errors.add(key, h('div', { class: 'field-error', attrs: { role: 'alert' } }));
    return h('div', { class: 'rule' }, h('div', { class: 'rule-head' }, h('strong', { text: label }), h('span', { class: 'muted', text: help }),
      h('span', { class: 'spacer' }), h('label', { class: 'flag' }, locked, 'superusers only')), text, shown, error);
  });

  // An auth collection's sign-in options; a new one gets them once it exists (they name its saved fields).
  const auth = existing?.type === 'auth' ? authOptions(existing, errors) : null;
  const later = existing ? null : authOptionsLater();
  const showLater = () => later?.classList.toggle('hidden', type.value !== 'auth');
  type.addEventListener('change', showLater);
  showLater();

  const progress = h('div', { class: 'ops grow', attrs: { 'data-testid': 'operations' } });
  const saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', text: existing ? 'Save changes' : 'Create collection',
    attrs: { 'data-testid': 'save-collection' } });
  const form = h('form', { class: 'editor', attrs: { novalidate: true } },
    h('section', { class: 'card' }, h('h2', { text: 'Collection' }), nameRow, typeRow),
    h('section', { class: 'card' }, h('div', { class: 'section-head' }, h('h2', { text: 'Fields' }), h('span', { class: 'spacer' }),
      button('Add field', () => addCard({ name: '', type: 'text' }), 'plain', { attrs: { 'data-testid': 'add-field' } })),
      fixed.length ? h('p', { class: 'muted', text: `Fixed auth fields: ${fixed.map((f) => f.name).join(', ')} (email is unique, password and tokenKey are hidden).` }) : null,
      existing?.schemaless ? h('p', { class: 'muted', text: 'Schemaless: records may carry any field until fields are declared here.' }) : null,
      cardsBox, errors.slots.get('fields'),
      h('p', { class: 'hint', text: 'Indexes: tick "indexed" for fast filters and sorts on a field, "unique" for a unique index. Adding one builds it over the existing records.' })),
    h('section', { class: 'card' }, h('h2', { text: 'Rules' }),
      h('p', { class: 'muted', text: 'Filter expressions, e.g. owner_id = @request.auth.id. Empty: everyone, including anonymous clients. Locked: superusers only.' }),
      rules),
    auth?.el, later,
    general, saved,
    // The progress of an index build sits in the sticky bar beside the button, where the operator is looking.
    h('div', { class: 'actions sticky' }, progress, h('a', { class: 'btn btn-plain', href: '#/collections', text: 'Back' }), saveBtn));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    saved.show('');
    const body = { name: name.value.trim(), type: type.value, fields: cards.map((c) => c.read()) };
    for (const [key, { text, locked }] of Object.entries(ruleInputs)) body[key] = locked.checked ? null : text.value.trim();
    if (auth) Object.assign(body, auth.read());
    if (existing?.system) delete body.name;
    saveBtn.disabled = true;
    const stop = watchOperations(progress, ['index']);
    try {
      const result = existing
        ? await api('PATCH', `/api/collections/${seg(existing.name)}`, body)
        : await api('POST', '/api/collections', body);
      shell.refreshNav();
      if (!existing || result.name !== existing.name) {
        location.hash = `#/collections/${seg(result.name)}`;
        return;
      }
      saved.show(`Saved at ${new Date().toLocaleTimeString(undefined, { hour12: false })}.`);
    } catch (e) {
      errors.show(e);
    } finally {
      stop();
      saveBtn.disabled = false;
    }
  });

  replace(main,
    h('div', { class: 'view-head' }, h('h1', { text: existing ? `Collection ${existing.name}` : 'New collection' }), h('span', { class: 'spacer' }),
      existing ? h('a', { class: 'btn btn-plain', href: `#/records/${seg(existing.name)}`, text: 'Records' }) : null),
    form);
}
