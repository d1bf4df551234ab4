import { resolve, sep } from 'node:path';

export type UiTarget =
  | { kind: 'redirect'; location: string }
  /** A file of the bundle, by its path relative to the bundle directory. */
  | { kind: 'file'; path: string; absolute: string; hidden: boolean }
  | { kind: 'bad' }
  | { kind: 'not-found' };

/**
 * Maps a request path to what the UI server answers, without touching the disk: `/` and
 * `/ui` redirect to `/ui/`; paths under `/ui/` name a file inside `dir`. A path that
 * has a segment decoding to `..` or holding a slash is refused, and the resolved file is
 * checked to stay inside `dir`, so nothing outside the bundle can be read. Dot-files and
 * names with a backslash or NUL are `hidden`: never read, though the path may still be a
 * client-side route (a KV key may look like that).
 */
export function resolveUiPath(dir: string, pathname: string): UiTarget {
  if (pathname === '/' || pathname === '/ui') return { kind: 'redirect', location: '/ui/' };
  if (!pathname.startsWith('/ui/')) return { kind: 'not-found' };
  const segments: string[] = [];
  let hidden = false;
  for (const raw of pathname.slice('/ui/'.length).split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { kind: 'bad' };
    }
    if (seg === '' || seg === '.') continue;
    if (seg === '..' || seg.includes('/')) return { kind: 'bad' };
    if (seg.startsWith('.') || /[\\\0]/.test(seg)) hidden = true;
    segments.push(seg);
  }
  const rel = segments.length ? segments.join('/') : 'index.html';
  const root = resolve(dir);
  const absolute = resolve(root, rel);
  if (!absolute.startsWith(root + sep)) return { kind: 'bad' };
  return { kind: 'file', path: rel, absolute, hidden };
}

/**
 * Vite puts every asset in `assets/` and copies `public/` files to the root, so a missing
 * path there is a 404. Anything deeper is a client-side route (`/ui/dc1/kv/app.json/edit`
 * has dots too) and gets index.html.
 */
export function looksLikeAsset(rel: string): boolean {
  return rel.startsWith('assets/') || (!rel.includes('/') && /\.[a-z0-9]{1,8}$/i.test(rel));
}
