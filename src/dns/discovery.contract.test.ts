import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, allTables, type CheckInput, type NodeInput, type ServiceInput } from '../state/index.js';
import type { Discovery, DiscoveryNode } from './discovery.js';
import { MemoryDiscovery } from './memory-discovery.js';
import { StoreDiscovery } from './store-discovery.js';
import { instance, node } from './test-kit.js';

const SELF: DiscoveryNode = { name: 'agent-one', address: '127.0.0.1', datacenter: 'dc1', meta: {} };

const nodeInput = (name: string, address: string, meta: Record<string, string> = {}): NodeInput => ({
  ID: '',
  Node: name,
  Address: address,
  Datacenter: 'dc1',
  TaggedAddresses: {},
  Meta: meta,
});

const serviceInput = (id: string, name: string, port: number, extra: Partial<ServiceInput> = {}): ServiceInput => ({
  Kind: '',
  ID: id,
  Service: name,
  Tags: [],
  Address: '',
  TaggedAddresses: {},
  Meta: {},
  Port: port,
  SocketPath: '',
  Weights: { Passing: 1, Warning: 1 },
  EnableTagOverride: false,
  Proxy: { MeshGateway: {}, Expose: {} },
  Connect: {},
  ...extra,
});

const checkInput = (id: string, status: CheckInput['Status'], serviceId = ''): CheckInput => ({
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

async function storeCatalog(): Promise<{ discovery: StoreDiscovery; store: StateStore }> {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  const reg = (op: Record<string, unknown>) => store.apply({ type: 'catalog.register', ...op });
  await reg({ Node: nodeInput('n1', '10.0.0.1', { rack: 'a' }), Service: serviceInput('web-1', 'web', 80, { Tags: ['v1'] }), Checks: [checkInput('c1', 'passing', 'web-1')] });
  await reg({ Node: nodeInput('n2', '10.0.0.2'), Service: serviceInput('web-2', 'web', 81), Checks: [checkInput('c2', 'warning', 'web-2')] });
  await reg({ Node: nodeInput('n3', '10.0.0.3'), Service: serviceInput('web-3', 'web', 82), Checks: [checkInput('serfHealth', 'critical')] });
  await reg({ Node: nodeInput('n4', '10.0.0.4'), Service: serviceInput('db-1', 'db', 5432, { Address: '192.168.0.4' }) });
  await reg({
    Node: nodeInput('n1', '10.0.0.1', { rack: 'a' }),
    Service: serviceInput('web-proxy', 'web-sidecar-proxy', 21000, { Kind: 'connect-proxy', Proxy: { DestinationServiceName: 'web', MeshGateway: {}, Expose: {} } }),
  });
  await reg({ Node: nodeInput('n4', '10.0.0.4'), Service: serviceInput('api-1', 'api', 9090, { TaggedAddresses: { 'consul-virtual': { Address: '240.0.0.9', Port: 9090 } } }) });
  return { discovery: new StoreDiscovery(store, { datacenter: 'dc1', self: () => SELF }), store };
}

function memoryCatalog(): MemoryDiscovery {
  const d = new MemoryDiscovery('dc1');
  const n1 = node('n1', '10.0.0.1', { rack: 'a' });
  const n4 = node('n4', '10.0.0.4');
  d.addInstance(instance(n1, 'web', { port: 80, tags: ['v1'] }));
  d.addInstance(instance(node('n2', '10.0.0.2'), 'web', { port: 81, health: 'warning' }));
  d.addInstance(instance(node('n3', '10.0.0.3'), 'web', { port: 82, health: 'critical' }));
  d.addInstance(instance(n4, 'db', { port: 5432, address: '192.168.0.4' }));
  d.addInstance(instance(n1, 'web-sidecar-proxy', { port: 21000 }), 'connect', 'web');
  d.addInstance(instance(n4, 'api', { port: 9090 }));
  d.setVirtualIp('api', '240.0.0.9');
  d.setServers([SELF]);
  return d;
}

const implementations: [string, () => Promise<Discovery>][] = [
  ['StoreDiscovery', async () => (await storeCatalog()).discovery],
  ['MemoryDiscovery', async () => memoryCatalog()],
];

describe.each(implementations)('Discovery contract: %s', (_name, make) => {
  it('finds nodes case-insensitively with their meta', async () => {
    const d = await make();
    expect(await d.node('N1')).toEqual({ name: 'n1', address: '10.0.0.1', datacenter: 'dc1', meta: { rack: 'a' } });
    expect(await d.node('ghost')).toBeUndefined();
  });

  it('lists every instance of a service with its aggregated health', async () => {
    const d = await make();
    const list = (await d.instances('WEB', 'service')).map((i) => [i.node.name, i.service.port, i.health, i.service.tags]);
    expect(list.sort()).toEqual([
      ['n1', 80, 'passing', ['v1']],
      ['n2', 81, 'warning', []],
      ['n3', 82, 'critical', []],
    ]);
    expect(await d.instances('nope', 'service')).toEqual([]);
  });

  it('lists the proxies serving a service through Connect', async () => {
    const d = await make();
    expect((await d.instances('web', 'connect')).map((i) => [i.service.name, i.service.port])).toEqual([['web-sidecar-proxy', 21000]]);
  });

  it('finds nodes and instances by address, and virtual IPs', async () => {
    const d = await make();
    expect((await d.nodeByAddress('10.0.0.2'))?.name).toBe('n2');
    expect((await d.instanceByAddress('192.168.0.4'))?.service.name).toBe('db');
    expect(await d.nodeByAddress('10.9.9.9')).toBeUndefined();
    expect(await d.virtualIp('api')).toBe('240.0.0.9');
    expect(await d.virtualIp('web')).toBeUndefined();
  });

  it('names this agent as the server when no consul service is registered', async () => {
    expect(await (await make()).servers()).toEqual([SELF]);
  });
});

describe('StoreDiscovery', () => {
  it('sees a check flip and a new instance after the write that made them', async () => {
    const { discovery, store } = await storeCatalog();
    expect(discovery.instances('web', 'service').find((i) => i.node.name === 'n1')?.health).toBe('passing');
    await store.apply({ type: 'catalog.register', Node: nodeInput('n1', '10.0.0.1', { rack: 'a' }), Checks: [checkInput('c1', 'critical', 'web-1')] });
    expect(discovery.instances('web', 'service').find((i) => i.node.name === 'n1')?.health).toBe('critical');
    expect(discovery.instances('cache', 'service')).toEqual([]);
    await store.apply({ type: 'catalog.register', Node: nodeInput('n5', '10.0.0.5'), Service: serviceInput('cache-1', 'cache', 6379) });
    expect(discovery.instances('cache', 'service').map((i) => i.node.name)).toEqual(['n5']);
  });

  it('names the registered consul servers when there are any', async () => {
    const { discovery, store } = await storeCatalog();
    await store.apply({ type: 'catalog.register', Node: nodeInput('server-1', '10.0.1.1'), Service: serviceInput('consul', 'consul', 8300) });
    expect(discovery.servers().map((n) => n.name)).toEqual(['server-1']);
  });
});
