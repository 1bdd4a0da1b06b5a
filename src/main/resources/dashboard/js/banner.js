// The loud warnings of an unsafe set-up: the default superuser password and a generated token secret. The
// password can be changed right here (the form of account.js: the normal _superusers record update); a password
// change revokes the current token, so the dashboard signs in again with the new password.
import { h, replace, button } from './dom.js';
import { session } from './api.js';
import { passwordForm } from './account.js';

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
  const form = passwordForm(() => restart('Your password was changed; the dashboard signed in again with the new one.'), () => restart());
  replace(slot, h('div', { class: 'banner' }, h('strong', { text: `New password for ${admin.email}` }), form));
  form.first.focus();
}
