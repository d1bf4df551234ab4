import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WEFT_BIN, removeDir, tempDir, waitFor, type RunResult } from './harness.js';
import { startClient, startServer, stopCluster, type ClusterAgent } from './cluster-harness.js';

const dir = tempDir();
const running = new Set<ChildProcess>();
afterAll(async () => {
  for (const p of running) p.kill('SIGTERM');
  await stopCluster();
  removeDir(dir);
});

function lock(agent: ClusterAgent, args: string[]): { done: Promise<RunResult> } {
  const proc = spawn(process.execPath, [WEFT_BIN, 'lock', `-http-addr=${agent.address}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (c) => (stdout += c));
  proc.stderr!.on('data', (c) => (stderr += c));
  return { done: new Promise((resolve) => proc.on('close', (code) => (running.delete(proc), resolve({ code, stdout, stderr })))) };
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

describe('weft lock across agents', () => {
  it('hands the lock to another agent’s waiter after the holder’s agent dies and the lock-delay passes', async () => {
    const server = await startServer({ node: 'srv' });
    const [c1, c2] = await Promise.all([startClient(server, { node: 'c1' }), startClient(server, { node: 'c2' })]);
    await waitFor(async () => (await server.client.get<{ CheckID: string; Status: string }[]>('/v1/health/node/c1')).body.some((c) => c.CheckID === 'serfHealth' && c.Status === 'passing'), {
      timeoutMs: 20_000,
      what: 'c1 alive in the catalog',
    });
    const out = join(dir, 'cluster.log');
    const a = lock(c1, ['jobs/cluster', `trap 'echo a-term >> ${out}; exit 0' TERM; echo a-start >> ${out}; for i in $(seq 900); do sleep 0.1; done`]);
    await waitFor(() => lines(out).includes('a-start'), { timeoutMs: 20_000, what: 'holder on c1' });
    const session = (await server.client.get<{ Session: string }[]>('/v1/kv/jobs/cluster/.lock')).body[0].Session;
    expect((await server.client.get<{ Node: string }[]>(`/v1/session/info/${session}`)).body[0].Node).toBe('c1');
    const b = lock(c2, ['jobs/cluster', `echo b-start >> ${out}`]);

    const killedAt = Date.now();
    await c1.kill9();
    // The holder can no longer reach its agent: it stops its child and gives up.
    await a.done;
    expect(lines(out).slice(0, 2)).toEqual(['a-start', 'a-term']);
    // The server marks c1 failed, its serfHealth critical ends the session, and c2's waiter
    // takes the lock once the 15s lock-delay has passed.
    expect((await b.done).code).toBe(0);
    expect(lines(out)).toEqual(['a-start', 'a-term', 'b-start']);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(15_000);
  }, 90_000);
});
