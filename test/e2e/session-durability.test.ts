import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort, removeDir, startAgent, stopAllAgents, tempDir } from './harness.js';
import { b64, createSession, registerNode, unb64 } from './session-fixtures.js';

const dirs: string[] = [];
afterEach(stopAllAgents);
afterAll(() => dirs.forEach(removeDir));

interface Pair {
  Key: string;
  Value: string | null;
  Session?: string;
  LockIndex: number;
}

describe('a durable server with sessions and transactions', () => {
  it('keeps every acknowledged lock, transaction and event across kill -9, and re-arms session TTLs', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const port = await freePort();
    const args = ['-server', '-bootstrap-expect', '1', '-data-dir', dataDir, '-node', 'durable'];
    const first = await startAgent({ args, httpPort: port });
    const api = first.client;
    await registerNode(api, 'durable');
    const holder = await createSession(api, { Name: 'holder', LockDelay: '0s' });
    const ttl = await createSession(api, { Name: 'ttl', TTL: '10s', LockDelay: '0s' });
    await api.put('/v1/kv/dur/ttl-lock', { rawBody: 'held', query: { acquire: ttl } });

    // A burst of concurrent acquisitions and transactions; every 200/true is an acknowledgement.
    const acked = { locks: [] as string[], txns: [] as string[] };
    await Promise.all([
      ...Array.from({ length: 100 }, async (_, i) => {
        const key = `dur/lock/${i}`;
        const r = await api.put<boolean>(`/v1/kv/${key}`, { rawBody: `v${i}`, query: { acquire: holder } });
        if (r.body === true) acked.locks.push(key);
      }),
      ...Array.from({ length: 100 }, async (_, i) => {
        const r = await api.put<{ Errors: unknown }>('/v1/txn', {
          body: [
            { KV: { Verb: 'set', Key: `dur/txn/${i}/a`, Value: b64(`a${i}`) } },
            { KV: { Verb: 'set', Key: `dur/txn/${i}/b`, Value: b64(`b${i}`) } },
          ],
        });
        if (r.status === 200 && r.body.Errors === null) acked.txns.push(String(i));
      }),
      api.put('/v1/event/fire/durable-event', { rawBody: 'payload' }),
    ]);
    await first.kill9();
    expect(acked.locks).toHaveLength(100);
    expect(acked.txns).toHaveLength(100);

    const second = await startAgent({ args, httpPort: port });
    const after = second.client;
    const locks = (await after.get<Pair[]>('/v1/kv/dur/lock/', { query: { recurse: true } })).body;
    expect(locks.map((p) => p.Key).sort()).toEqual([...acked.locks].sort());
    for (const p of locks) expect(p).toMatchObject({ Session: holder, LockIndex: 1 });
    const txnKeys = (await after.get<string[]>('/v1/kv/dur/txn/', { query: { keys: true } })).body;
    expect(txnKeys).toHaveLength(200);
    expect(unb64((await after.get<Pair[]>('/v1/kv/dur/txn/42/b')).body[0].Value)).toBe('b42');
    expect((await after.get<{ Name: string }[]>('/v1/event/list', { query: { name: 'durable-event' } })).body).toHaveLength(1);
    expect((await after.get<{ ID: string }[]>(`/v1/session/info/${holder}`)).body).toHaveLength(1);

    // The TTL session was never renewed: the restarted server gives it a fresh 2×TTL, then invalidates it.
    const restartedAt = Date.now();
    let index = (await after.get(`/v1/session/info/${ttl}`)).meta.index;
    for (;;) {
      const r = await after.get<unknown[]>(`/v1/session/info/${ttl}`, { query: { index, wait: '40s' } });
      if (r.body.length === 0) break;
      index = r.meta.index;
    }
    expect(Date.now() - restartedAt).toBeLessThan(30_000);
    expect((await after.get<Pair[]>('/v1/kv/dur/ttl-lock')).body[0].Session).toBeUndefined();
  }, 90_000);
});
