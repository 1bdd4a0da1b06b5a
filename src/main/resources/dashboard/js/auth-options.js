// An auth collection's options in the collection editor, in PocketBase's shape: password sign-in and its identity
// fields, one-time codes, MFA, OAuth2 providers, the sign-in and manage rules, and the token durations. `read()`
// gives them as the top-level keys of the collection's PATCH body; the server merges them (a key left out keeps
// its value) and names a problem by its dotted path (`otp.length`, `oauth2.providers.0.clientId`), which the
// ErrorSlots places under the input of that path.
import { h, groupRow, checkRow } from './dom.js';
import { optionField, setPath, getPath } from './option-field.js';
import { providerList } from './oauth2-providers.js';

const SECONDS = 'seconds';
const SECTIONS = [
  ['One-time codes (OTP)', 'A code mailed to the account signs it in (request-otp, auth-with-otp).', [
    ['otp.enabled', { label: 'Allow sign-in with a one-time code', kind: 'bool' }],
    ['otp.duration', { label: 'Code lifetime', kind: 'number', hint: `${SECONDS}, 10 to 86,400` }],
    ['otp.length', { label: 'Code length', kind: 'number', hint: 'digits, 4 to 32' }]]],
  ['Multi-factor authentication (MFA)', 'A first sign-in answers 401 with an mfaId; a second, different method completes it. Needs two methods enabled.', [
    ['mfa.enabled', { label: 'Require a second factor', kind: 'bool' }],
    ['mfa.duration', { label: 'Time to give the second factor', kind: 'number', hint: `${SECONDS}, 10 to 86,400` }],
    ['mfa.rule', { label: 'Accounts that need it (rule)', kind: 'rule', placeholder: 'empty = every account', hint: 'e.g. verified = true' }]]],
  ['Token durations', 'Whole seconds.', [
    ['authToken.duration', { label: 'Auth token', kind: 'number', hint: '0 = JWT_EXPIRES_IN of the server' }],
    ['passwordResetToken.duration', { label: 'Password reset link', kind: 'number' }],
    ['emailChangeToken.duration', { label: 'E-mail change link', kind: 'number' }],
    ['verificationToken.duration', { label: 'Verification link', kind: 'number' }],
    ['fileToken.duration', { label: 'Protected file token', kind: 'number' }]]],
];
const TEXTUAL = new Set(['text', 'email']);

/**
 * @param collection the auth collection as the API gives it
 * @param errors     the editor's ErrorSlots
 */
export function authOptions(collection, errors) {
  const simple = [];
  const field = (path, spec) => {
    const f = optionField(spec, getPath(collection, path), path, errors);
    simple.push(f);
    return f.el;
  };

  // Identity fields: the collection's unique text and email fields (the server refuses others), plus any already chosen.
  const chosen = collection.passwordAuth?.identityFields ?? ['email'];
  const candidates = [...new Set([...collection.fields.filter((f) => TEXTUAL.has(f.type) && f.unique).map((f) => f.name), ...chosen])];
  const identity = candidates.map((name) => ({ name, box: h('input', { type: 'checkbox', checked: chosen.includes(name),
    attrs: { 'data-testid': `opt-identity-${name}` } }) }));
  const identityRow = groupRow('Identity fields', h('div', { class: 'flags' }, identity.map((i) => h('label', { class: 'flag' }, i.box, i.name))),
    'What may be typed as the identity at sign-in. Only unique text or email fields; save a field as unique first.');
  errors.add('passwordAuth.identityFields', identityRow.errorEl);

  // authRule: null = no one signs in, "" = everyone whose password is right.
  const authRule = optionField({ label: 'Who may sign in (rule)', kind: 'rule', placeholder: 'empty = every account', hint: 'Checked after a right password, e.g. verified = true.' },
    collection.authRule, 'authRule', errors);
  const noSignIn = h('input', { type: 'checkbox', checked: collection.authRule === null, attrs: { 'data-testid': 'opt-authRule-locked' } });
  const lock = () => { authRule.control.disabled = noSignIn.checked; };
  noSignIn.addEventListener('change', lock);
  lock();
  const manageRule = optionField({ label: 'Who may manage accounts (rule)', kind: 'rule', placeholder: 'empty = superusers only',
    hint: 'A caller it admits may set verified, a password without the old one, and an e-mail that stays verified.' },
  collection.manageRule, 'manageRule', errors);

  const providers = providerList(collection.oauth2?.providers ?? [], errors);

  const el = [
    h('section', { class: 'card', attrs: { 'data-testid': 'auth-options' } }, h('h2', { text: 'Sign-in' }),
      field('passwordAuth.enabled', { label: 'Allow sign-in with a password', kind: 'bool' }),
      identityRow, authRule.el, checkRow('No one may sign in (the rule is null)', noSignIn), manageRule.el),
    SECTIONS.map(([title, text, specs]) => h('section', { class: 'card' }, h('h2', { text: title }), h('p', { class: 'muted', text }),
      specs.map(([path, spec]) => field(path, spec)))),
    h('section', { class: 'card' }, h('h2', { text: 'OAuth2' }),
      h('p', { class: 'muted', text: 'Sign-in through another service. Client secrets are never shown: leave the field empty to keep the stored one.' }),
      field('oauth2.enabled', { label: 'Allow sign-in with OAuth2', kind: 'bool' }), providers.el),
  ];

  const read = () => {
    const out = {};
    for (const f of simple) setPath(out, f.path, f.read());
    setPath(out, 'passwordAuth.identityFields', identity.filter((i) => i.box.checked).map((i) => i.name));
    out.authRule = noSignIn.checked ? null : authRule.read();
    out.manageRule = manageRule.read() || null; // "" is refused: empty means superusers only (null)
    setPath(out, 'oauth2.providers', providers.read());
    return out;
  };
  return { el, read };
}

/** A note for a new auth collection: its options are set once it exists (they name its saved fields). */
export function authOptionsLater() {
  return h('section', { class: 'card' }, h('h2', { text: 'Sign-in options' }),
    h('p', { class: 'muted', text: 'Password, one-time codes, MFA, OAuth2 and token durations can be set once the collection is created.' }));
}
