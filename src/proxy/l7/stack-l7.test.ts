import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect as h2connect, createServer as createH2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compile, protocol } from '../../discovery-chain/test-kit.js';
import type { ProxySnapshot, UpstreamChainSnapshot, UpstreamEndpoint } from '../../proxycfg/wire.js';
import type { IntentionPermission } from '../../state/connect/intention-types.js';
import { ProxyStack } from '../stack.js';
import { TD, endpoint, freePort, intention, makeLeaf, makeRoot, silentLog, snapshot, type TestLeaf, type TestRoot } from '../test-kit.js';

/** An app answering JSON about itself and the request; `fail` decides per request whether to answer 503. */
async function app(version: string, opts: { fail?: (n: number) => boolean; delayMs?: number; delayFor?: (n: number) => number } = {}): Promise<{ port: number; server: Server; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  let n = 0;
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    const i = ++n;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const answer = () => {
        if (opts.fail?.(i)) return void res.writeHead(503).end('failing on purpose');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version, path: req.url, method: req.method, headers: req.headers, body }));
      };
      const wait = opts.delayFor?.(i) ?? opts.delayMs ?? 0;
      if (wait) setTimeout(answer, wait);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  }));
  return { port: (server.address() as AddressInfo).port, server, seen };
}

let root: TestRoot;
let webLeaf: TestLeaf;
let currencyLeaf: TestLeaf;
const cleanups: (() => unknown)[] = [];
const agent = new Agent({ keepAliveTimeout: 10_000 });

beforeAll(async () => {
  root = await makeRoot();
  [webLeaf, currencyLeaf] = await Promise.all([makeLeaf(root, 'web'), makeLeaf(root, 'currency')]);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => agent.close());

/** A currency sidecar speaking `proto` at its public port, in front of an app on `appPort`. */
async function currencySidecar(appPort: number, proto = 'http', permissions?: IntentionPermission[]): Promise<{ stack: ProxyStack; port: number }> {
  const stack = new ProxyStack(silentLog);
  cleanups.push(() => stack.close());
  const s = snapshot({ service: 'currency', leaf: currencyLeaf, roots: [root], listener: { port: 0, localPort: appPort } });
  s.PublicListener!.Protocol = proto;
  if (permissions) s.Intentions = { Matches: [{ ...intention('web', 'currency', 'allow'), Action: undefined as never, Permissions: permissions }], DefaultAllow: false, DefaultReason: 'default deny' };
  await stack.apply(s);
  return { stack, port: stack.listeners().public!.port };
}

/** The chain of "currency" from `entries`, with each subset's sidecars. */
function chainOf(entries: Record<string, unknown>[], endpoints: Record<string, UpstreamEndpoint[]>): UpstreamChainSnapshot {
  const compiled = compile(entries, { serviceName: 'currency', trustDomain: TD });
  const targets: UpstreamChainSnapshot['Targets'] = {};
  for (const id of Object.keys(compiled.Targets)) targets[id] = { Reachable: true, Endpoints: endpoints[id] ?? [] };
  return { Compiled: compiled, Targets: targets };
}

async function webSidecar(chain: UpstreamChainSnapshot, over: Partial<ProxySnapshot['Upstreams'][number]> = {}): Promise<{ stack: ProxyStack; port: number; apply(c: UpstreamChainSnapshot): Promise<void> }> {
  const stack = new ProxyStack(silentLog);
  cleanups.push(() => stack.close());
  // A fixed port, as a registration has: a snapshot with another one would move the listener.
  const port = await freePort();
  const build = (c: UpstreamChainSnapshot) => {
    const s = snapshot({ service: 'web', leaf: webLeaf, roots: [root], upstreams: [{ name: 'currency', port, endpoints: [] }] });
    Object.assign(s.Upstreams[0], { Protocol: c.Compiled.Protocol, Chain: c, ...over });
    return s;
  };
  await stack.apply(build(chain));
  return { stack, port, apply: (c) => stack.apply(build(c)) };
}

async function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const res = await request(`http://127.0.0.1:${port}${path}`, { dispatcher: agent, headers });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

const SUBSETS = {
  Kind: 'service-resolver',
  Name: 'currency',
  DefaultSubset: 'v1',
  Subsets: { v1: { Filter: 'Service.Meta.version == v1' }, v2: { Filter: 'Service.Meta.version == v2' } },
};
const V1 = 'v1.currency.default.default.dc1';
const V2 = 'v2.currency.default.default.dc1';

async function metric(stack: ProxyStack, name: string, labels: string): Promise<number> {
  const line = (await stack.metrics.text()).split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('the L7 proxy stack', () => {
  it('routes by header to a subset, splits by weight, and rewrites prefixes, through both sidecars', async () => {
    const [a1, a2] = await Promise.all([app('v1'), app('v2')]);
    const [s1, s2] = await Promise.all([currencySidecar(a1.port), currencySidecar(a2.port)]);
    const entries = [
      protocol('currency', 'http'),
      SUBSETS,
      { Kind: 'service-splitter', Name: 'currency', Splits: [{ Weight: 75, ServiceSubset: 'v1' }, { Weight: 25, ServiceSubset: 'v2', ResponseHeaders: { Add: { 'x-leg': 'v2' } } }] },
      {
        Kind: 'service-router',
        Name: 'currency',
        Routes: [
          { Match: { HTTP: { Header: [{ Name: 'x-tester', Exact: 'true' }] } }, Destination: { ServiceSubset: 'v2' } },
          { Match: { HTTP: { PathPrefix: '/old/' } }, Destination: { ServiceSubset: 'v1', PrefixRewrite: '/new/' } },
        ],
      },
    ];
    const web = await webSidecar(chainOf(entries, { [V1]: [endpoint(s1.port, 'currency', 'c1')], [V2]: [endpoint(s2.port, 'currency', 'c2')] }));

    for (let i = 0; i < 5; i++) expect(JSON.parse((await get(web.port, '/rates', { 'x-tester': 'true' })).body).version).toBe('v2');
    const rewritten = JSON.parse((await get(web.port, '/old/eur?x=1')).body);
    expect(rewritten).toMatchObject({ version: 'v1', path: '/new/eur?x=1' });

    let v2 = 0;
    const N = 400;
    for (let i = 0; i < N; i++) {
      const r = await get(web.port, '/rates');
      if (JSON.parse(r.body).version === 'v2') {
        v2++;
        expect(r.headers['x-leg']).toBe('v2');
      }
    }
    expect(v2 / N).toBeGreaterThan(0.17);
    expect(v2 / N).toBeLessThan(0.33);
    expect(await metric(web.stack, 'weft_proxy_http_requests_total', 'listener="upstream:currency",route="default",class="2xx"')).toBe(N);
  });

  it('keeps a caller on one instance with a ring_hash cookie policy, and follows a resolver redirect', async () => {
    const [a1, a2] = await Promise.all([app('a'), app('b')]);
    const [s1, s2] = await Promise.all([currencySidecar(a1.port), currencySidecar(a2.port)]);
    const ID = 'currency.default.default.dc1';
    const sticky = {
      Kind: 'service-resolver',
      Name: 'currency',
      LoadBalancer: { Policy: 'ring_hash', HashPolicies: [{ Field: 'cookie', FieldValue: 'affinity', CookieConfig: { TTL: 3_600_000_000_000, Path: '/' } }] },
    };
    const both = { [ID]: [endpoint(s1.port, 'currency', 'c1'), endpoint(s2.port, 'currency', 'c2')] };
    const web = await webSidecar(chainOf([protocol('currency', 'http'), sticky], both));
    const first = await get(web.port, '/');
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    expect(cookie).toMatch(/^affinity=/);
    const served = new Set<string>();
    for (let i = 0; i < 20; i++) served.add(JSON.parse((await get(web.port, '/', { cookie })).body).version);
    expect(served.size).toBe(1);

    const redirected = [protocol('currency', 'http'), protocol('fx', 'http'), { Kind: 'service-resolver', Name: 'currency', Redirect: { Service: 'fx' } }];
    const chain = chainOf(redirected, { 'fx.default.default.dc1': [endpoint(s2.port, 'currency', 'c2')] });
    expect(Object.keys(chain.Compiled.Targets)).toEqual(['fx.default.default.dc1']);
    await web.apply(chain);
    expect(JSON.parse((await get(web.port, '/')).body).version).toBe('b');
  });

  it('hides an upstream failing every third request with retries, and answers 503 once retries run out', async () => {
    const flaky = await app('v1', { fail: (n) => n % 3 === 0 });
    const s = await currencySidecar(flaky.port);
    const router = (retries: number) => [
      protocol('currency', 'http'),
      { Kind: 'service-router', Name: 'currency', Routes: [{ Match: { HTTP: { PathPrefix: '/' } }, Destination: retries ? { NumRetries: retries, RetryOnStatusCodes: [503] } : {} }] },
    ];
    const ID = 'currency.default.default.dc1';
    const web = await webSidecar(chainOf(router(2), { [ID]: [endpoint(s.port, 'currency')] }));
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await get(web.port, '/x')).status);
    expect(statuses.every((st) => st === 200)).toBe(true);
    expect(await metric(web.stack, 'weft_proxy_http_retries_total', 'listener="upstream:currency",route="route-0"')).toBeGreaterThanOrEqual(9);

    await web.apply(chainOf(router(0), { [ID]: [endpoint(s.port, 'currency')] }));
    const after = [];
    for (let i = 0; i < 9; i++) after.push((await get(web.port, '/x')).status);
    expect(after.filter((st) => st === 503).length).toBe(3);
  });

  it('gives up on a slow attempt after PerTryTimeout and retries it', async () => {
    const a = await app('v1', { delayFor: (n) => (n === 1 ? 1000 : 0) });
    const s = await currencySidecar(a.port);
    const ID = 'currency.default.default.dc1';
    const entries = [protocol('currency', 'http'), { Kind: 'service-router', Name: 'currency', Routes: [{ Match: { HTTP: { PathPrefix: '/' } }, Destination: { PerTryTimeout: '100ms', NumRetries: 2, RetryOn: ['gateway-error'] } }] }];
    const web = await webSidecar(chainOf(entries, { [ID]: [endpoint(s.port, 'currency')] }));
    const t0 = Date.now();
    const r = await get(web.port, '/');
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(900);
    expect(a.seen.length).toBe(2);
  });

  it('answers 504 when the route timeout passes and 503 "no healthy upstream" without instances', async () => {
    const slow = await app('v1', { delayMs: 1000 });
    const s = await currencySidecar(slow.port);
    const ID = 'currency.default.default.dc1';
    const entries = [protocol('currency', 'http'), { Kind: 'service-router', Name: 'currency', Routes: [{ Match: { HTTP: { PathPrefix: '/' } }, Destination: { RequestTimeout: '150ms' } }] }];
    const web = await webSidecar(chainOf(entries, { [ID]: [endpoint(s.port, 'currency')] }));
    const r = await get(web.port, '/slow');
    expect(r.status).toBe(504);
    expect(r.body).toBe('upstream request timeout\n');
    await web.apply(chainOf(entries, {}));
    const none = await get(web.port, '/slow');
    expect([none.status, none.body]).toEqual([503, 'no healthy upstream\n']);
  });

  it('trips the circuit breaker with 503 past MaxConcurrentRequests', async () => {
    const slow = await app('v1', { delayMs: 300 });
    const s = await currencySidecar(slow.port);
    const ID = 'currency.default.default.dc1';
    const web = await webSidecar(chainOf([protocol('currency', 'http')], { [ID]: [endpoint(s.port, 'currency')] }), { Limits: { MaxConcurrentRequests: 2 } });
    const results = await Promise.all(Array.from({ length: 8 }, () => get(web.port, '/')));
    const codes = results.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 200).length).toBe(2);
    expect(codes.filter((c) => c === 503).length).toBe(6);
    expect(results.find((r) => r.status === 503)!.headers['x-weft-overloaded']).toBe('true');
    expect(await metric(web.stack, 'weft_proxy_http_circuit_breaker_trips_total', `listener="upstream:currency",target="${ID}",limit="max_concurrent_requests"`)).toBe(6);
  });

  it('checks L7 intentions per request: 403 with the reason, allowed requests pass', async () => {
    const a = await app('v1');
    const s = await currencySidecar(a.port, 'http', [{ Action: 'allow', HTTP: { PathPrefix: '/rates', Methods: ['GET'] } }]);
    const ID = 'currency.default.default.dc1';
    const web = await webSidecar(chainOf([protocol('currency', 'http')], { [ID]: [endpoint(s.port, 'currency')] }));
    expect((await get(web.port, '/rates/eur')).status).toBe(200);
    const denied = await get(web.port, '/admin');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatch(/^Permission denied: /);
    const seen = a.seen.at(-1)!;
    expect(seen.headers['x-forwarded-client-cert']).toContain('URI=spiffe://');
    expect(seen.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('speaks h2 end to end for an http2 chain, trailers included', async () => {
    const h2app: Http2Server = createH2Server((req, res) => {
      res.writeHead(200, { 'content-type': 'application/grpc' });
      res.addTrailers({ 'grpc-status': '0', 'grpc-message': 'fine', 'x-path': req.url });
      res.end(Buffer.from([0, 0, 0, 0, 0]));
    });
    await new Promise<void>((r) => h2app.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => h2app.close(r)));
    const s = await currencySidecar((h2app.address() as AddressInfo).port, 'grpc');
    const ID = 'currency.default.default.dc1';
    const web = await webSidecar(chainOf([protocol('currency', 'grpc')], { [ID]: [endpoint(s.port, 'currency')] }));
    const client = h2connect(`http://127.0.0.1:${web.port}`);
    cleanups.push(() => client.close());
    const got = await new Promise<{ status: number; trailers: Record<string, unknown> }>((resolve, reject) => {
      const st = client.request({ ':method': 'POST', ':path': '/demo.Currency/Rates', 'content-type': 'application/grpc', te: 'trailers' });
      let status = 0;
      st.on('response', (h) => (status = Number(h[':status'])));
      st.on('trailers', (t) => resolve({ status, trailers: t }));
      st.on('error', reject);
      st.resume();
      st.end(Buffer.from([0, 0, 0, 0, 0]));
    });
    expect(got.status).toBe(200);
    expect(got.trailers).toMatchObject({ 'grpc-status': '0', 'grpc-message': 'fine', 'x-path': '/demo.Currency/Rates' });
  });
});
