// The collection list: type, fields, indexed fields, record counts (from /api/stats, which counts without
// scanning) and the five rules at a glance.
import { h, replace, button, notice, confirmAction } from './dom.js';
import { api, collections, seg } from './api.js';

const RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'];

/** How a rule reads in a list: null locks it to superusers, "" opens it to everyone. */
export function ruleText(rule) {
  if (rule === null || rule === undefined) return 'superusers only';
  if (rule === '') return 'everyone';
  return rule;
}

export async function render(main, _params, shell) {
  const error = notice('error');
  const body = h('tbody');
  main.append(
    h('div', { class: 'view-head' }, h('h1', { text: 'Collections' }), h('span', { class: 'spacer' }),
      h('a', { class: 'btn btn-primary', href: '#/collections/new', text: 'New collection', attrs: { 'data-testid': 'new-collection' } })),
    error,
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Name', 'Type', 'Records', 'Fields', 'Indexed', 'Rules (list / view / create / update / delete)', '']
        .map((t) => h('th', { text: t })))),
      body),
    h('p', { class: 'hint legend' }, 'Rules: ', h('span', { class: 'rule-chip locked', text: 'L' }), ' superusers only · ',
      h('span', { class: 'rule-chip open', text: 'L' }), ' everyone · ', h('span', { class: 'rule-chip expr', text: 'L' }),
      ' an expression (hover a letter to read it).'));

  async function load() {
    try {
      const [list, stats] = await Promise.all([collections(), api('GET', '/api/stats').catch(() => ({ records: {} }))]);
      replace(body, list.map((c) => rowFor(c, stats.records?.[c.name])));
    } catch (e) {
      error.show(e.message);
    }
  }

  function rowFor(c, count) {
    const indexed = c.fields.filter((f) => f.indexed || f.unique).map((f) => f.name + (f.unique ? ' (unique)' : ''));
    // One letter per rule (L V C U D), coloured by kind: locked, open to everyone, or an expression.
    const rules = h('div', { class: 'rules-mini' }, RULES.map((r) =>
      h('span', { class: `rule-chip ${c[r] === null ? 'locked' : c[r] === '' ? 'open' : 'expr'}`, title: `${r}: ${ruleText(c[r])}`,
        text: r[0].toUpperCase() })));
    const actions = h('div', { class: 'row-actions' },
      h('a', { class: 'btn btn-plain', href: `#/records/${seg(c.name)}`, text: 'Records' }),
      h('a', { class: 'btn btn-plain', href: `#/collections/${seg(c.name)}`, text: 'Edit' }),
      c.system ? null : button('Delete', () => remove(c), 'danger'));
    return h('tr', { dataset: { collection: c.name } },
      h('td', { class: 'nowrap' }, h('a', { href: `#/records/${seg(c.name)}`, text: c.name, class: 'strong' }), c.system ? h('span', { class: 'tag', text: 'system' }) : null,
        c.schemaless ? h('span', { class: 'tag', text: 'schemaless' }) : null),
      h('td', { text: c.type }),
      h('td', { class: 'num', text: count ?? '–', attrs: { 'data-testid': 'record-count' } }),
      h('td', { class: 'num', text: c.fields.filter((f) => !f.hidden).length }),
      h('td', { text: indexed.join(', ') || '–' }),
      h('td', {}, rules),
      h('td', {}, actions));
  }

  async function remove(c) {
    const count = (await api('GET', '/api/stats').catch(() => ({ records: {} }))).records?.[c.name];
    const ok = await confirmAction(`Delete ${c.name}?`,
      `The collection and ${count ?? 'all its'} records are removed for good. There is no undo except restoring a backup.`, 'Delete collection');
    if (!ok) return;
    try {
      await api('DELETE', `/api/collections/${seg(c.name)}`);
      shell.refreshNav();
      await load();
    } catch (e) {
      // A collection that a relation field points at is refused; the message names that field (posts.author).
      error.show(`${c.name} was not deleted. ${e.message}`);
      error.scrollIntoView?.({ block: 'nearest' });
    }
  }

  await load();
}
