// The OAuth2 providers of an auth collection, one card each: the provider (a generic OIDC one — oidc, oidc2,
// oidc3 — or a known service), its client id and secret (write-only: empty keeps the stored secret, which the API
// matches by provider name), the endpoints of an OIDC provider, a display name and PKCE. `read()` gives the list in
// the API's shape; it is sent whole (the server replaces the list), so a removed card removes the provider.
import { h, button } from './dom.js';

export const PROVIDERS = ['oidc', 'oidc2', 'oidc3', 'google', 'github', 'gitlab', 'microsoft', 'discord', 'apple'];
const URLS = [['authURL', 'Authorization URL'], ['tokenURL', 'Token URL'], ['userInfoURL', 'User info URL']];
const PKCE = [['', 'provider default'], ['true', 'on'], ['false', 'off']];

/** @param stored the providers as the API answers them (without secrets) */
export function providerList(stored, errors) {
  const storedNames = new Set(stored.map((p) => p.name));
  const box = h('div', { class: 'fields', attrs: { 'data-testid': 'oauth2-providers' } });
  const cards = [];
  const add = (p) => {
    const card = providerCard(p, cards.length, errors, storedNames, () => { cards.splice(cards.indexOf(card), 1); redraw(); });
    cards.push(card);
    box.append(card);
  };
  // Removing a card renumbers the rest, so error paths (oauth2.providers.{i}) match the list that is sent.
  const redraw = () => {
    const values = cards.map((c) => c.values());
    cards.length = 0;
    box.replaceChildren();
    values.forEach(add);
  };
  stored.forEach(add);
  const unused = () => PROVIDERS.find((n) => !cards.some((c) => c.values().name === n)) ?? 'oidc';
  const addBtn = button('Add provider', () => add({ name: unused(), pkce: null }), 'plain', { attrs: { 'data-testid': 'add-provider' } });
  errors.add('oauth2.providers', h('div', { class: 'field-error', attrs: { role: 'alert' } }));
  return {
    el: [box, errors.slots.get('oauth2.providers'), h('div', { class: 'actions' }, addBtn)],
    read: () => cards.map((c) => c.read()),
  };
}

function providerCard(p, index, errors, storedNames, onRemove) {
  const path = `oauth2.providers.${index}`;
  const err = (key) => errors.add(key ? `${path}.${key}` : path, h('div', { class: 'field-error', attrs: { role: 'alert' } }));
  const tid = (key) => ({ 'data-testid': `provider-${key}-${index}` });
  const name = h('select', { attrs: tid('name') },
    (PROVIDERS.includes(p.name) ? PROVIDERS : [p.name, ...PROVIDERS]).map((n) => h('option', { value: n, text: n, selected: n === p.name })));
  const text = (key, value, extra = {}) => h('input', { type: 'text', value: value ?? '', attrs: { ...tid(key), ...extra.attrs }, ...extra.props });
  const clientId = text('clientId', p.clientId);
  const secret = h('input', { type: 'password', value: p.clientSecret ?? '', attrs: { ...tid('clientSecret'), autocomplete: 'new-password' } });
  const displayName = text('displayName', p.displayName, { props: { placeholder: 'provider default' } });
  const pkce = h('select', { attrs: tid('pkce') }, PKCE.map(([v, label]) => h('option', { value: v, text: label, selected: String(p.pkce ?? '') === v })));
  const urls = Object.fromEntries(URLS.map(([key]) => [key, text(key, p[key], { props: { type: 'url', placeholder: 'https://…' } })]));
  const opt = (label, control, key, wide) => h('label', { class: `opt${wide ? ' wide' : ''}` }, h('span', { text: label }), control, err(key));
  const urlBox = h('div', { class: 'limits' }, URLS.map(([key, label]) => opt(label, urls[key], key, true)),
    h('p', { class: 'hint', text: 'An OIDC provider needs the authorization and token URLs, and user info or an ID token.' }));
  const oidc = () => name.value.startsWith('oidc');
  const secretHint = () => { secret.placeholder = storedNames.has(name.value) ? 'stored; empty = keep it' : 'required'; };
  const toggle = () => { urlBox.classList.toggle('hidden', !oidc()); secretHint(); };
  name.addEventListener('change', toggle);
  toggle();

  const card = h('div', { class: 'field-card', dataset: { provider: index } },
    h('div', { class: 'field-main' }, opt('Provider', name, 'name'), opt('Client ID', clientId, 'clientId'),
      opt('Client secret', secret, 'clientSecret'),
      button('Remove', onRemove, 'plain', { title: 'Remove this provider', attrs: { 'data-testid': `provider-remove-${index}` } })),
    h('div', { class: 'field-more' }, opt('Display name', displayName, 'displayName'), opt('PKCE', pkce, 'pkce')),
    urlBox, err(''));

  /** What the card holds, to draw it again after a removal (the typed secret included). */
  card.values = () => ({ ...p, ...card.read(), clientSecret: secret.value });
  card.read = () => {
    const out = { name: name.value, clientId: clientId.value.trim(), displayName: displayName.value.trim(),
      pkce: pkce.value === '' ? null : pkce.value === 'true' };
    for (const [key] of URLS) out[key] = oidc() ? urls[key].value.trim() : (p[key] ?? '');
    if (secret.value !== '') out.clientSecret = secret.value; // left out: the server keeps the stored secret
    if (p.extra && typeof p.extra === 'object') out.extra = p.extra;
    return out;
  };
  return card;
}
