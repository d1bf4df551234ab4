// KV against etcd, side by side in one run: Weft's durable server (`-server -bootstrap
// -data-dir <mkdtemp>`, LMDB, every acknowledged write fsynced, group-committed) and etcd
// (Debian `etcd-server`, one member, default fsync: every acknowledged write is in its
// fsynced WAL). Both data directories are fresh `mkdtemp`s on the same filesystem.
//
// Both are driven by the same Node load code over keep-alive node:http connections to
// 127.0.0.1: Weft through its Consul API (`PUT/GET /v1/kv/<key>`), etcd through its HTTP/JSON
// gRPC gateway (`POST /v3/kv/put` and `/v3/kv/range`, base64 keys and values). The gateway
// costs etcd some JSON work a native gRPC client would not pay; using one HTTP load
// generator for both keeps the client side identical, which matters more on a 2-core box.
//
// Phases, each run for both servers in alternation and repeated (median reported):
// sequential PUT latency (one client, one request at a time), 32-way concurrent PUT
// throughput, 32-way concurrent GET throughput. Prints the ratios Weft/etcd.
//
//   node bench/kv-etcd.js [--seconds 5] [--seq-count 1000] [--reps 3] [--clients 32]
//
// If `etcd` is missing it is installed with apt-get when running as root; otherwise the
// benchmark says so and exits 0 without figures.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIfMain } from './lib/standalone.js';
import { ensureEtcd, startEtcdCluster } from './lib/etcd.js';
import { VALUE, concurrentLoad, etcdKv, sequentialLoad, weftKv } from './lib/kv-load.js';
import { stopProcess, waitForQuiet } from './lib/processes.js';
import { fmt, medianBy } from './lib/stats.js';
import { startWeftDurable } from './lib/targets.js';

export const description = 'KV vs etcd: sequential PUT latency, 32-way PUT and GET throughput, Weft/etcd ratios';

const GET_KEYS = 1000;

const PHASES = {
  'sequential PUT': (t, o) => sequentialLoad((agent, i) => t.put(agent, `bench/seq/${i % 1000}`), { count: o.seqCount, maxMs: o.seconds * 4000 }),
  'concurrent PUT': (t, o) => concurrentLoad((agent, c, i) => t.put(agent, `bench/c${c}/${i % 100}`), { clients: o.clients, seconds: o.seconds }),
  'concurrent GET': (t, o) => concurrentLoad((agent, c, i) => t.get(agent, `bench/get/${(c * 7919 + i) % GET_KEYS}`), { clients: o.clients, seconds: o.seconds }),
};

export async function run(options = {}, log = console.log) {
  const o = {
    seconds: Number(options.seconds ?? 5),
    seqCount: Number(options['seq-count'] ?? 1000),
    reps: Number(options.reps ?? 3),
    clients: Number(options.clients ?? 32),
  };
  const version = ensureEtcd(log);
  if (!version) {
    log('  etcd is not installed (Debian package etcd-server) and cannot be installed here: skipped.');
    return { name: 'kv-etcd', skipped: true, markdown: 'Skipped: etcd (Debian etcd-server) not available.' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-kv-'));
  const stops = [];
  try {
    const weft = await startWeftDurable(dir);
    stops.push(() => stopProcess(weft.child));
    const etcd = await startEtcdCluster(1);
    stops.push(etcd.stop);
    const targets = [{ name: 'weft', ...weftKv(weft.port) }, { name: 'etcd', ...etcdKv(etcd.port) }];
    const pids = { weft: weft.pid, etcd: etcd.pids[0] };
    log(`  ${version}; weft durable server; value ${VALUE.length} bytes; ${o.clients} clients; ${o.seconds}s per concurrent phase; ${o.reps} repetitions`);
    // Warm-up and the keys the GET phase reads; not reported.
    for (const t of targets) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
      for (let i = 0; i < GET_KEYS; i += 32) await Promise.all(Array.from({ length: 32 }, (_, j) => t.put(agent, `bench/get/${(i + j) % GET_KEYS}`)));
      agent.destroy();
    }
    const results = {};
    for (const [phase, measure] of Object.entries(PHASES)) {
      results[phase] = { weft: [], etcd: [] };
      for (let rep = 0; rep < o.reps; rep++) {
        // Alternate who goes first, so neither always runs on a warmer or busier machine.
        const order = rep % 2 === 0 ? targets : [...targets].reverse();
        for (const t of order) {
          await waitForQuiet({ maxMs: 30_000 });
          const r = await measure(t, o);
          results[phase][t.name].push(r);
        }
      }
      const w = medianBy(results[phase].weft, 'perSec');
      const e = medianBy(results[phase].etcd, 'perSec');
      results[phase] = { weft: w, etcd: e };
      log(`  ${phase}: weft ${fmt(w.perSec, 0)}/s (p50 ${fmt(w.p50, 2)} ms, p99 ${fmt(w.p99, 2)} ms) | etcd ${fmt(e.perSec, 0)}/s (p50 ${fmt(e.p50, 2)} ms, p99 ${fmt(e.p99, 2)} ms) | weft/etcd ${fmt(w.perSec / e.perSec, 2)}x`);
    }
    return { name: 'kv-etcd', options: o, version, pids, results, markdown: markdown(results, o, version) };
  } finally {
    for (const stop of stops) await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function markdown(results, o, version) {
  const out = [
    `${version}, one member, default fsync; Weft durable server (LMDB, group commit). Value 128 bytes, keep-alive HTTP/1.1 from one Node process, median of ${o.reps} alternating repetitions.`,
    '',
    '| phase | Weft ops/s | Weft p50 / p99 | etcd ops/s | etcd p50 / p99 | Weft/etcd throughput |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [phase, { weft: w, etcd: e }] of Object.entries(results)) {
    const label = phase === 'sequential PUT' ? 'sequential PUT (1 client)' : `${phase} (${o.clients} clients)`;
    out.push(`| ${label} | ${fmt(w.perSec, 0)} | ${fmt(w.p50, 2)} / ${fmt(w.p99, 2)} ms | ${fmt(e.perSec, 0)} | ${fmt(e.p50, 2)} / ${fmt(e.p99, 2)} ms | ${fmt(w.perSec / e.perSec, 2)}x |`);
  }
  return out.join('\n');
}

runIfMain(import.meta.url, run);
