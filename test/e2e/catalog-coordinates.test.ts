import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { startAgent, stopAllAgents } from './harness.js';

let api: ApiClient;
/** The agent registers its own node; assertions look past it. */
let self: string;
const ORIGIN = { Vec: [0, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 0.00001 };
const at = (x: number) => ({ Vec: [x, 0, 0, 0, 0, 0, 0, 0], Error: 0.2, Adjustment: 0, Height: 0.0001 });

beforeAll(async () => {
  api = (await startAgent()).client;
  self = (await api.get<any>('/v1/agent/self')).body.Config.NodeName;
  for (const [node, i] of [['n1', 1], ['n2', 2], ['n3', 3], ['n4', 4]] as const) {
    await api.put('/v1/catalog/register', { body: { Node: node, Address: `10.5.0.${i}`, Service: { Service: 'svc', Port: 80 + i } } });
  }
});
afterAll(stopAllAgents);

const names = (list: any[], key = 'Node') => list.map((x) => x[key]).filter((n) => n !== self);

describe('?near before any coordinate is stored', () => {
  it('puts the named node first and keeps catalog order where nothing else is known', async () => {
    expect(names((await api.get<any[]>('/v1/catalog/nodes', { query: { near: 'n3' } })).body)).toEqual(['n3', 'n1', 'n2', 'n4']);
  });
});

describe('coordinates', () => {
  it('list every catalog node, at the origin until a coordinate is stored', async () => {
    const r = await api.get<any[]>('/v1/coordinate/nodes');
    expect(r.meta.index).toBeGreaterThan(0);
    expect(r.body.filter((c) => c.Node !== self)).toEqual(['n1', 'n2', 'n3', 'n4'].map((Node) => ({ Node, Segment: '', Coord: ORIGIN })));
    expect((await api.get('/v1/coordinate/node/n2')).body).toEqual([{ Node: 'n2', Segment: '', Coord: ORIGIN }]);
    expect((await api.get('/v1/coordinate/node/ghost', { accept: [404] })).status).toBe(404);
  });

  it('store an update and serve it, waking blocked readers', async () => {
    const first = await api.get('/v1/coordinate/nodes');
    const waiting = api.get<any[]>('/v1/coordinate/nodes', { query: { index: first.meta.index, wait: '30s' } });
    const r = await api.put('/v1/coordinate/update', { body: { Node: 'n2', Segment: '', Coord: at(0.010) } });
    expect(r.status).toBe(200);
    expect((await waiting).body.find((c) => c.Node === 'n2').Coord).toEqual(at(0.010));
    expect((await api.get('/v1/coordinate/node/n2')).body).toEqual([{ Node: 'n2', Segment: '', Coord: at(0.010) }]);
  });

  it('refuse malformed coordinates and ignore unknown nodes', async () => {
    const bad = await api.put<string>('/v1/coordinate/update', { body: { Node: 'n1', Coord: { Vec: [1, 2], Error: 1, Adjustment: 0, Height: 0 } }, accept: [400] });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('incompatible coordinate');
    await api.put('/v1/coordinate/update', { body: { Node: 'ghost', Coord: at(1) } });
    expect(names((await api.get<any[]>('/v1/coordinate/nodes')).body)).not.toContain('ghost');
  });

  it('list the datacenter’s servers with coordinates', async () => {
    const r = await api.get<any[]>('/v1/coordinate/datacenters');
    expect(r.body).toHaveLength(1);
    expect(r.body[0]).toMatchObject({ Datacenter: 'dc1', AreaID: 'WAN' });
    expect(r.body[0].Coordinates[0]).toEqual({ Node: expect.stringMatching(/\.dc1$/), Segment: '', Coord: expect.objectContaining({ Vec: expect.any(Array) }) });
  });
});

describe('?near with stored coordinates', () => {
  it('sorts by estimated round-trip time once coordinates are stored', async () => {
    await api.put('/v1/coordinate/update', { body: { Node: 'n1', Coord: at(0) } });
    await api.put('/v1/coordinate/update', { body: { Node: 'n2', Coord: at(0.010) } });
    await api.put('/v1/coordinate/update', { body: { Node: 'n3', Coord: at(0.030) } });
    await api.put('/v1/coordinate/update', { body: { Node: 'n4', Coord: at(0.002) } });
    expect(names((await api.get<any[]>('/v1/catalog/nodes', { query: { near: 'n1' } })).body)).toEqual(['n1', 'n4', 'n2', 'n3']);
    expect(names((await api.get<any[]>('/v1/catalog/service/svc', { query: { near: 'n3' } })).body)).toEqual(['n3', 'n2', 'n4', 'n1']);
    expect(names((await api.get<any[]>('/v1/health/service/svc', { query: { near: 'n2' } })).body.map((e) => e.Node))).toEqual(['n2', 'n4', 'n1', 'n3']);
  });

  it('reads `_agent` as the agent’s own node', async () => {
    const r = await api.get<any[]>('/v1/catalog/nodes', { query: { near: '_agent' } });
    expect(r.body[0].Node).toBe(self);
  });

  it('leaves the order alone for a node the catalog does not know', async () => {
    expect(names((await api.get<any[]>('/v1/catalog/nodes', { query: { near: 'elsewhere' } })).body)).toEqual(['n1', 'n2', 'n3', 'n4']);
  });

  it('forgets a node’s coordinates when the node is deregistered', async () => {
    await api.put('/v1/catalog/deregister', { body: { Node: 'n4' } });
    expect((await api.get('/v1/coordinate/node/n4', { accept: [404] })).status).toBe(404);
    await api.put('/v1/catalog/register', { body: { Node: 'n4', Address: '10.5.0.4' } });
    expect((await api.get<any[]>('/v1/coordinate/node/n4')).body[0].Coord).toEqual(ORIGIN);
  });
});
