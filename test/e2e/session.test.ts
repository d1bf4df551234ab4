import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { startAgent, stopAllAgents } from './harness.js';
import { createSession, registerNode, setCheck } from './session-fixtures.js';

let api: ApiClient;
beforeAll(async () => {
  api = (await startAgent({ args: ['-dev', '-node', 'sess-node'] })).client;
  await registerNode(api, 'sess-node');
  // Checks of our own live on another node: the agent's anti-entropy owns its node's checks.
  await registerNode(api, 'app-1', { serfHealth: 'passing', disk: 'passing' });
});
afterAll(stopAllAgents);

interface Session {
  ID: string;
  Name: string;
  Node: string;
  LockDelay: number;
  Behavior: string;
  TTL: string;
  NodeChecks: string[] | null;
  ServiceChecks: { ID: string; Namespace: string }[] | null;
}
const info = async (id: string) => (await api.get<Session[]>(`/v1/session/info/${id}`)).body;
const create = (body: unknown) => api.put<{ ID: string }>('/v1/session/create', { body, accept: [400, 500] });

describe('sessions', () => {
  it('are created with Consul’s defaults, listed, and destroyed idempotently', async () => {
    const id = await createSession(api, { Name: 'defaults' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await info(id)).toEqual([
      expect.objectContaining({ ID: id, Name: 'defaults', Node: 'sess-node', LockDelay: 15e9, Behavior: 'release', TTL: '', NodeChecks: ['serfHealth'], ServiceChecks: null }),
    ]);
    expect((await api.get<Session[]>('/v1/session/list')).body.map((s) => s.ID)).toContain(id);
    expect((await api.get<Session[]>('/v1/session/node/SESS-NODE')).body.map((s) => s.ID)).toContain(id);
    expect((await api.put<boolean>(`/v1/session/destroy/${id}`)).body).toBe(true);
    expect(await info(id)).toEqual([]);
    expect((await api.put<boolean>(`/v1/session/destroy/${id}`)).body).toBe(true);
  });

  it('read LockDelay as Consul does: durations, nanoseconds, and small numbers as seconds', async () => {
    const delay = async (v: unknown) => (await info(await createSession(api, { LockDelay: v })))[0].LockDelay;
    expect(await delay('0.001s')).toBe(1e6); // Patroni's lock_delay=0.001
    expect(await delay(15)).toBe(15e9);
    expect(await delay(2e9)).toBe(2e9);
    const noChecks = (await info(await createSession(api, { Checks: [] })))[0];
    expect(noChecks.NodeChecks).toBeNull();
    const both = (await info(await createSession(api, { Node: 'app-1', NodeChecks: ['disk'], ServiceChecks: [] })))[0];
    expect(both.NodeChecks).toEqual(['disk']);
  });

  it('refuse bad input with Consul’s status and text, creating nothing', async () => {
    const before = (await api.get<Session[]>('/v1/session/list')).body.length;
    const cases: [unknown, number, string][] = [
      [{ TTL: '5s' }, 400, "Invalid Session TTL '5000000000', must be between [10s=24h0m0s]"],
      [{ TTL: '25h' }, 400, "Invalid Session TTL '90000000000000', must be between [10s=24h0m0s]"],
      [{ TTL: 'soon' }, 400, 'Session TTL \'soon\' invalid: time: invalid duration "soon"'],
      [{ Behavior: 'explode' }, 400, "Invalid Behavior setting 'explode'"],
      [{ TTL: 30 }, 400, 'Request decode failed: json: cannot unmarshal number 30 into Go struct field Session.TTL of type string'],
      [{ Node: 'ghost' }, 500, 'Missing node registration'],
      [{ NodeChecks: ['nope'] }, 500, "Missing check 'nope' registration"],
    ];
    for (const [body, status, text] of cases) {
      const r = await create(body);
      expect([r.status, String(r.body)], JSON.stringify(body)).toEqual([status, text]);
    }
    expect((await api.get<Session[]>('/v1/session/list')).body.length).toBe(before);
  });

  it('cannot be created on a critical check, and die (releasing or deleting their locks) when one turns critical', async () => {
    const releasing = await createSession(api, { Node: 'app-1', NodeChecks: ['disk'] });
    const deleting = await createSession(api, { Node: 'app-1', NodeChecks: ['disk'], Behavior: 'delete' });
    const bystander = await createSession(api, { Node: 'app-1', NodeChecks: ['serfHealth'] });
    await api.put('/v1/kv/sess/released', { rawBody: 'x', query: { acquire: releasing } });
    await api.put('/v1/kv/sess/deleted', { rawBody: 'x', query: { acquire: deleting } });
    const watched = await api.get('/v1/session/node/app-1');
    const woke = api.get<Session[]>('/v1/session/node/app-1', { query: { index: watched.meta.index, wait: '30s' } });

    await setCheck(api, 'app-1', 'disk', 'critical');
    expect((await woke).body.map((s) => s.ID)).not.toContain(releasing);
    expect(await info(releasing)).toEqual([]);
    expect(await info(deleting)).toEqual([]);
    expect(await info(bystander)).toHaveLength(1);
    expect((await api.get<{ Session?: string }[]>('/v1/kv/sess/released')).body[0].Session).toBeUndefined();
    expect((await api.get('/v1/kv/sess/deleted', { accept: [404] })).status).toBe(404);
    const refused = await create({ Node: 'app-1', NodeChecks: ['disk'] });
    expect([refused.status, refused.body]).toEqual([500, "Check 'disk' is in critical state"]);
    await setCheck(api, 'app-1', 'disk', 'passing');
  });

  it('die with their node', async () => {
    await registerNode(api, 'doomed');
    const id = await createSession(api, { Node: 'doomed' });
    await api.put('/v1/txn', { body: [{ Node: { Verb: 'delete', Node: { Node: 'doomed' } } }] });
    expect(await info(id)).toEqual([]);
  });

  it('renew by returning the session, and 404 for an unknown one', async () => {
    const id = await createSession(api, { TTL: '10s' });
    const r = await api.put<Session[]>(`/v1/session/renew/${id}`);
    expect(r.body).toEqual([expect.objectContaining({ ID: id, TTL: '10s' })]);
    const missing = await api.put('/v1/session/renew/0000', { accept: [404] });
    expect([missing.status, missing.body]).toEqual([404, "Session id '0000' not found"]);
  });

  it('expire 2×TTL after their last renewal, while renewed ones live on', async () => {
    const expiring = await createSession(api, { TTL: '10s', Name: 'expiring' });
    const renewed = await createSession(api, { TTL: '10s', Name: 'renewed' });
    const started = Date.now();
    const renewing = setInterval(() => void api.put(`/v1/session/renew/${renewed}`).catch(() => {}), 3_000);
    try {
      let index = (await api.get('/v1/session/info/' + expiring)).meta.index;
      for (;;) {
        const r = await api.get<Session[]>(`/v1/session/info/${expiring}`, { query: { index, wait: '40s' } });
        if (r.body.length === 0) break;
        index = r.meta.index;
      }
      const took = Date.now() - started;
      // Never before the TTL; the server may wait up to twice it, as Consul does.
      expect(took).toBeGreaterThanOrEqual(10_000);
      expect(took).toBeLessThan(30_000);
      expect(await info(renewed)).toHaveLength(1);
    } finally {
      clearInterval(renewing);
    }
  }, 60_000);
});
