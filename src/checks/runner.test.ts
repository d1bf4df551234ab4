import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isWeftError } from '../lib/errors.js';
import { waitFor } from '../../test/e2e/harness.js';
import { CheckRunner, parseCheckDefinition, type CheckDefinition, type CheckUpdate } from './index.js';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const srv = createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(() => {
    srv.closeAllConnections();
    return new Promise((r) => srv.close(() => r()));
  });
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
}

function run(def: CheckDefinition, observe?: (u: CheckUpdate) => void): { runner: CheckRunner; updates: CheckUpdate[] } {
  const updates: CheckUpdate[] = [];
  const runner = new CheckRunner(def, {
    onUpdate: (u) => {
      observe?.(u);
      updates.push(u);
    },
    scriptChecksEnabled: false,
  });
  closers.push(() => runner.stop());
  runner.start();
  return { runner, updates };
}

const fast = (raw: Record<string, unknown>, intervalMs = 10): CheckDefinition => ({
  ...parseCheckDefinition({ Name: 'c', Interval: '10s', ...raw }),
  intervalMs,
});

describe('success_before_passing / failures_before_warning / failures_before_critical', () => {
  it('hold a status back until enough consecutive runs agree, as Consul', async () => {
    const codes = [200, 500, 500, 500, 200, 200];
    let requests = 0;
    const url = await httpServer((_req, res) => {
      requests++;
      res.writeHead(codes.shift() ?? 200).end();
    });
    const seenAt: Array<[string, number]> = [];
    const { updates } = run(fast({ HTTP: url, SuccessBeforePassing: 2, FailuresBeforeWarning: 1, FailuresBeforeCritical: 3 }), (u) =>
      seenAt.push([u.status, requests]),
    );
    await waitFor(() => updates.length === 4, { what: 'four status changes' });
    // Run 1 reports at once (counters start at their thresholds); run 2 is the first failure -> warning;
    // run 4 is the third -> critical; run 5 is one success (held); run 6 is the second -> passing.
    expect(seenAt).toEqual([
      ['passing', 1],
      ['warning', 2],
      ['critical', 4],
      ['passing', 6],
    ]);
  });
});

describe('scheduling', () => {
  it('never overlaps runs, even when a run outlasts the interval', async () => {
    let active = 0;
    let maxActive = 0;
    let served = 0;
    const url = await httpServer((_req, res) => {
      active++;
      maxActive = Math.max(maxActive, active);
      setTimeout(() => {
        active--;
        served++;
        res.end();
      }, 60);
    });
    run(fast({ HTTP: url }, 1));
    await waitFor(() => served >= 4, { what: 'four slow runs' });
    expect(maxActive).toBe(1);
  });

  it('staggers the first run of each check across the interval', async () => {
    const firstRun = new Map<number, number>();
    const started = Date.now();
    const srv = createTcpServer((s) => s.destroy());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => srv.close(() => r())));
    const addr = `127.0.0.1:${(srv.address() as AddressInfo).port}`;
    for (let i = 0; i < 8; i++) {
      const runner: CheckRunner = new CheckRunner(fast({ TCP: addr }, 600), {
        onUpdate: () => {
          firstRun.set(i, Date.now() - started);
          runner.stop();
        },
        scriptChecksEnabled: false,
      });
      closers.push(() => runner.stop());
      runner.start();
    }
    await waitFor(() => firstRun.size === 8, { what: 'every check to run once' });
    const times = [...firstRun.values()];
    // Eight uniform draws over 600 ms all landing within 50 ms of each other: probability ~1e-7.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(50);
  });

  it('reports an output change even when the status stays the same', async () => {
    let n = 0;
    const url = await httpServer((_req, res) => res.end(`run ${++n}`));
    const { updates } = run(fast({ HTTP: url }));
    await waitFor(() => updates.length >= 3);
    expect(updates.slice(0, 3)).toEqual([1, 2, 3].map((i) => ({ id: 'c', status: 'passing', output: `HTTP GET ${url}: 200 OK Output: run ${i}` })));
  });

  it('stop() aborts the run in flight and reports nothing afterwards', async () => {
    let closed = false;
    let arrived = false;
    const url = await httpServer((req) => {
      arrived = true;
      req.socket.on('close', () => (closed = true));
    });
    const { runner, updates } = run(fast({ HTTP: url, Timeout: '30s' }, 1));
    await waitFor(() => arrived, { what: 'the request to arrive' });
    runner.stop();
    await waitFor(() => closed, { what: 'the probe connection to be closed' });
    expect(updates).toEqual([]);
  });
});

describe('TTL check', () => {
  it('starts in its initial status, takes updates, and expires to critical without one', async () => {
    const { runner, updates } = run({ ...parseCheckDefinition({ Name: 'heartbeat', TTL: '300ms', Status: 'warning' }) });
    expect(runner.state).toEqual({ id: 'heartbeat', status: 'warning', output: '' });
    const t1 = Date.now();
    expect(runner.ttlUpdate('passing', 'all good')).toBe('all good');
    expect(updates).toEqual([{ id: 'heartbeat', status: 'passing', output: 'all good' }]);
    await waitFor(() => updates.length === 2, { what: 'the TTL to expire' });
    expect(Date.now() - t1).toBeGreaterThanOrEqual(295);
    expect(updates[1]).toEqual({ id: 'heartbeat', status: 'critical', output: 'TTL expired (last output before timeout follows): all good' });
  });

  it('says just "TTL expired" when no output was ever set', async () => {
    const { updates } = run({ ...parseCheckDefinition({ Name: 'hb', TTL: '50ms', Status: 'passing' }) });
    await waitFor(() => updates.length === 1);
    expect(updates[0]).toEqual({ id: 'hb', status: 'critical', output: 'TTL expired' });
  });

  it('restarts the TTL on every update', async () => {
    const { runner, updates } = run(parseCheckDefinition({ Name: 'hb', TTL: '1s' }));
    runner.ttlUpdate('passing', 'one');
    // A heartbeat that arrives part-way through the TTL, as a client's would.
    await new Promise((r) => setTimeout(r, 200));
    runner.ttlUpdate('passing', 'two');
    const t2 = Date.now();
    await waitFor(() => updates.some((u) => u.status === 'critical'), { what: 'expiry' });
    expect(Date.now() - t2).toBeGreaterThanOrEqual(995);
    expect(updates.map((u) => u.output)).toEqual(['one', 'two', 'TTL expired (last output before timeout follows): two']);
  });

  it('cuts long output as Consul does', () => {
    const { runner } = run(parseCheckDefinition({ Name: 'hb', TTL: '1m', OutputMaxSize: 10 }));
    expect(runner.ttlUpdate('warning', 'x'.repeat(25))).toBe('xxxxxxxxxx ... (captured 10 of 25 bytes)');
  });

  it('refuses TTL updates for other check types with Consul\'s error', () => {
    const { runner } = run(fast({ TCP: '127.0.0.1:1' }, 60_000));
    let err: unknown;
    try {
      runner.ttlUpdate('passing', '');
    } catch (e) {
      err = e;
    }
    expect(isWeftError(err, 'INTERNAL') && err.message).toBe('CheckID "c" does not have associated TTL');
  });
});
