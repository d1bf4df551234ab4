import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, WatchSet, allTables, decodeConfigEntry, type CheckInput, type ServiceInput } from '../state/index.js';
import { compileChainForUpstream, resolveUpstreamConfig } from './index.js';

async function openStore(): Promise<StateStore> {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  return store;
}

/** A sidecar proxy for `service`, carrying its parent's Meta as sidecars registered from an agent do. */
const sidecar = (id: string, service: string, meta: Record<string, string>): ServiceInput => ({
  Kind: 'connect-proxy',
  ID: id,
  Service: `${service}-sidecar-proxy`,
  Tags: [],
  Address: '',
  TaggedAddresses: {},
  Meta: meta,
  Port: 21000,
  SocketPath: '',
  Weights: { Passing: 1, Warning: 1 },
  EnableTagOverride: false,
  Proxy: { DestinationServiceName: service, MeshGateway: {}, Expose: {} },
  Connect: {},
});
const check = (id: string, status: 'passing' | 'warning' | 'critical', serviceId: string): CheckInput => ({
  CheckID: id,
  Name: id,
  Status: status,
  Notes: '',
  Output: '',
  ServiceID: serviceId,
  Type: 'ttl',
  Interval: '',
  Timeout: '',
  ExposedPort: 0,
  Definition: {},
});

async function register(store: StateStore, node: string, id: string, service: string, meta: Record<string, string>, status: 'passing' | 'warning' | 'critical') {
  await store.apply({
    type: 'catalog.register',
    Node: { ID: '', Node: node, Address: `10.0.0.${node.length}`, Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} },
    Service: sidecar(id, service, meta),
    Checks: [check(`${id}-check`, status, id)],
  });
}

const write = (store: StateStore, raw: Record<string, unknown>) => store.apply({ type: 'config.set', Entry: decodeConfigEntry(raw) });

describe('a chain for a proxy upstream', () => {
  it('gives each target the healthy instances its subset selects, and marks other datacenters unreachable', async () => {
    const store = await openStore();
    await register(store, 'n1', 'api-v1-a', 'api', { version: '1' }, 'passing');
    await register(store, 'n22', 'api-v1-b', 'api', { version: '1' }, 'warning');
    await register(store, 'n333', 'api-v2', 'api', { version: '2' }, 'warning');
    await register(store, 'n4444', 'api-v2-down', 'api', { version: '2' }, 'critical');
    await write(store, {
      Kind: 'service-resolver',
      Name: 'api',
      DefaultSubset: 'v1',
      Subsets: { v1: { Filter: 'Service.Meta.version == 1' }, v2: { Filter: 'Service.Meta.version == 2', OnlyPassing: true } },
      Failover: { v1: { Targets: [{ ServiceSubset: 'v2' }, { Datacenter: 'dc2' }] } },
    });

    const ws = new WatchSet();
    const up = compileChainForUpstream(store, ws, 'api', { localDatacenter: 'dc1' });
    expect(up.chain.StartNode).toBe('resolver:v1.api.default.default.dc1');
    expect(Object.keys(up.targets).sort()).toEqual(['v1.api.default.default.dc1', 'v1.api.default.default.dc2', 'v2.api.default.default.dc1']);
    // Warning counts as healthy unless the subset asks for OnlyPassing; critical never does.
    expect(up.targets['v1.api.default.default.dc1'].entries.map((e) => e.Service.ID)).toEqual(['api-v1-a', 'api-v1-b']);
    expect(up.targets['v2.api.default.default.dc1']).toEqual({ reachable: true, entries: [] });
    expect(up.targets['v1.api.default.default.dc2']).toEqual({ reachable: false, entries: [] });

    // The result depends on the instances' health: a check change wakes the reader.
    let woke = false;
    store.hub.subscribe(ws.topics, () => (woke = true));
    await store.apply({ type: 'catalog.register', Node: { ID: '', Node: 'n333', Address: '10.0.0.3', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} }, Checks: [check('api-v2-check', 'passing', 'api-v2')] });
    expect(woke).toBe(true);
    const after = compileChainForUpstream(store, null, 'api', { localDatacenter: 'dc1' });
    expect(after.index).toBeGreaterThan(up.index);
    expect(after.targets['v2.api.default.default.dc1'].entries.map((e) => e.Service.ID)).toEqual(['api-v2']);
  });

  it('evaluates an upstream in its own datacenter, and applies the upstream overrides', async () => {
    const store = await openStore();
    const up = compileChainForUpstream(store, null, 'db', { localDatacenter: 'dc1', datacenter: 'dc2', overrideConnectTimeoutMs: 2500 });
    expect(up.chain.Datacenter).toBe('dc2');
    expect(up.chain.Targets['db.default.default.dc2'].ConnectTimeout).toBe('2.5s');
    expect(up.chain.CustomizationHash).toMatch(/^[0-9a-f]{8}$/);
    expect(up.targets['db.default.default.dc2'].reachable).toBe(false);
  });

  it('resolves the centralized upstream settings: the named override over the defaults, field by field', async () => {
    const store = await openStore();
    expect(resolveUpstreamConfig(store, null, 'web', 'db').config).toEqual({});
    await write(store, {
      Kind: 'service-defaults',
      Name: 'web',
      UpstreamConfig: {
        Defaults: { ConnectTimeoutMs: 3000, Limits: { MaxConnections: 10, MaxPendingRequests: 5 } },
        Overrides: [{ Name: 'db', Protocol: 'http', Limits: { MaxConnections: 2 } }],
      },
    });
    const ws = new WatchSet();
    expect(resolveUpstreamConfig(store, ws, 'web', 'db').config).toEqual({ ConnectTimeoutMs: 3000, Protocol: 'http', Limits: { MaxConnections: 2, MaxPendingRequests: 5 } });
    expect(resolveUpstreamConfig(store, null, 'web', 'cache').config).toEqual({ ConnectTimeoutMs: 3000, Limits: { MaxConnections: 10, MaxPendingRequests: 5 } });
    let woke = false;
    store.hub.subscribe(ws.topics, () => (woke = true));
    await write(store, { Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    expect(woke).toBe(true);
  });
});
