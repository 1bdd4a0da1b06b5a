// The server's settings (superusers): the application's name, address and sender, and the SMTP server, through
// GET/PATCH /api/settings. A save sends only the keys the operator changed, so a concurrent change of another key
// by someone else is not put back; the SMTP password is write-only (never answered, empty = keep). Errors come back
// nested (`data.smtp.port`) and are shown under their inputs. Below: a test e-mail, and the sections that
// environment variables set (read-only).
import { h, replace, notice, button, checkRow } from './dom.js';
import { api, collections } from './api.js';
import { ErrorSlots } from './errors.js';
import { optionField, setPath, getPath } from './option-field.js';
import { testMailCard } from './settings-test-mail.js';
import { envCard } from './settings-env.js';

const APPLICATION = [
  ['meta.appName', { label: 'Application name', kind: 'text', hint: 'In mail as {APP_NAME}.' }],
  ['meta.appURL', { label: 'Application URL', kind: 'url', placeholder: 'https://example.com', hint: 'Links in mail start with it ({APP_URL}).' }],
  ['meta.senderName', { label: 'Sender name', kind: 'text' }],
  ['meta.senderAddress', { label: 'Sender address', kind: 'email', placeholder: 'no-reply@example.com' }],
];
const MAIL = [
  ['smtp.enabled', { label: 'Send mail through this SMTP server', kind: 'bool' }],
  ['smtp.host', { label: 'Host', kind: 'text', placeholder: 'smtp.example.com' }],
  ['smtp.port', { label: 'Port', kind: 'number', hint: '587 for STARTTLS, 465 for implicit TLS.' }],
  ['smtp.username', { label: 'Username', kind: 'text', hint: 'Empty: no authentication.' }],
  ['smtp.password', { label: 'Password', kind: 'secret', hint: 'Never shown: the server does not answer it. Leave empty to keep the stored one.' }],
  ['smtp.authMethod', { label: 'Authentication method', kind: 'select', options: ['PLAIN', 'LOGIN'] }],
  ['smtp.tls', { label: 'Implicit TLS (port 465); off: STARTTLS when the server offers it', kind: 'bool' }],
  ['smtp.localName', { label: 'Local name (EHLO)', kind: 'text', placeholder: 'empty = this host' }],
];

export async function render(main) {
  const [loaded, all] = await Promise.all([api('GET', '/api/settings'), collections().catch(() => [])]);
  let current = loaded;
  const general = notice('error');
  const saved = notice('ok');
  saved.setAttribute('data-testid', 'settings-saved');
  const errors = new ErrorSlots(general);
  const fields = [...APPLICATION, ...MAIL].map(([path, spec]) => optionField(spec, getPath(current, path), path, errors));
  const byPath = Object.fromEntries(fields.map((f) => [f.path, f]));
  const clearPassword = h('input', { type: 'checkbox', attrs: { 'data-testid': 'opt-smtp-password-clear' } });

  /** The changed keys only, in the API's nested shape; the password when one was typed (or cleared). */
  const changes = () => {
    const body = {};
    for (const f of fields) {
      const value = f.read();
      if (f.path === 'smtp.password') {
        if (clearPassword.checked) setPath(body, f.path, '');
        else if (value !== undefined) setPath(body, f.path, value);
      } else if (value !== getPath(current, f.path)) {
        setPath(body, f.path, value);
      }
    }
    return body;
  };

  const saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', text: 'Save settings', attrs: { 'data-testid': 'save-settings' } });
  const form = h('form', { attrs: { novalidate: true, 'aria-label': 'Settings' } },
    h('section', { class: 'card' }, h('h2', { text: 'Application' }), APPLICATION.map(([p]) => byPath[p].el)),
    h('section', { class: 'card' }, h('h2', { text: 'Mail' }),
      h('p', { class: 'muted', text: 'Verification, password reset, e-mail change and one-time codes are sent through this server.' }),
      MAIL.map(([p]) => [byPath[p].el, p === 'smtp.password' ? checkRow('Remove the stored password', clearPassword) : null])),
    general, saved,
    h('div', { class: 'actions sticky' }, saveBtn));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    saved.show('');
    const body = changes();
    if (!Object.keys(body).length) {
      saved.show('Nothing changed.', 'info');
      return;
    }
    saveBtn.disabled = true;
    try {
      current = await api('PATCH', '/api/settings', body);
      byPath['smtp.password'].control.value = '';
      clearPassword.checked = false;
      saved.show(`Saved at ${new Date().toLocaleTimeString(undefined, { hour12: false })}.`, 'ok');
    } catch (e) {
      errors.show(e);
    } finally {
      saveBtn.disabled = false;
    }
  });

  const reload = button('Reload', () => render(main), 'plain', { title: 'Read the settings again from the server' });
  replace(main,
    h('div', { class: 'view-head' }, h('h1', { text: 'Settings' }), h('span', { class: 'spacer' }), reload),
    h('div', { class: 'editor' }, form, testMailCard(all.filter((c) => c.type === 'auth')), envCard(current)));
}
