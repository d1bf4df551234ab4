import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ApiClient } from '../api/index.js';
import { MemoryBackend, StateStore, allTables, kvGet, type KVSetOp } from '../state/index.js';
import { Metrics } from '../telemetry/metrics.js';
import { allowAll } from './authorizer.js';
import { blockingQuery, type BlockingLimits } from './blocking.js';
import type { AgentView, ApiContext } from './context.js';
import { createApiServer } from './server.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** Each read's reply, weakly: a held query must not keep the one it read before waiting. */
const replies: WeakRef<object>[] = [];
let reads = 0;
/** Resolves the next time a query starts or stops waiting. */
let onWaiting: (() => void) | null = null;
let waiting = 0;
const limits: BlockingLimits = {
  defaultWaitMs: 30_000,
  maxWaitMs: 60_000,
  waiting: {
    inc: () => (waiting++, onWaiting?.()),
    dec: () => (waiting--, onWaiting?.()),
  },
};
const waitingChanges = (to: number) =>
  new Promise<void>((resolve) => {
    onWaiting = () => waiting === to && resolve();
  });

let store: StateStore;
let api: ApiClient;
let close: () => void;

beforeAll(async () => {
  store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  const agent = { config: { datacenter: 'dc1' }, leaderAddress: () => '127.0.0.1:8300', lastContactMs: () => 0 } as unknown as AgentView;
  const ctx: ApiContext = { store, agent, authz: allowAll, metrics: new Metrics(() => 0), log: pino({ level: 'silent' }), limits };
  const server = createApiServer(
    ctx,
    [
      {
        method: 'GET',
        path: '/v1/probe/*',
        name: 'probe',
        handler: (req, c) =>
          blockingQuery(req, c.store.hub, c.limits, (ws) => {
            reads++;
            const r = kvGet(c.store, ws, req.params['*'] ?? '');
            const reply = { body: { value: Buffer.from(r.entry?.Value ?? []).toString(), padding: 'x'.repeat(64 * 1024) } };
            replies.push(new WeakRef(reply));
            return { index: r.index, reply };
          }),
      },
    ],
    { maxBody: 1024 },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api = new ApiClient({ address: `127.0.0.1:${(server.address() as AddressInfo).port}` });
  close = () => {
    api.close();
    server.close();
  };
});
afterAll(() => close());

const set = (key: string, value: string) => store.apply<boolean>({ type: 'kv.set', Key: key, Value: Buffer.from(value), Flags: 0 } satisfies KVSetOp);
type Probe = { value: string };

describe('blocking queries', () => {
  it('answer with what they read after the write that woke them', async () => {
    await set('a', 'one');
    const first = await api.get<Probe>('/v1/probe/a');
    const held = waitingChanges(1);
    const answer = api.get<Probe>('/v1/probe/a', { query: { index: first.meta.index } });
    await held;
    await set('a', 'two');
    const woke = await answer;
    expect(woke.body.value).toBe('two');
    expect(woke.meta.index).toBeGreaterThan(first.meta.index);
  });

  it('keep no reply while they wait', async () => {
    await set('b', 'one');
    const first = await api.get<Probe>('/v1/probe/b');
    const held = waitingChanges(1);
    const answer = api.get<Probe>('/v1/probe/b', { query: { index: first.meta.index } });
    await held;
    const readWhileHeld = replies.at(-1)!;
    // WeakRefs made in this job stay alive until it ends: let it end, then collect.
    await new Promise((r) => setImmediate(r));
    gc();
    const kept = readWhileHeld.deref() !== undefined;
    await set('b', 'two');
    expect((await answer).body.value).toBe('two');
    expect(kept).toBe(false);
  });

  it('do not read again for a client that went away', async () => {
    await set('c', 'one');
    const first = await api.get<Probe>('/v1/probe/c');
    const held = waitingChanges(1);
    const gone = new AbortController();
    const answer = api.get<Probe>('/v1/probe/c', { query: { index: first.meta.index }, signal: gone.signal });
    await held;
    const readsBefore = reads;
    const released = waitingChanges(0);
    gone.abort();
    await expect(answer).rejects.toThrow();
    await released;
    expect(reads).toBe(readsBefore);
  });

  it('read again when the wait is over, with the index unchanged', async () => {
    await set('d', 'one');
    const first = await api.get<Probe>('/v1/probe/d');
    const readsBefore = reads;
    const r = await api.get<Probe>('/v1/probe/d', { query: { index: first.meta.index, wait: '50ms' } });
    expect(r.meta.index).toBe(first.meta.index);
    expect(r.body.value).toBe('one');
    expect(reads).toBe(readsBefore + 2);
  });
});
