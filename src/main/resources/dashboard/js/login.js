// Superuser sign-in through the PocketBase route; the token goes to sessionStorage (see api.js).
import { h, replace, notice } from './dom.js';
import { api, session } from './api.js';

export function renderLogin(root, message, onSignedIn) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, attrs: { 'data-testid': 'login-email' } });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, attrs: { 'data-testid': 'login-password' } });
  const info = notice('info');
  const error = notice('error');
  if (message) info.show(message);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', text: 'Sign in' });
  const form = h('form', { class: 'login-card', attrs: { 'aria-label': 'Sign in' } },
    h('h1', {}, 'NanoDB'),
    h('p', { class: 'muted', text: 'Dashboard — sign in as a superuser.' }),
    info, error,
    h('label', { class: 'row' }, h('span', { class: 'row-label', text: 'Email' }), email),
    h('label', { class: 'row' }, h('span', { class: 'row-label', text: 'Password' }), password),
    submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    error.show('');
    try {
      const auth = await api('POST', '/api/collections/_superusers/auth-with-password',
        { identity: email.value.trim(), password: password.value });
      session.set(auth.token, { id: auth.record.id, email: auth.record.email });
      password.value = '';
      await onSignedIn();
    } catch (e) {
      error.show(e.status === 400 ? 'Wrong email or password (superuser accounts only).' : e.message);
    } finally {
      submit.disabled = false;
    }
  });
  replace(root, h('div', { class: 'login-page' }, form));
  email.focus();
}
