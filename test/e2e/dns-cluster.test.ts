import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClient, startServer, stopCluster, type ClusterAgent } from './cluster-harness.js';
import { dataOf, dig } from './dns-digs.js';
import { freePort, waitFor } from './harness.js';

/** A client agent has no catalog of its own: its DNS interface asks the servers. */
let server: ClusterAgent;
let client: ClusterAgent;
let dnsPort: number;

const register = (status: string) =>
  server.client.put('/v1/catalog/register', {
    body: { Node: 'n1', Address: '10.0.0.1', Service: { ID: 'api-1', Service: 'api', Port: 9090 }, Checks: [{ CheckID: 'api-1-check', Name: 'alive', Status: status, ServiceID: 'api-1' }] },
  });

beforeAll(async () => {
  dnsPort = await freePort();
  server = await startServer({ node: 'srv-1' });
  client = await startClient(server, { node: 'cli-1', args: ['-dns-port', String(dnsPort)] });
  await waitFor(async () => (await client.client.get<unknown[]>('/v1/catalog/nodes')).body.length >= 2, { what: 'the client to join' });
  await register('passing');
});

afterAll(async () => {
  await stopCluster();
});

describe('DNS on a client agent', () => {
  it('answers services, nodes and the zone from the servers', async () => {
    await waitFor(async () => dataOf((await dig(dnsPort, ['api.service.consul', 'A'])).answer, 'A')[0] === '10.0.0.1', { what: 'the client to answer' });
    expect(dataOf((await dig(dnsPort, ['api.service.consul', 'SRV'])).answer, 'SRV')).toEqual(['1 1 9090 n1.node.dc1.consul.']);
    expect(dataOf((await dig(dnsPort, ['n1.node.consul', 'A'])).answer, 'A')).toEqual(['10.0.0.1']);
    expect(dataOf((await dig(dnsPort, ['consul', 'NS'])).answer, 'NS')).toEqual(['srv-1.node.dc1.consul.']);
    expect(dataOf((await dig(dnsPort, ['-x', '10.0.0.1'])).answer, 'PTR')).toEqual(['n1.node.dc1.consul.']);
    expect((await dig(dnsPort, ['ghost.service.consul', 'A'])).status).toBe('NXDOMAIN');
  });

  it('follows health changes made at the server', async () => {
    await register('critical');
    await waitFor(async () => (await dig(dnsPort, ['api.service.consul', 'A'])).status === 'NXDOMAIN', { what: 'the critical instance to leave' });
    await register('passing');
    await waitFor(async () => dataOf((await dig(dnsPort, ['api.service.consul', 'A'])).answer, 'A').length === 1, { what: 'the instance to return' });
  });
});
