import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { startAgent, stopAllAgents } from './harness.js';

let api: ApiClient;

beforeAll(async () => {
  api = (await startAgent()).client;
});
afterAll(stopAllAgents);

const register = (body: unknown) => api.put<boolean>('/v1/catalog/register', { body });
const get = <T = any>(path: string, query?: Record<string, string | string[] | boolean | number | undefined>) => api.get<T>(path, { query });
const serf = (status = 'passing') => ({ CheckID: 'serfHealth', Name: 'Serf Health Status', Status: status, Output: 'Agent alive and reachable' });

describe('/v1/health/service/:s', () => {
  beforeAll(async () => {
    // The node and service of Consul's documented example (api-docs/health.mdx, reference §2.2).
    await register({
      Node: 'foobar',
      ID: '40e4a748-2192-161a-0510-9bf59fe950b5',
      Address: '10.1.10.12',
      TaggedAddresses: { lan: '10.1.10.12', wan: '10.1.10.12' },
      NodeMeta: { instance_type: 't2.medium' },
      Service: { ID: 'redis', Service: 'redis', Tags: ['primary'], Address: '10.1.10.12', TaggedAddresses: { lan: { Address: '10.1.10.12', Port: 8000 } }, Meta: { redis_version: '4.0' }, Port: 8000, Weights: { Passing: 10, Warning: 1 } },
      Checks: [serf(), { CheckID: 'service:redis', Name: "Service 'redis' check", ServiceID: 'redis', Status: 'passing', Type: 'tcp', Interval: '10s', Timeout: '1s' }],
    });
    await register({
      Node: 'replica',
      Address: '10.1.10.13',
      NodeMeta: { instance_type: 't2.small' },
      Service: { ID: 'redis', Service: 'redis', Tags: ['replica'], Port: 8000 },
      Checks: [serf(), { CheckID: 'service:redis', Name: 'lag', ServiceID: 'redis', Status: 'warning', Output: 'lagging 3s' }],
    });
  });

  it('renders each entry field by field as Consul’s documented example', async () => {
    const r = await get('/v1/health/service/redis');
    expect(r.body).toHaveLength(2);
    const e = r.body[0];
    expect(Object.keys(e)).toEqual(['Node', 'Service', 'Checks']);
    expect(e.Node).toEqual({
      ID: '40e4a748-2192-161a-0510-9bf59fe950b5',
      Node: 'foobar',
      Address: '10.1.10.12',
      Datacenter: 'dc1',
      TaggedAddresses: { lan: '10.1.10.12', wan: '10.1.10.12' },
      Meta: { instance_type: 't2.medium' },
      CreateIndex: expect.any(Number),
      ModifyIndex: expect.any(Number),
    });
    expect(e.Service).toEqual({
      ID: 'redis',
      Service: 'redis',
      Tags: ['primary'],
      Address: '10.1.10.12',
      TaggedAddresses: { lan: { Address: '10.1.10.12', Port: 8000 } },
      Meta: { redis_version: '4.0' },
      Port: 8000,
      Weights: { Passing: 10, Warning: 1 },
      EnableTagOverride: false,
      Proxy: { Mode: '', MeshGateway: {}, Expose: {} },
      Connect: {},
      PeerName: '',
      CreateIndex: expect.any(Number),
      ModifyIndex: expect.any(Number),
    });
    expect(e.Checks).toEqual([
      {
        Node: 'foobar',
        CheckID: 'serfHealth',
        Name: 'Serf Health Status',
        Status: 'passing',
        Notes: '',
        Output: 'Agent alive and reachable',
        ServiceID: '',
        ServiceName: '',
        ServiceTags: [],
        Type: '',
        Interval: '',
        Timeout: '',
        ExposedPort: 0,
        Definition: {},
        CreateIndex: expect.any(Number),
        ModifyIndex: expect.any(Number),
      },
      {
        Node: 'foobar',
        CheckID: 'service:redis',
        Name: "Service 'redis' check",
        Status: 'passing',
        Notes: '',
        Output: '',
        ServiceID: 'redis',
        ServiceName: 'redis',
        ServiceTags: ['primary'],
        Type: 'tcp',
        Interval: '10s',
        Timeout: '1s',
        ExposedPort: 0,
        Definition: {},
        CreateIndex: expect.any(Number),
        ModifyIndex: expect.any(Number),
      },
    ]);
  });

  it('keeps only instances whose every check passes with ?passing', async () => {
    const nodes = async (query: Record<string, string | boolean>) => (await get('/v1/health/service/redis', query)).body.map((e: any) => e.Node.Node);
    expect(await nodes({})).toEqual(['foobar', 'replica']);
    expect(await nodes({ passing: true })).toEqual(['foobar']);
    expect(await nodes({ passing: 'true' })).toEqual(['foobar']);
    expect(await nodes({ passing: 'false' })).toEqual(['foobar', 'replica']);
    const bad = await api.get<string>('/v1/health/service/redis', { query: { passing: 'yes' }, accept: [400] });
    expect([bad.status, bad.body]).toEqual([400, 'Invalid value for ?passing']);
  });

  it('drops every service of a node whose node-level check is critical from ?passing', async () => {
    await register({ Node: 'flaky', Address: '10.1.10.14', Service: { Service: 'redis', Port: 8000 }, Checks: [serf('critical')] });
    const all = (await get('/v1/health/service/redis')).body.map((e: any) => e.Node.Node);
    expect(all).toContain('flaky');
    expect((await get('/v1/health/service/redis', { passing: true })).body.map((e: any) => e.Node.Node)).toEqual(['foobar']);
    await api.put('/v1/catalog/deregister', { body: { Node: 'flaky' } });
  });

  it('narrows by ?tag (every tag required), ?node-meta and ?filter', async () => {
    const nodes = async (query: Record<string, string | string[]>) => (await get('/v1/health/service/redis', query)).body.map((e: any) => e.Node.Node);
    expect(await nodes({ tag: 'PRIMARY' })).toEqual(['foobar']);
    expect(await nodes({ tag: ['primary', 'replica'] })).toEqual([]);
    expect(await nodes({ 'node-meta': 'instance_type:t2.small' })).toEqual(['replica']);
    expect(await nodes({ filter: 'Checks.Status == "warning"' })).toEqual(['replica']);
    expect(await nodes({ filter: 'Service.Meta.redis_version == "4.0" and Node.Meta.instance_type == "t2.medium"' })).toEqual(['foobar']);
    expect(await nodes({ filter: '"replica" in Service.Tags' })).toEqual(['replica']);
  });

  it('answers [] for a service nobody provides', async () => {
    const r = await get('/v1/health/service/nothing');
    expect([r.status, r.body]).toEqual([200, []]);
  });

  it('answers /v1/health/connect/:s with the service’s proxies and their checks', async () => {
    await register({
      Node: 'foobar',
      ID: '40e4a748-2192-161a-0510-9bf59fe950b5',
      Address: '10.1.10.12',
      TaggedAddresses: { lan: '10.1.10.12', wan: '10.1.10.12' },
      NodeMeta: { instance_type: 't2.medium' },
      Service: { Kind: 'connect-proxy', ID: 'redis-sidecar-proxy', Service: 'redis-sidecar-proxy', Port: 21000, Proxy: { DestinationServiceName: 'redis', DestinationServiceID: 'redis' } },
      Check: { CheckID: 'proxy-alive', Name: 'Proxy alive', ServiceID: 'redis-sidecar-proxy', Status: 'passing' },
    });
    const r = await get('/v1/health/connect/redis', { passing: true });
    expect(r.body).toHaveLength(1);
    expect(r.body[0].Service).toMatchObject({ Kind: 'connect-proxy', ID: 'redis-sidecar-proxy', Port: 21000 });
    expect(r.body[0].Checks.map((c: any) => c.CheckID)).toEqual(['serfHealth', 'proxy-alive']);
  });
});

describe('check listings', () => {
  beforeAll(async () => {
    await register({
      Node: 'web1',
      Address: '10.2.0.1',
      NodeMeta: { zone: 'a' },
      Service: { Service: 'web', Tags: ['edge'], Port: 80 },
      Checks: [
        serf(),
        { CheckID: 'web-http', Name: 'HTTP on 80', ServiceID: 'web', Status: 'critical', Output: 'connection refused', Definition: { HTTP: 'http://10.2.0.1/health', Method: 'GET', Interval: '10s', Timeout: '2s', DeregisterCriticalServiceAfter: '90m' } },
      ],
    });
    await register({ Node: 'web2', Address: '10.2.0.2', NodeMeta: { zone: 'b' }, Service: { Service: 'web', Port: 80 }, Checks: [{ CheckID: 'web-ttl', Name: 'TTL', ServiceID: 'web', Status: 'passing', Definition: { TTL: '30s' } }] });
  });

  it('/v1/health/checks/:s lists a service’s checks with their definitions', async () => {
    const r = await get('/v1/health/checks/web');
    expect(r.body.map((c: any) => c.CheckID)).toEqual(['web-http', 'web-ttl']);
    expect(r.body[0]).toMatchObject({ Node: 'web1', ServiceName: 'web', ServiceTags: ['edge'], Type: 'http', Status: 'critical', Output: 'connection refused' });
    expect(r.body[0].Definition).toEqual({ Interval: '10s', Timeout: '2s', DeregisterCriticalServiceAfter: '1h30m0s', HTTP: 'http://10.2.0.1/health', Method: 'GET' });
    expect(r.body[1]).toMatchObject({ Type: 'ttl', ServiceTags: [], Definition: { TTL: 30_000_000_000 } });
    expect((await get('/v1/health/checks/web', { 'node-meta': 'zone:b' })).body.map((c: any) => c.CheckID)).toEqual(['web-ttl']);
    expect((await get('/v1/health/checks/web', { filter: 'Status == "critical"' })).body.map((c: any) => c.CheckID)).toEqual(['web-http']);
  });

  it('/v1/health/node/:n lists node and service checks, [] for an unknown node', async () => {
    expect((await get('/v1/health/node/web1')).body.map((c: any) => c.CheckID)).toEqual(['serfHealth', 'web-http']);
    expect((await get('/v1/health/node/nobody')).body).toEqual([]);
  });

  it('/v1/health/state/:state lists checks in a state, every one with ServiceTags', async () => {
    const critical = (await get('/v1/health/state/critical')).body;
    expect(critical.map((c: any) => c.CheckID)).toEqual(['web-http']);
    const any = (await get('/v1/health/state/any')).body;
    expect(any.length).toBeGreaterThan(critical.length);
    for (const c of any) {
      expect(Array.isArray(c.ServiceTags)).toBe(true);
      expect(typeof c.Definition).toBe('object');
    }
    expect((await get('/v1/health/state/passing', { 'node-meta': 'zone:b' })).body.map((c: any) => c.CheckID)).toEqual(['web-ttl']);
    const bad = await api.get<string>('/v1/health/state/passng', { accept: [400] });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Invalid check state "passng"');
  });
});

describe('blocking health reads', () => {
  it('wake /v1/health/service/:s on its instances’ check changes, not on another service', async () => {
    const check = (status: string) => ({ Node: 'b1', Address: '10.3.0.1', Service: { Service: 'pay', Port: 1 }, Check: { CheckID: 'pay-ok', Name: 'ok', ServiceID: 'pay', Status: status } });
    await register(check('passing'));
    await register({ Node: 'b2', Address: '10.3.0.2', Service: { Service: 'ship', Port: 2 }, Check: { CheckID: 'ship-ok', Name: 'ok', ServiceID: 'ship', Status: 'passing' } });
    const first = await get('/v1/health/service/pay', { passing: true });
    expect(first.body).toHaveLength(1);
    let settled = false;
    const waiting = api.get<any[]>('/v1/health/service/pay', { query: { passing: true, index: first.meta.index, wait: '30s' } }).then((r) => {
      settled = true;
      return r;
    });
    await register({ Node: 'b2', Address: '10.3.0.2', Service: { Service: 'ship', Port: 2 }, Check: { CheckID: 'ship-ok', Name: 'ok', ServiceID: 'ship', Status: 'critical' } });
    expect((await get('/v1/health/checks/ship')).body[0].Status).toBe('critical');
    expect(settled).toBe(false);
    await register(check('critical'));
    const woke = await waiting;
    expect(woke.meta.index).toBeGreaterThan(first.meta.index);
    expect(woke.body).toEqual([]);
  });

  it('wake a service’s watchers when a node-level check of one of its nodes changes', async () => {
    await register({ Node: 'c1', Address: '10.4.0.1', Service: { Service: 'mail', Port: 25 }, Checks: [serf()] });
    const first = await get('/v1/health/service/mail', { passing: true });
    const waiting = api.get<any[]>('/v1/health/service/mail', { query: { passing: true, index: first.meta.index, wait: '30s' } });
    await register({ Node: 'c1', Address: '10.4.0.1', Checks: [serf('critical')] });
    expect((await waiting).body).toEqual([]);
  });
});
