import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, WatchSet, allTables } from '../index.js';
import { serviceHealth, listNodes, nodeServices, aggregateStatus } from './reads.js';
import type { CheckInput, NodeInput, ServiceInput } from './write.js';

const node = (name: string, address = '10.0.0.1'): NodeInput => ({ ID: '', Node: name, Address: address, Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} });
const service = (id: string, name = id, port = 80): ServiceInput => ({
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
});
const check = (id: string, status: 'passing' | 'critical', serviceId = ''): CheckInput => ({
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

async function store() {
  const s = new StateStore(new MemoryBackend(), allTables);
  await s.open();
  return s;
}

describe('catalog state', () => {
  it('registers a node, a service and its check, and reads them back as health entries', async () => {
    const s = await store();
    await s.apply({ type: 'catalog.register', Node: node('n1'), Service: service('web-1', 'web'), Checks: [check('c1', 'passing', 'web-1')] });
    await s.apply({ type: 'catalog.register', Node: node('n1'), Checks: [check('serfHealth', 'passing')] });
    const { entries } = serviceHealth(s, null, 'WEB');
    expect(entries).toHaveLength(1);
    expect(entries[0].Checks.map((c) => c.CheckID).sort()).toEqual(['c1', 'serfHealth']);
    expect(entries[0].Checks.find((c) => c.CheckID === 'c1')).toMatchObject({ ServiceName: 'web', ServiceID: 'web-1' });
    expect(aggregateStatus(entries[0].Checks)).toBe('passing');
  });

  it('writes nothing for an unchanged registration', async () => {
    const s = await store();
    const reg = { type: 'catalog.register', Node: node('n1'), Service: service('web') };
    await s.apply(reg);
    const before = serviceHealth(s, null, 'web').index;
    await s.apply(reg);
    expect(serviceHealth(s, null, 'web').index).toBe(before);
  });

  it('wakes watchers of one service only for that service, and all services of a node for node checks', async () => {
    const s = await store();
    await s.apply({ type: 'catalog.register', Node: node('n1'), Service: service('web') });
    await s.apply({ type: 'catalog.register', Node: node('n2'), Service: service('db') });
    const woken: string[] = [];
    for (const name of ['web', 'db']) {
      const ws = new WatchSet();
      serviceHealth(s, ws, name);
      s.hub.subscribe(ws.topics, () => woken.push(name));
    }
    await s.apply({ type: 'catalog.register', Node: node('n1'), Service: { ...service('web'), Port: 81 } });
    expect(woken).toEqual(['web']);
    await s.apply({ type: 'catalog.register', Node: node('n2'), Checks: [check('serfHealth', 'critical')] });
    expect(woken).toEqual(['web', 'db']);
  });

  it('refuses a check for a service the node does not have, changing nothing', async () => {
    const s = await store();
    await s.apply({ type: 'catalog.register', Node: node('n1') });
    const index = s.index;
    await expect(s.apply({ type: 'catalog.register', Node: node('n1'), Checks: [check('c', 'passing', 'ghost')] })).rejects.toThrow('Missing service registration');
    expect(nodeServices(s, null, 'n1').services).toEqual([]);
    expect(listNodes(s, null).index).toBeLessThanOrEqual(index);
  });

  it('deregisters a whole node with its services and checks', async () => {
    const s = await store();
    await s.apply({ type: 'catalog.register', Node: node('n1'), Service: service('web'), Checks: [check('c', 'passing', 'web')] });
    await s.apply({ type: 'catalog.deregister', Node: 'N1' });
    expect(listNodes(s, null).nodes).toEqual([]);
    expect(serviceHealth(s, null, 'web').entries).toEqual([]);
  });

  it('refuses a node ID that another node already has', async () => {
    const s = await store();
    const id = '11111111-2222-3333-4444-555555555555';
    await s.apply({ type: 'catalog.register', Node: { ...node('a'), ID: id } });
    await expect(s.apply({ type: 'catalog.register', Node: { ...node('b'), ID: id } })).rejects.toThrow(/aliases existing node "a"/);
  });

  it('finds the proxies of a service through its connect index', async () => {
    const s = await store();
    const proxy: ServiceInput = { ...service('web-sidecar-proxy'), Kind: 'connect-proxy', Proxy: { DestinationServiceName: 'web', MeshGateway: {}, Expose: {} } };
    await s.apply({ type: 'catalog.register', Node: node('n1'), Service: proxy });
    expect(serviceHealth(s, null, 'web', { connect: true }).entries.map((e) => e.Service.ID)).toEqual(['web-sidecar-proxy']);
    expect(serviceHealth(s, null, 'web').entries).toEqual([]);
  });
});
