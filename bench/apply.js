// `apply` throughput with durability on: the durable server (`-server -bootstrap
// -data-dir <mkdtemp>`, LMDB, each write fsynced before it is acknowledged) under
// sequential PUTs (one at a time) and under 32 and 256 concurrent clients.
// The load comes from this process over keep-alive node:http connections to 127.0.0.1.
// A peer comparison (etcd) is a later issue: here, Weft's figures only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { concurrentLoad, sequentialLoad, weftKv } from './lib/kv-load.js';
import { cpuTicks, machineBusyTicks, rssMb, stopProcess, waitForQuiet } from './lib/processes.js';
import { fmt } from './lib/stats.js';
import { startWeftDurable } from './lib/targets.js';

export const description = 'durable apply: sequential PUT latency and concurrent PUT throughput (32, 256 clients)';

const MAX_OPS = 1_000_000;
/** A phase during which other processes used more than this share of one core is measured again. */
const NOISE = 0.1;

async function sequential(port, count, maxMs) {
  const { put } = weftKv(port);
  const r = await sequentialLoad((agent, i) => put(agent, `bench/apply/seq/${i % 1000}`), { count, maxMs });
  return { mode: 'sequential', clients: 1, ...r };
}

async function concurrent(port, clients, seconds) {
  const { put } = weftKv(port);
  const r = await concurrentLoad((agent, c, i) => put(agent, `bench/apply/c${c}/${i % 100}`), { clients, seconds, maxOps: MAX_OPS });
  return { mode: 'concurrent', clients, ...r };
}

function filesystemOf(dir) {
  try {
    return execFileSync('df', ['-T', dir], { encoding: 'utf8' }).trim().split('\n').at(-1).split(/\s+/)[1];
  } catch {
    return 'unknown';
  }
}

/** Runs one phase after the machine is quiet, noting the CPU other processes used meanwhile. */
async function phase(pid, log, { quietWaitMs, retries }, measure) {
  for (let attempt = 1; ; attempt++) {
    const quiet = await waitForQuiet({ log, maxMs: quietWaitMs });
    const ours = () => cpuTicks(pid) + cpuTicks(process.pid);
    const oursBefore = ours();
    const machineBefore = machineBusyTicks();
    const r = await measure();
    r.foreignCpuMs = Math.max(0, machineBusyTicks() - machineBefore - (ours() - oursBefore)) * 10;
    r.quietBefore = quiet;
    r.noisy = r.foreignCpuMs > NOISE * r.seconds * 1000;
    if (!r.noisy || attempt > retries) return r;
    log(`  ${r.mode} ${r.clients}: other processes used ${r.foreignCpuMs} ms of CPU in ${fmt(r.seconds, 1)} s; measuring again`);
  }
}

export async function run(options = {}, log = console.log) {
  const seqCount = Number(options['seq-count'] ?? 2000);
  const seconds = Number(options.seconds ?? 5);
  const concurrency = String(options.concurrency ?? '32,256').split(',').map(Number);
  const base = options['data-base'] ?? tmpdir();
  const quiet = { quietWaitMs: Number(options['quiet-wait'] ?? 120) * 1000, retries: Number(options.retries ?? 3) };
  const dataDir = mkdtempSync(join(base, 'weft-bench-apply-'));
  const fs = filesystemOf(dataDir);
  let target;
  const rows = [];
  try {
    target = await startWeftDurable(dataDir);
    const { port, pid } = target;
    await sequential(port, 100, 10_000); // warm-up, not reported
    const seq = await phase(pid, log, quiet, () => sequential(port, seqCount, 60_000));
    rows.push(seq);
    log(`  sequential: ${seq.ops} PUTs, p50 ${fmt(seq.p50, 2)} ms, p99 ${fmt(seq.p99, 2)} ms, ${fmt(seq.perSec, 0)} puts/s (other processes: ${seq.foreignCpuMs} ms CPU)`);
    for (const c of concurrency) {
      const r = await phase(pid, log, quiet, () => concurrent(port, c, seconds));
      rows.push(r);
      log(`  ${c} clients: ${r.ops} PUTs in ${fmt(r.seconds, 2)} s = ${fmt(r.perSec, 0)} puts/s, p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms (other processes: ${r.foreignCpuMs} ms CPU)`);
    }
    rows.rss = rssMb(pid);
  } finally {
    if (target) await stopProcess(target.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { name: 'apply', rows, fs, markdown: markdown(rows, fs) };
}

function markdown(rows, fs) {
  const out = [
    `Data directory on ${fs} (a fresh \`mkdtemp\`); value 128 bytes; keep-alive connections; RSS at the end ${fmt(rows.rss, 0)} MB.`,
    '',
    '| load | PUTs | duration | puts/s | p50 | p99 | max | CPU of other processes meanwhile |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const load = r.mode === 'sequential' ? 'sequential (1 client, one at a time)' : `${r.clients} concurrent clients`;
    out.push(`| ${load} | ${r.ops} | ${fmt(r.seconds, 2)} s | ${fmt(r.perSec, 0)} | ${fmt(r.p50, 2)} ms | ${fmt(r.p99, 2)} ms | ${fmt(r.max, 1)} ms | ${r.foreignCpuMs} ms${r.noisy ? ' (noisy)' : ''} |`);
  }
  return out.join('\n');
}
