import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { uuidIndex } from '../../src/lib/uuid-index.js';
import { runWeft, startAgent, stopAllAgents, waitFor, type TestAgent } from './harness.js';
import { registerNode } from './session-fixtures.js';

let agent: TestAgent;
let api: ApiClient;
beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'ev-node'] });
  api = agent.client;
  await registerNode(api, 'ev-node');
  // A service of this agent: event service filters match the agent's own services.
  await api.put('/v1/agent/service/register', { body: { Name: 'web', Tags: ['blue'], Port: 80 } });
  await waitFor(async () => (await api.get<unknown[]>('/v1/catalog/service/web')).body.length === 1, { what: 'web in the catalog' });
});
afterAll(stopAllAgents);

interface UserEvent {
  ID: string;
  Name: string;
  Payload: string | null;
  NodeFilter: string;
  ServiceFilter: string;
  TagFilter: string;
  Version: number;
  LTime: number;
}
const fire = (name: string, payload = '', query: Record<string, string> = {}) =>
  api.put<UserEvent>(`/v1/event/fire/${name}`, { rawBody: payload, query, accept: [400, 500] });
const list = async (name?: string) => (await api.get<UserEvent[]>('/v1/event/list', { query: { name } })).body;

describe('user events', () => {
  it('fire with Consul’s shape and list in order, filtered by name', async () => {
    const r = await fire('deploy', 'v1.2.3');
    expect(r.body).toMatchObject({ Name: 'deploy', Payload: Buffer.from('v1.2.3').toString('base64'), NodeFilter: '', ServiceFilter: '', TagFilter: '', Version: 1 });
    expect(r.body.ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await fire('other');
    const deploys = await list('deploy');
    expect(deploys.map((e) => e.ID)).toEqual([r.body.ID]);
    const all = await list();
    expect(all.map((e) => e.Name)).toEqual(['deploy', 'other']);
    expect(all[1].LTime).toBeGreaterThan(all[0].LTime);
  });

  it('block until a new event arrives, with Consul’s ID-derived index', async () => {
    const first = await api.get<UserEvent[]>('/v1/event/list', { query: { name: 'wake' } });
    expect(first.meta.index).toBe(1); // no such events yet
    const waiting = api.get<UserEvent[]>('/v1/event/list', { query: { name: 'wake', index: first.meta.index, wait: '30s' } });
    const fired = await fire('wake', 'now');
    const woke = await waiting;
    expect(woke.body.map((e) => e.ID)).toEqual([fired.body.ID]);
    expect(woke.meta.index).toBe(Number(uuidIndex(fired.body.ID)));
  });

  it('reach only the agents their node, service and tag filters select', async () => {
    await fire('filtered', '', { node: '^other-node$' });
    await fire('filtered', '', { node: '^ev-' });
    await fire('filtered', '', { service: '^web$', tag: 'blue' });
    await fire('filtered', '', { service: '^web$', tag: 'green' });
    await fire('filtered', '', { service: 'db' });
    const seen = await list('filtered');
    expect(seen.map((e) => [e.NodeFilter, e.ServiceFilter, e.TagFilter])).toEqual([
      ['^ev-', '', ''],
      ['', '^web$', 'blue'],
    ]);
  });

  it('are filtered for the agent a forwarding client names', async () => {
    await fire('forwarded', '', { node: '^client-7$' });
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: agent.httpPort, path: '/v1/event/list?name=forwarded', headers: { 'X-Weft-Agent-Node': 'client-7' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toHaveLength(1);
    expect(await list('forwarded')).toEqual([]);
  });

  it('refuse bad input with Consul’s status and text', async () => {
    const before = (await list()).length;
    expect([(await fire('')).status]).toEqual([400]);
    const tag = await fire('x', '', { tag: 'a' });
    expect([tag.status, tag.body]).toEqual([500, 'Cannot provide tag filter without service filter']);
    expect((await fire('x', '', { node: '(' })).status).toBe(500);
    expect((await list()).length).toBe(before);
  });

  it('fire from the CLI', async () => {
    const r = await runWeft(['event', `-http-addr=${agent.address}`, '-name=cli-deploy', 'payload']);
    expect(r.code).toBe(0);
    const id = /^Event ID: (\S+)\n$/.exec(r.stdout)?.[1];
    expect((await list('cli-deploy'))[0]).toMatchObject({ ID: id, Payload: Buffer.from('payload').toString('base64') });
    const bad = await runWeft(['event', `-http-addr=${agent.address}`, '-name=x', '-tag=a']);
    expect([bad.code, bad.stderr]).toEqual([1, 'Cannot provide tag filter without service filter.\n']);
    expect((await runWeft(['event', `-http-addr=${agent.address}`])).stderr).toBe('Event name must be specified\n');
  });
});
