// Progress of long operations (backups, restores, index builds) from GET /api/operations, polled while the
// dashboard waits for one of them. A total of 0 means the server cannot tell how far it is: the bar is then
// an indeterminate one.
import { h, replace } from './dom.js';
import { api } from './api.js';

const POLL_MS = 500;

/**
 * Polls the operations list into `box` until the returned function is called. `kinds` limits which
 * operations are shown. A server without the operations route (404) just shows nothing.
 */
export function watchOperations(box, kinds) {
  let stopped = false;
  let timer = null;
  const tick = async () => {
    if (stopped) return;
    try {
      const ops = (await api('GET', '/api/operations')).filter((o) => !kinds || kinds.includes(o.kind));
      if (!stopped) replace(box, ops.map(bar));
    } catch (e) {
      if (e.status === 404) { stopped = true; return; }
    }
    if (!stopped) timer = setTimeout(tick, POLL_MS);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    box.replaceChildren();
  };
}

/** One operation as a labelled progress bar (a <progress> without value is indeterminate). */
export function bar(op) {
  const determinate = op.total > 0;
  const progress = h('progress', { max: determinate ? op.total : undefined, value: determinate ? op.done : undefined,
    attrs: { 'aria-label': op.label } });
  if (!determinate) progress.removeAttribute('value');
  const pct = determinate ? ` ${Math.floor((op.done / op.total) * 100)} %` : '';
  return h('div', { class: 'op', dataset: { kind: op.kind } },
    h('span', { class: 'op-label', text: `${op.kind}: ${op.label}${pct}` }), progress);
}
