// The options of a relation field in the collection editor: its target collection (a <select> of the existing
// collections, sent as `collectionId` = that collection's id; a new collection may point at itself, sent by the
// name it is being created with), single or multiple (`maxSelect`), `minSelect` and `cascadeDelete`. The target
// of a saved relation cannot change (the server refuses it), so it is shown disabled with the reason.
import { h } from './dom.js';

const SELF = '@self';
const DEFAULT_MANY = 99;

/**
 * @param field   the field as the API gives it (`collectionId`; `collection` from older forms) or a new one
 * @param index   the card's position (errors come back as fields.{index}.collectionId …)
 * @param err     makes and registers the error place of a path
 * @param context { collections: the existing collections, self: the edited collection or null, selfName: () => the
 *                name typed for a new collection }
 * @param locked  shown, not editable
 */
export function relationOptions(field, index, err, context, locked = false) {
  const path = `fields.${index}`;
  const ids = new Set(context.collections.map((c) => c.id));
  const given = field.collectionId ?? field.collection ?? '';
  const byName = context.collections.find((c) => c.name === given);
  // A redrawn new card holds what read() gave: the id, or a name (its own collection's, or one typed in an old form).
  const current = ids.has(given) ? given : byName ? byName.id : given && !context.self ? SELF : given;
  const fixedTarget = Boolean(field.existing && given);

  const target = h('select', { disabled: locked || fixedTarget, attrs: { 'data-testid': `field-collectionId-${index}` } },
    h('option', { value: '', text: '— choose —', disabled: true, selected: current === '' }),
    context.self ? null : h('option', { value: SELF, text: 'this new collection', selected: current === SELF }),
    context.collections.map((c) => h('option', { value: c.id, text: c.system ? `${c.name} (system)` : c.name, selected: c.id === current })),
    current && current !== SELF && !ids.has(current) ? h('option', { value: current, text: `${current} (missing)`, selected: true }) : null);
  if (fixedTarget) target.title = 'The target of a saved relation cannot change (the server refuses it): remove the field and add it again.';

  const maxSelect = field.maxSelect ?? 1;
  const multiple = h('select', { disabled: locked, attrs: { 'data-testid': `field-multiple-${index}` } },
    h('option', { value: 'single', text: 'single (one id)', selected: maxSelect <= 1 }),
    h('option', { value: 'multiple', text: 'multiple (array of ids)', selected: maxSelect > 1 }));
  const max = h('input', { type: 'number', min: 2, step: 1, value: maxSelect > 1 ? maxSelect : DEFAULT_MANY, disabled: locked,
    attrs: { 'data-testid': `field-maxSelect-${index}` } });
  const min = h('input', { type: 'number', min: 0, step: 1, value: field.minSelect ?? 0, disabled: locked,
    attrs: { 'data-testid': `field-minSelect-${index}` } });
  const cascade = h('input', { type: 'checkbox', checked: Boolean(field.cascadeDelete), disabled: locked,
    attrs: { 'data-testid': `field-cascadeDelete-${index}` } });
  const maxLabel = h('label', { class: 'opt' }, h('span', { text: 'Max select' }), max, err(`${path}.maxSelect`));
  const showMax = () => maxLabel.classList.toggle('hidden', multiple.value !== 'multiple');
  multiple.addEventListener('change', showMax);
  showMax();

  const el = h('div', { class: 'limits relation-options' },
    h('label', { class: 'opt' }, h('span', { text: 'Target collection' }), target, err(`${path}.collectionId`)),
    h('label', { class: 'opt' }, h('span', { text: 'Records' }), multiple),
    maxLabel,
    h('label', { class: 'opt' }, h('span', { text: 'Min select' }), min, err(`${path}.minSelect`)),
    h('div', { class: 'opt' }, h('span', { text: 'On delete' }),
      h('label', { class: 'flag', title: 'Deleting a target record also deletes the records that point at it through this field.' },
        cascade, 'cascade delete'), err(`${path}.cascadeDelete`)));

  const read = () => {
    const out = {
      collectionId: target.value === SELF ? context.selfName() : target.value,
      maxSelect: multiple.value === 'multiple' ? Number(max.value || DEFAULT_MANY) : 1,
      minSelect: Number(min.value || 0),
      cascadeDelete: cascade.checked,
    };
    return out;
  };
  return { el, read };
}
