import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/index.js';
import { decodeSnapshotArchive, type SnapshotData } from '../../src/snapshot/index.js';
import { EtcdCluster } from '../../src/state/backend/test-etcd.js';
import { startServer, stopCluster, type ClusterAgent } from './cluster-harness.js';
import { removeDir, runWeft, tempDir, waitFor } from './harness.js';
import { etcdArgs } from './ha-harness.js';

let etcd: EtcdCluster;
let source: ClusterAgent;
const dir = tempDir('weft-snap-e2e-');

beforeAll(async () => {
  [etcd, source] = await Promise.all([EtcdCluster.start(1), startServer({ node: 'src' })]);
  const c = source.client;
  for (let i = 0; i < 50; i++) await c.put(`/v1/kv/app/config/${i}`, { rawBody: `value-${i}`, query: { flags: i } });
  await c.put('/v1/kv/app/binary', { rawBody: Buffer.from([0, 1, 2, 254, 255]) });
  await c.delete('/v1/kv/app/config/7');
  for (let i = 0; i < 5; i++) {
    await c.put('/v1/catalog/register', {
      body: { Node: `ext-${i}`, Address: `10.1.0.${i}`, Service: { Service: 'web', ID: `web-${i}`, Port: 8080, Tags: ['v1'] }, Check: { CheckID: `web-${i}-alive`, Name: 'alive', Status: 'passing', ServiceID: `web-${i}` } },
    });
  }
  await c.put('/v1/session/create', { body: { Name: 'lock-holder', Node: 'src', LockDelay: '1s' } });
  await c.put('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'db' }, body: { Action: 'allow' } });
  await c.put('/v1/config', { body: { Kind: 'service-defaults', Name: 'web', Protocol: 'http' } });
  await waitFor(async () => (await c.get<{ Roots: unknown[] }>('/v1/connect/ca/roots')).body.Roots.length > 0, { what: 'the CA roots' });
});

afterAll(async () => {
  await stopCluster();
  await etcd?.stop();
  removeDir(dir);
});

async function snapshotOf(agent: ClusterAgent): Promise<SnapshotData> {
  const r = await agent.client.get<Buffer>('/v1/snapshot', { raw: true });
  return (await decodeSnapshotArchive(r.body)).data;
}

/**
 * Every row of `from` must be in `to`, equal, table by table. `to` may hold more only where
 * its own servers wrote after the restore: their own nodes (and those nodes' checks and
 * services) and the members they saw.
 */
function differences(from: SnapshotData, to: SnapshotData, ownNodes: string[]): string[] {
  const index = new Map(to.rows.map((r) => [`${r.table}\u0000${r.key}`, r.row]));
  const out: string[] = [];
  for (const r of from.rows) {
    const got = index.get(`${r.table}\u0000${r.key}`);
    if (JSON.stringify(got) !== JSON.stringify(r.row)) out.push(`${r.table}/${r.key}: ${got === undefined ? 'missing' : 'differs'}`);
  }
  const fromKeys = new Set(from.rows.map((r) => `${r.table}\u0000${r.key}`));
  for (const r of to.rows) {
    if (fromKeys.has(`${r.table}\u0000${r.key}`)) continue;
    const node = (r.row as { Node?: string }).Node;
    if (!node || !ownNodes.includes(node)) out.push(`${r.table}/${r.key}: not in the snapshot`);
  }
  return out;
}

describe('snapshots across store backends', () => {
  it('moves an embedded server onto an etcd cluster and back, every table equal', async () => {
    const file = join(dir, 'embedded.snap');
    const saved = await runWeft(['snapshot', 'save', '-http-addr', `127.0.0.1:${source.ports.http}`, file]);
    expect(saved.stderr).toBe('');
    expect(saved.stdout).toMatch(/^Saved and verified snapshot to index \d+\n$/);
    const original = (await decodeSnapshotArchive(readFileSync(file))).data;

    const inspect = await runWeft(['snapshot', 'inspect', file]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(new RegExp(`Index\\s+${original.meta.Index}`));
    expect(inspect.stdout).toMatch(/Backend\s+embedded/);
    expect(inspect.stdout).toMatch(/kvs\s+50\s/);

    const [a, b] = await Promise.all(['e1', 'e2'].map((node) => startServer({ node, args: etcdArgs(etcd) })));
    await a.client.put('/v1/kv/only-before-restore', { rawBody: 'x' });
    const restored = await runWeft(['snapshot', 'restore', '-http-addr', `127.0.0.1:${a.ports.http}`, file]);
    expect(restored.stdout).toBe('Restored snapshot\n');
    expect(restored.code).toBe(0);

    // Both etcd servers hold the source's rows, and its indexes; new writes index above them.
    for (const s of [a, b]) {
      const state = await waitFor(async () => {
        const snap = await snapshotOf(s);
        return differences(original, snap, ['e1', 'e2']).length === 0 ? snap : undefined;
      }, { what: `${s.node} to hold the restored state` });
      expect(differences(original, state!, ['e1', 'e2'])).toEqual([]);
      expect(state!.meta.Index).toBeGreaterThan(original.meta.Index);
      const bin = await s.client.get<Buffer>('/v1/kv/app/binary', { raw: true, query: { raw: true } });
      expect([...bin.body]).toEqual([0, 1, 2, 254, 255]);
    }
    const put = await b.client.put<boolean>('/v1/kv/after-restore', { rawBody: 'y' });
    expect(put.body).toBe(true);
    expect((await b.client.get('/v1/kv/after-restore')).meta.index).toBeGreaterThan(original.meta.Index);

    // And back: the etcd cluster's state into a fresh embedded server.
    const etcdFile = join(dir, 'etcd.snap');
    expect((await runWeft(['snapshot', 'save', '-http-addr', `127.0.0.1:${b.ports.http}`, etcdFile])).code).toBe(0);
    const fromEtcd = (await decodeSnapshotArchive(readFileSync(etcdFile))).data;
    expect(fromEtcd.meta.Backend).toBe('etcd');
    const back = await startServer({ node: 'back' });
    expect((await runWeft(['snapshot', 'restore', '-http-addr', `127.0.0.1:${back.ports.http}`, etcdFile])).code).toBe(0);
    expect(differences(fromEtcd, await snapshotOf(back), ['back'])).toEqual([]);
    expect((await back.client.get<{ Value: string }[]>('/v1/kv/after-restore')).body[0].Value).toBe(Buffer.from('y').toString('base64'));
  });

  it('refuses what is not a Weft snapshot with 400 and the reason, changing nothing', async () => {
    const before = await snapshotOf(source);
    const err = await source.client.put('/v1/snapshot', { rawBody: Buffer.from('this is not a snapshot') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).statusCode).toBe(400);
    expect((err as ApiError).reason).toMatch(/^Invalid snapshot: not a gzip archive/);
    expect(differences(before, await snapshotOf(source), ['src'])).toEqual([]);
    const inspect = await runWeft(['snapshot', 'inspect', join(dir, 'missing.snap')]);
    expect(inspect.code).toBe(1);
    expect(inspect.stderr).toMatch(/^Error reading snapshot: /);
  });
});
