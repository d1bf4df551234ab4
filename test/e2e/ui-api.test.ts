import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, stopAllAgents, type TestAgent } from './harness.js';

/** The endpoints the web UI reads (`/v1/internal/ui/*`), in Consul's shapes, against a real agent. */

interface Summary {
  Name: string;
  Kind?: string;
  InstanceCount: number;
  ChecksPassing: number;
  ChecksWarning: number;
  ChecksCritical: number;
  Tags: string[] | null;
  Nodes: string[] | null;
  ConnectedWithProxy: boolean;
}

interface Edge {
  Name: string;
  Source: string;
  InstanceCount: number;
  Intention: { Allowed: boolean; HasExact: boolean; DefaultAllow: boolean; HasPermissions: boolean };
}

let agent: TestAgent;

const proxy = (svc: string, upstreams: string[]) => ({
  ID: `${svc}-sidecar-proxy`,
  Service: `${svc}-sidecar-proxy`,
  Kind: 'connect-proxy',
  Port: 21000,
  Proxy: { DestinationServiceName: svc, Upstreams: upstreams.map((u, i) => ({ DestinationName: u, LocalBindPort: 9000 + i })) },
});

async function register(node: string, service: Record<string, unknown>, checks: { CheckID: string; Status: string; ServiceID?: string }[] = []) {
  await agent.client.put('/v1/catalog/register', { body: { Node: node, Address: '10.1.0.1', Service: service, Checks: checks.map((c) => ({ Name: c.CheckID, ...c })) } });
}

beforeAll(async () => {
  agent = await startAgent();
  await register('n1', { ID: 'web', Service: 'web', Port: 80, Tags: ['b', 'a'] }, [{ CheckID: 'web-http', Status: 'passing', ServiceID: 'web' }]);
  await register('n1', proxy('web', ['api', 'ghost']), [{ CheckID: 'web-proxy', Status: 'warning', ServiceID: 'web-sidecar-proxy' }]);
  await register('n2', { ID: 'api', Service: 'api', Port: 81 }, [{ CheckID: 'api-http', Status: 'critical', ServiceID: 'api' }]);
  await register('n2', proxy('api', []));
});
afterAll(stopAllAgents);

describe('/v1/internal/ui/services', () => {
  it('summarises every service with its instances, tags and check counts, proxy checks folded in', async () => {
    const { body } = await agent.client.get<Summary[]>('/v1/internal/ui/services');
    const web = body.find((s) => s.Name === 'web')!;
    expect(web).toMatchObject({ InstanceCount: 1, Tags: ['a', 'b'], Nodes: ['n1'], ChecksPassing: 1, ChecksWarning: 1, ChecksCritical: 0, ConnectedWithProxy: true });
    expect(body.find((s) => s.Name === 'api')).toMatchObject({ ChecksCritical: 1, ConnectedWithProxy: true });
    // Proxies are listed too (Consul's UI hides them itself), sorted by name.
    expect(body.find((s) => s.Name === 'web-sidecar-proxy')).toMatchObject({ Kind: 'connect-proxy' });
    expect(body.map((s) => s.Name)).toEqual([...body.map((s) => s.Name)].sort());
  });

  it('blocks until a check changes, then answers the new counts', async () => {
    const first = await agent.client.get<Summary[]>('/v1/internal/ui/services');
    const pending = agent.client.get<Summary[]>('/v1/internal/ui/services', { query: { index: first.meta.index, wait: '30s' } });
    await register('n2', { ID: 'api', Service: 'api', Port: 81 }, [{ CheckID: 'api-http', Status: 'passing', ServiceID: 'api' }]);
    const next = await pending;
    expect(next.meta.index).toBeGreaterThan(first.meta.index);
    expect(next.body.find((s) => s.Name === 'api')).toMatchObject({ ChecksCritical: 0, ChecksPassing: 1 });
  });

  it('applies ?filter to the instances before summarising, and rejects a bad one', async () => {
    const { body } = await agent.client.get<Summary[]>('/v1/internal/ui/services', { query: { filter: 'Service.Service == "web"' } });
    expect(body.map((s) => s.Name)).toEqual(['web']);
    await expect(agent.client.get('/v1/internal/ui/services', { query: { filter: 'Service.Service ==' } })).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe('/v1/internal/ui/nodes and /node/:node', () => {
  it('lists each node with its services and checks', async () => {
    const { body } = await agent.client.get<{ Node: string; Services: { ID: string }[]; Checks: { CheckID: string }[] }[]>('/v1/internal/ui/nodes');
    const n1 = body.find((n) => n.Node === 'n1')!;
    expect(n1.Services.map((s) => s.ID)).toEqual(['web', 'web-sidecar-proxy']);
    expect(n1.Checks.map((c) => c.CheckID)).toEqual(['web-http', 'web-proxy']);
    expect(n1).not.toHaveProperty('CreateIndex');
  });

  it('answers one node, or 404 with an empty body for an unknown one', async () => {
    const { body } = await agent.client.get<{ Node: string; Address: string }>('/v1/internal/ui/node/n2');
    expect(body).toMatchObject({ Node: 'n2', Address: '10.1.0.1' });
    const missing = await agent.client.get('/v1/internal/ui/node/nope', { accept: [404], raw: true });
    expect(missing.status).toBe(404);
    expect(Buffer.from(missing.body as Uint8Array).length).toBe(0);
  });
});

describe('/v1/internal/ui/service-topology/:service', () => {
  it('needs ?kind, and only typical services or ingress gateways have a topology', async () => {
    await expect(agent.client.get('/v1/internal/ui/service-topology/web')).rejects.toMatchObject({ statusCode: 400, reason: 'Missing service kind' });
    await expect(agent.client.get('/v1/internal/ui/service-topology/web', { query: { kind: 'mesh-gateway' } })).rejects.toMatchObject({
      statusCode: 400,
      reason: 'Unsupported service kind "mesh-gateway"',
    });
  });

  it('lists upstreams declared by the proxies, downstreams that declare the service, with decisions', async () => {
    const web = (await agent.client.get<{ Upstreams: Edge[]; Downstreams: Edge[]; Protocol: string }>('/v1/internal/ui/service-topology/web', { query: { kind: '' } })).body;
    expect(web.Protocol).toBe('tcp');
    expect(web.Downstreams).toEqual([]);
    expect(web.Upstreams.map((u) => [u.Name, u.Source, u.InstanceCount])).toEqual([
      ['api', 'proxy-registration', 1],
      // Declared but not registered: Weft lists it so a dangling upstream is visible.
      ['ghost', 'proxy-registration', 0],
    ]);
    expect(web.Upstreams[0]!.Intention).toMatchObject({ Allowed: true, DefaultAllow: true, HasExact: false });
    const api = (await agent.client.get<{ Downstreams: Edge[] }>('/v1/internal/ui/service-topology/api', { query: { kind: '' } })).body;
    expect(api.Downstreams.map((d) => d.Name)).toEqual(['web']);
  });

  it('turns an edge to deny as soon as a deny intention is written (blocking query)', async () => {
    const first = await agent.client.get<{ Upstreams: Edge[] }>('/v1/internal/ui/service-topology/web', { query: { kind: '' } });
    const pending = agent.client.get<{ Upstreams: Edge[] }>('/v1/internal/ui/service-topology/web', { query: { kind: '', index: first.meta.index, wait: '30s' } });
    await agent.client.put('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'api' }, body: { SourceType: 'consul', Action: 'deny' } });
    const next = await pending;
    expect(next.body.Upstreams.find((u) => u.Name === 'api')!.Intention).toMatchObject({ Allowed: false, HasExact: true });
    const down = (await agent.client.get<{ Downstreams: Edge[] }>('/v1/internal/ui/service-topology/api', { query: { kind: '' } })).body;
    expect(down.Downstreams[0]!.Intention.Allowed).toBe(false);
  });
});
