import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { WEFT_BIN, removeDir, startAgent, stopAllAgents, tempDir, waitFor, type RunResult, type TestAgent } from './harness.js';
import { registerNode, setCheck } from './session-fixtures.js';

let agent: TestAgent;
let api: ApiClient;
const dir = tempDir();
const running = new Set<ChildProcess>();

beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'lock-node'] });
  api = agent.client;
  await registerNode(api, 'lock-node');
});
afterEach(async () => {
  // SIGTERM first: weft lock then stops its child's whole process group before exiting.
  await Promise.all(
    [...running].map(
      (p) =>
        new Promise<void>((resolve) => {
          const hard = setTimeout(() => p.kill('SIGKILL'), 8_000);
          p.once('close', () => (clearTimeout(hard), resolve()));
          p.kill('SIGTERM');
        }),
    ),
  );
});
afterAll(async () => {
  await stopAllAgents();
  removeDir(dir);
});

/** `weft lock ...` in the background: the process, and its outcome once it exits. */
function lock(args: string[]): { proc: ChildProcess; done: Promise<RunResult> } {
  const proc = spawn(process.execPath, [WEFT_BIN, 'lock', `-http-addr=${agent.address}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (c) => (stdout += c));
  proc.stderr!.on('data', (c) => (stderr += c));
  const done = new Promise<RunResult>((resolve) =>
    proc.on('close', (code) => {
      running.delete(proc);
      resolve({ code, stdout, stderr });
    }),
  );
  return { proc, done };
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

async function holder(key: string): Promise<string | undefined> {
  const r = await api.get<{ Session?: string }[]>(`/v1/kv/${key}`, { accept: [404] });
  return r.status === 200 ? r.body[0].Session : undefined;
}

describe('weft lock', () => {
  it('runs one child at a time between contending processes, then cleans up', async () => {
    const out = join(dir, 'mutex.log');
    const go = join(dir, 'mutex.go');
    // The first child holds on until the second process is known to be contending.
    const a = lock(['jobs/mutex', `echo start-a >> ${out}; for i in $(seq 1200); do [ -f ${go} ] && break; sleep 0.05; done; echo end-a >> ${out}`]);
    await waitFor(() => holder('jobs/mutex/.lock'), { timeoutMs: 20_000, what: 'first holder' });
    const b = lock(['jobs/mutex', `echo start-b >> ${out}; echo end-b >> ${out}`]);
    await waitFor(async () => (await api.get<unknown[]>('/v1/session/list')).body.length === 2, { timeoutMs: 20_000, what: 'second contender' });
    expect(lines(out)).toEqual(['start-a']);
    writeFileSync(go, '');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(lines(out)).toEqual(['start-a', 'end-a', 'start-b', 'end-b']);
    // The last holder out removes the lock key, and both sessions are gone.
    expect((await api.get('/v1/kv/jobs/mutex/.lock', { accept: [404] })).status).toBe(404);
    expect((await api.get<unknown[]>('/v1/session/list')).body).toEqual([]);
  });

  it('reports the child’s failure only with -child-exit-code', async () => {
    expect((await lock(['jobs/exit', 'exit 3']).done).code).toBe(0);
    expect((await lock(['-child-exit-code', 'jobs/exit', 'exit 3']).done).code).toBe(2);
    expect((await lock(['-child-exit-code', 'jobs/exit', 'true']).done).code).toBe(0);
    expect(await lock(['jobs/exit']).done).toMatchObject({ code: 1, stderr: 'Key prefix and child command must be specified\n' });
    expect(await lock(['-n=0', 'jobs/exit', 'true']).done).toMatchObject({ code: 1, stderr: 'Lock holder limit must be positive\n' });
  });

  it('stops the child when its session fails its node check, and the next holder waits out the lock-delay', async () => {
    const out = join(dir, 'lost.log');
    const a = lock(['jobs/lost', `trap 'echo a-term >> ${out}; exit 0' TERM; echo a-start >> ${out}; for i in $(seq 600); do sleep 0.1; done`]);
    await waitFor(() => lines(out).includes('a-start'), { timeoutMs: 20_000, what: 'first child' });
    const invalidatedAt = Date.now();
    await setCheck(api, 'lock-node', 'serfHealth', 'critical');
    const ra = await a.done;
    expect(ra.code).toBe(0);
    expect(lines(out)).toEqual(['a-start', 'a-term']);
    await setCheck(api, 'lock-node', 'serfHealth', 'passing');

    const b = lock(['jobs/lost', `echo b-start >> ${out}`]);
    const rb = await b.done;
    expect(rb.code).toBe(0);
    expect(lines(out)).toEqual(['a-start', 'a-term', 'b-start']);
    // The default lock-delay of a lock session is 15s.
    expect(Date.now() - invalidatedAt).toBeGreaterThanOrEqual(15_000);
  }, 60_000);

  it('gives up after -timeout, and releases the lock when interrupted', async () => {
    const out = join(dir, 'timeout.log');
    const a = lock(['jobs/held', `trap 'echo term >> ${out}; exit 0' TERM; echo held >> ${out}; for i in $(seq 600); do sleep 0.1; done`]);
    await waitFor(() => lines(out).includes('held'), { timeoutMs: 20_000, what: 'holder' });
    const started = Date.now();
    const b = await lock(['-timeout=1s', 'jobs/held', 'echo never']).done;
    expect(b).toMatchObject({ code: 1, stderr: 'Shutdown triggered or timeout during lock acquisition\n' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    a.proc.kill('SIGTERM');
    expect((await a.done).code).toBe(0);
    expect(lines(out)).toEqual(['held', 'term']);
    expect((await api.get('/v1/kv/jobs/held/.lock', { accept: [404] })).status).toBe(404);
  }, 60_000);

  it('admits -n holders at once as a semaphore', async () => {
    const out = join(dir, 'sem.log');
    const child = `echo + >> ${out}; sleep 4; echo - >> ${out}`;
    const runs = [1, 2, 3].map(() => lock(['-n=2', 'jobs/sem', child]));
    const results = await Promise.all(runs.map((r) => r.done));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    let now = 0;
    let max = 0;
    for (const l of lines(out)) {
      now += l === '+' ? 1 : -1;
      max = Math.max(max, now);
    }
    expect(lines(out).filter((l) => l === '+')).toHaveLength(3);
    expect(max).toBe(2);
    expect((await api.get('/v1/kv/jobs/sem/', { query: { recurse: true }, accept: [404] })).status).toBe(404);
  }, 60_000);
});
