/**
 * service-router: L7 routes, tried in order, each sending matching requests to a service or
 * subset. Checked on its own here; that the service speaks HTTP is a graph check (the
 * discovery chain compiler), since it depends on service-defaults and proxy-defaults.
 */
import { bad, checkDefaultTenancy, checkNonNegative, checkRegex, headerModifiersSchema } from './common-fields.js';
import { SERVICE_ROUTER, type ServiceRoute, type ServiceRouterEntry } from './entry-types.js';
import { defineConfigKind } from './kinds.js';
import { objectOf } from './schema.js';

const headerMatch = objectOf({ Name: 'string', Present: 'bool', Exact: 'string', Prefix: 'string', Suffix: 'string', Regex: 'string', Invert: 'bool' });
const queryMatch = objectOf({ Name: 'string', Present: 'bool', Exact: 'string', Regex: 'string' });
const httpMatch = objectOf({
  PathExact: 'string',
  PathPrefix: 'string',
  PathRegex: 'string',
  CaseInsensitive: 'bool',
  Header: { list: headerMatch },
  QueryParam: { list: queryMatch },
  Methods: 'stringList',
});
const destination = objectOf({
  Service: 'string',
  ServiceSubset: 'string',
  Namespace: 'string',
  Partition: 'string',
  PrefixRewrite: 'string',
  RequestTimeout: 'duration',
  IdleTimeout: 'duration',
  // A Weft addition: Consul leaves Envoy's per-try timeout unset (each try may use the whole RequestTimeout).
  PerTryTimeout: 'duration',
  NumRetries: 'int',
  RetryOnConnectFailure: 'bool',
  RetryOn: 'stringList',
  RetryOnStatusCodes: { list: 'int' },
  RequestHeaders: headerModifiersSchema,
  ResponseHeaders: headerModifiersSchema,
});

export const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE']);
/** Envoy's retry_on conditions Consul accepts. */
export const RETRY_CONDITIONS = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

const set = (v: string | undefined): boolean => v !== undefined && v !== '';

function validateMatch(route: ServiceRoute, i: number): boolean {
  const http = route.Match?.HTTP;
  if (!http) return false;
  let pathParts = 0;
  let rewritable = false;
  if (set(http.PathExact)) {
    pathParts++;
    rewritable = true;
    if (!http.PathExact!.startsWith('/')) throw bad(`Route[${i}] PathExact doesn't start with '/': ${JSON.stringify(http.PathExact)}`);
  }
  if (set(http.PathPrefix)) {
    pathParts++;
    rewritable = true;
    if (!http.PathPrefix!.startsWith('/')) throw bad(`Route[${i}] PathPrefix doesn't start with '/': ${JSON.stringify(http.PathPrefix)}`);
  }
  if (set(http.PathRegex)) pathParts++;
  if (pathParts > 1) throw bad(`Route[${i}] should only contain at most one of PathExact, PathPrefix, or PathRegex`);
  checkRegex(http.PathRegex, `Route[${i}] PathRegex`);
  (http.Header ?? []).forEach((h, j) => {
    if (!h.Name) throw bad(`Route[${i}] Header[${j}] missing required Name field`);
    const parts = [h.Present === true, set(h.Exact), set(h.Regex), set(h.Prefix), set(h.Suffix)].filter(Boolean).length;
    if (parts !== 1) throw bad(`Route[${i}] Header[${j}] should only contain one of Present, Exact, Prefix, Suffix, or Regex`);
    checkRegex(h.Regex, `Route[${i}] Header[${j}] Regex`);
  });
  (http.QueryParam ?? []).forEach((q, j) => {
    if (!q.Name) throw bad(`Route[${i}] QueryParam[${j}] missing required Name field`);
    const parts = [q.Present === true, set(q.Exact), set(q.Regex)].filter(Boolean).length;
    if (parts !== 1) throw bad(`Route[${i}] QueryParam[${j}] should only contain one of Present, Exact, or Regex`);
    checkRegex(q.Regex, `Route[${i}] QueryParam[${j}] Regex`);
  });
  const seen = new Set<string>();
  for (const m of http.Methods ?? []) {
    if (!HTTP_METHODS.has(m)) throw bad(`Route[${i}] Methods contains an invalid method ${JSON.stringify(m)}`);
    if (seen.has(m)) throw bad(`Route[${i}] Methods contains ${JSON.stringify(m)} more than once`);
    seen.add(m);
  }
  return rewritable;
}

function validateDestination(route: ServiceRoute, i: number, rewritable: boolean): void {
  const d = route.Destination;
  if (!d) return;
  if (set(d.PrefixRewrite) && !rewritable) throw bad(`Route[${i}] cannot make use of PrefixRewrite without configuring either PathExact or PathPrefix`);
  for (const r of d.RetryOn ?? []) {
    if (!RETRY_CONDITIONS.has(r)) throw bad(`Route[${i}] contains an invalid retry condition: ${JSON.stringify(r)}`);
  }
  checkNonNegative(d.NumRetries, `Route[${i}] NumRetries`);
  for (const code of d.RetryOnStatusCodes ?? []) {
    if (code < 100 || code > 599) throw bad(`Route[${i}] RetryOnStatusCodes contains ${code}, which is not an HTTP status code`);
  }
  if (d.RequestTimeout?.startsWith('-')) throw bad(`Route[${i}] RequestTimeout cannot be negative`);
  if (d.IdleTimeout?.startsWith('-')) throw bad(`Route[${i}] IdleTimeout cannot be negative`);
  if (d.PerTryTimeout?.startsWith('-')) throw bad(`Route[${i}] PerTryTimeout cannot be negative`);
}

defineConfigKind({
  kind: SERVICE_ROUTER,
  schema: objectOf({ Routes: { list: objectOf({ Match: objectOf({ HTTP: httpMatch }), Destination: destination }) } }),
  normalize: (e) => {
    const routes = (e.Routes as ServiceRoute[] | undefined)?.map((r) => {
      const d = r.Destination ? { ...r.Destination } : undefined;
      if (d) {
        delete d.Namespace;
        delete d.Partition;
      }
      const http = r.Match?.HTTP;
      const match = http?.Methods ? { ...r.Match, HTTP: { ...http, Methods: http.Methods.map((m) => m.toUpperCase()) } } : r.Match;
      return { ...(match ? { Match: match } : {}), ...(d ? { Destination: d } : {}) };
    });
    // Tenancy is checked before the default namespace and partition are dropped.
    (e.Routes as ServiceRoute[] | undefined)?.forEach((r, i) => r.Destination && checkDefaultTenancy(`Route[${i}].Destination`, r.Destination));
    return routes ? { ...e, Routes: routes } : e;
  },
  validate: (raw) => {
    const e = raw as ServiceRouterEntry;
    (e.Routes ?? []).forEach((route, i) => validateDestination(route, i, validateMatch(route, i)));
  },
});
