import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runWeft, waitFor } from './harness.js';
import { memberStatus, startClient, startServer, stopCluster, type ClusterAgent } from './cluster-harness.js';

interface Check {
  CheckID: string;
  Status: string;
  Output: string;
  ServiceID: string;
}
interface HealthEntry {
  Node: { Node: string };
  Service: { ID: string };
  Checks: Check[];
}

let server: ClusterAgent;
let c1: ClusterAgent;
let c2: ClusterAgent;
let httpTarget: HttpServer;
let healthy = true;

beforeAll(async () => {
  server = await startServer({ node: 'srv' });
  [c1, c2] = await Promise.all([startClient(server, { node: 'c1' }), startClient(server, { node: 'c2' })]);
  await waitFor(async () => (await memberStatus(c1, 'c2')) === 'alive' && (await memberStatus(c2, 'c1')) === 'alive', { what: 'both clients to see each other' });
  httpTarget = createHttpServer((_req, res) => {
    res.writeHead(healthy ? 200 : 500);
    res.end(healthy ? 'ok' : 'broken');
  });
  await new Promise<void>((r) => httpTarget.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  httpTarget?.close();
  await stopCluster();
});

const passing = async (agent: ClusterAgent, service: string) =>
  (await agent.client.get<HealthEntry[]>(`/v1/health/service/${service}`, { query: { passing: true } })).body;
const nodeCheck = async (node: string, id: string) =>
  (await server.client.get<Check[]>(`/v1/health/node/${node}`)).body.find((c) => c.CheckID === id);

describe('a cluster of one server and two clients', () => {
  it('lists every member on every agent, the server first', async () => {
    for (const agent of [server, c1, c2]) {
      const r = await runWeft(['members', `-http-addr=${agent.address}`]);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/).slice(0, 4));
      expect(rows).toEqual([
        ['srv', server.serfAddress, 'alive', 'server'],
        ['c1', c1.serfAddress, 'alive', 'client'],
        ['c2', c2.serfAddress, 'alive', 'client'],
      ]);
    }
    const nodes = (await c2.client.get<{ Node: string }[]>('/v1/catalog/nodes')).body.map((n) => n.Node).sort();
    expect(nodes).toEqual(['c1', 'c2', 'srv']);
  });

  it('answers agent endpoints on the client and forwards the rest, blocking queries included', async () => {
    await c1.client.put('/v1/agent/service/register', { body: { Name: 'api', ID: 'api-1', Port: 7001 } });
    expect(Object.keys((await c1.client.get<Record<string, unknown>>('/v1/agent/services')).body)).toEqual(['api-1']);
    expect((await c2.client.get<Record<string, unknown>>('/v1/agent/services')).body).toEqual({});

    const first = await c2.client.get<{ Node: string; ServiceID: string }[]>('/v1/catalog/service/api');
    expect(first.body.map((e) => [e.Node, e.ServiceID])).toEqual([['c1', 'api-1']]);
    const blocked = c2.client.get<{ ServiceID: string }[]>('/v1/catalog/service/api', { query: { index: first.meta.index, wait: '30s' } });
    await c2.client.put('/v1/agent/service/register', { body: { Name: 'api', ID: 'api-2', Port: 7002 } });
    expect((await blocked).body.map((e) => e.ServiceID)).toEqual(['api-1', 'api-2']);

    // A session created through a client belongs to that client's node, as with Consul.
    const session = (await c1.client.put<{ ID: string }>('/v1/session/create', { body: {} })).body;
    const info = (await server.client.get<{ Node: string }[]>(`/v1/session/info/${session.ID}`)).body;
    expect(info[0].Node).toBe('c1');
    await c1.client.put(`/v1/session/destroy/${session.ID}`);
  });

  it('runs checks for real: an HTTP check follows its target, a TCP check its listener, a TTL lapses', async () => {
    const port = (httpTarget.address() as { port: number }).port;
    await c1.client.put('/v1/agent/service/register', {
      body: { Name: 'web', Port: port, Check: { HTTP: `http://127.0.0.1:${port}/health`, Interval: '1s' } },
    });
    await waitFor(async () => (await passing(c2, 'web')).length === 1, { what: 'web to pass' });
    healthy = false;
    await waitFor(async () => (await passing(c2, 'web')).length === 0, { what: 'web to fail' });
    const check = (await server.client.get<Check[]>('/v1/health/checks/web')).body[0];
    expect(check).toMatchObject({ Status: 'critical', CheckID: 'service:web' });
    expect(check.Output).toContain('500');
    healthy = true;
    await waitFor(async () => (await passing(c2, 'web')).length === 1, { what: 'web to recover' });

    const tcp: TcpServer = createTcpServer((s) => s.end());
    const tcpPort = await freePort();
    await new Promise<void>((r) => tcp.listen(tcpPort, '127.0.0.1', r));
    await c2.client.put('/v1/agent/service/register', { body: { Name: 'db', Port: tcpPort, Check: { TCP: `127.0.0.1:${tcpPort}`, Interval: '1s' } } });
    await waitFor(async () => (await passing(c1, 'db')).length === 1, { what: 'db to pass' });
    await new Promise((r) => tcp.close(r));
    await waitFor(async () => (await passing(c1, 'db')).length === 0, { what: 'db to fail once its listener closed' });

    await c1.client.put('/v1/agent/check/register', { body: { Name: 'heartbeat', TTL: '1s' } });
    await c1.client.put('/v1/agent/check/pass/heartbeat', { query: { note: 'alive' } });
    expect(await nodeCheck('c1', 'heartbeat')).toMatchObject({ Status: 'passing', Output: 'alive' });
    await waitFor(async () => (await nodeCheck('c1', 'heartbeat'))?.Status === 'critical', { what: 'the TTL to lapse' });
    expect((await nodeCheck('c1', 'heartbeat'))?.Output).toMatch(/^TTL expired/);
    await c1.client.put('/v1/agent/check/deregister/heartbeat');
  });

  it('repairs a catalog edit that contradicts the agent', async () => {
    await server.client.put('/v1/catalog/deregister', { body: { Node: 'c1', ServiceID: 'api-1' } });
    expect((await server.client.get<unknown[]>('/v1/catalog/service/api')).body).toHaveLength(1);
    await waitFor(async () => (await server.client.get<unknown[]>('/v1/catalog/service/api')).body.length === 2, {
      timeoutMs: 5000,
      what: 'the client to re-register its service',
    });
    // And a service registered in the catalog on the agent's node, which the agent does not know, is removed.
    await server.client.put('/v1/catalog/register', { body: { Node: 'c1', Address: '127.0.0.1', Service: { Service: 'ghost' } } });
    await waitFor(async () => (await server.client.get<unknown[]>('/v1/catalog/service/ghost')).body.length === 0, {
      timeoutMs: 5000,
      what: 'the ghost service to be removed',
    });
  });

  it('turns a killed client critical within 10 s and drops its services from ?passing', async () => {
    expect((await passing(server, 'api')).map((e) => e.Node.Node).sort()).toEqual(['c1', 'c2']);
    const killedAt = Date.now();
    await c2.kill9();
    await waitFor(async () => (await nodeCheck('c2', 'serfHealth'))?.Status === 'critical', { timeoutMs: 10_000, intervalMs: 100, what: 'serfHealth critical' });
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect((await passing(server, 'api')).map((e) => e.Node.Node)).toEqual(['c1']);
    // Clients learn the member list from their next heartbeat.
    await waitFor(async () => (await memberStatus(c1, 'c2')) === 'failed', { what: 'c1 to see c2 failed' });
  });

  it('force-leaves a failed client, and takes it back when it restarts with its data dir', async () => {
    const r = await runWeft(['force-leave', `-http-addr=${c1.address}`, 'c2']);
    expect(r).toMatchObject({ code: 0 });
    await waitFor(async () => (await memberStatus(server, 'c2')) === 'left', { what: 'c2 left' });
    expect((await server.client.get<{ Node: string }[]>('/v1/catalog/nodes')).body.map((n) => n.Node).sort()).toEqual(['c1', 'srv']);

    c2 = await startClient(server, { node: 'c2', dataDir: c2.dataDir, ports: c2.ports });
    // Its HTTP-registered services come back from its data dir.
    await waitFor(async () => (await passing(server, 'api')).length === 2, { what: 'c2 and its api-2 to be back' });
    expect(await memberStatus(server, 'c2')).toBe('alive');
  });

  it('leaves gracefully: left, and its node removed from the catalog', async () => {
    const r = await runWeft(['leave', `-http-addr=${c2.address}`]);
    expect(r).toMatchObject({ code: 0, stdout: 'Graceful leave complete\n' });
    expect(await c2.waitExit()).toBe(0);
    expect(await memberStatus(server, 'c2')).toBe('left');
    expect((await server.client.get<{ Node: string }[]>('/v1/catalog/nodes')).body.map((n) => n.Node).sort()).toEqual(['c1', 'srv']);
    expect((await c1.client.get<HealthEntry[]>('/v1/health/service/api')).body.map((e) => e.Node.Node)).toEqual(['c1']);
  });

  it('survives a server restart, and a client that starts before the server joins once it is up', async () => {
    await server.kill9();
    const c3 = startClient(server, { node: 'c3', readyPath: '/v1/agent/self' });
    const c3Agent = await c3;
    expect(await memberStatus(c3Agent, 'srv')).toBeUndefined();
    server = await startServer({ node: 'srv', dataDir: server.dataDir, ports: server.ports });
    await waitFor(async () => (await memberStatus(server, 'c3')) === 'alive' && (await memberStatus(server, 'c1')) === 'alive', {
      timeoutMs: 10_000,
      what: 'c1 and c3 to be alive at the restarted server',
    });
    await c3Agent.client.put('/v1/agent/service/register', { body: { Name: 'late', Port: 1 } });
    expect((await server.client.get<{ Node: string }[]>('/v1/catalog/service/late')).body.map((e) => e.Node)).toEqual(['c3']);
    expect((await c1.client.get<{ ServiceID: string }[]>('/v1/catalog/service/api')).body.map((e) => e.ServiceID)).toEqual(['api-1']);
  });

  it('joins a client started without -retry-join when told to with weft join', async () => {
    const loner = await startClient('', { node: 'c4', args: [] });
    expect(await memberStatus(loner, 'srv')).toBeUndefined();
    const r = await runWeft(['join', `-http-addr=${loner.address}`, server.serfAddress]);
    expect(r).toMatchObject({ code: 0, stdout: 'Successfully joined cluster by contacting 1 nodes.\n' });
    await waitFor(async () => (await memberStatus(loner, 'srv')) === 'alive', { what: 'c4 to see the server' });
    const bad = await runWeft(['join', `-http-addr=${loner.address}`, '127.0.0.1:1']);
    expect(bad.code).toBe(1);
  });
});
