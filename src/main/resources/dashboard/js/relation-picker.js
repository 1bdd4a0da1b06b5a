// The record form's input for a relation field: the chosen records as removable chips (labelled with the
// target's text field, else the id), a search box (by id or by that text field) and a list of up to 20 matching
// records. A single relation holds one chip (choosing another replaces it); a multiple one up to maxSelect.
//
// Keyboard: ArrowDown or Enter in the search box moves to the results; ArrowUp/ArrowDown move between them, Enter
// or Space chooses the focused one, Escape goes back to the search box; Backspace in an empty search box moves to
// the last chip; Backspace or Delete on a chip's button removes that chip. Like every input of inputs.js the
// element has `read()` (the value in the API's shape: one id or "" for single, an array of ids for multiple) and
// `write(value, expanded)` (`expanded`: the record's `expand.<field>`, which gives the labels without a request).
import { h } from './dom.js';
import { idsOf, labelOf, searchRelated, fetchRelated } from './relations.js';

const LIMIT = 20;
const DEBOUNCE_MS = 250;
let pickers = 0;

export function relationPicker(field, target) {
  const many = (field.maxSelect ?? 1) > 1;
  const max = many ? field.maxSelect : 1;
  const uid = `relation-picker-${++pickers}`;
  const by = target.labelField ? `${target.labelField} or id` : 'id';
  let selected = []; // [{ id, label }]
  let results = [];
  let searchSeq = 0;
  let writeSeq = 0;
  let timer = null;
  let inflight = null; // the latest search while it runs

  const chips = h('ul', { class: 'chips', attrs: { 'aria-label': `Chosen ${target.collection.name} records`,
    'data-testid': `relation-chips-${field.name}` } });
  const search = h('input', { type: 'search', autocomplete: 'off', spellcheck: false, placeholder: `Search ${target.collection.name} by ${by}`,
    attrs: { 'aria-label': `Search ${target.collection.name} by ${by} for ${field.name}`, 'aria-controls': `${uid}-results`,
      'aria-expanded': 'false', 'data-testid': `relation-search-${field.name}` } });
  const list = h('ul', { class: 'results hidden', attrs: { id: `${uid}-results`, role: 'listbox',
    'aria-label': `${target.collection.name} records`, 'aria-multiselectable': many ? 'true' : null,
    'data-testid': `relation-results-${field.name}` } });
  const status = h('div', { class: 'hint picker-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  // The list drops down over what follows, so opening or closing it never moves the form under the pointer.
  const root = h('div', { class: 'picker' }, chips, h('div', { class: 'picker-box' }, search, list), status);

  function showList(open) {
    list.classList.toggle('hidden', !open);
    search.setAttribute('aria-expanded', String(open));
  }

  function runSearch() {
    clearTimeout(timer);
    timer = null;
    const mine = search1(++searchSeq);
    inflight = mine;
    mine.finally(() => { if (inflight === mine) inflight = null; });
    return mine;
  }

  async function search1(mine) {
    status.textContent = 'Searching…';
    try {
      const items = await searchRelated(target, search.value, LIMIT);
      if (mine !== searchSeq) return;
      results = items;
      drawResults();
      status.textContent = items.length ? `${items.length}${items.length === LIMIT ? '+' : ''} found.` : 'No record matches.';
    } catch (e) {
      if (mine === searchSeq) status.textContent = e.message;
    }
  }

  function drawResults() {
    const chosen = new Set(selected.map((s) => s.id));
    list.replaceChildren(...results.map((rec, i) => {
      const label = labelOf(rec, target);
      const li = h('li', { tabIndex: -1, attrs: { role: 'option', id: `${uid}-opt-${i}`, 'aria-selected': String(chosen.has(rec.id)) },
        dataset: { id: rec.id }, on: { click: () => choose(rec, li), keydown: (ev) => optionKey(ev, rec, li) } },
      h('span', { text: label }), label === rec.id ? null : h('span', { class: 'mono muted', text: rec.id }));
      return li;
    }));
    showList(results.length > 0);
  }

  function optionKey(ev, rec, li) {
    const options = [...list.children];
    const at = options.indexOf(li);
    if (ev.key === 'Enter' || ev.key === ' ') choose(rec, li);
    else if (ev.key === 'ArrowDown') options[Math.min(at + 1, options.length - 1)]?.focus();
    else if (ev.key === 'ArrowUp') (at === 0 ? search : options[at - 1]).focus();
    else if (ev.key === 'Home') options[0]?.focus();
    else if (ev.key === 'End') options[options.length - 1]?.focus();
    else if (ev.key === 'Escape') { showList(false); search.focus(); } else return;
    ev.preventDefault();
    ev.stopPropagation(); // Enter must not submit the form, Escape must not close the dialog
  }

  function choose(rec, li) {
    const label = labelOf(rec, target);
    if (selected.some((s) => s.id === rec.id)) { status.textContent = `${label} is already chosen.`; return; }
    if (many && selected.length >= max) { status.textContent = `At most ${max} may be chosen; remove one first.`; return; }
    selected = many ? [...selected, { id: rec.id, label }] : [{ id: rec.id, label }];
    drawChips();
    status.textContent = `Chose ${label}.`;
    if (many) {
      li.setAttribute('aria-selected', 'true');
      li.focus();
    } else {
      showList(false);
      search.value = '';
      search.focus();
    }
  }

  function drawChips() {
    chips.replaceChildren(...selected.map((s, i) => {
      const remove = h('button', { type: 'button', class: 'chip-remove', text: '×', title: `Remove ${s.label}`,
        attrs: { 'aria-label': `Remove ${s.label}`, 'data-testid': `relation-remove-${field.name}` },
        on: { click: () => removeAt(i), keydown: (ev) => chipKey(ev, i) } });
      return h('li', { class: 'chip', dataset: { id: s.id }, title: s.id }, h('span', { text: s.label }), remove);
    }));
  }

  function chipKey(ev, i) {
    if (ev.key === 'Backspace' || ev.key === 'Delete') { ev.preventDefault(); removeAt(i); }
    else if (ev.key === 'ArrowLeft') chipButton(i - 1)?.focus();
    else if (ev.key === 'ArrowRight') (chipButton(i + 1) ?? search).focus();
  }

  const chipButton = (i) => chips.children[i]?.querySelector('button') ?? null;

  /** Removes a chip; focus goes to the chip that took its place, the one before, or the search box. */
  function removeAt(i) {
    const [gone] = selected.splice(i, 1);
    drawChips();
    status.textContent = `Removed ${gone.label}.`;
    for (const li of list.children) if (li.dataset.id === gone.id) li.setAttribute('aria-selected', 'false');
    (chipButton(i) ?? chipButton(i - 1) ?? search).focus();
  }

  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(runSearch, DEBOUNCE_MS); });
  search.addEventListener('focus', () => { if (!results.length) runSearch(); else showList(true); });
  search.addEventListener('keydown', async (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'Enter') {
      ev.preventDefault(); // Enter here searches; it never submits the record
      // Results for what is typed: a search waiting for the pause in typing or still running is awaited first.
      if (ev.key === 'Enter' || timer || !results.length) await runSearch();
      else if (inflight) await inflight;
      showList(results.length > 0);
      list.firstElementChild?.focus();
    } else if (ev.key === 'Escape' && !list.classList.contains('hidden')) {
      ev.stopPropagation();
      showList(false);
    } else if (ev.key === 'Backspace' && search.value === '' && selected.length) {
      ev.preventDefault();
      chipButton(selected.length - 1).focus();
    }
  });
  // The list closes when focus leaves the picker, so an open list never covers the next field.
  root.addEventListener('focusout', (ev) => { if (!root.contains(ev.relatedTarget)) showList(false); });

  root.read = () => {
    const ids = selected.map((s) => s.id);
    return many ? ids : (ids[0] ?? '');
  };
  root.write = (value, expanded) => {
    const mine = ++writeSeq;
    const known = new Map([expanded ?? []].flat().filter(Boolean).map((r) => [r.id, labelOf(r, target)]));
    selected = idsOf(value).map((id) => ({ id, label: known.get(id) ?? id }));
    drawChips();
    const missing = selected.filter((s) => !known.has(s.id)).map((s) => s.id);
    if (!missing.length) return;
    // A value without `expand` (a reloaded newer record): the labels come in one request.
    fetchRelated(target, missing).then((recs) => {
      if (mine !== writeSeq) return;
      const labels = new Map(recs.map((r) => [r.id, labelOf(r, target)]));
      selected = selected.map((s) => ({ ...s, label: labels.get(s.id) ?? s.label }));
      drawChips();
    }).catch(() => { /* the ids stay as labels */ });
  };
  root.focusTarget = search;
  return root;
}
