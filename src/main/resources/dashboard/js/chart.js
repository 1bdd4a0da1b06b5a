// A small line chart in SVG, drawn from scratch: a series of [time, value] points over a fixed time window,
// with the latest value and the maximum as labels. SVG elements are made with createElementNS, like the rest.
const NS = 'http://www.w3.org/2000/svg';
const W = 320;
const H = 90;
const PAD = 4;

function svg(tag, attrs) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * Draws `points` ([[ms, value], …]) spanning the last `windowMs` into `host` (replacing what was there).
 * @param unit shown after the numbers ("/s", " ms" …)
 */
export function drawChart(host, points, windowMs, unit = '') {
  const now = Date.now();
  const max = Math.max(1e-9, ...points.map((p) => p[1]));
  const x = (t) => PAD + ((t - (now - windowMs)) / windowMs) * (W - 2 * PAD);
  const y = (v) => H - PAD - (v / max) * (H - 2 * PAD - 12);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img' });
  root.append(svg('line', { x1: PAD, y1: H - PAD, x2: W - PAD, y2: H - PAD, class: 'axis' }));
  if (points.length > 1) {
    const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    const last = points.at(-1);
    root.append(svg('path', { d: `${d} L${x(last[0]).toFixed(1)},${H - PAD} L${x(points[0][0]).toFixed(1)},${H - PAD} Z`, class: 'area' }));
    root.append(svg('path', { d, class: 'line' }));
  }
  const label = svg('text', { x: W - PAD, y: 11, 'text-anchor': 'end', class: 'chart-label' });
  label.textContent = `max ${format(max === 1e-9 ? 0 : max)}${unit}`;
  root.append(label);
  const title = svg('title', {});
  title.textContent = `${points.length} samples over the last ${Math.round(windowMs / 60000)} min`;
  root.append(title);
  host.replaceChildren(root);
}

/** A number for labels: at most three significant decimals, no long tails. */
export function format(v) {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return String(Math.round(v * 100) / 100);
}

/**
 * Draws hourly totals ([{date, total}], oldest first, as /api/logs/stats answers) as bars into `host`: one slot per
 * hour, at least the last 24 up to the current hour and at most the last `maxHours` (hours without entries empty),
 * with the first and last hour written under the axis.
 */
export function drawBars(host, stats, maxHours = 240) {
  const HOUR = 3_600_000;
  const BW = 960;
  const BH = 120;
  const counts = new Map(stats.map((s) => [Date.parse(s.date), s.total]));
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  const last = Math.max(now, stats.length ? Date.parse(stats.at(-1).date) : now);
  const first = Math.max(Math.min(last - 23 * HOUR, stats.length ? Date.parse(stats[0].date) : last), last - (maxHours - 1) * HOUR);
  const hours = [];
  for (let t = first; t <= last; t += HOUR) hours.push([t, counts.get(t) ?? 0]);
  const max = Math.max(1, ...hours.map((b) => b[1]));
  const base = BH - 16;
  const w = (BW - 2 * PAD) / hours.length;
  const root = svg('svg', { viewBox: `0 0 ${BW} ${BH}`, class: 'chart bars', role: 'img' });
  root.append(svg('line', { x1: PAD, y1: base, x2: BW - PAD, y2: base, class: 'axis' }));
  hours.forEach(([t, n], i) => {
    if (!n) return;
    const height = (n / max) * (base - PAD - 14);
    const bar = svg('rect', { x: (PAD + i * w + w * 0.1).toFixed(2), y: (base - height).toFixed(2), width: Math.max(0.5, w * 0.8).toFixed(2),
      height: height.toFixed(2), class: 'bar' });
    const tip = svg('title', {});
    tip.textContent = `${hourLabel(t)}: ${n}`;
    bar.append(tip);
    root.append(bar);
  });
  const text = (x, anchor, value, y = BH - 3) => {
    const el = svg('text', { x, y, 'text-anchor': anchor, class: 'chart-label' });
    el.textContent = value;
    root.append(el);
  };
  text(BW - PAD, 'end', `max ${format(max)} / hour`, 11);
  text(PAD, 'start', hourLabel(first));
  text(BW - PAD, 'end', hourLabel(last));
  host.replaceChildren(root);
}

function hourLabel(t) {
  const d = new Date(t);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:00`;
}
