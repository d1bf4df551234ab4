import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { startAgent, stopAllAgents, type TestAgent } from './harness.js';

let agent: TestAgent;
let api: ApiClient;

beforeAll(async () => {
  agent = await startAgent();
  api = agent.client;
});
afterAll(stopAllAgents);

const put = (key: string, value: string) => api.put<boolean>(`/v1/kv/${key}`, { rawBody: value });

describe('blocking queries', () => {
  it('return as soon as a write moves the index past the client’s', async () => {
    await put('watch/a', '1');
    const first = await api.get('/v1/kv/watch/a');
    const waiting = api.get<any[]>('/v1/kv/watch/a', { query: { index: first.meta.index, wait: '30s' } });
    const t0 = Date.now();
    await put('watch/a', '2');
    const woke = await waiting;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(woke.meta.index).toBeGreaterThan(first.meta.index);
    expect(Buffer.from(woke.body[0].Value, 'base64').toString()).toBe('2');
  });

  it('time out after ?wait with the same index when nothing changed', async () => {
    await put('idle/k', 'v');
    const first = await api.get('/v1/kv/idle/k');
    const t0 = Date.now();
    const r = await api.get('/v1/kv/idle/k', { query: { index: first.meta.index, wait: '400ms' } });
    const took = Date.now() - t0;
    expect(r.meta.index).toBe(first.meta.index);
    // wait plus at most wait/16 of jitter, with slack for a busy machine
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(400 + 25 + 2000);
  });

  it('do not wake for a write under an unrelated prefix', async () => {
    await put('mine/x', '1');
    const first = await api.get('/v1/kv/mine/', { query: { recurse: true } });
    let settled = false;
    const waiting = api.get<any[]>('/v1/kv/mine/', { query: { recurse: true, index: first.meta.index, wait: '30s' } }).then((r) => {
      settled = true;
      return r;
    });
    // The unrelated write is acknowledged (durable and applied) before we look.
    await put('theirs/x', '1');
    await put('theirs/y', '1');
    await api.get('/v1/kv/theirs/x');
    expect(settled).toBe(false);
    await put('mine/y', '2');
    const woke = await waiting;
    expect(woke.body.map((e) => e.Key)).toEqual(['mine/x', 'mine/y']);
  });

  it('wake a prefix watcher when a key under it is deleted', async () => {
    await put('del/a', '1');
    await put('del/b', '1');
    const first = await api.get('/v1/kv/del/', { query: { recurse: true } });
    const waiting = api.get<any[]>('/v1/kv/del/', { query: { recurse: true, index: first.meta.index, wait: '30s' } });
    await api.delete('/v1/kv/del/a');
    const woke = await waiting;
    expect(woke.meta.index).toBeGreaterThan(first.meta.index);
    expect(woke.body.map((e) => e.Key)).toEqual(['del/b']);
  });

  it('answer a stale index at once (the client resets)', async () => {
    await put('reset/k', 'v');
    const r = await api.get('/v1/kv/reset/k', { query: { index: 999_999_999, wait: '30s' } });
    expect(r.meta.index).toBeLessThan(999_999_999);
  });

  it('serve many concurrent watchers and wake all of them with one write', async () => {
    await put('fan/k', '0');
    const first = await api.get('/v1/kv/fan/k');
    const watchers = Array.from({ length: 200 }, () => api.get('/v1/kv/fan/k', { query: { index: first.meta.index, wait: '60s' } }));
    await put('fan/k', '1');
    const results = await Promise.all(watchers);
    expect(results.every((r) => r.meta.index > first.meta.index)).toBe(true);
  });
});
