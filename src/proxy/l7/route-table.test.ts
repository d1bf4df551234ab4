/** Route tables compiled from real discovery chains, as the compiler builds them from config entries. */
import { describe, expect, it } from 'vitest';
import { compile, protocol } from '../../discovery-chain/test-kit.js';
import type { UpstreamChainSnapshot } from '../../proxycfg/wire.js';
import { requestHead } from './request-head.js';
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, NO_RETRY, retryPolicy, RouteTable, type Route } from './route-table.js';

const http = (name: string) => protocol(name, 'http');
const subsets = { v1: { Filter: 'Service.Meta.version == v1' }, v2: { Filter: 'Service.Meta.version == v2' }, v3: { Filter: 'Service.Meta.version == v3' } };

/** The chain for upstream "main" with every target reachable except `unreachable`. */
function tableOf(entries: Record<string, unknown>[], unreachable: string[] = []): RouteTable {
  const compiled = compile(entries);
  const Targets = Object.fromEntries(Object.keys(compiled.Targets).map((id) => [id, { Reachable: !unreachable.includes(id), Endpoints: [] }]));
  const chain: UpstreamChainSnapshot = { Compiled: compiled, Targets };
  return RouteTable.compile(chain);
}

const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => requestHead(method, url, headers);

/** How often each leg's resolver is picked for rand = 0, 1/n, 2/n, ... */
function shares(route: Route, n = 10_000): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const r = route.pick(i / n).resolver;
    out[r] = (out[r] ?? 0) + 1;
  }
  return out;
}

describe('chains that start at a resolver', () => {
  it('have one catch-all route to the service with Envoy defaults', () => {
    const t = tableOf([]);
    expect(t.routes).toHaveLength(1);
    const r = t.route(get('/anything?x=1'))!;
    expect(r.name).toBe('default');
    expect(r.legs).toEqual([{ targets: ['main.default.default.dc1'], resolver: 'main.default.default.dc1', loadBalancer: undefined, connectTimeoutMs: 5000, requestHeaders: null, responseHeaders: null }]);
    expect(r.requestTimeoutMs).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(r.idleTimeoutMs).toBe(DEFAULT_IDLE_TIMEOUT_MS);
    expect(r.retry).toBe(NO_RETRY);
    expect(r.requestHeaders).toBeNull();
    expect(r.rewritePath('/a/b')).toBe('/a/b');
    expect(t.route(get('*', {}, 'OPTIONS'))).toBe(r);
  });

  it("take the resolver's connect and request timeouts and load balancer", () => {
    const lb = { Policy: 'least_request', LeastRequestConfig: { ChoiceCount: 3 } };
    const r = tableOf([{ Kind: 'service-resolver', Name: 'main', ConnectTimeout: '2s', RequestTimeout: '30s', LoadBalancer: lb }]).routes[0];
    expect(r.legs[0].connectTimeoutMs).toBe(2000);
    expect(r.legs[0].loadBalancer).toEqual(lb);
    expect(r.requestTimeoutMs).toBe(30_000);
  });

  it('list failover targets in order after the primary and drop unreachable ones', () => {
    const entries = [
      { Kind: 'service-resolver', Name: 'main', Failover: { '*': { Targets: [{ Service: 'backup' }, { Datacenter: 'dc2' }, { Service: 'other' }] } } },
    ];
    expect(tableOf(entries).routes[0].legs[0].targets).toEqual(['main.default.default.dc1', 'backup.default.default.dc1', 'main.default.default.dc2', 'other.default.default.dc1']);
    expect(tableOf(entries, ['main.default.default.dc2']).routes[0].legs[0].targets).toEqual(['main.default.default.dc1', 'backup.default.default.dc1', 'other.default.default.dc1']);
    expect(tableOf(entries, ['main.default.default.dc1', 'backup.default.default.dc1']).routes[0].legs[0].targets).toEqual(['main.default.default.dc2', 'other.default.default.dc1']);
  });
});

describe('chains that start at a splitter', () => {
  const splitter = (splits: Record<string, unknown>[]) => [http('main'), { Kind: 'service-resolver', Name: 'main', Subsets: subsets }, { Kind: 'service-splitter', Name: 'main', Splits: splits }];

  it('pick legs by weight over the cumulative table', () => {
    const r = tableOf(splitter([{ Weight: 90, ServiceSubset: 'v1' }, { Weight: 10, ServiceSubset: 'v2' }])).routes[0];
    expect(r.name).toBe('default');
    expect(r.legs.map((l) => l.targets)).toEqual([['v1.main.default.default.dc1'], ['v2.main.default.default.dc1']]);
    expect(r.pick(0)).toBe(r.legs[0]);
    expect(r.pick(0.8999)).toBe(r.legs[0]);
    expect(r.pick(0.9)).toBe(r.legs[1]);
    expect(r.pick(0.99999)).toBe(r.legs[1]);
    expect(shares(r)).toEqual({ 'v1.main.default.default.dc1': 9000, 'v2.main.default.default.dc1': 1000 });
  });

  it('honour two-decimal weights', () => {
    const r = tableOf(splitter([{ Weight: 33.33, ServiceSubset: 'v1' }, { Weight: 33.33, ServiceSubset: 'v2' }, { Weight: 33.34, ServiceSubset: 'v3' }])).routes[0];
    expect(shares(r)).toEqual({ 'v1.main.default.default.dc1': 3333, 'v2.main.default.default.dc1': 3333, 'v3.main.default.default.dc1': 3334 });
  });

  it('multiply the weights of nested splitters and merge their header changes', () => {
    const r = tableOf([
      http('main'),
      http('other'),
      { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 50, Service: 'other', RequestHeaders: { Set: { 'x-from': 'main' } } }, { Weight: 50 }] },
      { Kind: 'service-splitter', Name: 'other', Splits: [{ Weight: 50, Service: 'a' }, { Weight: 50, Service: 'b', RequestHeaders: { Add: { 'x-leg': 'b' } } }] },
      http('a'),
      http('b'),
    ]).routes[0];
    expect(shares(r)).toEqual({ 'a.default.default.dc1': 2500, 'b.default.default.dc1': 2500, 'main.default.default.dc1': 5000 });
    const b = r.legs.find((l) => l.resolver === 'b.default.default.dc1')!;
    expect(b.requestHeaders).toEqual({ add: [['x-leg', 'b']], set: [['x-from', 'main']], remove: [] });
  });

  it('carry each split header changes on its leg', () => {
    const r = tableOf(splitter([
      { Weight: 50, ServiceSubset: 'v1', RequestHeaders: { Set: { 'X-Version': '1' } }, ResponseHeaders: { Remove: ['Server'] } },
      { Weight: 50, ServiceSubset: 'v2' },
    ])).routes[0];
    expect(r.legs[0].requestHeaders).toEqual({ add: [], set: [['x-version', '1']], remove: [] });
    expect(r.legs[0].responseHeaders).toEqual({ add: [], set: [], remove: ['server'] });
    expect(r.legs[1].requestHeaders).toBeNull();
  });

  it('give no share to a leg none of whose targets can be reached', () => {
    const r = tableOf(splitter([{ Weight: 50, ServiceSubset: 'v1' }, { Weight: 25, ServiceSubset: 'v2' }, { Weight: 25, ServiceSubset: 'v3' }]), ['v1.main.default.default.dc1']).routes[0];
    expect(r.legs[0].targets).toEqual([]);
    expect(shares(r)).toEqual({ 'v2.main.default.default.dc1': 5000, 'v3.main.default.default.dc1': 5000 });
  });

  it("apply the resolvers' request timeout when every leg agrees", () => {
    const same = tableOf([http('main'), { Kind: 'service-resolver', Name: 'main', Subsets: subsets, RequestTimeout: '4s' }, { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 50, ServiceSubset: 'v1' }, { Weight: 50, ServiceSubset: 'v2' }] }]);
    expect(same.routes[0].requestTimeoutMs).toBe(4000);
    const differ = tableOf([
      http('main'),
      { Kind: 'service-resolver', Name: 'main', RequestTimeout: '4s' },
      { Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 50 }, { Weight: 50, Service: 'other' }] },
      http('other'),
    ]);
    expect(differ.routes[0].requestTimeoutMs).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
  });
});

describe('chains that start at a router', () => {
  const router = (routes: Record<string, unknown>[], extra: Record<string, unknown>[] = []) =>
    tableOf([http('main'), http('admin'), { Kind: 'service-resolver', Name: 'main', Subsets: subsets }, { Kind: 'service-router', Name: 'main', Routes: routes }, ...extra]);

  it('try routes in order, name them by position, and end with the catch-all', () => {
    const t = router([
      { Match: { HTTP: { PathPrefix: '/admin' } }, Destination: { Service: 'admin' } },
      { Match: { HTTP: { Header: [{ Name: 'x-canary', Exact: '1' }] } }, Destination: { ServiceSubset: 'v2' } },
      { Match: { HTTP: { PathPrefix: '/' } }, Destination: { ServiceSubset: 'v1' } },
    ]);
    expect(t.routes.map((r) => r.name)).toEqual(['route-0', 'route-1', 'route-2', 'default']);
    expect(t.route(get('/admin/users', { 'x-canary': '1' }))!.name).toBe('route-0');
    expect(t.route(get('/admin/users'))!.legs[0].targets).toEqual(['admin.default.default.dc1']);
    expect(t.route(get('/shop', { 'x-canary': '1' }))!.legs[0].targets).toEqual(['v2.main.default.default.dc1']);
    expect(t.route(get('/shop'))!.name).toBe('route-2');
    expect(t.route(get('*', {}, 'OPTIONS'))!.name).toBe('default');
    expect(t.route(get('*', {}, 'OPTIONS'))!.legs[0].targets).toEqual(['main.default.default.dc1']);
  });

  it('route to a splitter with one leg per split', () => {
    const t = router([{ Match: { HTTP: { PathPrefix: '/api' } } }], [{ Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 80, ServiceSubset: 'v1' }, { Weight: 20, ServiceSubset: 'v2' }] }]);
    const api = t.route(get('/api/x'))!;
    expect(api.name).toBe('route-0');
    expect(api.legs.map((l) => l.resolver)).toEqual(['v1.main.default.default.dc1', 'v2.main.default.default.dc1']);
    expect(shares(api)).toEqual({ 'v1.main.default.default.dc1': 8000, 'v2.main.default.default.dc1': 2000 });
    // The catch-all goes to the service's splitter as well.
    expect(t.route(get('/other'))!.legs).toHaveLength(2);
  });

  it('rewrite the matched prefix, or the whole path of an exact match', () => {
    const t = router([
      { Match: { HTTP: { PathPrefix: '/api/' } }, Destination: { PrefixRewrite: '/' } },
      { Match: { HTTP: { PathPrefix: '/v1' } }, Destination: { PrefixRewrite: '/v2' } },
      { Match: { HTTP: { PathExact: '/old' } }, Destination: { PrefixRewrite: '/new/place' } },
      { Match: { HTTP: { PathPrefix: '/CI/', CaseInsensitive: true } }, Destination: { PrefixRewrite: '/ci-' } },
    ]);
    const rewrite = (path: string) => t.route(get(path))!.rewritePath(path);
    expect(rewrite('/api/users')).toBe('/users');
    expect(rewrite('/api/')).toBe('/');
    expect(rewrite('/v1/items')).toBe('/v2/items');
    expect(rewrite('/v10')).toBe('/v20');
    expect(rewrite('/old')).toBe('/new/place');
    expect(rewrite('/ci/Thing')).toBe('/ci-Thing');
    expect(rewrite('/elsewhere')).toBe('/elsewhere');
  });

  it("take the route's timeouts, else the resolver's request timeout, else Envoy's defaults", () => {
    const t = router(
      [
        { Match: { HTTP: { PathPrefix: '/slow' } }, Destination: { RequestTimeout: '2m', IdleTimeout: '10s' } },
        { Match: { HTTP: { PathPrefix: '/admin' } }, Destination: { Service: 'admin' } },
      ],
      [{ Kind: 'service-resolver', Name: 'admin', RequestTimeout: '7s' }],
    );
    expect(t.routes[0]).toMatchObject({ requestTimeoutMs: 120_000, idleTimeoutMs: 10_000 });
    expect(t.routes[1]).toMatchObject({ requestTimeoutMs: 7000, idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS });
    expect(t.routes[2]).toMatchObject({ requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS, idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS });
  });

  it("carry the route's retry policy and header changes", () => {
    const t = router([
      {
        Match: { HTTP: { PathPrefix: '/' } },
        Destination: { NumRetries: 3, RetryOnConnectFailure: true, RetryOnStatusCodes: [503], RequestHeaders: { Add: { 'x-route': 'r0' } }, ResponseHeaders: { Set: { 'cache-control': 'no-store' } } },
      },
    ]);
    const r = t.routes[0];
    expect(r.retry).toEqual({ numRetries: 3, retryOnConnectFailure: true, retryOn: new Set(['connect-failure', 'retriable-status-codes']), statusCodes: new Set([503]), perTryTimeoutMs: 0 });
    expect(r.requestHeaders).toEqual({ add: [['x-route', 'r0']], set: [], remove: [] });
    expect(r.responseHeaders).toEqual({ add: [], set: [['cache-control', 'no-store']], remove: [] });
    expect(t.routes[1].retry).toBe(NO_RETRY);
  });

  it('choose routes without allocating routing state: the same route and leg objects every time', () => {
    const t = router([{ Match: { HTTP: { PathPrefix: '/a' } } }], [{ Kind: 'service-splitter', Name: 'main', Splits: [{ Weight: 50, ServiceSubset: 'v1' }, { Weight: 50, ServiceSubset: 'v2' }] }]);
    const first = t.route(get('/a'))!;
    expect(t.route(get('/a/b'))).toBe(first);
    expect(first.pick(0.25)).toBe(first.pick(0.1));
  });

  it('report a route whose regex cannot be compiled and never match it', () => {
    const compiled = compile([http('main'), { Kind: 'service-router', Name: 'main', Routes: [{ Match: { HTTP: { PathRegex: '/x.*' } } }] }]);
    // Config entries are checked with JavaScript's engine; only a foreign snapshot carries RE2 syntax it lacks.
    compiled.Nodes[compiled.StartNode].Routes![0].Definition.Match!.HTTP!.PathRegex = '(?U)/x.*';
    const t = RouteTable.compile({ Compiled: compiled, Targets: { 'main.default.default.dc1': { Reachable: true, Endpoints: [] } } });
    expect(t.errors).toEqual(['route-0: unsupported RE2 flag U in "(?U)/x.*"']);
    expect(t.route(get('/xyz'))!.name).toBe('default');
  });
});

describe('retry policy translation', () => {
  it('is no policy without any retry field', () => {
    expect(retryPolicy({})).toBe(NO_RETRY);
    expect(retryPolicy({ NumRetries: 0, RetryOn: [], RetryOnStatusCodes: [] })).toBe(NO_RETRY);
  });

  it("uses Envoy's default of one retry when only conditions are given", () => {
    expect(retryPolicy({ RetryOn: ['gateway-error'] })).toEqual({ numRetries: 1, retryOnConnectFailure: true, retryOn: new Set(['gateway-error']), statusCodes: new Set(), perTryTimeoutMs: 0 });
    expect(retryPolicy({ RetryOnStatusCodes: [429, 503] })).toEqual({ numRetries: 1, retryOnConnectFailure: false, retryOn: new Set(['retriable-status-codes']), statusCodes: new Set([429, 503]), perTryTimeoutMs: 0 });
  });

  it('adds connect-failure once for RetryOnConnectFailure', () => {
    const p = retryPolicy({ NumRetries: 2, RetryOnConnectFailure: true, RetryOn: ['connect-failure', 'refused-stream'] });
    expect([...p.retryOn]).toEqual(['connect-failure', 'refused-stream']);
    expect(p.retryOnConnectFailure).toBe(true);
  });

  it('counts 5xx, gateway-error and reset as covering connect failures, but not retriable-4xx or gRPC conditions', () => {
    for (const c of ['5xx', 'gateway-error', 'reset', 'connect-failure']) expect(retryPolicy({ RetryOn: [c] }).retryOnConnectFailure).toBe(true);
    for (const c of ['retriable-4xx', 'refused-stream', 'unavailable', 'cancelled']) expect(retryPolicy({ RetryOn: [c] }).retryOnConnectFailure).toBe(false);
  });

  it('keeps NumRetries without any condition, which retries nothing in Envoy', () => {
    expect(retryPolicy({ PerTryTimeout: '250ms' })).toMatchObject({ numRetries: 0, perTryTimeoutMs: 250 });
    expect(retryPolicy({ NumRetries: 2, RetryOn: ['5xx'], PerTryTimeout: '1s' })).toMatchObject({ numRetries: 2, perTryTimeoutMs: 1000 });
    expect(retryPolicy({ NumRetries: 4 })).toEqual({ numRetries: 4, retryOnConnectFailure: false, retryOn: new Set(), statusCodes: new Set(), perTryTimeoutMs: 0 });
  });
});
