/**
 * The parts of an HTTP request that routing and L7 intentions look at, taken once per
 * request from what Node hands over (HTTP/1.1's `req.url` or h2's `:path`).
 */

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface RequestHead {
  /** Upper-case. */
  method: string;
  /** The URL path without the query (or fragment), as received unless normalized. */
  path: string;
  /** The raw query string without '?', '' when there is none. */
  query: string;
  /** Node's lower-case header object (h2 requests also carry ':path', ':authority' pseudo-headers). */
  headers: HeaderBag;
}

export interface RequestHeadOptions {
  /**
   * Normalize the path as Envoy's `normalize_path` does, which Consul turns on for mesh
   * proxies unless the mesh entry says `InsecureDisablePathNormalization`: without it,
   * `/api/../admin` or `/%61dmin` would slip past a path rule that guards `/admin`.
   */
  normalize?: boolean;
}

// "http://host:port" at the start of an absolute-form request target (RFC 9112 3.2.2).
const ABSOLUTE_FORM = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/;

export function requestHead(method: string, url: string, headers: HeaderBag, opts?: RequestHeadOptions): RequestHead {
  let target = url;
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  if (target.charCodeAt(0) !== 47 /* / */ && target !== '*') {
    const m = ABSOLUTE_FORM.exec(target);
    if (m) target = target.slice(m[0].length) || '/';
  }
  const q = target.indexOf('?');
  let path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q + 1);
  if (opts?.normalize) path = normalizePath(path);
  return { method: method.toUpperCase(), path, query, headers };
}

// ALPHA / DIGIT / "-" / "." / "_" / "~"
function isUnreserved(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 126;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Decodes %XX escapes of unreserved characters (RFC 3986 6.2.2.2) and upper-cases the hex of the others. */
function decodeUnreserved(path: string): string {
  let out = '';
  let from = 0;
  let i = path.indexOf('%');
  while (i !== -1 && i + 2 < path.length) {
    const hi = hexValue(path.charCodeAt(i + 1));
    const lo = hexValue(path.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) {
      i = path.indexOf('%', i + 1);
      continue;
    }
    const code = hi * 16 + lo;
    out += path.slice(from, i) + (isUnreserved(code) ? String.fromCharCode(code) : path.slice(i, i + 3).toUpperCase());
    from = i + 3;
    i = path.indexOf('%', from);
  }
  return from === 0 ? path : out + path.slice(from);
}

/** RFC 3986 5.2.4 remove_dot_segments on an absolute path; empty segments (`//`) are kept, as Envoy keeps them unless merge_slashes is on. */
function removeDotSegments(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    const s = segments[i];
    if (s === '.' || s === '..') {
      if (s === '..') out.pop();
      if (i === last) out.push('');
      continue;
    }
    out.push(s);
  }
  return `/${out.join('/')}`;
}

/**
 * Envoy's path normalization: backslashes become slashes, escaped unreserved characters are
 * decoded, and `.`/`..` segments are resolved. Paths not starting with '/' (`*`) are left alone.
 * The common case (nothing to do) returns the same string without copying.
 */
export function normalizePath(path: string): string {
  if (path.charCodeAt(0) !== 47 && path.charCodeAt(0) !== 92) return path;
  if (!path.includes('\\') && !path.includes('%') && !path.includes('/.')) return path;
  const decoded = decodeUnreserved(path.includes('\\') ? path.replaceAll('\\', '/') : path);
  return decoded.includes('/.') ? removeDotSegments(decoded) : decoded;
}

/**
 * The first value of query parameter `name` in a raw query string, as Envoy's route matcher
 * sees it: not percent-decoded, '' for a bare `name` or `name=`, undefined when absent. It
 * scans instead of building a map, so a request no query rule looks at costs nothing.
 */
export function queryParam(query: string, name: string): string | undefined {
  const n = query.length;
  let start = 0;
  while (start < n) {
    let end = query.indexOf('&', start);
    if (end === -1) end = n;
    let keyEnd = query.indexOf('=', start);
    if (keyEnd === -1 || keyEnd > end) keyEnd = end;
    if (keyEnd - start === name.length && query.startsWith(name, start)) return keyEnd === end ? '' : query.slice(keyEnd + 1, end);
    start = end + 1;
  }
  return undefined;
}
