import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ApiClient, type Response } from '../../api/index.js';
import { MemoryBackend, StateStore, allTables } from '../../state/index.js';
import { Metrics } from '../../telemetry/metrics.js';
import type { Authorizer } from '../authorizer.js';
import type { BlockingLimits } from '../blocking.js';
import type { AgentView, ApiContext } from '../context.js';
import { FILTERED_HEADER } from '../acl-filter.js';
import { createApiServer } from '../server.js';
import { kvRoutes } from './kv.js';

/** The token `limited` may not read keys under `app/secret`; every other token reads everything. */
const authz: Authorizer = {
  defaultPolicy: 'deny',
  check() {},
  allows: (token, resource) => !(token === 'limited' && resource.kind === 'key' && resource.name.startsWith('app/secret')),
  isAuthenticated: (token) => token !== '',
};

let held = 0;
let heldReaches: { count: number; resolve: () => void } | null = null;
const limits: BlockingLimits = {
  defaultWaitMs: 30_000,
  maxWaitMs: 60_000,
  waiting: {
    inc: () => {
      held++;
      if (heldReaches && held >= heldReaches.count) heldReaches.resolve();
    },
    dec: () => void held--,
  },
};
const whenHeld = (count: number) => new Promise<void>((resolve) => (heldReaches = { count, resolve }));

let api: ApiClient;
let close: () => Promise<void>;

beforeAll(async () => {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  const agent = {
    config: { datacenter: 'dc1', limits: { kvMaxValueSize: 512 * 1024 } },
    isLeader: () => true,
    leaderAddress: () => '127.0.0.1:8300',
    lastContactMs: () => 0,
  } as unknown as AgentView;
  const ctx: ApiContext = { store, agent, authz, metrics: new Metrics(() => 0), log: pino({ level: 'silent' }), limits };
  const server = createApiServer(ctx, kvRoutes(ctx), { maxBody: 1024 * 1024 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api = new ApiClient({ address: `127.0.0.1:${(server.address() as AddressInfo).port}` });
  close = async () => {
    api.close();
    await store.close();
    server.close();
  };
});
afterAll(() => close());

const put = (key: string, value: string, flags?: string) => api.put(`/v1/kv/${key}`, { rawBody: value, query: { flags } });
type Query = Record<string, string | number | boolean | undefined>;
const read = (path: string, query: Query = {}, token?: string): Promise<Response<Buffer>> =>
  api.get<Buffer>(`/v1/kv/${path}`, { query, token, raw: true, accept: [404] });
const keysOf = (r: Response<Buffer>) => (JSON.parse(r.body.toString()) as { Key: string }[]).map((e) => e.Key);
const valueOf = (r: Response<Buffer>, key: string) =>
  Buffer.from((JSON.parse(r.body.toString()) as { Key: string; Value: string }[]).find((e) => e.Key === key)!.Value, 'base64').toString();

describe('KV listings woken together', () => {
  it('give every kind of watcher its own correct answer, and alike watchers the same bytes', async () => {
    await put('app/a', '1');
    await put('app/b', '1');
    await put('app/secret/x', 's');
    const index = (await read('app/', { recurse: true })).meta.index;
    const hold = (query: Query, token?: string) => read('app/', { ...query, index }, token);
    const groups = {
      plain: Array.from({ length: 8 }, () => hold({ recurse: true })),
      pretty: Array.from({ length: 4 }, () => hold({ recurse: true, pretty: true })),
      limited: Array.from({ length: 4 }, () => hold({ recurse: true }, 'limited')),
      keys: Array.from({ length: 4 }, () => hold({ keys: true })),
      folders: Array.from({ length: 4 }, () => hold({ keys: true, separator: '/' })),
      limitedFolders: Array.from({ length: 4 }, () => hold({ keys: true, separator: '/' }, 'limited')),
    };
    await whenHeld(held + 28);
    await put('app/a', '2');
    const got = Object.fromEntries(await Promise.all(Object.entries(groups).map(async ([k, ps]) => [k, await Promise.all(ps)] as const)));

    for (const rs of Object.values(got)) {
      for (const r of rs) expect(r.meta.index).toBeGreaterThan(index);
      expect(new Set(rs.map((r) => r.body.toString())).size).toBe(1);
    }
    const [plain, pretty, limited] = [got.plain[0], got.pretty[0], got.limited[0]];
    expect(keysOf(plain)).toEqual(['app/a', 'app/b', 'app/secret/x']);
    expect(valueOf(plain, 'app/a')).toBe('2');
    expect(plain.body.toString()).toBe(JSON.stringify(JSON.parse(plain.body.toString())));
    expect(pretty.body.toString()).toBe(JSON.stringify(JSON.parse(plain.body.toString()), null, 4));
    expect(plain.headers['content-type']).toBe('application/json');
    expect(plain.headers[FILTERED_HEADER.toLowerCase()]).toBeUndefined();
    expect(keysOf(limited)).toEqual(['app/a', 'app/b']);
    expect(limited.headers[FILTERED_HEADER.toLowerCase()]).toBe('true');
    expect(JSON.parse(got.keys[0].body.toString())).toEqual(['app/a', 'app/b', 'app/secret/x']);
    expect(JSON.parse(got.folders[0].body.toString())).toEqual(['app/a', 'app/b', 'app/secret/']);
    expect(JSON.parse(got.limitedFolders[0].body.toString())).toEqual(['app/a', 'app/b']);
    expect(got.limitedFolders[0].headers[FILTERED_HEADER.toLowerCase()]).toBe('true');
  });

  it('never share a filtered answer with a token that sees everything, nor the other way round', async () => {
    await put('app/secret/y', 's');
    const limitedFirst = await read('app/', { recurse: true }, 'limited');
    const full = await read('app/', { recurse: true });
    const limitedAfter = await read('app/', { recurse: true }, 'limited');
    expect(full.meta.index).toBe(limitedFirst.meta.index);
    expect(keysOf(limitedFirst)).toEqual(['app/a', 'app/b']);
    expect(keysOf(full)).toEqual(['app/a', 'app/b', 'app/secret/x', 'app/secret/y']);
    expect(keysOf(limitedAfter)).toEqual(['app/a', 'app/b']);
    const hidden = await read('app/secret/', { recurse: true }, 'limited');
    expect(hidden.status).toBe(404);
    expect(hidden.headers[FILTERED_HEADER.toLowerCase()]).toBe('true');
  });

  it('answer from the state as of the newest write, never an earlier one', async () => {
    await put('fresh/k', 'old');
    expect(valueOf(await read('fresh/', { recurse: true }), 'fresh/k')).toBe('old');
    await put('fresh/k', 'new');
    expect(valueOf(await read('fresh/', { recurse: true }), 'fresh/k')).toBe('new');
    await api.delete('/v1/kv/fresh/k');
    expect((await read('fresh/', { recurse: true })).status).toBe(404);
    expect((await read('fresh/', { keys: true })).status).toBe(404);
    expect(JSON.parse((await read('', { keys: true, separator: '/' })).body.toString())).toEqual(['app/']);
  });

  it('keep uint64 flags exact in a shared answer', async () => {
    await put('flags/k', 'v', '18446744073709551615');
    for (const pretty of [false, true, false]) {
      const text = (await read('flags/', { recurse: true, pretty })).body.toString();
      expect(text).toMatch(pretty ? /"Flags": 18446744073709551615,/ : /"Flags":18446744073709551615,/);
    }
  });
});
