import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWeft, startAgent, stopAllAgents, type TestAgent } from './harness.js';

let agent: TestAgent;
const weft = (...args: string[]) => runWeft(args, { env: { CONSUL_HTTP_ADDR: agent.address } });
/**
 * The agent registers its own node (and the `consul` service). Its short name keeps the
 * column widths those of the nodes registered here, so its lines can simply be set aside.
 */
const SELF = 'a0';
const others = (out: string) => out.split('\n').filter((l) => !l.startsWith(`${SELF} `) && !l.startsWith('consul')).join('\n');

beforeAll(async () => {
  agent = await startAgent({ args: ['-node', SELF] });
  const register = (body: unknown) => agent.client.put('/v1/catalog/register', { body });
  await register({
    Node: 'worker-01',
    ID: '1b662d97-8b5c-4f1e-9b3a-6c7d8e9f0a1b',
    Address: '10.4.5.31',
    TaggedAddresses: { lan: '10.4.5.31', wan: '203.0.113.31' },
    NodeMeta: { rack: 'r1' },
    Service: { ID: 'counting-1', Service: 'counting', Tags: ['v2', 'backend'], Port: 9001 },
  });
  await register({ Node: 'worker-02', Address: '10.4.5.32', NodeMeta: { rack: 'r2' }, Service: { Service: 'dashboard', Port: 9002 } });
  await register({ Node: 'worker-02', Address: '10.4.5.32', NodeMeta: { rack: 'r2' }, Service: { ID: 'counting-2', Service: 'counting', Tags: ['v1'], Port: 9001 } });
});
afterAll(stopAllAgents);

describe('weft catalog', () => {
  it('datacenters prints one datacenter per line', async () => {
    const r = await weft('catalog', 'datacenters');
    expect([r.code, r.stdout]).toEqual([0, 'dc1\n']);
  });

  it('nodes prints consul’s table, the ID cut to its first block', async () => {
    const r = await weft('catalog', 'nodes');
    expect(r.code).toBe(0);
    expect(others(r.stdout)).toBe(['Node       ID        Address    DC', 'worker-01  1b662d97  10.4.5.31  dc1', 'worker-02            10.4.5.32  dc1', ''].join('\n'));
  });

  it('nodes -detailed adds tagged addresses and metadata', async () => {
    const r = await weft('catalog', 'nodes', '-detailed', '-node-meta', 'rack=r1');
    expect(r.stdout).toBe(
      [
        'Node       ID                                    Address    DC   TaggedAddresses                  Meta',
        'worker-01  1b662d97-8b5c-4f1e-9b3a-6c7d8e9f0a1b  10.4.5.31  dc1  lan=10.4.5.31, wan=203.0.113.31  rack=r1',
        '',
      ].join('\n'),
    );
  });

  it('nodes -service, -near and -filter narrow and order the list', async () => {
    expect((await weft('catalog', 'nodes', '-service=dashboard')).stdout).toContain('worker-02');
    expect((await weft('catalog', 'nodes', '-service=dashboard')).stdout).not.toContain('worker-01');
    const near = await weft('catalog', 'nodes', '-near=worker-02');
    expect(near.stdout.split('\n')[1]).toMatch(/^worker-02/);
    const filtered = await weft('catalog', 'nodes', '-filter', 'Meta.rack == "r2"');
    expect(filtered.stdout).toBe('Node       ID  Address    DC\nworker-02      10.4.5.32  dc1\n');
    const none = await weft('catalog', 'nodes', '-service=nothing');
    expect([none.code, none.stdout, none.stderr]).toEqual([0, '', 'No nodes match the given query - try expanding your search.\n']);
  });

  it('services lists names, and -tags their sorted tags as consul’s tabwriter does', async () => {
    expect(others((await weft('catalog', 'services')).stdout)).toBe('counting\ndashboard\n');
    const r = await weft('catalog', 'services', '-tags');
    expect(others(r.stdout)).toBe('counting       backend,v1,v2\ndashboard\n');
  });

  it('services -node lists one node’s services (by name or ID prefix), -node-meta narrows by node', async () => {
    expect((await weft('catalog', 'services', '-node=worker-02', '-tags')).stdout).toBe('counting       v1\ndashboard\n');
    expect((await weft('catalog', 'services', '-node=1b662d97')).stdout).toBe('counting\n');
    expect((await weft('catalog', 'services', '-node-meta=rack=r1')).stdout).toBe('counting\n');
    const none = await weft('catalog', 'services', '-node=ghost');
    expect([none.code, none.stderr]).toEqual([0, 'No services match the given query - try expanding your search.\n']);
  });

  it('reports errors and extra arguments', async () => {
    const extra = await weft('catalog', 'services', 'oops');
    expect([extra.code, extra.stderr]).toEqual([1, 'Too many arguments (expected 0, got 1)\n']);
    const badFilter = await weft('catalog', 'nodes', '-filter', 'Node ==');
    expect(badFilter.code).toBe(1);
    expect(badFilter.stderr).toMatch(/^Error listing nodes: Unexpected response code: 400/);
  });
});
