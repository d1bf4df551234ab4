import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort, removeDir, startAgent, stopAllAgents, tempDir } from './harness.js';

const dirs: string[] = [];
afterEach(stopAllAgents);
afterAll(() => dirs.forEach(removeDir));

describe('a durable server', () => {
  it('keeps every acknowledged write across kill -9 and rebinds its ports at once', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const port = await freePort();
    const args = ['-server', '-bootstrap-expect', '1', '-data-dir', dataDir];
    const first = await startAgent({ args, httpPort: port });

    // A burst of concurrent writes; every `true` is an acknowledgement.
    const acked: string[] = [];
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const key = `burst/${String(i).padStart(3, '0')}`;
        const r = await first.client.put<boolean>(`/v1/kv/${key}`, { rawBody: `value-${i}` });
        if (r.body === true) acked.push(key);
      }),
    );
    const lastIndex = (await first.client.get('/v1/kv/burst/', { query: { recurse: true } })).meta.index;
    await first.kill9();
    expect(acked).toHaveLength(300);

    const second = await startAgent({ args, httpPort: port, clusterPorts: first.clusterPorts });
    const after = await second.client.get<{ Key: string; Value: string }[]>('/v1/kv/burst/', { query: { recurse: true } });
    expect(after.body.map((e) => e.Key).sort()).toEqual(acked.sort());
    for (const e of after.body) expect(Buffer.from(e.Value, 'base64').toString()).toBe(`value-${Number(e.Key.slice(6))}`);
    // The index never goes backwards across a restart.
    expect(after.meta.index).toBeGreaterThanOrEqual(lastIndex);
    const next = await second.client.put<boolean>('/v1/kv/after-restart', { rawBody: 'x' });
    expect(next.body).toBe(true);
    expect((await second.client.get('/v1/kv/after-restart')).meta.index).toBeGreaterThan(lastIndex);
  });

  it('keeps its node ID across restarts', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const args = ['-server', '-bootstrap', '-data-dir', dataDir];
    const a = await startAgent({ args });
    const id = (await a.client.get<any>('/v1/agent/self')).body.Config.NodeID;
    expect(await a.stop()).toBe(0);
    const b = await startAgent({ args });
    expect((await b.client.get<any>('/v1/agent/self')).body.Config.NodeID).toBe(id);
  });

  it('refuses a data dir another live agent holds', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const args = ['-server', '-bootstrap', '-data-dir', dataDir];
    await startAgent({ args });
    await expect(startAgent({ args })).rejects.toThrow(/data dir .* is in use by process \d+/);
  });
});
