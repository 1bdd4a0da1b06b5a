// Puts the server's validation errors next to what caused them. The server answers 400 with `data` keyed by a
// path (`name`, `fields.2.values`, `listRule`, `title`); each form registers the element that shows errors for
// a path, and an error whose exact path has no place goes to its closest registered parent (`fields.2`), else
// to the form's general notice with its path spelled out, so no message is ever lost. Nested `data` (the settings
// API answers `{smtp: {host: {code, message}}}`, as PocketBase does) is read as the dotted paths `smtp.host`.

export class ErrorSlots {
  constructor(general) {
    this.general = general;
    this.slots = new Map();
  }

  /** Registers `el` (an element with textContent) as the place for errors of `path`. */
  add(path, el) {
    this.slots.set(path, el);
    return el;
  }

  clear() {
    for (const el of this.slots.values()) {
      el.textContent = '';
      el.closest('.row, .field-card, .rule')?.classList.remove('invalid');
    }
    this.general?.show('');
  }

  /** Shows an ApiError (or any Error): per-path messages where they belong, the rest in the general notice. */
  show(error) {
    this.clear();
    const unplaced = [];
    for (const [path, message] of flatten(error.data ?? {})) {
      const slot = this.find(path);
      if (!slot) { unplaced.push(`${path}: ${message}`); continue; }
      const { el, exact } = slot;
      el.textContent = (el.textContent ? el.textContent + ' ' : '') + (exact ? message : `${path}: ${message}`);
      el.closest('.row, .field-card, .rule')?.classList.add('invalid');
    }
    const head = error.message || 'The request failed.';
    this.general?.show(unplaced.length ? `${head} ${unplaced.join('; ')}` : head);
  }

  find(path) {
    for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      if (this.slots.has(p)) return { el: this.slots.get(p), exact: p === path };
    }
    return null;
  }
}

/** `[path, message]` pairs of a 400's `data`, flat (`otp.length`) or nested (`{smtp: {port: {message}}}`). */
function flatten(data, prefix = '') {
  const out = [];
  for (const [key, detail] of Object.entries(data)) {
    const path = prefix + key;
    const nested = detail && typeof detail === 'object' && typeof detail.message !== 'string' && typeof detail.code !== 'string';
    if (nested) out.push(...flatten(detail, `${path}.`));
    else out.push([path, detail?.message ?? String(detail)]);
  }
  return out;
}
