import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { MemoryBackend, StateStore, allTables } from '../state/index.js';
import { Metrics } from '../telemetry/metrics.js';
import type { Authorizer } from './authorizer.js';
import type { AgentView, ApiContext } from './context.js';
import { createApiServer } from './server.js';

/** A real server with one route that reports the token the authorizer was handed. */
const seen: string[] = [];
const recordingAuthz: Authorizer = {
  defaultPolicy: 'deny',
  check: (token) => void seen.push(token),
  allows: () => true,
};

let base = '';
let close: () => void;

beforeAll(async () => {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  const agent = { config: { datacenter: 'dc1' }, leaderAddress: () => '127.0.0.1:8300', lastContactMs: () => 0 } as unknown as AgentView;
  const ctx: ApiContext = { store, agent, authz: recordingAuthz, metrics: new Metrics(() => 0), log: pino({ level: 'silent' }), limits: { defaultWaitMs: 1000, maxWaitMs: 2000 } };
  const server = createApiServer(
    ctx,
    [{ method: 'GET', path: '/v1/probe', name: 'probe', handler: (req, c) => (c.authz.check(req.token, { kind: 'operator' }, 'read'), { body: req.token }) }],
    { maxBody: 1024 },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('request tokens', () => {
  it('come from ?token, then X-Consul-Token, then Authorization: Bearer, and reach the authorizer', async () => {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers }).then((r) => r.json());
    expect(await get('/v1/probe?token=q', { 'X-Consul-Token': 'h', Authorization: 'Bearer b' })).toBe('q');
    expect(await get('/v1/probe', { 'X-Consul-Token': 'h', Authorization: 'Bearer b' })).toBe('h');
    expect(await get('/v1/probe', { Authorization: 'bearer   b2' })).toBe('b2');
    expect(await get('/v1/probe', { Authorization: 'Basic xyz' })).toBe('');
    expect(seen).toEqual(['q', 'h', 'b2', '']);
  });

  it('report the authorizer’s default policy on every response', async () => {
    const res = await fetch(`${base}/v1/probe`);
    expect(res.headers.get('x-consul-default-acl-policy')).toBe('deny');
  });
});
