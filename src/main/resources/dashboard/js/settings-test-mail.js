// "Send a test e-mail": POST /api/settings/test/email sends one message at once through the saved SMTP settings and
// answers 204, or 400 with the SMTP server's (or client's) reason, which is shown as it comes.
import { h, notice, row } from './dom.js';
import { api } from './api.js';
import { ErrorSlots } from './errors.js';

const TEMPLATES = ['verification', 'password-reset', 'email-change', 'otp', 'login-alert'];

/** @param authCollections the auth collections, whose templates the message may use (default `_superusers`) */
export function testMailCard(authCollections) {
  const result = notice('error');
  result.setAttribute('data-testid', 'test-email-result');
  const errors = new ErrorSlots(result);
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', placeholder: 'you@example.com', attrs: { 'data-testid': 'test-email-to' } });
  const template = h('select', { name: 'template', attrs: { 'data-testid': 'test-email-template' } },
    TEMPLATES.map((t) => h('option', { value: t, text: t })));
  const collection = h('select', { name: 'collection', attrs: { 'data-testid': 'test-email-collection' } },
    h('option', { value: '', text: '_superusers (default)' }),
    authCollections.filter((c) => c.name !== '_superusers').map((c) => h('option', { value: c.name, text: c.name })));
  const rows = { email: row('To', email), template: row('Template', template), collection: row('Templates of the auth collection', collection) };
  for (const [path, r] of Object.entries(rows)) errors.add(path, r.errorEl);
  const send = h('button', { type: 'submit', class: 'btn btn-primary', text: 'Send test e-mail', attrs: { 'data-testid': 'send-test-email' } });

  const form = h('form', { class: 'card', attrs: { novalidate: true, 'aria-label': 'Send a test e-mail' } },
    h('h2', { text: 'Send a test e-mail' }),
    h('p', { class: 'muted', text: 'Sends one message now through the saved mail settings (save changes first), with test values in place of tokens and codes.' }),
    Object.values(rows), result, h('div', { class: 'actions' }, send));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    send.disabled = true;
    result.show('Sending…', 'info');
    const body = { email: email.value.trim(), template: template.value };
    if (collection.value) body.collection = collection.value;
    try {
      await api('POST', '/api/settings/test/email', body);
      result.show(`Sent: the SMTP server accepted the message to ${body.email}.`, 'ok');
    } catch (e) {
      result.show('', 'error');
      errors.show(e);
    } finally {
      send.disabled = false;
    }
  });
  return form;
}
