// The shell: signs in, lays out header, banner, left navigation and the current view, and routes on the
// location hash (#/collections, #/records/posts …) so the browser's back button and reloads work without any
// server-side routing. Every view is a module exporting `render(main, params, shell)`, which may return a
// function that stops its timers and streams when the view is left.
import { h, replace, button, notice } from './dom.js';
import { api, collections, session, ApiError, SIGNED_OUT } from './api.js';
import { renderLogin } from './login.js';
import { renderBanner } from './banner.js';
import { openPasswordDialog } from './account.js';
import * as collectionsView from './collections.js';
import * as editorView from './collection-editor.js';
import * as recordsView from './records.js';
import * as liveView from './live.js';
import * as statsView from './stats.js';
import * as backupsView from './backups.js';
import * as logsView from './logs.js';
import * as settingsView from './settings.js';

const app = document.getElementById('app');
let leave = null;
let shell = null;

const ROUTES = [
  [/^collections\/new$/, editorView, () => ({ name: null })],
  [/^collections\/([^/]+)$/, editorView, (m) => ({ name: decodeURIComponent(m[1]) })],
  [/^collections$/, collectionsView, () => ({})],
  [/^records\/([^/]+)$/, recordsView, (m) => ({ name: decodeURIComponent(m[1]) })],
  [/^live$/, liveView, () => ({})],
  [/^stats$/, statsView, () => ({})],
  [/^backups$/, backupsView, () => ({})],
  [/^logs$/, logsView, () => ({})],
  [/^settings$/, settingsView, () => ({})],
];

function currentRoute() {
  const path = location.hash.replace(/^#\/?/, '') || 'collections';
  for (const [re, view, params] of ROUTES) {
    const m = path.match(re);
    if (m) return { path, view, params: params(m) };
  }
  return { path: 'collections', view: collectionsView, params: {} };
}

function stopView() {
  if (typeof leave === 'function') leave();
  leave = null;
}

/** Shows the login form; `message` explains why (signed out, refused token). */
function showLogin(message) {
  stopView();
  shell = null;
  renderLogin(app, message, start);
}

/**
 * Checks that the stored token is a superuser's before anything else is shown: a user's token gets 403 from
 * this superuser-only route, and the dashboard refuses it with that reason rather than failing view by view.
 * `message` (a string) is shown above the view once, e.g. after a password change.
 */
async function start(message) {
  if (!session.token()) return showLogin();
  let warnings;
  try {
    warnings = await api('GET', '/api/settings/warnings');
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      session.clear();
      return showLogin('This token belongs to a user, not a superuser. The dashboard is for superusers only.');
    }
    if (!session.token()) return undefined; // the 401 handler already showed the login
    warnings = null;
  }
  buildShell(warnings, typeof message === 'string' ? message : '');
  return route();
}

function buildShell(warnings, message) {
  const admin = session.admin() ?? {};
  const nav = h('nav', { class: 'nav', attrs: { 'aria-label': 'Main' } });
  const main = h('main', { class: 'main', attrs: { id: 'main' } });
  const banner = h('div', { class: 'banner-slot' });
  const header = h('header', { class: 'top' },
    h('a', { class: 'brand', href: '#/collections' }, h('img', { src: 'icon.svg', alt: '', width: 20, height: 20 }), 'NanoDB'),
    h('span', { class: 'spacer' }),
    h('span', { class: 'who', text: admin.email ?? '', attrs: { 'data-testid': 'signed-in-email' } }),
    button('My password', () => openPasswordDialog(start), 'plain', { title: 'Change the password of this superuser', attrs: { 'data-testid': 'own-password' } }),
    button('Log out', logout, 'plain', { attrs: { 'data-testid': 'logout' } }));
  const flash = notice('ok');
  flash.setAttribute('data-testid', 'flash');
  flash.show(message);
  replace(app, h('div', { class: 'layout' }, header, nav, h('div', { class: 'content' }, banner, flash, main)));
  shell = { nav, main, banner, flash, refreshNav: () => refreshNav(nav) };
  if (warnings) renderBanner(banner, warnings, start);
  refreshNav(nav);
}

async function refreshNav(nav) {
  let list = [];
  try { list = await collections(); } catch { /* the view shows the error */ }
  const link = (href, label, extra = {}) => h('a', { href, text: label, ...extra });
  replace(nav,
    h('div', { class: 'nav-group' }, link('#/collections', 'Collections')),
    h('div', { class: 'nav-title', text: 'Records' }),
    h('div', { class: 'nav-group nav-records' }, list.map((c) => link(`#/records/${encodeURIComponent(c.name)}`, c.name,
      { class: c.system ? 'system' : '', title: c.system ? 'system collection' : '' }))),
    h('div', { class: 'nav-title', text: 'Server' }),
    h('div', { class: 'nav-group' }, link('#/live', 'Live'), link('#/stats', 'Stats'), link('#/logs', 'Logs'), link('#/backups', 'Backups'),
      link('#/settings', 'Settings')));
  markActive();
}

function markActive() {
  if (!shell) return;
  const here = `#/${currentRoute().path}`;
  for (const a of shell.nav.querySelectorAll('a')) {
    const target = a.getAttribute('href');
    a.classList.toggle('active', here === target || (target === '#/collections' && here.startsWith('#/collections/')));
  }
}

async function route() {
  if (!shell) return;
  stopView();
  for (const open of document.querySelectorAll('.backdrop')) open.remove(); // a form left open belongs to the old view
  const { view, params } = currentRoute();
  markActive();
  shell.main.replaceChildren();
  shell.main.focus?.();
  try {
    leave = await view.render(shell.main, params, shell);
  } catch (e) {
    replace(shell.main, h('div', { class: 'notice notice-error', attrs: { role: 'alert' }, text: e.message }));
  }
}

function logout() {
  session.clear();
  location.hash = '';
  showLogin('You are signed out.');
}

window.addEventListener('hashchange', () => { if (shell) { shell.flash.show(''); route(); } });
window.addEventListener(SIGNED_OUT, (e) => showLogin(e.detail));
start();
