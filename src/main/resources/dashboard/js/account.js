// The signed-in superuser's own password: the normal `PATCH /api/collections/_superusers/records/{id}`. The change
// revokes every earlier token of the account (the current one too), so the form signs in again with the new
// password and the dashboard goes on; were that to fail, the login screen says why.
import { h, button, notice, row, modal } from './dom.js';
import { api, session, seg, SIGNED_OUT } from './api.js';
import { ErrorSlots } from './errors.js';

/**
 * The password form, for the banner and the account menu. `onDone()` runs once the new token is stored;
 * `onCancel()` closes the form.
 */
export function passwordForm(onDone, onCancel) {
  const admin = session.admin();
  const general = notice('error');
  const errors = new ErrorSlots(general);
  const input = (name, auto) => h('input', { type: 'password', name, autocomplete: auto, required: true, attrs: { 'data-testid': `pw-${name}` } });
  const oldPw = input('oldPassword', 'current-password');
  const pw = input('password', 'new-password');
  const confirm = input('passwordConfirm', 'new-password');
  const rows = [row('Current password', oldPw), row('New password', pw, '8 characters to 72 bytes.'), row('Repeat it', confirm)];
  ['oldPassword', 'password', 'passwordConfirm'].forEach((p, i) => errors.add(p, rows[i].errorEl));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', text: 'Change password' });
  const form = h('form', { class: 'inline-form', attrs: { 'aria-label': `New password for ${admin?.email ?? 'this superuser'}` } },
    general, rows, h('div', { class: 'actions' }, button('Cancel', () => onCancel()), submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    if (pw.value !== confirm.value) {
      errors.show({ message: 'Failed to validate the request.', data: { passwordConfirm: { message: 'The passwords do not match.' } } });
      return;
    }
    submit.disabled = true;
    try {
      // The records API lets a superuser skip oldPassword (and ignores a wrong one), so the dashboard checks it
      // itself: whoever finds a signed-in tab must still know the password to change it.
      await api('POST', '/api/collections/_superusers/auth-with-password', { identity: admin.email, password: oldPw.value })
        .catch((e) => {
          if (e.status !== 400) throw e;
          throw Object.assign(new Error('Failed to validate the request.'), { data: { oldPassword: { message: 'This is not your current password.' } } });
        });
      await api('PATCH', `/api/collections/_superusers/records/${seg(admin.id)}`, { password: pw.value, passwordConfirm: confirm.value });
    } catch (e) {
      submit.disabled = false;
      errors.show(e);
      return;
    }
    // The old token is revoked now: sign in with the new password (a failure here ends at the login screen).
    const auth = await api('POST', '/api/collections/_superusers/auth-with-password', { identity: admin.email, password: pw.value })
      .catch(() => null);
    if (!auth) {
      session.clear();
      window.dispatchEvent(new CustomEvent(SIGNED_OUT, { detail: 'Your password was changed. Sign in with the new password.' }));
      return;
    }
    session.set(auth.token, { id: auth.record.id, email: auth.record.email });
    await onDone();
  });
  form.first = oldPw;
  return form;
}

/** The account menu's entry: the password form in a dialog; `restart(message)` redraws the signed-in dashboard. */
export function openPasswordDialog(restart) {
  const admin = session.admin();
  let dialog = null;
  const form = passwordForm(() => { dialog.close(); return restart('Your password was changed; the dashboard signed in again with the new one.'); },
    () => dialog.close());
  dialog = modal(`Change the password of ${admin?.email ?? 'this superuser'}`, form, []);
  form.first.focus();
}
