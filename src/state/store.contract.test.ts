import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3 } from 'etcd3';
import { LmdbBackend, MemoryBackend, StateStore, WatchSet, allTables, kvGet, kvKeys, kvList, type Backend } from './index.js';
import { createEtcdClient } from './backend/etcd-client.js';
import { EtcdBackend } from './backend/etcd.js';
import { EtcdCluster } from './backend/test-etcd.js';

const enc = (s: string) => new TextEncoder().encode(s);
const set = (Key: string, v: string, extra: object = {}) => ({ type: 'kv.set', Key, Value: enc(v), Flags: 0, ...extra });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'weft-store-'));
  dirs.push(d);
  return d;
}

// One real etcd for the file; every store gets its own key prefix in it.
let etcd: EtcdCluster;
let etcdClient: Etcd3;
let prefixes = 0;
beforeAll(async () => {
  etcd = await EtcdCluster.start(1);
  etcdClient = createEtcdClient({ endpoints: etcd.endpoints });
});
afterAll(async () => {
  etcdClient?.close();
  await etcd?.stop();
});

const backends: [string, () => Backend][] = [
  ['memory', () => new MemoryBackend()],
  ['lmdb', () => new LmdbBackend(tempDir())],
  ['etcd', () => new EtcdBackend({ client: etcdClient, prefix: `contract-${process.pid}-${++prefixes}/` })],
];

describe.each(backends)('state store on the %s backend', (name, makeBackend) => {
  async function openStore(): Promise<StateStore> {
    const s = new StateStore(makeBackend(), allTables);
    await s.open();
    return s;
  }

  it('applies writes in order with increasing indexes', async () => {
    const s = await openStore();
    expect(await s.apply(set('a', '1'))).toBe(true);
    expect(await s.apply(set('a', '2'))).toBe(true);
    const { entry } = kvGet(s, null, 'a');
    expect(new TextDecoder().decode(entry!.Value!)).toBe('2');
    if (name === 'etcd') {
      // The index is etcd's revision, which other keys in etcd move too.
      expect(entry!.ModifyIndex).toBeGreaterThan(entry!.CreateIndex);
    } else {
      expect(entry!.CreateIndex).toBe(1);
      expect(entry!.ModifyIndex).toBe(2);
    }
    expect(s.index).toBe(entry!.ModifyIndex);
    await s.close();
  });

  it('resolves concurrent writes with their own results', async () => {
    const s = await openStore();
    const results = await Promise.all([s.apply(set('c', 'x', { Cas: 0 })), s.apply(set('c', 'y', { Cas: 0 }))]);
    // Exactly one check-and-set wins; on a shared log, which one is etcd's order, not the callers'.
    expect([...results].sort()).toEqual([false, true]);
    const winner = results[0] ? 'x' : 'y';
    expect(new TextDecoder().decode(kvGet(s, null, 'c').entry!.Value!)).toBe(winner);
    await s.close();
  });

  it('wakes only the watchers of the topics a write touched', async () => {
    const s = await openStore();
    await s.apply(set('app/x', '1'));
    const woken: string[] = [];
    const watch = (label: string, read: (ws: WatchSet) => void) => {
      const ws = new WatchSet();
      read(ws);
      s.hub.subscribe(ws.topics, () => woken.push(label));
    };
    watch('app-prefix', (ws) => kvList(s, ws, 'app/'));
    watch('other-prefix', (ws) => kvList(s, ws, 'other/'));
    watch('exact-app-x', (ws) => kvGet(s, ws, 'app/x'));
    watch('exact-app-y', (ws) => kvGet(s, ws, 'app/y'));
    await s.apply(set('app/x', '2'));
    expect(woken.sort()).toEqual(['app-prefix', 'exact-app-x']);
    await s.close();
  });

  it('counts deletions in the prefix index', async () => {
    const s = await openStore();
    await s.apply(set('p/a', '1'));
    await s.apply(set('q/a', '1'));
    const before = kvList(s, null, 'p/').index;
    await s.apply({ type: 'kv.delete', Key: 'p/a' });
    const after = kvList(s, null, 'p/');
    expect(after.entries).toEqual([]);
    expect(after.index).toBeGreaterThan(before);
    await s.close();
  });

  it('restores a snapshot: rows replaced, the index moves past both, every watcher wakes', async () => {
    const source = new StateStore(new MemoryBackend(), allTables);
    await source.open();
    for (let i = 0; i < 50; i++) await source.apply(set(`snap/${i}`, String(i)));
    const snap = source.snapshot();
    const s = await openStore();
    await s.apply(set('gone', 'x'));
    const before = s.index;
    let woken = false;
    const ws = new WatchSet();
    kvGet(s, ws, 'gone');
    s.hub.subscribe(ws.topics, () => (woken = true));
    await s.restore(snap);
    expect(woken).toBe(true);
    expect(kvGet(s, null, 'gone').entry).toBeUndefined();
    const entries = kvList(s, null, 'snap/').entries;
    expect(entries).toHaveLength(50);
    expect(entries.find((e) => e.Key === 'snap/7')!.ModifyIndex).toBe(kvGet(source, null, 'snap/7').entry!.ModifyIndex);
    expect(s.index).toBeGreaterThan(Math.max(before, snap.meta.Index));
    await s.apply(set('after', '1'));
    expect(kvGet(s, null, 'after').entry!.ModifyIndex).toBeGreaterThan(snap.meta.Index);
    await source.close();
    await s.close();
  });

  it('lists keys folded at a separator', async () => {
    const s = await openStore();
    for (const k of ['web/a', 'web/b/c', 'web/b/d', 'web/e']) await s.apply(set(k, '1'));
    expect(kvKeys(s, null, 'web/', '/').keys).toEqual(['web/a', 'web/b/', 'web/e']);
    await s.close();
  });
});

describe('the lmdb backend', () => {
  it('keeps every acknowledged write across a reopen, replaying the log tail', async () => {
    const dir = tempDir();
    const s1 = new StateStore(new LmdbBackend(dir), allTables);
    await s1.open();
    await Promise.all(Array.from({ length: 200 }, (_, i) => s1.apply(set(`k/${i}`, String(i)))));
    await s1.apply({ type: 'kv.delete', Key: 'k/7' });
    const index = s1.index;
    await s1.close();

    const s2 = new StateStore(new LmdbBackend(dir), allTables);
    await s2.open();
    expect(kvList(s2, null, 'k/').entries).toHaveLength(199);
    expect(kvGet(s2, null, 'k/7').entry).toBeUndefined();
    expect(s2.index).toBe(index);
    await s2.apply(set('after', 'x'));
    expect(s2.index).toBe(index + 1);
    await s2.close();
  });
});
