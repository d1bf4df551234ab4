import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/index.js';
import { WEFT_BIN, removeDir, runWeft, startAgent, stopAllAgents, tempDir, waitFor, type TestAgent } from './harness.js';
import { checkOp, registerNode, unb64 } from './session-fixtures.js';

let agent: TestAgent;
let api: ApiClient;
const dir = tempDir();
const running = new Set<ChildProcess>();

beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'watch-node'] });
  api = agent.client;
  await registerNode(api, 'watch-node');
});
afterEach(() => {
  for (const p of running) p.kill('SIGKILL');
});
afterAll(async () => {
  await stopAllAgents();
  removeDir(dir);
});

const watch = (args: string[]) => runWeft(['watch', `-http-addr=${agent.address}`, ...args]);

/** A one-shot watch's printed JSON. */
async function printed(args: string[]): Promise<any> {
  const r = await watch(args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** `weft watch ... <handler>` in the background; the handler appends each JSON it gets (one line) to `out`. */
function watchWithHandler(args: string[], out: string): { proc: ChildProcess; exited: Promise<number | null> } {
  const handler = `cat >> ${out}`;
  const proc = spawn(process.execPath, [WEFT_BIN, 'watch', `-http-addr=${agent.address}`, ...args, handler], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => (running.delete(proc), resolve(code))));
  return { proc, exited };
}

const calls = (out: string): any[] => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

describe('weft watch', () => {
  it('prints the current value once and exits without a handler, as consul does', async () => {
    await api.put('/v1/kv/w/once', { rawBody: 'now' });
    const r = await watch(['-type=key', '-key=w/once']);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed).toMatchObject({ Key: 'w/once', Flags: 0, Session: '', LockIndex: 0 });
    expect(unb64(printed.Value)).toBe('now');
    expect(r.stdout).toMatch(/^\{\n {4}"Key": "w\/once",\n/);
    expect((await watch(['-type=key', '-key=w/missing'])).stdout).toBe('null\n');
  });

  it('runs the handler at start and on each change of its key only, with the JSON on stdin', async () => {
    const out = join(dir, 'key.jsonl');
    await api.put('/v1/kv/w/key', { rawBody: 'v1' });
    const w = watchWithHandler(['-type=key', '-key=w/key'], out);
    await waitFor(() => calls(out).length === 1, { timeoutMs: 20_000, what: 'first handler run' });
    expect(unb64(calls(out)[0].Value)).toBe('v1');
    await api.put('/v1/kv/w/other', { rawBody: 'noise' });
    await api.put('/v1/kv/w/key', { rawBody: 'v2' });
    await waitFor(() => calls(out).length === 2, { what: 'second handler run' });
    expect(calls(out).map((c) => unb64(c.Value))).toEqual(['v1', 'v2']);
    w.proc.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });

  it('watches a prefix and user events, handing the handler only new events', async () => {
    const prefixOut = join(dir, 'prefix.jsonl');
    const p = watchWithHandler(['-type=keyprefix', '-prefix=wp/'], prefixOut);
    await waitFor(() => calls(prefixOut).length === 1, { timeoutMs: 20_000, what: 'prefix start' });
    expect(calls(prefixOut)[0]).toBeNull();
    await api.put('/v1/kv/wp/a', { rawBody: '1' });
    await waitFor(() => calls(prefixOut).length === 2, { what: 'prefix change' });
    expect(calls(prefixOut)[1].map((e: { Key: string }) => e.Key)).toEqual(['wp/a']);

    await api.put('/v1/event/fire/ping', { rawBody: 'old' });
    const eventsOut = join(dir, 'events.jsonl');
    const e = watchWithHandler(['-type=event', '-name=ping'], eventsOut);
    await waitFor(() => calls(eventsOut).length === 1, { timeoutMs: 20_000, what: 'event start' });
    await api.put('/v1/event/fire/ping', { rawBody: 'new' });
    await waitFor(() => calls(eventsOut).length === 2, { what: 'new event' });
    expect(calls(eventsOut)[1].map((ev: { Payload: string }) => unb64(ev.Payload))).toEqual(['new']);
    p.proc.kill('SIGTERM');
    e.proc.kill('SIGTERM');
    expect([await p.exited, await e.exited]).toEqual([0, 0]);
  });

  it('watches catalog views: services, nodes, a service’s passing instances, and checks', async () => {
    await api.put('/v1/txn', {
      body: [
        // Another node than the agent's: the agent's anti-entropy owns what is registered on its own.
        { Node: { Verb: 'set', Node: { Node: 'api-node', Address: '10.2.0.1' } } },
        { Service: { Verb: 'set', Node: 'api-node', Service: { Service: 'api', Port: 9000, Tags: ['v2'] } } },
        { Check: { Verb: 'set', Check: { Node: 'api-node', CheckID: 'api-up', Name: 'api up', Status: 'passing', ServiceID: 'api' } } },
      ],
    });
    expect(await printed(['-type=services'])).toMatchObject({ api: ['v2'] });
    expect((await printed(['-type=nodes'])).map((n: { Node: string }) => n.Node)).toContain('api-node');
    const checks = await printed(['-type=checks', '-service=api']);
    expect(checks.map((c: { CheckID: string }) => c.CheckID)).toEqual(['api-up']);

    const out = join(dir, 'service.jsonl');
    const w = watchWithHandler(['-type=service', '-service=api', '-passingonly', '-tag=v2'], out);
    await waitFor(() => calls(out).length === 1, { timeoutMs: 20_000, what: 'service start' });
    expect(calls(out)[0].map((x: { Service: { Port: number } }) => x.Service.Port)).toEqual([9000]);
    await api.put('/v1/txn', { body: [checkOp('api-node', 'api-up', 'critical')] });
    await waitFor(() => calls(out).length === 2, { what: 'service turns critical' });
    expect(calls(out)[1]).toEqual([]);
    w.proc.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });

  it('stops with exit 1 when the handler fails', async () => {
    const r = await runWeft(['watch', `-http-addr=${agent.address}`, '-type=nodes', 'exit 4']);
    expect(r).toMatchObject({ code: 1, stderr: 'Error executing handler: exit status 4\n' });
  });

  it('refuses bad parameters with consul’s messages', async () => {
    expect(await watch([])).toMatchObject({ code: 1, stderr: 'Watch type must be specified\n' });
    expect(await watch(['-type=weather'])).toMatchObject({ code: 1, stderr: 'Unsupported watch type: weather\n' });
    expect(await watch(['-type=key'])).toMatchObject({ code: 1, stderr: 'Must specify a single key to watch\n' });
    expect(await watch(['-type=services', '-key=x', '-tag=a'])).toMatchObject({ code: 1, stderr: 'Invalid parameters: [key tag]\n' });
    expect(await watch(['-type=checks', '-service=a', '-state=critical'])).toMatchObject({ code: 1, stderr: 'Cannot specify service and state\n' });
  });
});
