// A collection's records: a page of rows with sortable columns, a filter box taking the filter language (its
// syntax errors are shown under the box with a caret at the reported position), paging, and the record form.
// Hidden fields are never shown: the columns come from the schema without them (and the API leaves them out).
import { h, replace, button, notice, cell, when, confirmAction } from './dom.js';
import { api, query, seg } from './api.js';
import { openRecordForm } from './record-form.js';
import { relationTargets, expandParam, idsOf, labelOf } from './relations.js';
import { fileNames, isImage, thumbnail, fileLink, tokenSource } from './files.js';

const SYSTEM_COLUMNS = ['created', 'updated'];

export async function render(main, params) {
  const collection = await api('GET', `/api/collections/${seg(params.name)}`);
  const visible = collection.fields.filter((f) => !f.hidden);
  const targets = await relationTargets(collection);
  const fileFields = new Map(visible.filter((f) => f.type === 'file').map((f) => [f.name, f]));
  const expand = expandParam(collection);
  const state = { page: 1, perPage: 30, sort: '-created', filter: '' };
  const error = notice('error');
  const filterInput = h('input', { type: 'search', placeholder: 'Filter, e.g. status = "published" && views > 10', spellcheck: false,
    attrs: { 'data-testid': 'filter', 'aria-label': 'Filter' } });
  const filterError = h('div', { class: 'filter-error hidden', attrs: { role: 'alert', 'data-testid': 'filter-error' } });
  const head = h('thead');
  const body = h('tbody');
  const pager = h('div', { class: 'pager' });
  const perPage = h('select', { attrs: { 'aria-label': 'Rows per page' }, on: { change: () => { state.perPage = Number(perPage.value); state.page = 1; load(); } } },
    [10, 30, 100, 500].map((n) => h('option', { value: n, text: `${n} / page`, selected: n === state.perPage })));

  const columns = () => {
    // A schemaless collection has no declared fields: show the keys of the rows on the page instead.
    if (collection.schemaless && visible.length === 0) return null;
    return ['id', ...visible.map((f) => f.name), ...SYSTEM_COLUMNS];
  };

  function drawHead(cols) {
    replace(head, h('tr', {}, cols.map((c) => {
      const key = state.sort.replace(/^-/, '');
      const mark = key === c ? (state.sort.startsWith('-') ? ' ▼' : ' ▲') : '';
      return h('th', { class: 'sortable', attrs: { 'aria-sort': mark ? (state.sort.startsWith('-') ? 'descending' : 'ascending') : null } },
        h('button', { type: 'button', class: 'th-btn', text: c + mark, on: { click: () => sortBy(c) } }));
    }), h('th', { text: '' })));
  }

  function sortBy(c) {
    state.sort = state.sort === c ? `-${c}` : c;
    state.page = 1;
    load();
  }

  function showFilterError(message) {
    if (!message) { filterError.classList.add('hidden'); filterError.replaceChildren(); return; }
    const at = /at position (\d+)/.exec(message);
    const parts = [h('div', { text: message })];
    if (at) {
      const pos = Math.min(Number(at[1]), state.filter.length);
      parts.push(h('pre', { class: 'caret' }, state.filter, '\n', ' '.repeat(pos) + '^'));
      filterInput.setSelectionRange?.(pos, pos);
    }
    replace(filterError, parts);
    filterError.classList.remove('hidden');
  }

  // Quick clicks (sort, next page) can overlap: only the answer to the latest request is drawn.
  let latest = 0;
  async function load() {
    const mine = ++latest;
    error.show('');
    try {
      const page = await api('GET', `/api/collections/${seg(collection.name)}/records${query({
        page: state.page, perPage: state.perPage, sort: state.sort, filter: state.filter, expand })}`);
      if (mine !== latest) return;
      showFilterError('');
      const cols = columns() ?? ['id', ...new Set(page.items.flatMap((r) => Object.keys(r))
        .filter((k) => !['id', 'collectionId', 'collectionName', '_version', ...SYSTEM_COLUMNS].includes(k))), ...SYSTEM_COLUMNS];
      drawHead(cols);
      const token = tokenSource(); // one file token for this page's protected thumbnails, if it shows any
      replace(body, page.items.length ? page.items.map((r) => rowFor(r, cols, token))
        : h('tr', {}, h('td', { class: 'empty', colSpan: cols.length + 1, text: state.filter ? 'No record matches the filter.' : 'No records yet.' })));
      drawPager(page);
    } catch (e) {
      if (mine !== latest) return;
      if (e.data?.filter) showFilterError(e.data.filter.message);
      else if (e.data?.sort) { error.show(`Sort: ${e.data.sort.message}`); state.sort = '-created'; }
      else error.show(e.message);
    }
  }

  function rowFor(r, cols, token) {
    return h('tr', { dataset: { id: r.id } },
      cols.map((c) => targets.has(c) ? relationCell(r, c) : fileFields.has(c) ? fileCell(r, c, token)
        : h('td', { class: c === 'id' ? 'mono' : '', text: SYSTEM_COLUMNS.includes(c) ? when(r[c]) : cell(r[c]), title: cell(r[c], 2000) })),
      h('td', { class: 'actions-cell' }, h('div', { class: 'row-actions' },
        button('Edit', () => openRecordForm(collection, r, load, targets), 'plain', { attrs: { 'data-testid': `edit-${r.id}` } }),
        button('Delete', () => remove(r), 'danger', { attrs: { 'data-testid': `delete-${r.id}` } }))));
  }

  /** Related records by their label (text field, else id); an id the caller may not view or that is gone stays an id. */
  function relationCell(r, c) {
    const target = targets.get(c);
    const expanded = new Map([r.expand?.[c] ?? []].flat().map((x) => [x.id, x]));
    const ids = idsOf(r[c]);
    const labels = ids.map((id) => (expanded.has(id) ? labelOf(expanded.get(id), target) : id));
    return h('td', { class: 'relation', title: ids.join(', '), attrs: { 'data-testid': `relation-cell-${c}` } },
      cell(labels.join(', ')));
  }

  /** The first files of a file field: a thumbnail for an image, the name (a link) otherwise; the rest counted. */
  function fileCell(r, c, token) {
    const field = fileFields.get(c);
    const names = fileNames(r[c]);
    const shown = names.slice(0, 3).map((n) => (isImage(n) ? thumbnail(collection, field, r.id, n, token)
      : fileLink(collection, field, r.id, n, cell(n, 24))));
    return h('td', { class: 'files-cell', title: names.join(', '), attrs: { 'data-testid': `file-cell-${c}` } },
      h('div', { class: 'cell-files' }, shown, names.length > 3 ? h('span', { class: 'muted', text: `+${names.length - 3}` }) : null));
  }

  function drawPager(page) {
    const total = page.totalItems >= 0 ? `${page.totalItems} records` : '';
    replace(pager,
      button('‹ Prev', () => { state.page--; load(); }, 'plain', { disabled: state.page <= 1 }),
      h('span', { class: 'muted', text: `Page ${page.page} of ${Math.max(page.totalPages, 1)} · ${total}`, attrs: { 'data-testid': 'pager-info' } }),
      button('Next ›', () => { state.page++; load(); }, 'plain', { disabled: page.page >= page.totalPages }),
      perPage);
  }

  async function remove(r) {
    if (!(await confirmAction('Delete this record?', `Record ${r.id} of ${collection.name} is removed for good.`, 'Delete'))) return;
    try {
      await api('DELETE', `/api/collections/${seg(collection.name)}/records/${seg(r.id)}${query({ version: r._version })}`);
      await load();
    } catch (e) {
      error.show(e.status === 409 ? 'The record changed since the page was loaded; it was not deleted. The list is reloaded.'
        : e.status === 400 && /relation/.test(e.message) ? `Record ${r.id} was not deleted. ${e.message} A required relation field `
          + 'of another record points at it: change or empty that field first, or make the field optional or cascading.'
          : e.message);
      error.scrollIntoView?.({ block: 'nearest' });
      if (e.status === 409) await load();
    }
  }

  const filterForm = h('form', { class: 'filter-bar', on: { submit: (ev) => { ev.preventDefault(); state.filter = filterInput.value.trim(); state.page = 1; load(); } } },
    filterInput, h('button', { type: 'submit', class: 'btn btn-plain', text: 'Apply' }),
    button('Clear', () => { filterInput.value = ''; state.filter = ''; state.page = 1; load(); }));
  replace(main,
    h('div', { class: 'view-head' }, h('h1', {}, 'Records of ', h('span', { class: 'mono', text: collection.name })), h('span', { class: 'spacer' }),
      h('a', { class: 'btn btn-plain', href: `#/collections/${seg(collection.name)}`, text: 'Edit collection' }),
      button('New record', () => openRecordForm(collection, null, load, targets), 'primary', { attrs: { 'data-testid': 'new-record' } })),
    filterForm, filterError, error,
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid records' }, head, body)),
    pager);
  await load();
}
