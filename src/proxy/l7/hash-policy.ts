/**
 * A resolver's `LoadBalancer.HashPolicies` compiled to one function from a request to the
 * hash that ring_hash and maglev follow, with Envoy's semantics (Consul renders each policy
 * as an Envoy RouteAction.HashPolicy): policies run in order, every value found is folded in,
 * and a Terminal policy stops the evaluation once a hash exists. A cookie policy with a TTL
 * or Session set makes up a cookie when the request has none and asks for it to be set on
 * the response, so the client sticks to the instance from its next request on.
 */
import type { CookieConfig, HashPolicy } from '../../state/config-entries/entry-types.js';
import { combineHash, xxh32 } from './endpoint-hash.js';

export interface HashInput {
  /** Request headers with lower-case names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The query string, with or without its leading '?'. */
  query: string;
  /** The downstream peer's address. */
  sourceIp: string;
  /**
   * Identifies the downstream connection (e.g. its remote and local address:port). When
   * given, a generated cookie is derived from it as Envoy does, so requests racing on one
   * connection before the client stores the cookie all get the same one; otherwise random.
   */
  connection?: string;
}

export interface HashResult {
  hash: number | undefined;
  /** A full Set-Cookie header value to add to the response. */
  setCookie?: string;
}

export interface HashPolicyOptions {
  /** Draws for generated cookie values when the input has no `connection`; Math.random by default. */
  random?: () => number;
}

/** State of one evaluation: the cookie made up for this request, if any. */
interface Evaluation {
  setCookie?: string;
}

type Step = (input: HashInput, ev: Evaluation) => number | undefined;

/** Null when there are no policies: the balancer then draws a random hash (Consul's documented behaviour). */
export function compileHashPolicies(policies: HashPolicy[] | undefined, opts: HashPolicyOptions = {}): ((input: HashInput) => HashResult) | null {
  if (!policies || policies.length === 0) return null;
  const random = opts.random ?? Math.random;
  const steps: Step[] = [];
  const terminal: boolean[] = [];
  for (const p of policies) {
    const step = compileOne(p, random);
    if (!step) continue;
    steps.push(step);
    terminal.push(p.Terminal === true);
  }
  if (steps.length === 0) return null;
  return (input) => {
    const ev: Evaluation = {};
    let hash: number | undefined;
    for (let i = 0; i < steps.length; i++) {
      const v = steps[i](input, ev);
      if (v !== undefined) hash = combineHash(hash, v);
      if (terminal[i] && hash !== undefined) break;
    }
    return ev.setCookie === undefined ? { hash } : { hash, setCookie: ev.setCookie };
  };
}

function compileOne(p: HashPolicy, random: () => number): Step | undefined {
  if (p.SourceIP) return sourceIpStep;
  const name = p.FieldValue ?? '';
  if (!name) return undefined;
  switch (p.Field) {
    case 'header':
      return headerStep(name.toLowerCase());
    case 'cookie':
      return cookieStep(name, p.CookieConfig, random);
    case 'query_parameter':
      return queryStep(name);
    default:
      return undefined;
  }
}

function sourceIpStep(input: HashInput): number | undefined {
  let ip = input.sourceIp;
  if (!ip) return undefined;
  // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; hash the IPv4 form either way.
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7);
  return xxh32(ip);
}

function headerStep(name: string): Step {
  return (input) => {
    const v = input.headers[name];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return xxh32(v);
    if (v.length === 0) return undefined;
    // Envoy hashes every value of a repeated header, sorted so their order does not matter.
    const sorted = [...v].sort();
    let h = 0;
    for (const s of sorted) h = xxh32(s, h);
    return h;
  };
}

function queryStep(name: string): Step {
  return (input) => {
    const v = queryParam(input.query, name);
    return v === undefined ? undefined : xxh32(v);
  };
}

/** The first value of `name` in a query string, undecoded as Envoy takes it; '' for a bare `name`. */
export function queryParam(query: string, name: string): string | undefined {
  let i = query.startsWith('?') ? 1 : 0;
  while (i <= query.length) {
    let end = query.indexOf('&', i);
    if (end < 0) end = query.length;
    const eq = query.indexOf('=', i);
    const keyEnd = eq >= 0 && eq < end ? eq : end;
    if (keyEnd - i === name.length && query.startsWith(name, i)) return keyEnd === end ? '' : query.slice(keyEnd + 1, end);
    i = end + 1;
  }
  return undefined;
}

/** The value of cookie `name` in Cookie header(s), without the quotes RFC 6265 allows. */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string') {
    for (const h of header) {
      const v = cookieValue(h, name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  let i = 0;
  while (i < header.length) {
    let end = header.indexOf(';', i);
    if (end < 0) end = header.length;
    while (i < end && header.charCodeAt(i) === 0x20) i++;
    const eq = header.indexOf('=', i);
    if (eq >= 0 && eq < end && eq - i === name.length && header.startsWith(name, i)) {
      let v = header.slice(eq + 1, end).trimEnd();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      return v;
    }
    i = end + 1;
  }
  return undefined;
}

function cookieStep(name: string, cfg: CookieConfig | undefined, random: () => number): Step {
  // As Consul renders it: a TTL, or Session (a TTL of zero), makes Envoy generate the cookie.
  const generates = cfg !== undefined && (cfg.Session === true || (cfg.TTL ?? 0) > 0);
  // Envoy keeps whole seconds; a zero Max-Age is left out, which makes a session cookie.
  const maxAge = cfg?.Session ? 0 : Math.floor((cfg?.TTL ?? 0) / 1e9);
  const attributes = (maxAge > 0 ? `; Max-Age=${maxAge}` : '') + (cfg?.Path ? `; Path=${cfg.Path}` : '') + '; HttpOnly';
  return (input, ev) => {
    const v = cookieValue(input.headers.cookie, name);
    if (v) return xxh32(v);
    // One made-up cookie per request: a response sets at most one.
    if (!generates || ev.setCookie !== undefined) return undefined;
    const made = input.connection ? hex32(xxh32(input.connection, 0)) + hex32(xxh32(input.connection, 1)) : hex32(randomU32(random)) + hex32(randomU32(random));
    ev.setCookie = `${name}="${made}"${attributes}`;
    return xxh32(made);
  };
}

const randomU32 = (random: () => number): number => Math.floor(random() * 2 ** 32) >>> 0;
const hex32 = (n: number): string => n.toString(16).padStart(8, '0');
