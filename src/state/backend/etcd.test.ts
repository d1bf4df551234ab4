import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryBackend, StateStore, allTables, kvGet, kvList } from '../index.js';
import { createEtcdClient } from './etcd-client.js';
import { EtcdBackend } from './etcd.js';
import { EtcdCluster, makeTestCerts } from './test-etcd.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const enc = (s: string) => new TextEncoder().encode(s);
const set = (Key: string, v: string) => ({ type: 'kv.set', Key, Value: enc(v), Flags: 0 });

let etcd: EtcdCluster;
let client: Etcd3;
let prefixes = 0;
const open: StateStore[] = [];

beforeAll(async () => {
  etcd = await EtcdCluster.start(1);
  client = createEtcdClient({ endpoints: etcd.endpoints });
});
afterAll(async () => {
  for (const s of open) await s.close();
  client?.close();
  await etcd?.stop();
});

const newPrefix = () => `etcd-test-${process.pid}-${++prefixes}/`;

async function storeOn(prefix: string, c: Etcd3 = client): Promise<{ store: StateStore; backend: EtcdBackend }> {
  const backend = new EtcdBackend({ client: c, prefix });
  const store = new StateStore(backend, allTables);
  await store.open();
  open.push(store);
  return { store, backend };
}

/** Every table's rows, for comparing two stores. */
function tables(s: StateStore): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const r of s.snapshot().rows) (out[r.table] ??= []).push(r.row);
  return out;
}

describe('the etcd backend', () => {
  it('gives two servers on one etcd the same entries at the same indexes, which are etcd revisions', async () => {
    const prefix = newPrefix();
    const a = await storeOn(prefix);
    const b = await storeOn(prefix);
    await a.store.apply(set('shared/a', '1'));
    await b.store.apply(set('shared/b', '2'));
    await b.store.barrier();
    await a.store.barrier();
    const head = Number((await client.kv.range({ key: Buffer.from(`${prefix}head`) })).kvs[0].mod_revision);
    expect(a.store.index).toBe(head);
    expect(b.store.index).toBe(head);
    expect(kvGet(a.store, null, 'shared/b').entry!.ModifyIndex).toBe(kvGet(b.store, null, 'shared/b').entry!.ModifyIndex);
    expect(tables(a.store)).toEqual(tables(b.store));
    expect(a.store.lagMs()).toBe(0);
  });

  it('after compaction, a new server loads the snapshot and the log after it', async () => {
    const prefix = newPrefix();
    const a = await storeOn(prefix);
    for (let i = 0; i < 30; i++) await a.store.apply(set(`c/${i}`, String(i)));
    const first = await a.backend.compact(() => a.store.snapshot());
    expect(first?.truncated).toBe(30);
    for (let i = 30; i < 40; i++) await a.store.apply(set(`c/${i}`, String(i)));
    await a.store.apply({ type: 'kv.delete', Key: 'c/3' });
    const left = await client.getAll().prefix(`${prefix}log/`).keys();
    expect(left).toHaveLength(11);
    const b = await storeOn(prefix);
    expect(b.store.index).toBe(a.store.index);
    expect(tables(b.store)).toEqual(tables(a.store));
    expect(kvList(b.store, null, 'c/').entries).toHaveLength(39);
  });

  it('a server whose watch fell behind a compacted log reloads the snapshot and catches up', async () => {
    const prefix = newPrefix();
    const a = await storeOn(prefix);
    const b = await storeOn(prefix);
    await a.store.apply(set('before', 'x'));
    await b.store.barrier();
    // Cut b off from the watch stream, as a partition would.
    (b.backend as unknown as { watch: { stop(): void } }).watch.stop();
    for (let i = 0; i < 20; i++) await a.store.apply(set(`lag/${i}`, String(i)));
    await a.backend.compact(() => a.store.snapshot());
    await a.store.apply(set('between', 'y'));
    // The second compaction compacts etcd's history up to the first snapshot: b's watch position is gone.
    await a.backend.compact(() => a.store.snapshot());
    await a.store.apply(set('after', 'z'));
    await b.store.barrier();
    expect(b.store.index).toBe(a.store.index);
    expect(tables(b.store)).toEqual(tables(a.store));
  });

  it('restores a snapshot on every server; indexes ahead of etcd move the offset, never backwards', async () => {
    const prefix = newPrefix();
    const a = await storeOn(prefix);
    const b = await storeOn(prefix);
    await a.store.apply(set('old', '1'));
    // A source far ahead of this etcd's revision (a long-lived embedded server, say).
    const source = new StateStore(new MemoryBackend(), allTables);
    await source.open();
    for (let i = 0; i < 2000; i++) await source.apply(set(`src/${i % 5}`, String(i)));
    const snap = source.snapshot();
    await a.store.restore(snap);
    await b.store.barrier();
    expect(kvGet(b.store, null, 'old').entry).toBeUndefined();
    expect(kvGet(b.store, null, 'src/4').entry!.ModifyIndex).toBe(kvGet(source, null, 'src/4').entry!.ModifyIndex);
    expect(a.store.index).toBeGreaterThan(snap.meta.Index);
    expect(b.store.index).toBe(a.store.index);
    await b.store.apply(set('next', '1'));
    await a.store.barrier();
    const next = kvGet(a.store, null, 'next').entry!;
    expect(next.ModifyIndex).toBeGreaterThan(snap.meta.Index);
    expect(kvGet(b.store, null, 'next').entry!.ModifyIndex).toBe(next.ModifyIndex);
    // A server opened afterwards replays the restore from the log and lands on the same state.
    const c = await storeOn(prefix);
    expect(c.store.index).toBe(a.store.index);
    expect(tables(c.store)).toEqual(tables(a.store));
    await source.close();
  });
});

describe('the etcd backend over TLS', () => {
  it('talks to an etcd that requires client certificates, with the CA, certificate and key given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-etcd-tls-'));
    const tls = makeTestCerts(dir);
    const secure = await EtcdCluster.start(1, { tls });
    const c = createEtcdClient({ endpoints: secure.endpoints, caFile: tls.ca, certFile: tls.clientCert, keyFile: tls.clientKey });
    const anonymous = createEtcdClient({ endpoints: secure.endpoints, caFile: tls.ca });
    try {
      expect(secure.endpoints[0]).toMatch(/^https:/);
      const s = new StateStore(new EtcdBackend({ client: c, prefix: 'tls/' }), allTables);
      await s.open();
      await s.apply(set('secure', '1'));
      expect(kvGet(s, null, 'secure').entry).toBeDefined();
      await s.close();
      // Without a client certificate etcd refuses the connection.
      const refused = new StateStore(new EtcdBackend({ client: anonymous, prefix: 'tls/', writeTimeoutMs: 1000 }), allTables);
      await expect(refused.open()).rejects.toThrow(/etcd/);
    } finally {
      c.close();
      anonymous.close();
      await secure.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the etcd backend without etcd', () => {
  it('fails writes within the write timeout with "No cluster leader", keeps reads, loses nothing acknowledged', async () => {
    const lone = await EtcdCluster.start(1);
    const c = createEtcdClient({ endpoints: lone.endpoints });
    try {
      const backend = new EtcdBackend({ client: c, prefix: 'quorum/', writeTimeoutMs: 2000 });
      const s = new StateStore(backend, allTables);
      await s.open();
      await s.apply(set('acked', '1'));
      await lone.members[0].kill9();
      // Reads keep answering from the local tables, which report how long they may have trailed etcd.
      await vi.waitFor(() => expect(s.lagMs()).toBeGreaterThan(0), { timeout: 5000 });
      const t0 = Date.now();
      await expect(s.apply(set('refused', '2'))).rejects.toThrow(/No cluster leader/);
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(kvGet(s, null, 'acked').entry).toBeDefined();
      lone.members[0].restart();
      await lone.waitHealthy();
      await s.apply(set('later', '3'));
      expect(kvGet(s, null, 'acked').entry).toBeDefined();
      expect(kvGet(s, null, 'later').entry).toBeDefined();
      await s.close();
    } finally {
      c.close();
      await lone.stop();
    }
  });
});
