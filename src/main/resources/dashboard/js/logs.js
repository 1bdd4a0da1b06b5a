// The request logs: entries per hour as bars (/api/logs/stats), the newest entries first with the filter language
// (its errors under the box, as for records), pages of 50, one entry in full in a dialog, and the logs settings
// (logs-settings.js). The chart and the list follow the same filter. Every value reaches the page as text.
import { h, replace, button, notice, cell, when, modal } from './dom.js';
import { api, query, seg } from './api.js';
import { drawBars } from './chart.js';
import { openLogSettings } from './logs-settings.js';

const PER_PAGE = 50;
const LEVELS = new Map([[-4, 'DEBUG'], [0, 'INFO'], [4, 'WARN'], [8, 'ERROR']]);

export const levelName = (n) => LEVELS.get(n) ?? String(n);

export async function render(main) {
  const state = { filter: '', errorsOnly: false, page: 1 };
  const error = notice('error');
  const filterInput = h('input', { type: 'search', placeholder: 'Filter, e.g. data.status >= 400 && data.url ~ "/api/collections/posts"',
    spellcheck: false, attrs: { 'data-testid': 'logs-filter', 'aria-label': 'Filter' } });
  const filterError = h('div', { class: 'filter-error hidden', attrs: { role: 'alert', 'data-testid': 'logs-filter-error' } });
  const errorsOnly = h('input', { type: 'checkbox', attrs: { 'data-testid': 'logs-errors-only' },
    on: { change: () => { state.errorsOnly = errorsOnly.checked; state.page = 1; load(); } } });
  const chart = h('div', { class: 'chart-host', attrs: { 'data-testid': 'logs-chart' } });
  const total = h('span', { class: 'big', attrs: { 'data-testid': 'logs-total' } });
  const body = h('tbody', { attrs: { 'data-testid': 'logs-list' } });
  const pager = h('div', { class: 'pager' });

  const effective = () => [state.filter && `(${state.filter})`, state.errorsOnly && 'level >= 8'].filter(Boolean).join(' && ');

  // Quick changes can overlap: only the answer to the latest request is drawn.
  let latest = 0;
  async function load() {
    const mine = ++latest;
    error.show('');
    const filter = effective();
    try {
      const [page, stats] = await Promise.all([
        api('GET', `/api/logs${query({ page: state.page, perPage: PER_PAGE, sort: '-created', filter })}`),
        api('GET', `/api/logs/stats${query({ filter })}`)]);
      if (mine !== latest) return;
      filterError.classList.add('hidden');
      drawBars(chart, stats);
      total.textContent = `${page.totalItems.toLocaleString('en-US')} entries`;
      replace(body, page.items.length ? page.items.map(rowFor)
        : h('tr', {}, h('td', { class: 'empty', colSpan: 6, text: filter ? 'No entry matches the filter.' : 'No request logged yet.' })));
      drawPager(page);
    } catch (e) {
      if (mine !== latest) return;
      if (e.data?.filter) {
        filterError.textContent = e.data.filter.message;
        filterError.classList.remove('hidden');
      } else {
        error.show(e.message);
      }
    }
  }

  function rowFor(entry) {
    const d = entry.data ?? {};
    const level = levelName(entry.level);
    return h('tr', { class: 'log-row', dataset: { id: entry.id }, attrs: { 'data-testid': `log-row-${entry.id}` }, on: { click: () => openEntry(entry) } },
      h('td', { class: 'nowrap', text: when(entry.created) }),
      h('td', {}, h('span', { class: `level level-${level.toLowerCase()}`, text: level })),
      h('td', { class: 'num', text: d.status ?? '' }),
      h('td', { class: 'mono log-message', text: cell(entry.message, 140), title: cell(entry.message, 2000) }),
      h('td', { class: 'num', text: typeof d.execTime === 'number' ? d.execTime.toFixed(1) : '' }),
      h('td', { text: d.auth || 'guest' }));
  }

  function drawPager(page) {
    replace(pager,
      button('‹ Newer', () => { state.page--; load(); }, 'plain', { disabled: state.page <= 1 }),
      h('span', { class: 'muted', text: `Page ${page.page} of ${Math.max(page.totalPages, 1)}` }),
      button('Older ›', () => { state.page++; load(); }, 'plain', { disabled: page.page >= page.totalPages }));
  }

  const filterForm = h('form', { class: 'filter-bar', on: { submit: (ev) => { ev.preventDefault(); state.filter = filterInput.value.trim(); state.page = 1; load(); } } },
    filterInput, h('button', { type: 'submit', class: 'btn btn-plain', text: 'Apply' }),
    button('Clear', () => { filterInput.value = ''; state.filter = ''; state.page = 1; load(); }),
    h('label', { class: 'flag' }, errorsOnly, 'Errors only'));
  replace(main,
    h('div', { class: 'view-head' }, h('h1', { text: 'Logs' }), h('span', { class: 'spacer' }),
      button('Refresh', () => load(), 'plain', { attrs: { 'data-testid': 'logs-refresh' } }),
      button('Logs settings', () => openLogSettings(load), 'plain', { attrs: { 'data-testid': 'logs-settings' } })),
    filterForm, filterError, error,
    h('section', { class: 'card chart-card logs-chart' }, h('div', { class: 'chart-head' }, h('h2', { text: 'Requests per hour' }), total), chart),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid logs' },
      h('thead', {}, h('tr', {}, ['Time', 'Level', 'Status', 'Request', 'ms', 'Auth'].map((t) => h('th', { text: t })))), body)),
    pager);
  await load();
}

/** One entry in full: its fields and its data, each as text, and the whole entry as JSON. */
async function openEntry(entry) {
  let full = entry;
  try { full = await api('GET', `/api/logs/${seg(entry.id)}`); } catch { /* the list's copy is shown */ }
  const rows = [['id', full.id], ['created', when(full.created)], ['level', `${levelName(full.level)} (${full.level})`], ['message', full.message],
    ...Object.entries(full.data ?? {}).map(([k, v]) => [`data.${k}`, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)])];
  const table = h('table', { class: 'kv log-detail', attrs: { 'data-testid': 'log-detail' } },
    h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', { class: 'mono', text: k }), h('td', { class: 'mono', text: v })))));
  const json = h('pre', { class: 'log-json', text: JSON.stringify(full, null, 2) });
  const dialog = modal(`Log entry ${full.id}`, h('div', { class: 'modal-body' }, table, h('details', {}, h('summary', { text: 'JSON' }), json)),
    [button('Close', () => dialog.close(), 'plain', { attrs: { 'data-testid': 'log-detail-close' } })]);
}
