// The loud warnings of an unsafe set-up: the default superuser password and a generated token secret. The
// password can be changed right here (the normal _superusers record update, with oldPassword); a password
// change revokes the current token, so the dashboard signs in again with the new password.
import { h, replace, button, notice, row } from './dom.js';
import { api, session, seg } from './api.js';
import { ErrorSlots } from './errors.js';

export function renderBanner(slot, warnings, restart) {
  const items = [];
  if (warnings.defaultPassword) {
    items.push(h('div', { class: 'banner-item' },
      h('strong', { text: 'A superuser still has the default password "password123".' }),
      ' Anyone who knows NanoDB can sign in. ',
      button('Change my password', () => openForm(slot, restart), 'danger', { attrs: { 'data-testid': 'change-password' } })));
  }
  if (warnings.generatedSecret) {
    items.push(h('div', { class: 'banner-item' },
      h('strong', { text: 'JWT_SECRET is not set.' }),
      ' Tokens are signed with a secret generated and kept in the store. Set JWT_SECRET (at least 32 characters) '
      + 'in the environment or .env and restart; production mode refuses to start without it.'));
  }
  replace(slot, items.length ? h('div', { class: 'banner', attrs: { role: 'alert', 'data-testid': 'warning-banner' } }, items) : null);
}

function openForm(slot, restart) {
  const admin = session.admin();
  const general = notice('error');
  const errors = new ErrorSlots(general);
  const input = (name, auto) => h('input', { type: 'password', name, autocomplete: auto, required: true });
  const oldPw = input('oldPassword', 'current-password');
  const pw = input('password', 'new-password');
  const confirm = input('passwordConfirm', 'new-password');
  const rows = [row('Current password', oldPw), row('New password', pw, '8 characters to 72 bytes.'), row('Repeat it', confirm)];
  ['oldPassword', 'password', 'passwordConfirm'].forEach((p, i) => errors.add(p, rows[i].errorEl));
  const form = h('form', { class: 'inline-form' }, general, rows,
    h('div', { class: 'actions' }, button('Cancel', () => restart()), h('button', { type: 'submit', class: 'btn btn-primary', text: 'Change password' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      // The records API lets a superuser skip oldPassword (and ignores a wrong one), so the dashboard checks it
      // itself: whoever finds a signed-in tab must still know the password to change it.
      await api('POST', '/api/collections/_superusers/auth-with-password', { identity: admin.email, password: oldPw.value })
        .catch((e) => {
          if (e.status !== 400) throw e;
          throw Object.assign(new Error('Failed to validate the request.'), { data: { oldPassword: { message: 'This is not your current password.' } } });
        });
      await api('PATCH', `/api/collections/_superusers/records/${seg(admin.id)}`,
        { oldPassword: oldPw.value, password: pw.value, passwordConfirm: confirm.value });
      const auth = await api('POST', '/api/collections/_superusers/auth-with-password', { identity: admin.email, password: pw.value });
      session.set(auth.token, { id: auth.record.id, email: auth.record.email });
      await restart();
    } catch (e) {
      errors.show(e);
    }
  });
  replace(slot, h('div', { class: 'banner' }, h('strong', { text: `New password for ${admin.email}` }), form));
  oldPw.focus();
}
