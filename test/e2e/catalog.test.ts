import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { startAgent, stopAllAgents } from './harness.js';

let api: ApiClient;
/** The agent registers its own node (and the `consul` service); assertions look past it. */
let self: string;

beforeAll(async () => {
  api = (await startAgent()).client;
  self = (await api.get<any>('/v1/agent/self')).body.Config.NodeName;
});
afterAll(stopAllAgents);

const register = (body: unknown) => api.put<boolean>('/v1/catalog/register', { body });
const get = <T = any>(path: string, query?: Record<string, string | string[] | boolean | number | undefined>) => api.get<T>(path, { query });
const nodeNames = (nodes: any[]) => nodes.map((n) => n.Node).filter((n) => n !== self);
const withoutConsul = ({ consul: _, ...rest }: Record<string, string[]>) => rest;

describe('catalog registration and reads', () => {
  beforeAll(async () => {
    await register({
      Node: 'alpha',
      ID: 'a0000000-0000-4000-8000-000000000001',
      Address: '10.0.0.1',
      TaggedAddresses: { lan: '10.0.0.1', wan: '198.51.100.1' },
      NodeMeta: { rack: 'r1', env: 'prod' },
      Service: { ID: 'web-1', Service: 'web', Tags: ['v1', 'Primary'], Port: 8080, Meta: { version: '1' } },
    });
    await register({ Node: 'beta', Address: '10.0.0.2', NodeMeta: { rack: 'r2', env: 'prod' }, Service: { ID: 'web-2', Service: 'web', Tags: ['v1'], Port: 8080, Address: '172.17.0.2' } });
    // Lower-case keys: Consul decodes request bodies case-insensitively.
    const r = await register({ node: 'beta', address: '10.0.0.2', nodemeta: { rack: 'r2', env: 'prod' }, service: { service: 'db', port: 5432, tags: ['primary', 'primary'] } });
    expect(r.body).toBe(true);
  });

  it('lists nodes in Consul’s Node shape, sorted by name', async () => {
    const r = await get('/v1/catalog/nodes');
    expect(r.meta.index).toBeGreaterThan(0);
    expect(nodeNames(r.body)).toEqual(['alpha', 'beta']);
    expect(r.body.find((n: any) => n.Node === 'alpha')).toEqual({
      ID: 'a0000000-0000-4000-8000-000000000001',
      Node: 'alpha',
      Address: '10.0.0.1',
      Datacenter: 'dc1',
      TaggedAddresses: { lan: '10.0.0.1', wan: '198.51.100.1' },
      Meta: { rack: 'r1', env: 'prod' },
      CreateIndex: expect.any(Number),
      ModifyIndex: expect.any(Number),
    });
  });

  it('lists services with their unique tags', async () => {
    const r = await get('/v1/catalog/services');
    expect(withoutConsul(r.body)).toEqual({ db: ['primary'], web: ['v1', 'Primary'] });
  });

  it('answers /v1/catalog/service/:s with ServiceNode entries, [] for an unknown service', async () => {
    const r = await get('/v1/catalog/service/web');
    expect(r.body.map((e: any) => `${e.Node}/${e.ServiceID}`)).toEqual(['alpha/web-1', 'beta/web-2']);
    expect(r.body[1]).toEqual({
      ID: '',
      Node: 'beta',
      Address: '10.0.0.2',
      Datacenter: 'dc1',
      TaggedAddresses: {},
      NodeMeta: { rack: 'r2', env: 'prod' },
      ServiceKind: '',
      ServiceID: 'web-2',
      ServiceName: 'web',
      ServiceTags: ['v1'],
      ServiceAddress: '172.17.0.2',
      ServiceWeights: { Passing: 1, Warning: 1 },
      ServiceMeta: {},
      ServicePort: 8080,
      ServiceSocketPath: '',
      ServiceEnableTagOverride: false,
      ServiceProxy: { Mode: '', MeshGateway: {}, Expose: {} },
      ServiceConnect: {},
      ServiceLocality: null,
      CreateIndex: expect.any(Number),
      ModifyIndex: expect.any(Number),
    });
    const none = await get('/v1/catalog/service/nope');
    expect(none.status).toBe(200);
    expect(none.body).toEqual([]);
  });

  it('filters service instances by ?tag (repeatable, all required, case-insensitive), ?node-meta and ?filter', async () => {
    const ids = async (query: Record<string, string | string[]>) => (await get('/v1/catalog/service/web', query)).body.map((e: any) => e.ServiceID);
    expect(await ids({ tag: 'v1' })).toEqual(['web-1', 'web-2']);
    expect(await ids({ tag: ['v1', 'primary'] })).toEqual(['web-1']);
    expect(await ids({ tag: 'v2' })).toEqual([]);
    expect(await ids({ 'node-meta': 'rack:r2' })).toEqual(['web-2']);
    expect(await ids({ 'node-meta': ['rack:r1', 'env:prod'] })).toEqual(['web-1']);
    expect(await ids({ filter: 'ServiceMeta.version == "1"' })).toEqual(['web-1']);
    expect(await ids({ filter: 'ServiceAddress is empty' })).toEqual(['web-1']);
    expect(await ids({ filter: 'NodeMeta.rack == "r2" and "v1" in ServiceTags' })).toEqual(['web-2']);
  });

  it('filters nodes and services by ?node-meta and ?filter', async () => {
    expect((await get('/v1/catalog/nodes', { 'node-meta': 'rack:r2' })).body.map((n: any) => n.Node)).toEqual(['beta']);
    expect((await get('/v1/catalog/nodes', { filter: 'Address matches "^10[.]"' })).body.map((n: any) => n.Node)).toEqual(['alpha', 'beta']);
    expect((await get('/v1/catalog/nodes', { filter: 'TaggedAddresses.wan == "198.51.100.1"' })).body.map((n: any) => n.Node)).toEqual(['alpha']);
    expect((await get('/v1/catalog/services', { 'node-meta': 'rack:r1' })).body).toEqual({ web: ['v1', 'Primary'] });
    expect((await get('/v1/catalog/services', { filter: 'ServicePort == 5432' })).body).toEqual({ db: ['primary'] });
  });

  it('answers a bad ?filter with a 400 and a reason', async () => {
    const r = await api.get<string>('/v1/catalog/service/web', { query: { filter: 'ServiceName ==' }, accept: [400] });
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/^Failed to create boolean expression evaluator/);
  });

  it('answers /v1/catalog/node/:n with the node and a map of its services, null for an unknown node', async () => {
    const r = await get('/v1/catalog/node/beta');
    expect(r.body.Node.Node).toBe('beta');
    expect(Object.keys(r.body.Services).sort()).toEqual(['db', 'web-2']);
    expect(r.body.Services.db).toEqual({
      ID: 'db',
      Service: 'db',
      Tags: ['primary', 'primary'],
      Address: '',
      Meta: {},
      Port: 5432,
      Weights: { Passing: 1, Warning: 1 },
      EnableTagOverride: false,
      Proxy: { Mode: '', MeshGateway: {}, Expose: {} },
      Connect: {},
      PeerName: '',
      CreateIndex: expect.any(Number),
      ModifyIndex: expect.any(Number),
    });
    // A node is also found by a unique prefix of its ID, as in Consul.
    expect((await get('/v1/catalog/node/a0000000')).body.Node.Node).toBe('alpha');
    const unknown = await get('/v1/catalog/node/ghost');
    expect(unknown.status).toBe(200);
    expect(unknown.body).toBeNull();
    expect(Object.keys((await get('/v1/catalog/node/beta', { filter: 'Port == 5432' })).body.Services)).toEqual(['db']);
  });

  it('answers /v1/catalog/node-services/:n in list form', async () => {
    const r = await get('/v1/catalog/node-services/beta');
    expect(r.body.Node.Node).toBe('beta');
    expect(r.body.Services.map((s: any) => s.ID)).toEqual(['db', 'web-2']);
    expect((await get('/v1/catalog/node-services/ghost')).body).toEqual({ Node: null, Services: null });
  });

  it('answers /v1/catalog/connect/:s with the proxies of a service', async () => {
    await register({
      Node: 'alpha',
      Address: '10.0.0.1',
      TaggedAddresses: { lan: '10.0.0.1', wan: '198.51.100.1' },
      NodeMeta: { rack: 'r1', env: 'prod' },
      ID: 'a0000000-0000-4000-8000-000000000001',
      Service: { Kind: 'connect-proxy', ID: 'web-1-sidecar-proxy', Service: 'web-sidecar-proxy', Port: 21000, Proxy: { DestinationServiceName: 'web', DestinationServiceID: 'web-1', LocalServicePort: 8080 } },
    });
    const r = await get('/v1/catalog/connect/web');
    expect(r.body).toHaveLength(1);
    expect(r.body[0]).toMatchObject({ ServiceKind: 'connect-proxy', ServiceName: 'web-sidecar-proxy', ServicePort: 21000 });
    expect(r.body[0].ServiceProxy).toEqual({ DestinationServiceName: 'web', DestinationServiceID: 'web-1', LocalServicePort: 8080, Mode: '', MeshGateway: {}, Expose: {} });
    expect((await get('/v1/catalog/service/web')).body.map((e: any) => e.ServiceID)).toEqual(['web-1', 'web-2']);
  });

  it('reports the consistency mode asked for and refuses ?stale with ?consistent', async () => {
    expect((await get('/v1/catalog/nodes', { stale: true })).headers['x-consul-effective-consistency']).toBe('stale');
    expect((await get('/v1/catalog/nodes', { consistent: true })).headers['x-consul-effective-consistency']).toBe('consistent');
    const both = await api.get<string>('/v1/catalog/nodes', { query: { stale: true, consistent: true }, accept: [400] });
    expect(both.body).toBe('Cannot specify ?stale with ?consistent, conflicting semantics.');
  });
});

describe('catalog deregistration', () => {
  it('removes a check, a service, then the whole node', async () => {
    await register({ Node: 'gamma', Address: '10.0.0.3', Service: { Service: 'cache', Port: 6379 }, Checks: [{ Name: 'mem', Status: 'passing' }, { CheckID: 'cache-up', Name: 'up', ServiceID: 'cache', Status: 'passing' }] });
    const checks = async () => (await get('/v1/health/node/gamma')).body.map((c: any) => c.CheckID);
    expect(await checks()).toEqual(['cache-up', 'mem']);
    expect((await api.put('/v1/catalog/deregister', { body: { Node: 'gamma', CheckID: 'mem' } })).body).toBe(true);
    expect(await checks()).toEqual(['cache-up']);
    await api.put('/v1/catalog/deregister', { body: { Node: 'gamma', ServiceID: 'cache' } });
    expect(await checks()).toEqual([]);
    expect((await get('/v1/catalog/service/cache')).body).toEqual([]);
    expect((await get('/v1/catalog/node/gamma')).body.Services).toEqual({});
    await api.put('/v1/catalog/deregister', { body: { Node: 'gamma' } });
    expect((await get('/v1/catalog/node/gamma')).body).toBeNull();
    const missing = await api.put<string>('/v1/catalog/deregister', { body: {}, accept: [400] });
    expect([missing.status, missing.body]).toEqual([400, 'Must provide node']);
  });
});

describe('bad registrations', () => {
  const snapshot = async () => {
    const nodes = await get('/v1/catalog/nodes');
    const services = await get('/v1/catalog/services');
    return { index: nodes.meta.index, nodes: nodes.body, services: services.body, checks: (await get('/v1/health/state/any')).body };
  };

  it.each([
    ['a missing node name', { Address: '10.9.9.9' }, 'Must provide node'],
    ['a missing address', { Node: 'bad' }, 'Must provide address if SkipNodeUpdate is not set'],
    ['a service ID without a name', { Node: 'bad', Address: '10.9.9.9', Service: { ID: 'x-1' } }, 'Must provide service name (Service.Service) with ID (Service.ID)'],
    ['a port that is not a number', { Node: 'bad', Address: '10.9.9.9', Service: { Service: 'x', Port: '80' } }, 'Request decode failed: json: cannot unmarshal string into Go struct field RegisterRequest.Service.Port of type int'],
    ['a port out of range', { Node: 'bad', Address: '10.9.9.9', Service: { Service: 'x', Port: 99999 } }, 'RegisterRequest.Service.Port: 99999 is out of range'],
    ['an unknown check status', { Node: 'bad', Address: '10.9.9.9', Check: { Name: 'c', Status: 'fine' } }, 'Bad check status "fine"'],
    ['a malformed duration', { Node: 'bad', Address: '10.9.9.9', Check: { Name: 'c', Definition: { TCP: 'x:1', Interval: 'ten' } } }, 'Request decode failed: time: invalid duration "ten"'],
    ['a check on a service the node does not have', { Node: 'bad', Address: '10.9.9.9', Check: { Name: 'c', ServiceID: 'ghost' } }, 'Missing service registration'],
    ['a malformed node ID', { Node: 'bad', Address: '10.9.9.9', ID: 'not-a-uuid' }, 'Bad node ID: uuid string is wrong length'],
  ])('refuses %s with a 400 and stores nothing', async (_what, body, reason) => {
    const before = await snapshot();
    const r = await api.put<string>('/v1/catalog/register', { body, accept: [400] });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toContain(reason);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body that is not JSON', async () => {
    const r = await api.put<string>('/v1/catalog/register', { rawBody: '{"Node":', accept: [400] });
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/^Request decode failed/);
  });
});

describe('blocking catalog reads', () => {
  it('wake /v1/catalog/service/:s for a change to that service, not for another service', async () => {
    await register({ Node: 'delta', Address: '10.0.0.4', Service: { Service: 'api', Port: 1 } });
    await register({ Node: 'delta', Address: '10.0.0.4', Service: { Service: 'other', Port: 2 } });
    const first = await get('/v1/catalog/service/api');
    let settled = false;
    const waiting = api.get<any[]>('/v1/catalog/service/api', { query: { index: first.meta.index, wait: '30s' } }).then((r) => {
      settled = true;
      return r;
    });
    await register({ Node: 'delta', Address: '10.0.0.4', Service: { Service: 'other', Port: 3 } });
    // The unrelated write is applied: the next read sees it, and the watcher still waits.
    expect((await get('/v1/catalog/service/other')).body[0].ServicePort).toBe(3);
    expect(settled).toBe(false);
    await register({ Node: 'delta', Address: '10.0.0.4', Service: { Service: 'api', Port: 9 } });
    const woke = await waiting;
    expect(woke.meta.index).toBeGreaterThan(first.meta.index);
    expect(woke.body[0].ServicePort).toBe(9);
  });

  it('wake /v1/catalog/nodes when a node registers', async () => {
    const first = await get('/v1/catalog/nodes');
    const waiting = api.get<any[]>('/v1/catalog/nodes', { query: { index: first.meta.index, wait: '30s' } });
    await register({ Node: 'epsilon', Address: '10.0.0.5' });
    expect((await waiting).body.map((n: any) => n.Node)).toContain('epsilon');
  });
});
