// The dashboard's only way to the server: the public API, with the superuser's token from sessionStorage
// (never localStorage or a cookie: it ends with the tab, and no other page of the origin receives it).

const TOKEN = 'nanodb.dashboard.token';
const ADMIN = 'nanodb.dashboard.admin';

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  admin: () => { try { return JSON.parse(sessionStorage.getItem(ADMIN) ?? 'null'); } catch { return null; } },
  set(token, admin) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(ADMIN, JSON.stringify(admin));
  },
  clear() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(ADMIN);
  },
};

/** An error answer: `status`, `message`, and `data` keyed by field path (`fields.2.values`, `filter` …). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `The server answered ${status}.`);
    this.status = status;
    this.data = body?.data && typeof body.data === 'object' ? body.data : {};
  }
}

/** Fired when the server refuses the token (expired, revoked): the shell shows the login again. */
export const SIGNED_OUT = 'nanodb:signed-out';

/** Sends a request (a JSON body, or a FormData as multipart); resolves with the parsed JSON (null for 204), rejects with ApiError. */
export async function api(method, path, body) {
  const res = await send(method, path, body);
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** As `api`, but resolves with the body as a Blob (downloads). */
export async function apiBlob(path) {
  return (await send('GET', path)).blob();
}

async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = token;
  // A FormData body (file uploads) is sent as multipart/form-data: the browser writes the type with its boundary.
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined || form ? body : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { message: `The server cannot be reached (${e.message}).` });
  }
  if (res.ok) return res;
  let payload = null;
  try { payload = await res.json(); } catch { /* not JSON: keep the status only */ }
  if (res.status === 401 && token) {
    session.clear();
    window.dispatchEvent(new CustomEvent(SIGNED_OUT, { detail: 'Your session ended (the token expired or was revoked). Sign in again.' }));
  }
  throw new ApiError(res.status, payload);
}

/** A query string from an object; empty values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Path-safe collection or record segment. */
export const seg = (s) => encodeURIComponent(s);

/** The collections, sorted with system collections last (what an operator edits most comes first). */
export async function collections() {
  const page = await api('GET', '/api/collections?perPage=1000');
  return page.items.sort((a, b) => (a.system - b.system) || a.name.localeCompare(b.name));
}
