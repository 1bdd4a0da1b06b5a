// What the records view and the record form need to know about a collection's relation fields: the target
// collection of each, the text field that names its records (the first text field, e.g. `name`), the `expand`
// parameter that brings the related records along, and a short label for a related record.
import { api, query, seg } from './api.js';

/** The relation fields of `collection` that a page shows (hidden ones never are). */
export function relationFields(collection) {
  return collection.fields.filter((f) => f.type === 'relation' && !f.hidden);
}

/** `expand` for every shown relation field ("" when there is none, so `query` leaves it out). */
export function expandParam(collection) {
  return relationFields(collection).map((f) => f.name).join(',');
}

/**
 * Map of relation field name → { collection, labelField } for the field's target. A target that cannot be read
 * is left out: its ids are then shown as they are.
 */
export async function relationTargets(collection) {
  const targets = new Map();
  const byId = new Map();
  for (const f of relationFields(collection)) {
    const id = f.collectionId ?? f.collection;
    if (!id) continue;
    if (!byId.has(id)) byId.set(id, api('GET', `/api/collections/${seg(id)}`).catch(() => null));
    const target = await byId.get(id);
    if (target) targets.set(f.name, { collection: target, labelField: labelFieldOf(target) });
  }
  return targets;
}

/** The first visible text field of a collection (what a person reads as a record's name), or null. */
export function labelFieldOf(collection) {
  const text = collection.fields.filter((f) => !f.hidden && (f.type === 'text' || f.type === 'email'));
  return (text.find((f) => f.type === 'text') ?? text[0])?.name ?? null;
}

/** A related record's short label: its text field when set, else its id. */
export function labelOf(record, target) {
  const text = target?.labelField ? record?.[target.labelField] : null;
  return text === null || text === undefined || text === '' ? record.id : String(text);
}

/** A relation value (one id, "" or an array of ids) as a list of ids. */
export function idsOf(value) {
  return [value ?? []].flat().filter((id) => typeof id === 'string' && id !== '');
}

/**
 * Up to `limit` records of the target whose id is `text` or whose label field contains it (all when `text` is
 * empty), newest first, with only the fields a label needs.
 */
export async function searchRelated(target, text, limit = 20) {
  const q = text.trim();
  const filter = q === '' ? '' : [`id = ${JSON.stringify(q)}`, target.labelField ? `${target.labelField} ~ ${JSON.stringify(q)}` : null]
    .filter(Boolean).join(' || ');
  const fields = ['id', target.labelField].filter(Boolean).join(',');
  const page = await api('GET', `/api/collections/${seg(target.collection.name)}/records${query({
    perPage: limit, sort: '-created', filter, fields, skipTotal: 1 })}`);
  return page.items;
}

/** The records of the target with these ids (for labels of a value that came without `expand`). */
export async function fetchRelated(target, ids) {
  ids = ids.slice(0, 200); // labels for the first 200; the rest show their ids
  if (!ids.length) return [];
  const filter = ids.map((id) => `id = ${JSON.stringify(id)}`).join(' || ');
  const fields = ['id', target.labelField].filter(Boolean).join(',');
  const page = await api('GET', `/api/collections/${seg(target.collection.name)}/records${query({
    perPage: ids.length, filter, fields, skipTotal: 1 })}`);
  return page.items;
}
