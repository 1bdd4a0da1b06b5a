// The logs section of the settings in a dialog: how many days entries are kept (0 = none), the lowest level kept,
// and whether the client's IP and the caller's id are kept. Saved with PATCH /api/settings {logs: {...}}; the
// server's per-field errors are shown under their inputs. The next request logged follows the new settings.
import { h, button, notice, row, checkRow, modal } from './dom.js';
import { api } from './api.js';
import { ErrorSlots } from './errors.js';

/** Opens the dialog; `onSaved()` runs after a successful save (the logs page reloads its list). */
export async function openLogSettings(onSaved) {
  const settings = await api('GET', '/api/settings');
  const logs = settings.logs ?? {};
  const general = notice('error');
  const errors = new ErrorSlots(general);
  const maxDays = h('input', { type: 'number', min: 0, step: 1, value: logs.maxDays ?? 5, attrs: { 'data-testid': 'opt-logs-maxDays' } });
  const minLevel = h('select', { attrs: { 'data-testid': 'opt-logs-minLevel' } },
    [[-4, 'DEBUG (-4)'], [0, 'INFO (0)'], [4, 'WARN (4)'], [8, 'ERROR (8)']].map(([v, label]) =>
      h('option', { value: v, text: label, selected: v === (logs.minLevel ?? 0) })));
  const logIP = h('input', { type: 'checkbox', checked: logs.logIP ?? true, attrs: { 'data-testid': 'opt-logs-logIP' } });
  const logAuthId = h('input', { type: 'checkbox', checked: logs.logAuthId ?? false, attrs: { 'data-testid': 'opt-logs-logAuthId' } });
  const rows = {
    maxDays: row('Days kept', maxDays, '0 keeps no logs at all (and removes those kept).'),
    minLevel: row('Lowest level kept', minLevel, 'Requests answered with an error are ERROR, the others INFO.'),
    logIP: checkRow('Keep the client IP', logIP),
    logAuthId: checkRow('Keep the caller\'s record id', logAuthId),
  };
  for (const [key, r] of Object.entries(rows)) errors.add(`logs.${key}`, r.errorEl);
  const save = h('button', { type: 'submit', class: 'btn btn-primary', text: 'Save', attrs: { 'data-testid': 'save-logs-settings' } });
  const form = h('form', { class: 'inline-form', noValidate: true }, general, Object.values(rows), h('div', { class: 'actions' }, button('Cancel', () => dialog.close()), save));
  const dialog = modal('Logs settings', form, []);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    save.disabled = true;
    try {
      await api('PATCH', '/api/settings', { logs: { maxDays: Number(maxDays.value), minLevel: Number(minLevel.value),
        logIP: logIP.checked, logAuthId: logAuthId.checked } });
      dialog.close();
      await onSaved();
    } catch (e) {
      errors.show(e);
    } finally {
      save.disabled = false;
    }
  });
}
