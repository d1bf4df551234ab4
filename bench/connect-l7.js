// L7 mesh data plane: HTTP/1.1 keep-alive requests through
//   (a) direct:  load generator -> backend,
//   (b) Weft:    -> web's sidecar (HTTP, routed by the compiled chain) -> mTLS -> db's sidecar
//                (HTTP, L7 intentions) -> backend; two `weft connect proxy -sidecar-for`,
//   (c) NGINX:   the same hops through two Debian nginx processes doing the same mutual TLS
//                with certificates issued by Weft's CA, upstream keep-alive on both hops,
// all at once on one machine. The backend is nginx answering `return 200` itself (one process),
// the same for all three. Measured: requests per second and latency with wrk (closed loop), the
// latency at a fixed 1000 requests per second (bench/connect-l7-rate.js, open loop), each
// sidecar's CPU during the fixed rate, and its memory. Before measuring, both pairs must prove
// they work at L7 (see checkL7 in connect-l7-weft.js), so an L4 splice is never measured by accident.
//
//   node bench/connect-l7.js [--seconds 6] [--reps 3] [--conns 32] [--threads 1] [--rate 1000]
//       [--rate-seconds 8] [--rate-conns 16] [--body-bytes 128] [--only direct,weft,nginx] [--quiet-wait 30]
//       [--weft-node-flags=--cpu-prof,--cpu-prof-dir=/tmp/prof] [--allow-l4]
//
// Needs: apt-get install -y wrk nginx. Run `npm run build` first.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { L7_HEADER, startBackend, startNginxPair } from './connect-l7-nginx.js';
import { runRate, runWrk, writeWrkScript } from './connect-l7-load.js';
import { checkL7, startWeftL7Pair } from './connect-l7-weft.js';
import { ratios, report, summarize } from './connect-l7-report.js';
import { TICKS_PER_SECOND, cpuTicks, machineBusyTicks, nowMs, peakRssMb, rssMb, stopProcess, waitForQuiet, waitPort } from './lib/processes.js';
import { requireTool } from './lib/require-tool.js';
import { runIfMain } from './lib/standalone.js';
import { fmt } from './lib/stats.js';

export const description = 'L7 HTTP/1.1 sidecar pair: requests per second, latency at 1000 req/s, CPU and memory; Weft beside an NGINX pair and a direct connection';

/** CPU ticks of this benchmark's own process tree: itself, its reaped children (wrk, generators) and the live ones. */
function ownTicks(livePids) {
  const rest = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return [11, 12, 13, 14].reduce((s, i) => s + Number(rest[i]), 0) + livePids.reduce((s, pid) => s + cpuTicks(pid), 0);
}

/** Runs `fn` while measuring the CPU that processes outside the benchmark used (ms). */
async function disturbance(livePids, fn) {
  const m0 = machineBusyTicks();
  const o0 = ownTicks(livePids);
  const value = await fn();
  const others = machineBusyTicks() - m0 - (ownTicks(livePids) - o0);
  return { value, othersMs: Math.max(0, others) * (1000 / TICKS_PER_SECOND) };
}

/** Each repetition runs every path once, rotating the order so drifting machine load falls on all alike. */
async function rounds(paths, opts, log, what, one) {
  for (let r = 0; r < opts.reps; r++) {
    if (opts.quietWait > 0) await waitForQuiet({ maxMs: opts.quietWait * 1000, log });
    for (let i = 0; i < paths.length; i++) await one(paths[(i + r) % paths.length]);
    log(`  ${what} repetition ${r + 1}/${opts.reps}: ${paths.map((p) => p.line()).join('; ')}`);
  }
}

async function measure(paths, allPids, opts, script, log) {
  for (const p of paths) await runWrk(script, p.port, { ...opts, seconds: 2 }); // warm-up: connections, JIT, TLS sessions
  for (const p of paths) Object.assign(p, { wrk: [], fixed: [] });
  for (const p of paths) p.line = () => `${p.name} ${fmt(p.wrk.at(-1).rps, 0)} req/s p99 ${fmt(p.wrk.at(-1).p99 / 1000, 2)} ms`;
  await rounds(paths, opts, log, 'wrk', async (p) => {
    const cpu0 = p.pids.map(cpuTicks);
    const fromMs = nowMs();
    const { value: w, othersMs } = await disturbance(allPids, () => runWrk(script, p.port, opts));
    const cpu = p.pids.map((pid, k) => (cpuTicks(pid) - cpu0[k]) / TICKS_PER_SECOND);
    // fromMs/toMs: the window for `node bench/profile-top.js PROFILE FROM_MS TO_MS` (same clock as --cpu-prof).
    p.wrk.push({ ...w, othersMs, fromMs, toMs: nowMs(), cpuUsPerReq: cpu.map((c) => (c * 1e6) / w.requests) });
  });
  for (const p of paths) {
    p.line = () => {
      const f = p.fixed.at(-1);
      return `${p.name} p50 ${fmt(f.p50 / 1000, 3)} p99 ${fmt(f.p99 / 1000, 3)} ms (lag p99 ${fmt(f.lagP99 / 1000, 3)}), vCPU ${f.vcpuPer1k.map((c) => fmt(c, 3)).join(' + ') || '–'}`;
    };
  }
  await rounds(paths, opts, log, `${opts.rate} req/s`, async (p) => {
    let cpu0 = [];
    let cpu = [];
    let fromMs = 0;
    let toMs = 0;
    const { value: f, othersMs } = await disturbance(allPids, () =>
      runRate(p.port, { rate: opts.rate, conns: opts.rateConns, header: p.header, seconds: opts.rateSeconds }, {
        onStart: () => {
          cpu0 = p.pids.map(cpuTicks);
          fromMs = nowMs();
        },
        onEnd: () => {
          cpu = p.pids.map((pid, k) => (cpuTicks(pid) - cpu0[k]) / TICKS_PER_SECOND);
          toMs = nowMs();
        },
      }),
    );
    p.fixed.push({ ...f, othersMs, fromMs, toMs, vcpuPer1k: cpu.map((c) => c / f.seconds / (f.rate / 1000)) });
  });
  for (const p of paths) p.mem = p.pids.map((pid) => ({ now: rssMb(pid), peak: peakRssMb(pid) }));
}

export async function run(options = {}, log = console.log) {
  requireTool('wrk', 'wrk');
  requireTool('nginx', 'nginx');
  const num = (k, d) => Number(options[k] ?? d);
  const opts = {
    seconds: num('seconds', 6),
    reps: num('reps', 3),
    conns: num('conns', 32),
    threads: num('threads', 1),
    rate: num('rate', 1000),
    rateSeconds: num('rate-seconds', 8),
    rateConns: num('rate-conns', 16),
    bodyBytes: num('body-bytes', 128),
    quietWait: num('quiet-wait', 30),
  };
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-l7-'));
  const stops = [];
  try {
    const backend = await startBackend(dir, opts.bodyBytes);
    stops.push(() => stopProcess(backend.proc));
    await waitPort(backend.port, 'backend nginx', backend.proc);

    log('starting Weft (agent -dev, L7 config entries, two `weft connect proxy` sidecars)');
    const nodeFlags = options['weft-node-flags'] ? String(options['weft-node-flags']).split(',') : [];
    const weft = await startWeftL7Pair(dir, backend.port, { nodeFlags });
    stops.push(() => stopProcess(weft.web), () => stopProcess(weft.db), () => stopProcess(weft.agent));
    log('starting the NGINX pair with certificates from the Weft CA');
    const ng = await startNginxPair(dir, weft.httpPort, backend.port);
    stops.push(() => stopProcess(ng.web), () => stopProcess(ng.db));
    await waitPort(ng.pub, 'server-side nginx', ng.db);
    await waitPort(ng.upstream, 'client-side nginx', ng.web);

    const l7 = { weft: await checkL7(weft.upstream), nginx: await checkL7(ng.upstream) };
    log(`L7 check: Weft ${l7.weft.ok ? 'active' : 'NOT active'} (${l7.weft.detail}); NGINX ${l7.nginx.ok ? 'active' : 'NOT active'} (${l7.nginx.detail})`);
    if (!l7.nginx.ok) throw new Error(`the NGINX pair fails the L7 check: ${l7.nginx.detail}\n${readFileSync(join(dir, 'nginx-web-error.log'), 'utf8').slice(-2000)}`);
    const idle = { weft: [weft.web.pid, weft.db.pid].map(rssMb), nginx: [ng.web.pid, ng.db.pid].map(rssMb) };

    const all = [
      { name: 'direct', key: 'direct', port: backend.port, pids: [] },
      { name: l7.weft.ok ? 'Weft sidecars' : 'Weft sidecars (L7 NOT active)', key: 'weft', port: weft.upstream, pids: [weft.web.pid, weft.db.pid], header: l7.weft.ok ? L7_HEADER : '' },
      { name: 'NGINX pair', key: 'nginx', port: ng.upstream, pids: [ng.web.pid, ng.db.pid], header: L7_HEADER },
    ];
    const only = options.only ? String(options.only).split(',') : null;
    const paths = all.filter((p) => !only || only.includes(p.key));
    if (!l7.weft.ok && paths.some((p) => p.key === 'weft') && !('allow-l4' in options)) {
      throw new Error(`the Weft pair fails the L7 check (${l7.weft.detail}): its sidecars do not handle HTTP at L7; --allow-l4 measures it anyway`);
    }
    const allPids = [backend.proc.pid, weft.agent.pid, weft.web.pid, weft.db.pid, ng.web.pid, ng.db.pid];
    log(`measuring ${paths.map((p) => p.name).join(', ')}`);
    await measure(paths, allPids, opts, writeWrkScript(dir), log);
    const results = Object.fromEntries(paths.map((p) => [p.key, summarize(p)]));
    const summary = ratios(results);
    log(`json: ${JSON.stringify({ bench: 'connect-l7', opts, l7: { weft: l7.weft.ok, nginx: l7.nginx.ok }, results, summary, idle })}`);
    return { name: 'connect-l7', opts, l7, results, summary, idle, markdown: report(results, summary, idle, opts, l7) };
  } finally {
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run, { switches: ['allow-l4'] });
