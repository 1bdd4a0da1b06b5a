// Live events through /api/realtime with the PocketBase protocol: open the stream, take the client id from
// PB_CONNECT, then POST the subscriptions (`name/*` for the chosen collections) with the superuser's token —
// that POST, not the stream, carries the identity, so EventSource (which cannot send headers) is enough.
// A reconnect gets a new client id and subscribes again; events missed meanwhile are not replayed.
import { h, replace, button, notice, cell, when } from './dom.js';
import { api, collections } from './api.js';

const KEEP = 200;

export async function render(main) {
  const all = await collections();
  const hidden = new Map(all.map((c) => [c.name, c.fields.filter((f) => f.hidden).map((f) => f.name)]));
  const status = h('span', { class: 'status-dot', text: 'connecting', attrs: { 'data-testid': 'live-status' } });
  const error = notice('error');
  const list = h('tbody', { attrs: { 'data-testid': 'live-events' } });
  const count = h('span', { class: 'muted', text: '0 events' });
  const chosen = h('select', { attrs: { 'aria-label': 'Collection' } }, h('option', { value: '*', text: 'all collections' }),
    all.map((c) => h('option', { value: c.name, text: c.name })));
  let paused = false;
  let total = 0;
  let clientId = null;
  const pause = button('Pause', () => { paused = !paused; pause.textContent = paused ? 'Resume' : 'Pause'; });

  const source = new EventSource('/api/realtime');
  const topics = () => (chosen.value === '*' ? all.map((c) => `${c.name}/*`) : [`${chosen.value}/*`]);
  const listening = new Set();

  async function subscribe() {
    if (!clientId) return;
    const wanted = topics();
    // EventSource delivers each named event only to listeners of that name: the topic itself.
    for (const t of wanted) if (!listening.has(t)) { source.addEventListener(t, onEvent); listening.add(t); }
    try {
      await api('POST', '/api/realtime', { clientId, subscriptions: wanted });
      status.textContent = `live · ${wanted.length} topic${wanted.length === 1 ? '' : 's'}`;
      status.className = 'status-dot on';
      error.show('');
    } catch (e) {
      error.show(`Subscribing failed: ${e.message}`);
    }
  }

  function onEvent(ev) {
    if (paused || !(chosen.value === '*' || ev.type === `${chosen.value}/*`)) return;
    let data;
    try { data = JSON.parse(ev.data); } catch { return; }
    const rec = data.record ?? {};
    const { collectionId, collectionName, ...shown } = rec;
    // The server never sends hidden fields; dropping them here too keeps that true should it ever change.
    for (const name of hidden.get(collectionName) ?? []) delete shown[name];
    total++;
    count.textContent = `${total} event${total === 1 ? '' : 's'}`;
    list.prepend(h('tr', { class: `ev-${data.action}` },
      h('td', { class: 'mono', text: new Date().toLocaleTimeString(undefined, { hour12: false }) }),
      h('td', {}, h('span', { class: `action action-${data.action}`, text: data.action })),
      h('td', { text: collectionName ?? ev.type.replace(/\/\*$/, '') }),
      h('td', { class: 'mono', text: rec.id ?? '' }),
      h('td', { class: 'mono small', text: cell(shown, 240), title: JSON.stringify(shown) })));
    while (list.children.length > KEEP) list.lastChild.remove();
  }

  source.addEventListener('PB_CONNECT', (ev) => {
    clientId = JSON.parse(ev.data).clientId;
    subscribe();
  });
  source.onerror = () => {
    status.textContent = 'reconnecting…';
    status.className = 'status-dot off';
  };
  chosen.addEventListener('change', subscribe);

  replace(main,
    h('div', { class: 'view-head' }, h('h1', { text: 'Live' }), status, h('span', { class: 'spacer' }), chosen, pause,
      button('Clear', () => { list.replaceChildren(); total = 0; count.textContent = '0 events'; })),
    h('p', { class: 'muted' }, 'Record changes as the server commits them (newest first, the last ', String(KEEP), ' kept). Started ', when(new Date()), '. ', count),
    error,
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Time', 'Action', 'Collection', 'Id', 'Record'].map((t) => h('th', { text: t })))), list)));
  return () => source.close();
}
