import Consul from 'consul';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/index.js';
import { startAgent, stopAllAgents, waitFor, type TestAgent } from './harness.js';

/** The agent-local endpoints of one dev agent: registration, checks, health, maintenance, bad input. */
let agent: TestAgent;

beforeAll(async () => {
  agent = await startAgent();
});
afterAll(stopAllAgents);
afterEach(async () => {
  // Each test starts from an agent with no services or checks of its own.
  const services = (await agent.client.get<Record<string, unknown>>('/v1/agent/services')).body;
  for (const id of Object.keys(services)) await agent.client.put(`/v1/agent/service/deregister/${encodeURIComponent(id)}`, { accept: [404] });
  const checks = (await agent.client.get<Record<string, unknown>>('/v1/agent/checks')).body;
  for (const id of Object.keys(checks)) await agent.client.put(`/v1/agent/check/deregister/${encodeURIComponent(id)}`, { accept: [404] });
  await agent.client.put('/v1/agent/maintenance', { query: { enable: 'false' } });
});

const failure = (p: Promise<unknown>) => p.then(() => null, (e: ApiError) => ({ status: e.statusCode, reason: e.reason }));
const catalogServices = async () => (await agent.client.get<Record<string, string[]>>('/v1/catalog/services')).body;

describe('agent services', () => {
  it('registers, lists, reads and deregisters a service, synced to the catalog at once', async () => {
    const body = { Name: 'web', ID: 'web-1', Tags: ['v1'], Port: 8080, Address: '10.0.0.5', Meta: { team: 'a' } };
    expect((await agent.client.put('/v1/agent/service/register', { body })).status).toBe(200);
    const services = (await agent.client.get<Record<string, Record<string, unknown>>>('/v1/agent/services')).body;
    expect(services['web-1']).toEqual({
      ID: 'web-1',
      Service: 'web',
      Tags: ['v1'],
      Meta: { team: 'a' },
      Port: 8080,
      Address: '10.0.0.5',
      TaggedAddresses: { lan_ipv4: { Address: '10.0.0.5', Port: 8080 }, wan_ipv4: { Address: '10.0.0.5', Port: 8080 } },
      Weights: { Passing: 1, Warning: 1 },
      EnableTagOverride: false,
      Datacenter: 'dc1',
    });
    expect((await catalogServices()).web).toEqual(['v1']);
    const filtered = (await agent.client.get<Record<string, unknown>>('/v1/agent/services', { query: { filter: 'Meta.team == "b"' } })).body;
    expect(filtered).toEqual({});

    await agent.client.put('/v1/agent/service/deregister/web-1');
    expect((await agent.client.get('/v1/agent/services')).body).toEqual({});
    expect((await catalogServices()).web).toBeUndefined();
    expect(await failure(agent.client.put('/v1/agent/service/deregister/web-1'))).toMatchObject({ status: 404 });
  });

  it('puts back a service someone removed from the catalog behind the agent’s back', async () => {
    await agent.client.put('/v1/agent/service/register', { body: { Name: 'sturdy', Port: 1 } });
    const node = (await agent.client.get<{ Config: { NodeName: string } }>('/v1/agent/self')).body.Config.NodeName;
    await agent.client.put('/v1/catalog/deregister', { body: { Node: node, ServiceID: 'sturdy' } });
    expect((await agent.client.get<unknown[]>('/v1/catalog/service/sturdy')).body).toEqual([]);
    await waitFor(async () => (await agent.client.get<unknown[]>('/v1/catalog/service/sturdy')).body.length === 1, {
      timeoutMs: 5000,
      what: 'the agent to repair its node',
    });
  });

  it('serves one service with a ContentHash and blocks on it until the service changes', async () => {
    await agent.client.put('/v1/agent/service/register', { body: { name: 'api', port: 1 } });
    const first = await agent.client.get<{ ContentHash: string; Tags: string[] }>('/v1/agent/service/api');
    expect(first.headers['x-consul-contenthash']).toBe(first.body.ContentHash);
    const same = await agent.client.get<{ ContentHash: string }>('/v1/agent/service/api', { query: { hash: first.body.ContentHash, wait: '50ms' } });
    expect(same.body.ContentHash).toBe(first.body.ContentHash);
    const blocked = agent.client.get<{ ContentHash: string; Tags: string[] }>('/v1/agent/service/api', { query: { hash: first.body.ContentHash, wait: '30s' } });
    await agent.client.put('/v1/agent/service/register', { body: { name: 'api', port: 1, tags: ['new'] } });
    const changed = await blocked;
    expect(changed.body.Tags).toEqual(['new']);
    expect(changed.body.ContentHash).not.toBe(first.body.ContentHash);
    expect(await failure(agent.client.get('/v1/agent/service/nope'))).toMatchObject({ status: 404 });
  });

  it('drives TTL checks through pass, warn, fail and update', async () => {
    await agent.client.put('/v1/agent/service/register', { body: { Name: 'job', Check: { CheckID: 'job-ttl', TTL: '30s' } } });
    const status = async () => (await agent.client.get<Record<string, { Status: string; Output: string }>>('/v1/agent/checks')).body['job-ttl'];
    expect(await status()).toMatchObject({ Status: 'critical' });
    await agent.client.put('/v1/agent/check/pass/job-ttl', { query: { note: 'all good' } });
    expect(await status()).toMatchObject({ Status: 'passing', Output: 'all good' });
    await agent.client.put('/v1/agent/check/warn/job-ttl');
    expect((await agent.client.get<{ Status: string }[]>('/v1/health/checks/job')).body[0].Status).toBe('warning');
    await agent.client.put('/v1/agent/check/update/job-ttl', { body: { Status: 'critical', Output: 'disk full' } });
    expect(await status()).toMatchObject({ Status: 'critical', Output: 'disk full' });
    expect(await failure(agent.client.put('/v1/agent/check/update/job-ttl', { body: { Status: 'great' } }))).toEqual({
      status: 400,
      reason: "Invalid check status: 'great'",
    });
    await agent.client.put('/v1/agent/check/register', { body: { Name: 'tcp-ish', TCP: '127.0.0.1:1', Interval: '10s' } });
    expect(await failure(agent.client.put('/v1/agent/check/pass/tcp-ish'))).toEqual({ status: 500, reason: 'CheckID "tcp-ish" does not have associated TTL' });
  });

  it('answers agent health by service ID and name with 200, 429, 503 and 404', async () => {
    await agent.client.put('/v1/agent/service/register', { body: { Name: 'pay', ID: 'pay-1', Check: { CheckID: 'p1', TTL: '30s', Status: 'passing' } } });
    await agent.client.put('/v1/agent/service/register', { body: { Name: 'pay', ID: 'pay-2', Check: { CheckID: 'p2', TTL: '30s', Status: 'passing' } } });
    const byId = (id: string, query: Record<string, string> = {}) => agent.client.get<any>(`/v1/agent/health/service/id/${id}`, { query, accept: [404, 429, 503] });
    const byName = (name: string, query: Record<string, string> = {}) => agent.client.get<any>(`/v1/agent/health/service/name/${name}`, { query, accept: [404, 429, 503] });
    const ok = await byId('pay-1');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ AggregatedStatus: 'passing', Service: { ID: 'pay-1', Service: 'pay' }, Checks: [{ CheckID: 'p1', Status: 'passing' }] });
    await agent.client.put('/v1/agent/check/warn/p2');
    expect((await byName('pay')).status).toBe(429);
    expect((await byName('pay', { format: 'text' })).body).toBe('warning');
    await agent.client.put('/v1/agent/check/fail/p1');
    const worst = await byName('pay');
    expect([worst.status, worst.body.map((r: any) => r.AggregatedStatus)]).toEqual([503, ['critical', 'warning']]);
    expect(await byId('nope')).toMatchObject({ status: 404, body: { AggregatedStatus: 'critical', Service: null, Checks: null } });
    expect(await byName('nope', { format: 'text' })).toMatchObject({ status: 404, body: 'ServiceName nope Not Found' });
  });

  it('puts the node and a service into maintenance, out of ?passing answers', async () => {
    await agent.client.put('/v1/agent/service/register', { body: { Name: 'cache', Port: 6379 } });
    const passingNodes = async () => (await agent.client.get<unknown[]>('/v1/health/service/cache', { query: { passing: true } })).body.length;
    expect(await passingNodes()).toBe(1);
    await agent.client.put('/v1/agent/service/maintenance/cache', { query: { enable: 'true', reason: 'resizing' } });
    const checks = (await agent.client.get<Record<string, { Status: string; Notes: string; ServiceID: string }>>('/v1/agent/checks')).body;
    expect(checks['_service_maintenance:cache']).toMatchObject({ Status: 'critical', Notes: 'resizing', ServiceID: 'cache' });
    expect(await passingNodes()).toBe(0);
    expect((await agent.client.get<any>('/v1/agent/health/service/id/cache', { accept: [503] })).body.AggregatedStatus).toBe('maintenance');
    await agent.client.put('/v1/agent/service/maintenance/cache', { query: { enable: 'false' } });
    expect(await passingNodes()).toBe(1);

    await agent.client.put('/v1/agent/maintenance', { query: { enable: 'true' } });
    const node = (await agent.client.get<Record<string, { Notes: string }>>('/v1/agent/checks')).body._node_maintenance;
    expect(node.Notes).toMatch(/^Maintenance mode is enabled for this node/);
    expect(await passingNodes()).toBe(0);
    await agent.client.put('/v1/agent/maintenance', { query: { enable: 'false' } });
    expect(await passingNodes()).toBe(1);

    expect(await failure(agent.client.put('/v1/agent/maintenance'))).toEqual({ status: 400, reason: 'Missing value for enable' });
    expect(await failure(agent.client.put('/v1/agent/maintenance', { query: { enable: 'sure' } }))).toEqual({ status: 400, reason: 'Invalid value for enable: "sure"' });
    expect(await failure(agent.client.put('/v1/agent/service/maintenance/ghost', { query: { enable: 'true' } }))).toMatchObject({ status: 404 });
  });

  it.each([
    [{ Port: 80 }, 'Missing service name'],
    [{ Name: 'x', Port: 'eighty' }, 'Request decode failed: Port: expected an integer, got "eighty"'],
    [{ Name: 'x', Port: 123456 }, 'Request decode failed: Port: must be between 0 and 65535, got 123456'],
    [{ Name: 'x', Check: { Interval: '10s', Grep: 'ok' } }, 'Invalid check: TTL must be > 0 for TTL checks'],
    [{ Name: 'x', Check: { HTTP: 'http://127.0.0.1/', Interval: 'every minute' } }, 'every minute'],
    [{ Name: 'x', Checks: [{ TTL: '10s' }, { Args: ['/bin/true'], Interval: '10s' }] }, 'Scripts are disabled on this agent'],
    [{ Name: 'x', Check: { TTL: '10s', Status: 'fine' } }, "Status for checks must 'passing', 'warning', 'critical'"],
  ])('refuses a bad registration with 400 and stores nothing: %j', async (body, reason) => {
    const r = await failure(agent.client.put('/v1/agent/service/register', { body }));
    expect(r?.status).toBe(400);
    expect(r?.reason).toContain(reason);
    expect((await agent.client.get('/v1/agent/services')).body).toEqual({});
    expect((await agent.client.get('/v1/agent/checks')).body).toEqual({});
    expect(Object.keys(await catalogServices())).toEqual(['consul']);
  });

  it('expands connect { sidecar_service {} } into <id>-sidecar-proxy, removed with its service', async () => {
    await agent.client.put('/v1/agent/service/register', {
      body: { name: 'dashboard', port: 9002, connect: { sidecar_service: { proxy: { upstreams: [{ destination_name: 'counting', local_bind_port: 5000 }] } } } },
    });
    const proxy = (await agent.client.get<any>('/v1/agent/service/dashboard-sidecar-proxy')).body;
    expect(proxy).toMatchObject({
      Kind: 'connect-proxy',
      ID: 'dashboard-sidecar-proxy',
      Service: 'dashboard-sidecar-proxy',
      Port: 21000,
      Proxy: {
        DestinationServiceName: 'dashboard',
        DestinationServiceID: 'dashboard',
        LocalServiceAddress: '127.0.0.1',
        LocalServicePort: 9002,
        Upstreams: [{ DestinationType: 'service', DestinationName: 'counting', LocalBindPort: 5000 }],
      },
    });
    const checks = (await agent.client.get<Record<string, { Name: string; Type: string }>>('/v1/agent/checks', { query: { filter: 'ServiceID == "dashboard-sidecar-proxy"' } })).body;
    expect(Object.values(checks).map((c) => [c.Name, c.Type]).sort()).toEqual([
      ['Connect Sidecar Aliasing dashboard', 'alias'],
      ['Connect Sidecar Listening', 'tcp'],
    ]);
    const connect = (await agent.client.get<{ ServiceID: string }[]>('/v1/catalog/connect/dashboard')).body;
    expect(connect.map((e) => e.ServiceID)).toEqual(['dashboard-sidecar-proxy']);
    await agent.client.put('/v1/agent/service/deregister/dashboard');
    expect((await agent.client.get('/v1/agent/services')).body).toEqual({});
  });

  it('replaces a service’s checks only with ?replace-existing-checks', async () => {
    const register = (checks: unknown[], replace = false) =>
      agent.client.put('/v1/agent/service/register', { body: { Name: 'q', Checks: checks }, query: { 'replace-existing-checks': replace || undefined } });
    await register([{ CheckID: 'a', TTL: '1m' }, { CheckID: 'b', TTL: '1m' }]);
    await register([{ CheckID: 'a', TTL: '1m' }]);
    expect(Object.keys((await agent.client.get<Record<string, unknown>>('/v1/agent/checks')).body).sort()).toEqual(['a', 'b']);
    await register([{ CheckID: 'a', TTL: '1m' }], true);
    expect(Object.keys((await agent.client.get<Record<string, unknown>>('/v1/agent/checks')).body)).toEqual(['a']);
  });

  it('works with the npm consul client: register, watch with blocking queries, see a health change', async () => {
    const consul = new Consul({ host: '127.0.0.1', port: agent.httpPort });
    try {
      await consul.agent.service.register({ name: 'counter', id: 'counter-1', port: 9001, check: { ttl: '30s', status: 'passing' } as any });
      const list = await consul.agent.service.list();
      expect(list['counter-1']).toMatchObject({ Service: 'counter', Port: 9001 });
      const watch = consul.watch({ method: consul.health.service, options: { service: 'counter', passing: true, wait: '30s' } as any });
      const seen: number[] = [];
      await new Promise<void>((resolve, reject) => {
        watch.on('error', reject);
        watch.on('change', (data: unknown[]) => {
          seen.push(data.length);
          if (seen.length === 1) consul.agent.check.fail({ id: 'service:counter-1', note: 'stopped counting' }).catch(reject);
          if (seen.length === 2) resolve();
        });
      });
      watch.end();
      expect(seen).toEqual([1, 0]);
      const checks = await consul.agent.check.list();
      expect(checks['service:counter-1']).toMatchObject({ Status: 'critical', Output: 'stopped counting' });
    } finally {
      consul.destroy();
    }
  });
});
