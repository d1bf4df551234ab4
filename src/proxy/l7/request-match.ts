/**
 * Request matchers compiled once from a service-router route's `Match.HTTP` or an L7
 * intention permission's `HTTP`, with Envoy's semantics as Consul configures it
 * (agent/xds/routes.go makeRouteMatchForDiscoveryRoute, agent/xds/rbac.go convertPermission):
 * every condition given must hold; regexes match the whole value.
 */
import type { HeaderMatch, IntentionHTTPPermission, RouteHttpMatch } from '../../state/index.js';
import { queryParam, type RequestHead } from './request-head.js';

export type RequestMatcher = (req: RequestHead) => boolean;

export const matchAll: RequestMatcher = () => true;

/**
 * A regex that must match the whole input, as Envoy's RE2 `safe_regex` does. RE2's leading
 * flag group (`(?i)`, `(?s)`) and named groups `(?P<name>...)` are translated to JavaScript's.
 */
export function fullMatchRegex(pattern: string): RegExp {
  let body = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    // Header values and paths hold no newlines, so multi-line mode changes nothing; ungreedy has no equivalent.
    if (lead[1].includes('U')) throw new SyntaxError(`unsupported RE2 flag U in ${JSON.stringify(pattern)}`);
    flags = [...new Set(lead[1].replaceAll('m', ''))].join('');
    body = body.slice(lead[0].length);
  }
  body = body.replaceAll('(?P<', '(?<');
  return new RegExp(`^(?:${body})$`, flags);
}

/** Lower-cases ASCII letters only, as Envoy's case-insensitive path match folds only ASCII. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** `s` starts with `lowerPrefix` ignoring ASCII case, without allocating. */
function startsWithFold(s: string, lowerPrefix: string): boolean {
  const n = lowerPrefix.length;
  if (s.length < n) return false;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lowerPrefix.charCodeAt(i)) return false;
  }
  return true;
}

type HeaderReader = (req: RequestHead) => string | undefined;

function joined(v: string | string[] | undefined): string | undefined {
  // Envoy matches a repeated header as its values joined with ',' (HeaderUtility::getAllOfHeaderAsString).
  return typeof v === 'string' || v === undefined ? v : v.join(',');
}

/** Reads a header as Envoy's matcher sees it: ':method' and ':path' from the request line; Host and ':authority' are one header. */
function headerReader(name: string): HeaderReader {
  switch (name) {
    case ':method':
      return (req) => req.method;
    case ':path':
      return (req) => (req.query ? `${req.path}?${req.query}` : req.path);
    case ':authority':
    case 'host':
      return (req) => joined(req.headers[':authority'] ?? req.headers.host);
    default:
      return (req) => joined(req.headers[name]);
  }
}

/** A route's header condition and an intention permission's have the same shape. */
type HeaderRule = HeaderMatch;

/**
 * One header condition. A missing header fails every condition except an inverted Present
 * (Envoy's HeaderUtility::matchHeaders); otherwise Invert flips the result. The first of
 * Exact, Regex, Prefix, Suffix, Present that is set decides the kind, as Consul picks it;
 * a rule with none is skipped, as Consul skips it.
 */
function compileHeader(h: HeaderRule): RequestMatcher | undefined {
  const read = headerReader(h.Name.toLowerCase());
  const invert = h.Invert === true;
  let test: ((v: string) => boolean) | undefined;
  if (h.Exact) {
    const exact = h.Exact;
    test = (v) => v === exact;
  } else if (h.Regex) {
    const re = fullMatchRegex(h.Regex);
    test = (v) => re.test(v);
  } else if (h.Prefix) {
    const prefix = h.Prefix;
    test = (v) => v.startsWith(prefix);
  } else if (h.Suffix) {
    const suffix = h.Suffix;
    test = (v) => v.endsWith(suffix);
  } else if (!h.Present) {
    return undefined;
  }
  if (!test) return (req) => (read(req) !== undefined) !== invert;
  const t = test;
  return (req) => {
    const v = read(req);
    return v === undefined ? false : t(v) !== invert;
  };
}

function compilePath(m: { PathExact?: string; PathPrefix?: string; PathRegex?: string }, caseInsensitive: boolean): RequestMatcher | undefined {
  if (m.PathExact) {
    const exact = caseInsensitive ? asciiLower(m.PathExact) : m.PathExact;
    return caseInsensitive ? (req) => req.path.length === exact.length && startsWithFold(req.path, exact) : (req) => req.path === exact;
  }
  if (m.PathPrefix) {
    const prefix = caseInsensitive ? asciiLower(m.PathPrefix) : m.PathPrefix;
    return caseInsensitive ? (req) => startsWithFold(req.path, prefix) : (req) => req.path.startsWith(prefix);
  }
  if (m.PathRegex) {
    // Envoy: case_sensitive has no effect on safe_regex; the regex sees the path without the query.
    const re = fullMatchRegex(m.PathRegex);
    return (req) => re.test(req.path);
  }
  return undefined;
}

function compileMethods(methods: string[] | undefined): RequestMatcher | undefined {
  if (!methods?.length) return undefined;
  // Consul matches ':method' against the regex "GET|POST", which a set lookup answers alike.
  const set = new Set(methods.map((m) => m.toUpperCase()));
  return (req) => set.has(req.method);
}

function compileQuery(q: { Name: string; Present?: boolean; Exact?: string; Regex?: string }): RequestMatcher | undefined {
  const name = q.Name;
  let test: ((v: string) => boolean) | undefined;
  if (q.Exact) {
    const exact = q.Exact;
    test = (v) => v === exact;
  } else if (q.Regex) {
    const re = fullMatchRegex(q.Regex);
    test = (v) => re.test(v);
  } else if (!q.Present) {
    return undefined;
  }
  const t = test;
  return (req) => {
    const v = queryParam(req.query, name);
    return v !== undefined && (t === undefined || t(v));
  };
}

/** All of `parts` must hold; cheap conditions come first in `parts`. */
function allOf(parts: (RequestMatcher | undefined)[]): RequestMatcher {
  const list = parts.filter((p): p is RequestMatcher => p !== undefined);
  if (list.length === 0) return matchAll;
  if (list.length === 1) return list[0];
  return (req) => {
    for (let i = 0; i < list.length; i++) if (!list[i](req)) return false;
    return true;
  };
}

const anyOriginPath: RequestMatcher = (req) => req.path.charCodeAt(0) === 47; /* / */

/**
 * A service-router route's match. A route without a path condition (or without any match)
 * matches paths by prefix '/', as Consul renders it: every request but `OPTIONS *`.
 * CaseInsensitive applies to PathExact and PathPrefix. Throws SyntaxError for a regex
 * JavaScript cannot compile.
 */
export function compileHttpMatch(m: RouteHttpMatch | undefined): RequestMatcher {
  if (!m) return anyOriginPath;
  return allOf([
    compileMethods(m.Methods),
    compilePath(m, m.CaseInsensitive === true) ?? anyOriginPath,
    ...(m.Header ?? []).map(compileHeader),
    ...(m.QueryParam ?? []).map(compileQuery),
  ]);
}

/** An L7 intention permission's `HTTP` block; an empty one matches every request (Consul's anyPermission). */
export function compilePermissionMatch(p: IntentionHTTPPermission): RequestMatcher {
  return allOf([compileMethods(p.Methods), compilePath(p, false), ...(p.Header ?? []).map(compileHeader)]);
}
