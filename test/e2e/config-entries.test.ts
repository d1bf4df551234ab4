/** /v1/config for every traffic-management kind, against a real agent. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { startAgent, stopAllAgents, type TestAgent } from './harness.js';

let agent: TestAgent;
let api: ApiClient;

beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'config-node'] });
  api = agent.client;
});
afterAll(async () => {
  await stopAllAgents();
});

type Entry = Record<string, unknown> & { Kind: string; Name: string; CreateIndex: number; ModifyIndex: number };
const put = async (body: unknown, query: Record<string, number> = {}) => (await api.put<boolean>('/v1/config', { body, query })).body;
const get = async (kind: string, name: string) => (await api.get<Entry>(`/v1/config/${kind}/${name}`)).body;
const list = async (kind: string, query: Record<string, string> = {}) => (await api.get<Entry[]>(`/v1/config/${kind}`, { query })).body;

/** The call fails with `status` and a plain-text reason containing `reason`. */
async function expectRefused(call: Promise<unknown>, reason: string, status = 400): Promise<void> {
  const err = (await call.then(
    () => null,
    (e: unknown) => e,
  )) as { statusCode?: number; reason?: string } | null;
  expect(err?.statusCode, reason).toBe(status);
  expect(err?.reason, reason).toContain(reason);
}

const kinds: [string, Record<string, unknown>, Record<string, unknown>][] = [
  [
    'proxy-defaults',
    { Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'tcp', local_connect_timeout_ms: 2000 }, MeshGateway: { Mode: 'local' }, AccessLogs: { Enabled: true } },
    { Config: { protocol: 'tcp', local_connect_timeout_ms: 2000 }, MeshGateway: { Mode: 'local' }, TransparentProxy: {}, Expose: {}, AccessLogs: { Enabled: true } },
  ],
  [
    'service-defaults',
    {
      kind: 'service-defaults',
      name: 'pay',
      protocol: 'HTTP',
      max_inbound_connections: 100,
      upstream_config: {
        defaults: { connect_timeout_ms: 3000, limits: { max_connections: 10, max_pending_requests: 5, max_concurrent_requests: 20 } },
        overrides: [{ name: 'db', passive_health_check: { interval: '10s', max_failures: 3, enforcing_consecutive_5xx: 100, max_ejection_percent: 50, base_ejection_time: '30s' } }],
      },
    },
    {
      Protocol: 'http',
      TransparentProxy: {},
      MeshGateway: {},
      Expose: {},
      MaxInboundConnections: 100,
      UpstreamConfig: {
        Defaults: { ConnectTimeoutMs: 3000, Limits: { MaxConnections: 10, MaxPendingRequests: 5, MaxConcurrentRequests: 20 } },
        Overrides: [{ Name: 'db', PassiveHealthCheck: { Interval: 10_000_000_000, MaxFailures: 3, EnforcingConsecutive5xx: 100, MaxEjectionPercent: 50, BaseEjectionTime: 30_000_000_000 } }],
      },
    },
  ],
  [
    'service-router',
    {
      Kind: 'service-router',
      Name: 'pay',
      Routes: [
        {
          Match: { HTTP: { PathPrefix: '/currency', Header: [{ Name: 'x-tester', Present: true }], QueryParam: [{ Name: 'beta', Exact: '1' }], Methods: ['get', 'POST'] } },
          Destination: { Service: 'pay', ServiceSubset: 'v2', PrefixRewrite: '/', RequestTimeout: '5s', NumRetries: 2, RetryOnStatusCodes: [503], RequestHeaders: { Set: { 'x-env': 'prod' } } },
        },
      ],
    },
    {
      Routes: [
        {
          Match: { HTTP: { PathPrefix: '/currency', Header: [{ Name: 'x-tester', Present: true }], QueryParam: [{ Name: 'beta', Exact: '1' }], Methods: ['GET', 'POST'] } },
          Destination: { Service: 'pay', ServiceSubset: 'v2', PrefixRewrite: '/', RequestTimeout: '5s', NumRetries: 2, RetryOnStatusCodes: [503], RequestHeaders: { Set: { 'x-env': 'prod' } } },
        },
      ],
    },
  ],
  [
    'service-splitter',
    { Kind: 'service-splitter', Name: 'pay', Splits: [{ Weight: 90, ServiceSubset: 'v1' }, { Weight: 10, ServiceSubset: 'v2', ResponseHeaders: { Add: { 'x-canary': '1' } } }] },
    { Splits: [{ Weight: 90, ServiceSubset: 'v1' }, { Weight: 10, ServiceSubset: 'v2', ResponseHeaders: { Add: { 'x-canary': '1' } } }] },
  ],
];

describe('config entries over HTTP', () => {
  it('writes, reads and lists every kind, as Consul serves them', async () => {
    // The router and splitter refer to the resolver's subsets, so it goes first.
    expect(await put({ Kind: 'service-resolver', Name: 'pay', DefaultSubset: 'v1', Subsets: { v1: { Filter: 'Service.Meta.version == 1' }, v2: { Filter: 'Service.Meta.version == 2' } } })).toBe(true);
    for (const [kind, body, expected] of kinds) {
      expect(await put(body), kind).toBe(true);
      const name = kind === 'proxy-defaults' ? 'global' : 'pay';
      const entry = await get(kind, name);
      expect(entry, kind).toEqual({ Kind: kind, Name: name, ...expected, CreateIndex: entry.CreateIndex, ModifyIndex: entry.ModifyIndex });
      expect((await list(kind)).map((e) => e.Name)).toContain(name);
    }
    const resolver = await get('service-resolver', 'pay');
    expect(resolver).toMatchObject({ DefaultSubset: 'v1', Subsets: { v1: { Filter: 'Service.Meta.version == 1' } } });
    // What `read` returns can be written back unchanged (the indexes are ignored).
    expect(await put(resolver)).toBe(true);
  });

  it('checks-and-sets writes and deletes by ModifyIndex', async () => {
    const body = { Kind: 'service-resolver', Name: 'cas-svc', ConnectTimeout: '2s' };
    expect(await put(body, { cas: 0 })).toBe(true);
    expect(await put(body, { cas: 0 })).toBe(false);
    const first = await get('service-resolver', 'cas-svc');
    expect(first.ConnectTimeout).toBe('2s');
    expect(await put({ ...body, ConnectTimeout: '3s' }, { cas: first.ModifyIndex + 1000 })).toBe(false);
    expect(await put({ ...body, ConnectTimeout: '3s' }, { cas: first.ModifyIndex })).toBe(true);
    const second = await get('service-resolver', 'cas-svc');
    expect(second).toMatchObject({ ConnectTimeout: '3s', CreateIndex: first.CreateIndex });
    expect((await api.delete('/v1/config/service-resolver/cas-svc', { query: { cas: first.ModifyIndex } })).body).toBe(false);
    expect((await api.delete('/v1/config/service-resolver/cas-svc', { query: { cas: second.ModifyIndex } })).body).toBe(true);
    await expectRefused(get('service-resolver', 'cas-svc'), 'Config entry not found for "service-resolver" / "cas-svc"', 404);
  });

  it('filters lists, and wakes a blocking list when an entry of the kind is deleted', async () => {
    await put({ Kind: 'service-resolver', Name: 'fast', ConnectTimeout: '1s' });
    await put({ Kind: 'service-resolver', Name: 'slow', ConnectTimeout: '9s' });
    expect((await list('service-resolver', { filter: 'ConnectTimeout == "9s"' })).map((e) => e.Name)).toEqual(['slow']);
    const before = await api.get<Entry[]>('/v1/config/service-resolver');
    const waiting = api.get<Entry[]>('/v1/config/service-resolver', { query: { index: before.meta.index, wait: '30s' } });
    await api.delete('/v1/config/service-resolver/fast');
    const after = await waiting;
    expect(after.meta.index).toBeGreaterThan(before.meta.index);
    expect(after.body.map((e) => e.Name)).not.toContain('fast');
  });

  it('refuses invalid entries with a 400 and the reason, and stores nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ Kind: 'service-routers', Name: 'x' }, 'invalid config entry kind: service-routers'],
      [{ Kind: 'service-defaults', Name: 'x', Protocl: 'http' }, 'invalid config key "Protocl"'],
      [{ Kind: 'service-router', Name: 'tcp-svc', Routes: [{ Match: { HTTP: { PathPrefix: '/' } } }] }, 'discovery chain "tcp-svc" uses a protocol "tcp" that does not permit advanced routing or splitting behavior'],
      [{ Kind: 'service-splitter', Name: 'pay', Splits: [{ Weight: 90, ServiceSubset: 'v1' }, { Weight: 9.5, ServiceSubset: 'v2' }] }, 'the sum of all split weights must be 100, not 99.50'],
      [{ Kind: 'service-resolver', Name: 'x', Subsets: { v1: { Filter: 'Service.Meta.version = 1' } } }, 'Filter for subset "v1" is not a valid expression'],
      [{ Kind: 'service-resolver', Name: 'x', Redirect: { Service: 'y' }, Subsets: { v1: {} } }, 'Redirect to service "y" cannot be combined with Subsets or DefaultSubset'],
      [{ Kind: 'service-router', Name: 'pay', Routes: [{ Match: { HTTP: { PathRegex: '(' } } }] }, 'Route[0] PathRegex is not a valid regular expression'],
      [{ Kind: 'service-router', Name: 'pay', Routes: [{ Destination: { ServiceSubset: 'v9' } }] }, 'service "pay" does not have a subset named "v9"'],
    ];
    for (const [body, reason] of cases) await expectRefused(put(body), reason);
    expect((await list('service-router')).map((e) => e.Name)).not.toContain('tcp-svc');
    expect((await get('service-splitter', 'pay')).Splits).toEqual([{ Weight: 90, ServiceSubset: 'v1' }, { Weight: 10, ServiceSubset: 'v2', ResponseHeaders: { Add: { 'x-canary': '1' } } }]);
  });

  it('refuses a protocol change or delete that would break an existing router, and allows it once the router is gone', async () => {
    await put({ Kind: 'service-defaults', Name: 'shop', Protocol: 'http' });
    await put({ Kind: 'service-router', Name: 'shop', Routes: [{ Match: { HTTP: { PathPrefix: '/cart' } }, Destination: { Service: 'shop' } }] });
    await expectRefused(put({ Kind: 'service-defaults', Name: 'shop', Protocol: 'tcp' }), 'discovery chain "shop" uses a protocol "tcp" that does not permit advanced routing or splitting behavior');
    await expectRefused(api.delete('/v1/config/service-defaults/shop'), 'does not permit advanced routing or splitting behavior');
    expect((await get('service-defaults', 'shop')).Protocol).toBe('http');
    await api.delete('/v1/config/service-router/shop');
    expect(await put({ Kind: 'service-defaults', Name: 'shop', Protocol: 'tcp' })).toBe(true);
  });
});
