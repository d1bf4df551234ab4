/** /v1/discovery-chain/:service against a real agent, after the samples of Consul's API docs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import type { CompiledDiscoveryChain } from '../../src/discovery-chain/index.js';
import { startAgent, stopAllAgents, waitFor, type TestAgent } from './harness.js';

let agent: TestAgent;
let api: ApiClient;
let td: string;

beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'chain-node'] });
  api = agent.client;
  td = await waitFor(async () => (await api.get<{ TrustDomain: string }>('/v1/connect/ca/roots')).body.TrustDomain, { what: 'the CA to be set up' });
});
afterAll(async () => {
  await stopAllAgents();
});

const write = (body: unknown) => api.put('/v1/config', { body });
const chain = async (service: string, opts: { query?: Record<string, string | number>; body?: unknown } = {}) => {
  const res = opts.body === undefined ? await api.get<{ Chain: CompiledDiscoveryChain }>(`/v1/discovery-chain/${service}`, { query: opts.query }) : await api.post<{ Chain: CompiledDiscoveryChain }>(`/v1/discovery-chain/${service}`, opts);
  return { chain: res.body.Chain, index: res.meta.index };
};
const target = (service: string, subset: string, dc: string, extra: Record<string, unknown> = {}) => {
  const sni = `${subset ? `${subset}.` : ''}${service}.default.${dc}.internal.${td}`;
  return {
    ID: `${subset ? `${subset}.` : ''}${service}.default.default.${dc}`,
    Service: service,
    ...(subset ? { ServiceSubset: subset } : {}),
    Namespace: 'default',
    Partition: 'default',
    Datacenter: dc,
    MeshGateway: {},
    Subset: {},
    TransparentProxy: {},
    ConnectTimeout: '5s',
    SNI: sni,
    Name: sni,
    ...extra,
  };
};

describe('GET /v1/discovery-chain/:service', () => {
  it('answers a default chain for a service without entries', async () => {
    const { chain: c, index } = await chain('lonely');
    expect(index).toBeGreaterThan(0);
    expect(c).toEqual({
      ServiceName: 'lonely',
      Namespace: 'default',
      Partition: 'default',
      Datacenter: 'dc1',
      Default: true,
      Protocol: 'tcp',
      StartNode: 'resolver:lonely.default.default.dc1',
      Nodes: {
        'resolver:lonely.default.default.dc1': { Type: 'resolver', Name: 'lonely.default.default.dc1', Resolver: { Default: true, ConnectTimeout: '5s', Target: 'lonely.default.default.dc1' } },
      },
      Targets: { 'lonely.default.default.dc1': target('lonely', '', 'dc1') },
    });
  });

  it('compiles HTTP path routing (the "HTTP Path Routing" sample)', async () => {
    await write({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    await write({ Kind: 'service-defaults', Name: 'admin', Protocol: 'http' });
    await write({ kind: 'service-resolver', name: 'web', subsets: { canary: { filter: 'Service.Meta.flavor == canary' } } });
    await write({
      kind: 'service-router',
      name: 'web',
      routes: [
        { match: { http: { path_prefix: '/admin' } }, destination: { service: 'admin', prefix_rewrite: '/', request_timeout: '15s' } },
        { match: { http: { header: [{ name: 'x-debug', exact: '1' }] } }, destination: { service: 'web', service_subset: 'canary', num_retries: 5, retry_on_connect_failure: true, retry_on_status_codes: [401, 409] } },
      ],
    });
    const { chain: c } = await chain('web');
    expect(c).toEqual({
      ServiceName: 'web',
      Namespace: 'default',
      Partition: 'default',
      Datacenter: 'dc1',
      Protocol: 'http',
      StartNode: 'router:web.default.default',
      Nodes: {
        'resolver:admin.default.default.dc1': { Type: 'resolver', Name: 'admin.default.default.dc1', Resolver: { ConnectTimeout: '5s', Default: true, Target: 'admin.default.default.dc1' } },
        'resolver:canary.web.default.default.dc1': { Type: 'resolver', Name: 'canary.web.default.default.dc1', Resolver: { ConnectTimeout: '5s', Target: 'canary.web.default.default.dc1' } },
        'resolver:web.default.default.dc1': { Type: 'resolver', Name: 'web.default.default.dc1', Resolver: { ConnectTimeout: '5s', Target: 'web.default.default.dc1' } },
        'router:web.default.default': {
          Type: 'router',
          Name: 'web.default.default',
          Routes: [
            { Definition: { Match: { HTTP: { PathPrefix: '/admin' } }, Destination: { RequestTimeout: '15s', Service: 'admin', PrefixRewrite: '/' } }, NextNode: 'resolver:admin.default.default.dc1' },
            {
              Definition: {
                Match: { HTTP: { Header: [{ Name: 'x-debug', Exact: '1' }] } },
                Destination: { Service: 'web', ServiceSubset: 'canary', NumRetries: 5, RetryOnConnectFailure: true, RetryOnStatusCodes: [401, 409] },
              },
              NextNode: 'resolver:canary.web.default.default.dc1',
            },
            { Definition: { Match: { HTTP: { PathPrefix: '/' } }, Destination: { Service: 'web', Namespace: 'default', Partition: 'default' } }, NextNode: 'resolver:web.default.default.dc1' },
          ],
        },
      },
      Targets: {
        'admin.default.default.dc1': target('admin', '', 'dc1'),
        'canary.web.default.default.dc1': target('web', 'canary', 'dc1', { Subset: { Filter: 'Service.Meta.flavor == canary' } }),
        'web.default.default.dc1': target('web', '', 'dc1'),
      },
    });
  });

  it('compiles in another datacenter with ?compile-dc (the "Version Split For Alternate Datacenter" sample)', async () => {
    await write({ Kind: 'service-defaults', Name: 'shop', Protocol: 'http' });
    await write({ Kind: 'service-resolver', Name: 'shop', DefaultSubset: 'v1', Subsets: { v1: { Filter: 'Service.Meta.version == v1' }, v2: { Filter: 'Service.Meta.version == v2' } } });
    await write({ Kind: 'service-splitter', Name: 'shop', Splits: [{ Weight: 90, ServiceSubset: 'v1' }, { Weight: 10, ServiceSubset: 'v2' }] });
    const { chain: c } = await chain('shop', { query: { 'compile-dc': 'dc2' } });
    expect(c.Datacenter).toBe('dc2');
    expect(c.StartNode).toBe('splitter:shop.default.default');
    expect(c.Nodes['splitter:shop.default.default'].Splits!.map((s) => [s.Weight, s.NextNode])).toEqual([
      [90, 'resolver:v1.shop.default.default.dc2'],
      [10, 'resolver:v2.shop.default.default.dc2'],
    ]);
    expect(c.Targets['v2.shop.default.default.dc2']).toEqual(target('shop', 'v2', 'dc2', { Subset: { Filter: 'Service.Meta.version == v2' } }));
  });

  it('applies POST overrides (the "Datacenter Redirect with Overrides" sample)', async () => {
    await write({ kind: 'service-resolver', name: 'away', redirect: { datacenter: 'dc2' } });
    const { chain: c } = await chain('away', { body: { OverrideConnectTimeout: '7s', OverrideProtocol: 'grpc', OverrideMeshGateway: { Mode: 'remote' } } });
    expect(c).toEqual({
      ServiceName: 'away',
      Namespace: 'default',
      Partition: 'default',
      Datacenter: 'dc1',
      CustomizationHash: c.CustomizationHash,
      Protocol: 'grpc',
      StartNode: 'resolver:away.default.default.dc2',
      Nodes: { 'resolver:away.default.default.dc2': { Type: 'resolver', Name: 'away.default.default.dc2', Resolver: { ConnectTimeout: '7s', Target: 'away.default.default.dc2' } } },
      Targets: { 'away.default.default.dc2': target('away', '', 'dc2', { ConnectTimeout: '7s', MeshGateway: { Mode: 'remote' } }) },
    });
    expect(c.CustomizationHash).toMatch(/^[0-9a-f]{8}$/);
    // Go clients send the timeout as nanoseconds; snake_case keys work too.
    const snake = await chain('away', { body: { override_connect_timeout: 7_000_000_000, override_protocol: 'grpc', override_mesh_gateway: { Mode: 'remote' } } });
    expect(snake.chain).toEqual(c);
  });

  it('refuses bad requests with Consul reasons', async () => {
    const reasonOf = (call: Promise<unknown>) => call.then(() => 'no error', (e: { statusCode: number; reason: string }) => `${e.statusCode} ${e.reason}`);
    expect(await reasonOf(api.get('/v1/discovery-chain/'))).toBe('400 Missing chain name');
    expect(await reasonOf(api.post('/v1/discovery-chain/web', { body: { OverrideMeshGateway: { Mode: 'sideways' } } }))).toBe('400 Invalid OverrideMeshGateway.Mode parameter');
    expect(await reasonOf(api.post('/v1/discovery-chain/web', { body: { OverrideConnectTimeout: 'soon' } }))).toContain('400 Request decode failed');
  });

  it('blocks until an entry of the chain changes, not for other services', async () => {
    await write({ Kind: 'service-resolver', Name: 'watched', ConnectTimeout: '2s' });
    const first = await chain('watched');
    const waiting = chain('watched', { query: { index: first.index, wait: '60s' } });
    // An unrelated write must not answer the query with the unchanged chain...
    await write({ Kind: 'service-resolver', Name: 'bystander', ConnectTimeout: '4s' });
    // ...so the answer carries the change made afterwards.
    await write({ Kind: 'service-resolver', Name: 'watched', ConnectTimeout: '3s' });
    const next = await waiting;
    expect(next.index).toBeGreaterThan(first.index);
    expect(next.chain.Nodes['resolver:watched.default.default.dc1'].Resolver!.ConnectTimeout).toBe('3s');
  });
});
