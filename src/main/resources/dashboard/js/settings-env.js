// The settings that environment variables set (S3 storage, batch, rate limits, trusted proxy): shown read-only,
// as GET /api/settings answers them (the S3 secret never is), with where to change them.
import { h } from './dom.js';

const SECTIONS = [
  ['s3', 'File storage (S3)', 'S3_*'],
  ['batch', 'Batch requests', 'MAX_BATCH_SIZE, MAX_BODY_SIZE'],
  ['rateLimits', 'Rate limits', 'RATE_LIMITS'],
  ['trustedProxy', 'Trusted proxy', 'TRUSTED_PROXIES'],
];

export function envCard(settings) {
  return h('section', { class: 'card', attrs: { 'data-testid': 'env-settings' } },
    h('h2', { text: 'Storage and environment' }),
    h('p', { class: 'muted', text: 'These come from environment variables (or .env) and are read-only here: change them there and restart the server.' }),
    SECTIONS.map(([key, title, vars]) => h('div', { class: 'env-section' },
      h('h3', {}, title, ' ', h('span', { class: 'muted small', text: `(${vars})` })),
      table(settings[key] ?? {}))));
}

function table(section) {
  return h('table', { class: 'kv' }, h('tbody', {}, Object.entries(section).map(([k, v]) =>
    h('tr', {}, h('th', { text: k }), h('td', { class: 'mono' }, value(v))))));
}

/** A value as text: lists one item a line, rate-limit rules in words. */
function value(v) {
  if (Array.isArray(v)) {
    if (!v.length) return '–';
    return h('ul', { class: 'plain-list' }, v.map((item) => h('li', { text: rule(item) })));
  }
  if (v === '' || v === null || v === undefined) return '–';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function rule(item) {
  if (item && typeof item === 'object' && 'maxRequests' in item) {
    return `${item.label || '*'}: ${item.maxRequests} per ${item.duration} s${item.audience ? ` (${item.audience})` : ''}`;
  }
  return typeof item === 'object' ? JSON.stringify(item) : String(item);
}
