// Server figures from /api/stats every few seconds: request rate, error rate, mean latency and realtime clients
// as charts over the last minutes (rates come from the difference between two samples of the counters), and
// the tables behind them (records per collection, routes, group commit, realtime, rate limits).
import { h, replace, notice, bytes } from './dom.js';
import { api } from './api.js';
import { drawChart, format } from './chart.js';

const EVERY_MS = 2000;
const WINDOW_MS = 10 * 60 * 1000;

/** The samples survive leaving the view, so coming back to Stats shows the minutes already seen. */
const history = [];

function totals(stats) {
  let count = 0; let errors = 0; let nanosish = 0;
  for (const r of Object.values(stats.requests ?? {})) {
    count += r.count;
    errors += r['4xx'] + r['5xx'];
    nanosish += r.count * r.meanMs;
  }
  return { count, errors, totalMs: nanosish };
}

function series(at) {
  const out = { requests: [], errors: [], latency: [], clients: [] };
  for (let i = 1; i < history.length; i++) {
    const a = history[i - 1]; const b = history[i];
    const secs = (b.t - a.t) / 1000;
    const n = b.count - a.count;
    if (secs <= 0 || n < 0) continue; // a restarted server resets its counters
    out.requests.push([b.t, n / secs]);
    out.errors.push([b.t, (b.errors - a.errors) / secs]);
    out.latency.push([b.t, n > 0 ? (b.totalMs - a.totalMs) / n : 0]);
  }
  for (const s of history) out.clients.push([s.t, s.clients]);
  return out[at];
}

export async function render(main) {
  const error = notice('error');
  const charts = {
    requests: ['Requests', '/s'], errors: ['Errors (4xx + 5xx)', '/s'], latency: ['Mean latency', ' ms'], clients: ['Realtime clients', ''],
  };
  const hosts = {};
  const nows = {};
  const cards = Object.entries(charts).map(([key, [title]]) => {
    hosts[key] = h('div', { class: 'chart-host' });
    nows[key] = h('span', { class: 'big', attrs: { 'data-testid': `stat-${key}` } });
    return h('section', { class: 'card chart-card' }, h('div', { class: 'chart-head' }, h('h2', { text: title }), nows[key]), hosts[key]);
  });
  const tables = h('div', { class: 'stat-tables' });
  const updated = h('span', { class: 'muted' });
  replace(main, h('div', { class: 'view-head' }, h('h1', { text: 'Stats' }), h('span', { class: 'spacer' }), updated),
    error, h('div', { class: 'charts' }, cards), tables);

  let timer = null;
  let stopped = false;
  async function tick() {
    try {
      const s = await api('GET', '/api/stats');
      const t = totals(s);
      history.push({ t: Date.now(), ...t, clients: s.realtime?.clients ?? 0 });
      while (history.length && history[0].t < Date.now() - WINDOW_MS) history.shift();
      // The charts span what has been sampled, from 20 s up to the ten minutes kept, so a fresh view is not a dot.
      const span = Math.min(WINDOW_MS, Math.max(20_000, Date.now() - history[0].t));
      for (const [key, [, unit]] of Object.entries(charts)) {
        const pts = series(key);
        drawChart(hosts[key], pts, span, unit);
        nows[key].textContent = pts.length ? `${format(pts.at(-1)[1])}${unit}` : '…';
      }
      replace(tables, drawTables(s));
      updated.textContent = `updated ${new Date().toLocaleTimeString(undefined, { hour12: false })} · every ${EVERY_MS / 1000} s`;
      error.show('');
    } catch (e) {
      error.show(e.message);
    }
    if (!stopped) timer = setTimeout(tick, EVERY_MS);
  }
  await tick();
  return () => { stopped = true; clearTimeout(timer); };
}

function kv(title, pairs) {
  return h('section', { class: 'card' }, h('h2', { text: title }),
    h('table', { class: 'kv' }, h('tbody', {}, pairs.map(([k, v]) => h('tr', {}, h('th', { text: k }), h('td', { class: 'num', text: v }))))));
}

function drawTables(s) {
  const routes = Object.entries(s.requests ?? {}).sort((a, b) => b[1].count - a[1].count);
  return [
    kv('Store', [['size', bytes(s.storeBytes)], ['uptime', `${format(s.uptimeSeconds / 60)} min`],
      ['commits', s.groupCommit?.commits], ['writes', s.groupCommit?.writes],
      ['average group', format(s.groupCommit?.averageGroup)], ['largest group', s.groupCommit?.maxGroup]]),
    kv('Records', Object.entries(s.records ?? {}).map(([k, v]) => [k, v.toLocaleString('en-US')])),
    kv('Realtime', Object.entries(s.realtime ?? {})),
    kv('Rate limits', [['rejected', s.rateLimits?.rejected], ['tracked keys', `${s.rateLimits?.trackedKeys} / ${s.rateLimits?.maxKeys}`]]),
    h('section', { class: 'card wide' }, h('h2', { text: 'Requests by route' }),
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, ['Route', 'Count', '4xx', '5xx', 'Mean ms', 'Max ms'].map((t) => h('th', { text: t })))),
        h('tbody', {}, routes.map(([name, r]) => h('tr', {}, h('td', { class: 'mono', text: name }),
          [r.count, r['4xx'], r['5xx'], r.meanMs, r.maxMs].map((v) => h('td', { class: 'num', text: format(v) }))))))),
  ];
}
