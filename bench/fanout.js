// Blocking-query fan-out: N watchers held on one key space, ONE write, time until every
// watcher has its answer. Weft's dev agent and the floor server (bench/floor-server.js)
// are measured with the identical forked load generator (bench/fanout-generator.js).
//
// Scenarios:
//   key    (primary) every watcher: GET /v1/kv/bench/fan/k?index=I&wait=60s; write: PUT bench/fan/k
//   prefix           100 keys bench/fan/k000..k099; every watcher: GET /v1/kv/bench/fan/?recurse&index=I&wait=60s;
//                    write: PUT bench/fan/k042 (each answer lists all 100 entries)
//
// Each repetition starts fresh server and generator processes and stops them after.
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { PROBE_FLAGS, ROOT, cpuTicks, forkWorker, machineBusyTicks, waitForQuiet, nowMs, peakRssMb, readProbe, rssMb, sleep, stopProcess } from './lib/processes.js';
import { ok, request } from './lib/http.js';
import { fmt, percentile } from './lib/stats.js';
import { markdown, summarize } from './lib/fanout-report.js';
import { startFloor, startWeftDev } from './lib/targets.js';

export const description = 'blocking-query fan-out: N held watchers, one write, time until all are answered';

const GENERATOR = join(ROOT, 'bench', 'fanout-generator.js');
const VALUE_BYTES = 64;
const AIM = { n: 10_000, ratio: 1.3, rssMb: 300 };
/** A repetition during which other processes used more than this share of one core is measured again. */
const NOISE = 0.1;
const MAX_RETRIES = 3;

const SCENARIOS = {
  key: {
    describe: 'all watchers on one key: GET /v1/kv/bench/fan/k?index=I&wait=60s',
    seed: ['bench/fan/k'],
    read: '/v1/kv/bench/fan/k',
    sep: '?',
    write: 'bench/fan/k',
  },
  prefix: {
    describe: 'all watchers on a prefix of 100 keys: GET /v1/kv/bench/fan/?recurse&index=I&wait=60s',
    seed: Array.from({ length: 100 }, (_, i) => `bench/fan/k${String(i).padStart(3, '0')}`),
    read: '/v1/kv/bench/fan/?recurse',
    sep: '&',
    write: 'bench/fan/k042',
  },
};

const TICK_MS = 10; // /proc/<pid>/stat CPU times are in USER_HZ (100 per second on Linux)

/** Pins every thread of a process to one CPU (`--pin`), so server and load never share a core. */
function pin(pid, cpu) {
  if (cpu !== undefined) execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

const value = (tag) => Buffer.from(`${tag}:`.padEnd(VALUE_BYTES, 'x'));

function waitMessage(child, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const onMessage = (msg) => {
      if (msg.type !== type) return;
      cleanup();
      resolve(msg);
    };
    const onExit = () => {
      cleanup();
      reject(new Error(`generator exited before '${type}':\n${child.tail}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(Object.assign(new Error(`no '${type}' from generator in ${timeoutMs} ms`), { timeout: true }));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function readGauge(port) {
  const res = await request({ port, method: 'GET', path: '/v1/agent/metrics?format=prometheus', timeoutMs: 10_000 });
  const m = /^weft_api_blocking_queries (\S+)$/m.exec(res.body.toString('utf8'));
  return m ? Number(m[1]) : null;
}

/**
 * Waits until the server holds all N requests: the `weft_api_blocking_queries` gauge
 * reads N; or, if the gauge is absent or 0, the server's CPU has been back at its idle
 * rate (`idleTicks` per 100 ms, measured before the watchers came) for 500 ms after every
 * request was flushed: it has parsed and parked them all.
 */
async function settle(pid, port, n, idleTicks, maxMs = 60_000) {
  const t0 = nowMs();
  let last = cpuTicks(pid);
  let quietSince = nowMs();
  for (;;) {
    await sleep(100);
    const c = cpuTicks(pid);
    if (c - last > idleTicks + 1) quietSince = nowMs(); // ~10 ms of CPU in 100 ms above its idle rate: still busy
    last = c;
    if (nowMs() - quietSince >= 500) {
      const gauge = await readGauge(port);
      const ms = nowMs() - t0;
      if (gauge !== null && gauge >= n) return { method: 'gauge', gauge, ms };
      if (gauge === null || gauge === 0) return { method: 'cpu-idle', gauge, ms };
      quietSince = nowMs(); // the gauge moves but is short of N: keep waiting
    }
    if (nowMs() - t0 > maxMs) throw new Error(`server did not settle with ${n} watchers in ${maxMs} ms`);
  }
}

async function collect(generators) {
  const pending = generators.map((g) => waitMessage(g, 'result', 90_000));
  const out = [];
  for (const [i, p] of pending.entries()) {
    try {
      out.push(await p);
    } catch (err) {
      if (!err.timeout) throw err;
      // Some watchers never got an answer: take what arrived.
      const partial = waitMessage(generators[i], 'result', 10_000);
      generators[i].send({ type: 'report' });
      out.push(await partial);
    }
  }
  return out;
}

/** One repetition against one target: fresh server, fresh generators, everything stopped after. */
async function measureOnce(startTarget, scenario, n, generatorCount, pinning) {
  const target = await startTarget();
  const generators = [];
  try {
    const { port, pid } = target;
    pin(pid, pinning?.server);
    for (const key of scenario.seed) await ok({ port, method: 'PUT', path: `/v1/kv/${key}`, body: value('seed') });
    const first = await ok({ port, method: 'GET', path: scenario.read });
    const index = Number(first.headers['x-consul-index']);
    const watchPath = `${scenario.read}${scenario.sep}index=${index}&wait=60s`;
    const rssIdle = rssMb(pid);
    const idleFrom = cpuTicks(pid);
    await sleep(500);
    const idleTicks = (cpuTicks(pid) - idleFrom) / 5; // per 100 ms; not 0 under a profiler

    for (let g = 0; g < generatorCount; g++) {
      generators.push(forkWorker(GENERATOR));
      pin(generators[g].pid, pinning?.load);
    }
    const tOpen = nowMs();
    const opened = generators.map((g, k) => {
      const count = Math.floor(n / generatorCount) + (k < n % generatorCount ? 1 : 0);
      const p = waitMessage(g, 'opened', 120_000);
      g.send({ type: 'open', port, paths: [watchPath], count, batch: 500 });
      return p;
    });
    const answeredEarly = (await Promise.all(opened)).reduce((s, m) => s + m.answeredEarly, 0);
    const openMs = nowMs() - tOpen;
    const settled = await settle(pid, port, n, idleTicks);
    const rssHeld = rssMb(pid);
    // Other processes come and go while N connections open: look again right before the write
    // (bounded well inside the watchers' 60 s wait).
    const quietAtWrite = await waitForQuiet({ maxMs: 30_000, seconds: 1 });

    const results = collect(generators);
    const ours = () => cpuTicks(pid) + cpuTicks(process.pid) + generators.reduce((sum, g) => sum + cpuTicks(g.pid), 0);
    const oursBefore = ours();
    const machineBefore = machineBusyTicks();
    const cpuBefore = cpuTicks(pid);
    const tWrite = nowMs();
    const put = await ok({ port, method: 'PUT', path: `/v1/kv/${scenario.write}`, body: value('write') });
    const putMs = nowMs() - tWrite;
    const reports = await results;
    const serverCpuMs = (cpuTicks(pid) - cpuBefore) * TICK_MS;
    // CPU that other processes on the machine used while we measured (other people's builds...).
    const foreignCpuMs = Math.max(0, machineBusyTicks() - machineBefore - (ours() - oursBefore)) * TICK_MS;
    const windowMs = nowMs() - tWrite;
    const probe = await readProbe(target.child);
    const rssAfter = rssMb(pid);
    const rssPeak = peakRssMb(pid);

    const latencies = [];
    let early = 0;
    let missing = 0;
    let stale = 0;
    const statuses = {};
    const errors = [];
    for (const r of reports) {
      for (const end of r.ends) {
        if (Number.isNaN(end)) missing++;
        else if (end < tWrite) early++;
        else latencies.push(end - tWrite);
      }
      for (const [s, c] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + c;
      if (r.indexMin <= index) stale++;
      errors.push(...r.errors);
    }
    if (put.body.toString() !== 'true') errors.push(`PUT answered ${put.body.toString()}`);
    return {
      target: target.name,
      n,
      totalMs: latencies.length ? Math.max(...latencies) : NaN,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.length ? Math.max(...latencies) : NaN,
      putMs,
      writeAtMs: tWrite,
      quietAtWrite,
      serverMs: probe.lastEndMs - tWrite,
      serverCpuMs,
      foreignCpuMs,
      windowMs,
      answered: latencies.length,
      early: early + answeredEarly,
      missing,
      staleIndex: stale,
      statuses,
      errors,
      bodyBytes: [Math.min(...reports.map((r) => r.bodyBytes[0])), Math.max(...reports.map((r) => r.bodyBytes[1]))],
      headerCount: [Math.min(...reports.map((r) => r.headerCount[0])), Math.max(...reports.map((r) => r.headerCount[1]))],
      settle: settled,
      openMs,
      rssIdle,
      rssHeld,
      rssAfter,
      rssPeak,
    };
  } finally {
    for (const g of generators) if (g.connected) g.send({ type: 'close' });
    await Promise.all(generators.map((g) => stopProcess(g)));
    await stopProcess(target.child);
  }
}

function parseList(v, fallback) {
  return v === undefined ? fallback : String(v).split(',').filter(Boolean);
}

export async function run(options = {}, log = console.log) {
  const ns = parseList(options.n, ['1000', '10000']).map(Number);
  const scenarios = parseList(options.scenario, ['key', 'prefix']);
  const reps = Number(options.reps ?? 3);
  const generatorCount = Number(options.generators ?? 2);
  const weftFlags = [...PROBE_FLAGS, ...parseList(options['weft-node-flags'], [])];
  const floorFlags = [...PROBE_FLAGS, ...parseList(options['floor-node-flags'], [])];
  const pinning = options.pin ? { server: 0, load: 1 } : undefined;
  const quietWaitMs = Number(options['quiet-wait'] ?? 120) * 1000;
  const retries = Number(options.retries ?? MAX_RETRIES);
  const targets = [
    ['weft', () => startWeftDev({ nodeFlags: weftFlags })],
    ['floor', () => startFloor({ nodeFlags: floorFlags })],
  ];
  const rows = [];
  for (const name of scenarios) {
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario ${name} (key, prefix)`);
    for (const n of ns) {
      const runs = { weft: [], floor: [] };
      for (let rep = 1; rep <= reps; rep++) {
        for (const [tname, start] of targets) {
          let r;
          for (let attempt = 1; ; attempt++) {
            const quiet = await waitForQuiet({ log, maxMs: quietWaitMs });
            r = await measureOnce(start, scenario, n, generatorCount, pinning);
            r.quietBefore = quiet;
            r.noisy = r.foreignCpuMs > NOISE * r.windowMs;
            if (!r.noisy || attempt > retries) break;
            log(`  ${name} n=${n} rep ${rep} ${tname}: other processes used ${r.foreignCpuMs} ms of CPU in ${fmt(r.windowMs, 0)} ms; measuring again`);
          }
          runs[tname].push(r);
          log(
            `  ${name} n=${n} rep ${rep} ${tname.padEnd(5)} total ${fmt(r.totalMs)} ms  p50 ${fmt(r.p50Ms)}  p99 ${fmt(r.p99Ms)}  ` +
              `server ${fmt(r.serverMs)} ms cpu ${r.serverCpuMs} ms  foreign cpu ${r.foreignCpuMs} ms${r.noisy ? ' (NOISY)' : ''}  answered ${r.answered}/${n}  early ${r.early}  put ${fmt(r.putMs)} ms  RSS held ${fmt(r.rssHeld)} MB after ${fmt(r.rssAfter)} MB  ` +
              `settle ${r.settle.method} ${fmt(r.settle.ms, 0)} ms (gauge ${r.settle.gauge})  body ${r.bodyBytes.join('-')} B  headers ${r.headerCount.join('-')}` +
              (r.errors.length ? `  errors: ${r.errors.join('; ')}` : ''),
          );
        }
      }
      const weft = summarize(runs.weft);
      const floor = summarize(runs.floor);
      const ratio = weft.totalMs / floor.totalMs;
      const serverRatio = weft.serverMs / floor.serverMs;
      const cpuRatio = weft.serverCpuMs / floor.serverCpuMs;
      const row = { scenario: name, n, reps, generators: generatorCount, pinned: Boolean(pinning), weft, floor, ratio, serverRatio, cpuRatio };
      if (n === AIM.n && name === 'key') row.aimMet = ratio <= AIM.ratio && weft.rssPeak < AIM.rssMb && weft.answered === n;
      rows.push(row);
      log(
        `fanout ${name} n=${n}: weft ${fmt(weft.totalMs)} ms, floor ${fmt(floor.totalMs)} ms, ratio = ${fmt(ratio, 2)} ` +
          `(server-side ${fmt(weft.serverMs)} / ${fmt(floor.serverMs)} ms = ${fmt(serverRatio, 2)}, server CPU ${weft.serverCpuMs} / ${floor.serverCpuMs} ms = ${fmt(cpuRatio, 2)}); ` +
          `RSS held weft ${fmt(weft.rssHeld)} MB / floor ${fmt(floor.rssHeld)} MB` +
          (row.aimMet !== undefined ? `; aim (<= ${AIM.ratio}x, < ${AIM.rssMb} MB): ${row.aimMet ? 'met' : 'NOT met'}` : ''),
      );
    }
  }
  return { name: 'fanout', rows, markdown: markdown(rows) };
}
