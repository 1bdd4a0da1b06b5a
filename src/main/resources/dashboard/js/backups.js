// Backups of the embedded store: create (optionally named), list, download, restore and delete, through
// /api/backups. While a backup or restore runs, /api/operations is polled for its progress. On the PostgreSQL
// backend the server answers 400 pointing to pg_dump; that message is shown as it comes.
import { h, replace, button, notice, row, bytes, when, confirmAction } from './dom.js';
import { api, apiBlob, seg } from './api.js';
import { ErrorSlots } from './errors.js';
import { watchOperations } from './progress.js';

export async function render(main) {
  const general = notice('error');
  const done = notice('ok');
  const errors = new ErrorSlots(general);
  const name = h('input', { type: 'text', placeholder: 'optional, e.g. before-upgrade.zip', attrs: { 'data-testid': 'backup-name' } });
  const nameRow = row('Name', name, 'Empty: a name with the date and time.');
  errors.add('name', nameRow.errorEl);
  const create = h('button', { type: 'submit', class: 'btn btn-primary', text: 'Create backup', attrs: { 'data-testid': 'create-backup' } });
  const progress = h('div', { class: 'ops', attrs: { 'data-testid': 'operations' } });
  const body = h('tbody', { attrs: { 'data-testid': 'backup-list' } });

  async function load() {
    try {
      const list = await api('GET', '/api/backups');
      list.sort((a, b) => String(b.modified).localeCompare(String(a.modified)));
      replace(body, list.length ? list.map(rowFor) : h('tr', {}, h('td', { class: 'empty', colSpan: 4, text: 'No backups yet.' })));
    } catch (e) {
      replace(body, h('tr', {}, h('td', { class: 'empty', colSpan: 4, text: e.message })));
    }
  }

  /** Runs a long backup action with the progress bars shown and the buttons disabled. */
  async function busy(action, success) {
    errors.clear();
    done.show('');
    const stop = watchOperations(progress, ['backup', 'restore']);
    for (const b of main.querySelectorAll('button')) b.disabled = true;
    try {
      await action();
      done.show(success);
    } catch (e) {
      errors.show(e);
    } finally {
      stop();
      for (const b of main.querySelectorAll('button')) b.disabled = false;
      await load();
    }
  }

  function rowFor(b) {
    return h('tr', { dataset: { key: b.key } },
      h('td', { class: 'mono', text: b.key }),
      h('td', { class: 'num', text: bytes(b.size) }),
      h('td', { text: when(b.modified) }),
      h('td', { class: 'actions-cell' }, h('div', { class: 'row-actions' },
        button('Download', () => download(b), 'plain', { attrs: { 'data-testid': `download-${b.key}` } }),
        button('Restore', () => restore(b), 'plain', { attrs: { 'data-testid': `restore-${b.key}` } }),
        button('Delete', () => remove(b), 'danger', { attrs: { 'data-testid': `delete-${b.key}` } }))));
  }

  /** The file comes through fetch (it needs the Authorization header), then is saved from an object URL. */
  async function download(b) {
    try {
      const blob = await apiBlob(`/api/backups/${seg(b.key)}`);
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: b.key });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      general.show(e.message);
    }
  }

  async function restore(b) {
    const ok = await confirmAction(`Restore ${b.key}?`,
      `Every collection and record is replaced by the content of ${b.key} (${when(b.modified)}). Changes made since are lost.`, 'Restore');
    if (ok) await busy(() => api('POST', `/api/backups/${seg(b.key)}/restore`), `Restored ${b.key}.`);
  }

  async function remove(b) {
    if (!(await confirmAction(`Delete ${b.key}?`, 'The backup file is removed from the server.', 'Delete backup'))) return;
    await busy(() => api('DELETE', `/api/backups/${seg(b.key)}`), `Deleted ${b.key}.`);
  }

  const form = h('form', { class: 'card backup-form', on: { submit: (ev) => {
    ev.preventDefault();
    const wanted = name.value.trim();
    busy(() => api('POST', '/api/backups', wanted ? { name: wanted } : {}), 'Backup created.').then(() => { name.value = ''; });
  } } }, h('h2', { text: 'New backup' }), nameRow, h('div', { class: 'actions' }, create));

  replace(main,
    h('div', { class: 'view-head' }, h('h1', { text: 'Backups' })),
    h('p', { class: 'muted', text: 'A backup is a consistent copy of the embedded store, taken while the server runs. Restoring replaces all data.' }),
    form, progress, general, done,
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Key', 'Size', 'Date', ''].map((t) => h('th', { text: t })))), body));
  await load();
}
