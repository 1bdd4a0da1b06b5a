// Stored files of file fields as the records list and the record form show them: a thumbnail for an image, the
// name otherwise, and a way to open the file.
//
// A protected file needs a file token (3 minutes). It is never put into the page: the image is fetched with it
// once and shown as a data: URL, and "open" downloads the bytes through a blob, so no URL holding a token is kept
// in the DOM, the history or the downloads list. An open (unprotected) file is an ordinary link and <img>.
import { h } from './dom.js';
import { api, apiBlob, query, seg } from './api.js';

/** The thumbnail size the dashboard asks for (PocketBase's admin UI asks for the same one). */
export const THUMB = '100x100';

/** The names a file field holds: one name, a list of them, or none. */
export function fileNames(value) {
  return [value ?? []].flat().filter((n) => typeof n === 'string' && n !== '');
}

/** Raster images the server can make thumbnails of; anything else is shown by its name. */
export function isImage(name) {
  return /\.(png|jpe?g|gif|webp|bmp)$/i.test(name);
}

export function fileUrl(collection, recordId, name, params = {}) {
  return `/api/files/${seg(collection.id ?? collection.name)}/${seg(recordId)}/${seg(name)}${query(params)}`;
}

/**
 * A file token for one rendering (a list page, an opened form): asked for on first use, and not at all when nothing
 * protected is shown. Callers drop it with the rendering, well within its 3 minutes for what it loads at once.
 */
export function tokenSource() {
  let pending = null;
  return () => {
    pending ??= api('POST', '/api/files/token').then((r) => r.token).catch((e) => { pending = null; throw e; });
    return pending;
  };
}

/**
 * A thumbnail of one stored image. `token` is a tokenSource's getter, used only when the field is protected;
 * a thumbnail that cannot be loaded turns into the file's name.
 */
export function thumbnail(collection, field, recordId, name, token) {
  const img = h('img', { class: 'thumb', alt: name, title: name, width: 40, height: 40, loading: 'lazy', decoding: 'async' });
  const fallback = () => img.replaceWith(h('span', { class: 'file-name', text: name, title: name }));
  img.addEventListener('error', fallback, { once: true });
  if (!field.protected) {
    img.src = fileUrl(collection, recordId, name, { thumb: THUMB });
    return img;
  }
  img.classList.add('loading');
  (async () => {
    const blob = await apiBlob(fileUrl(collection, recordId, name, { thumb: THUMB, token: await token() }));
    img.src = await dataUrl(blob);
    img.classList.remove('loading');
  })().catch(fallback);
  return img;
}

/**
 * A link that opens a stored file: a plain link for an open file; for a protected one a download through a blob,
 * with a token asked for at the click (the link may be used long after the page was drawn).
 */
export function fileLink(collection, field, recordId, name, text = name) {
  if (!field.protected) {
    return h('a', { href: fileUrl(collection, recordId, name), target: '_blank', rel: 'noopener noreferrer', text, title: `Open ${name}` });
  }
  const link = h('a', { href: '#', text, title: `Download ${name} (protected)` });
  link.addEventListener('click', async (ev) => {
    ev.preventDefault();
    try {
      const { token } = await api('POST', '/api/files/token');
      const blob = await apiBlob(fileUrl(collection, recordId, name, { token }));
      // As bytes, never rendered: a blob URL has the dashboard's origin, so an HTML file must not open as a page.
      const url = URL.createObjectURL(new Blob([blob], { type: 'application/octet-stream' }));
      const a = h('a', { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      link.title = `Cannot download ${name}: ${e.message}`;
    }
  });
  return link;
}

/** A picked (not yet uploaded) image as a data: URL for its preview; null for other or large files. */
export async function previewOf(file) {
  if (!file.type.startsWith('image/') || file.type === 'image/svg+xml' || file.size > 4 * 1024 * 1024) return null;
  return dataUrl(file);
}

function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
