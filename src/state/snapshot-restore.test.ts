import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { LmdbBackend, MemoryBackend, StateStore, allTables, kvGet } from './index.js';
import { decodeSnapshotArchive, encodeSnapshotArchive } from '../snapshot/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function populated(): Promise<StateStore> {
  const s = new StateStore(new MemoryBackend(), allTables);
  await s.open();
  await s.apply({ type: 'kv.set', Key: 'bin', Value: new Uint8Array([0, 1, 254, 255]), Flags: 42 });
  await s.apply({ type: 'kv.set', Key: 'text', Value: enc('hello'), Flags: 0 });
  await s.apply({ type: 'catalog.register', Node: { ID: '', Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: { a: 'b' } } });
  return s;
}

describe('snapshot archives', () => {
  it('round-trip every row, binary values included, with per-table stats', async () => {
    const s = await populated();
    const archive = await encodeSnapshotArchive(s.snapshot());
    const { data, stats, size } = await decodeSnapshotArchive(archive);
    expect(size).toBe(archive.length);
    expect(data.meta).toMatchObject({ Format: 'weft-snapshot', Version: 1, Index: s.index, Backend: 'inmem' });
    expect(data.rows).toEqual(s.snapshot().rows);
    const binRow = data.rows.find((r) => r.key === 'bin')!;
    expect(stats[binRow.table].count).toBe(2);
    expect(Object.values(stats).reduce((n, t) => n + t.count, 0)).toBe(data.rows.length);
    const bin = binRow.row as { Value: Uint8Array };
    expect([...bin.Value]).toEqual([0, 1, 254, 255]);
    await s.close();
  });

  it('refuse damaged, truncated and foreign archives with a plain reason', async () => {
    const s = await populated();
    const text = gunzipSync(await encodeSnapshotArchive(s.snapshot())).toString('utf8');
    await expect(decodeSnapshotArchive(gzipSync(text.replace('"10.0.0.1"', '"10.0.0.2"')))).rejects.toThrow(/checksum mismatch/);
    await expect(decodeSnapshotArchive(gzipSync(text.split('\n').slice(0, 2).join('\n')))).rejects.toThrow(/truncated/);
    await expect(decodeSnapshotArchive(Buffer.from('not gzip'))).rejects.toThrow(/not a gzip archive/);
    await expect(decodeSnapshotArchive(gzipSync('{"Format":"raft"}\n{"End":true,"Rows":0,"SHA256":"x"}\n'))).rejects.toThrow(/Invalid snapshot/);
    await s.close();
  });

  it('move a store from memory to the embedded backend and back, and survive a reopen', async () => {
    const s = await populated();
    const dir = mkdtempSync(join(tmpdir(), 'weft-snap-'));
    dirs.push(dir);
    const durable = new StateStore(new LmdbBackend(dir), allTables);
    await durable.open();
    await durable.apply({ type: 'kv.set', Key: 'overwritten', Value: enc('x'), Flags: 0 });
    await durable.restore((await decodeSnapshotArchive(await encodeSnapshotArchive(s.snapshot()))).data);
    expect(kvGet(durable, null, 'overwritten').entry).toBeUndefined();
    await durable.apply({ type: 'kv.set', Key: 'after', Value: enc('y'), Flags: 0 });
    const index = durable.index;
    await durable.close();

    const reopened = new StateStore(new LmdbBackend(dir), allTables);
    await reopened.open();
    expect(reopened.index).toBe(index);
    expect([...kvGet(reopened, null, 'bin').entry!.Value!]).toEqual([0, 1, 254, 255]);
    expect(kvGet(reopened, null, 'after').entry).toBeDefined();
    const back = new StateStore(new MemoryBackend(), allTables);
    await back.open();
    await back.restore(reopened.snapshot());
    expect(back.snapshot().rows).toEqual(reopened.snapshot().rows);
    await Promise.all([s.close(), reopened.close(), back.close()]);
  });
});
