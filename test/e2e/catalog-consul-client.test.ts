import Consul from 'consul';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, stopAllAgents, type TestAgent } from './harness.js';

/**
 * The npm `consul` client (a real client nobody here wrote) against Weft: it registers
 * through /v1/catalog/register, reads the catalog and health endpoints, and watches a
 * service with blocking queries.
 */
let agent: TestAgent;
let consul: Consul;

beforeAll(async () => {
  agent = await startAgent();
  consul = new Consul({ host: '127.0.0.1', port: agent.httpPort });
});
afterAll(async () => {
  consul?.destroy();
  await stopAllAgents();
});

const registerWeb = (node: string, address: string, status: 'passing' | 'critical') =>
  consul.catalog.register({
    node,
    address,
    nodemeta: { zone: node === 'web-a' ? 'a' : 'b' },
    service: { id: 'web', service: 'web', tags: ['http', node], port: 8080 },
    check: { checkid: 'web-http', name: 'HTTP health', serviceid: 'web', status, definition: { http: `http://${address}:8080/health`, intervalduration: '10s' } },
  });

describe('the npm consul client', () => {
  it('registers through the catalog and reads it back', async () => {
    await registerWeb('web-a', '10.6.0.1', 'passing');
    await registerWeb('web-b', '10.6.0.2', 'passing');
    expect(await consul.catalog.datacenters()).toEqual(['dc1']);
    const services = await consul.catalog.service.list();
    expect(services.web).toEqual(['http', 'web-a', 'web-b']);
    const nodes = await consul.catalog.service.nodes({ service: 'web', tag: 'web-b' });
    expect(nodes.map((n: any) => [n.Node, n.Address, n.ServiceID, n.ServicePort])).toEqual([['web-b', '10.6.0.2', 'web', 8080]]);
    const node = await consul.catalog.node.services('web-a');
    expect(node.Node.Meta).toEqual({ zone: 'a' });
    expect(Object.keys(node.Services)).toEqual(['web']);
    const checks = await consul.health.checks('web');
    expect(checks.map((c: any) => [c.Node, c.CheckID, c.Type, c.Definition.Interval])).toEqual([
      ['web-a', 'web-http', 'http', '10s'],
      ['web-b', 'web-http', 'http', '10s'],
    ]);
  });

  it('sees health: ?passing answers and checks by state', async () => {
    const healthy = await consul.health.service({ service: 'web', passing: true });
    expect(healthy.map((e: any) => e.Node.Node)).toEqual(['web-a', 'web-b']);
    expect(healthy[0].Checks[0]).toMatchObject({ CheckID: 'web-http', ServiceTags: ['http', 'web-a'], Status: 'passing' });
    expect(await consul.health.state('critical')).toEqual([]);
  });

  it('watches a service with blocking queries and sees a health change', async () => {
    const watch = consul.watch({ method: consul.health.service, options: { service: 'web', passing: true, wait: '30s' } as any });
    const seen: string[][] = [];
    const changes = new Promise<void>((resolve, reject) => {
      watch.on('error', reject);
      watch.on('change', (data: any[]) => {
        seen.push(data.map((e) => e.Node.Node));
        // First the current answer, then the one after web-b's check turns critical.
        if (seen.length === 1) registerWeb('web-b', '10.6.0.2', 'critical').catch(reject);
        if (seen.length === 2) resolve();
      });
    });
    try {
      await changes;
    } finally {
      watch.end();
    }
    expect(seen).toEqual([['web-a', 'web-b'], ['web-a']]);
    const critical = await consul.health.state({ state: 'critical' });
    expect(critical.map((c: any) => [c.Node, c.CheckID, c.Output])).toEqual([['web-b', 'web-http', '']]);
  });

  it('deregisters through the catalog', async () => {
    await consul.catalog.deregister({ node: 'web-b' });
    expect((await consul.catalog.service.nodes('web')).map((n: any) => n.Node)).toEqual(['web-a']);
  });
});
