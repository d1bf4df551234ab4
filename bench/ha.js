// KV PUT throughput and latency, in one run: Weft's embedded store (LMDB, fsync per group
// commit), one Weft server on a 1-member etcd and one on a 3-member etcd (-store=etcd: each
// PUT is one etcd transaction, acknowledged once etcd committed it and the server applied it
// from the watch stream), and etcd itself on those same two clusters.
//
// One load generator for all of them: keep-alive node:http from this process to 127.0.0.1,
// Weft through its Consul API (`PUT /v1/kv/<key>`), etcd through its HTTP/JSON gateway
// (`POST /v3/kv/put`, base64 key and value). Weft on etcd and etcd alone are measured on the
// same etcd processes, so their ratio is Weft's cost over the store it uses.
//
// Phases, each run for every target in turn, repeated with the order rotated (median kept):
// sequential PUT latency (one client, one request at a time) and 32-way concurrent PUT
// throughput. Value 128 bytes; etcd members keep their default fsync.
//
//   node bench/ha.js [--seconds 5] [--seq-count 500] [--reps 3] [--clients 32]
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIfMain } from './lib/standalone.js';
import { ensureEtcd, startEtcdCluster } from './lib/etcd.js';
import { VALUE, concurrentLoad, etcdKv, sequentialLoad, weftKv } from './lib/kv-load.js';
import { WEFT_BIN, freePort, startNode, stopProcess, waitForQuiet, waitReady } from './lib/processes.js';
import { fmt, medianBy } from './lib/stats.js';
import { startWeftDurable } from './lib/targets.js';

export const description = 'HA: KV PUT on the embedded store, on Weft over a 1- and a 3-member etcd, and on etcd itself';

/** A PUT into etcd, its keys under bench/. */
const etcdPut = (port) => {
  const { put } = etcdKv(port);
  return (agent, key) => put(agent, `bench/${key}`);
};

/** `weft agent -server -store=etcd` on free ports, its own data dir. */
async function startWeftOnEtcd(endpoints, dataDir) {
  const [http, serf, server] = [await freePort(), await freePort(), await freePort()];
  const args = [WEFT_BIN, 'agent', '-server', '-data-dir', dataDir, '-node', `bench-${serf}`, '-bind', '127.0.0.1'];
  args.push('-http-port', String(http), '-dns-port', '-1', '-serf-lan-port', String(serf), '-server-port', String(server));
  args.push('-store=etcd', `-etcd-endpoints=${endpoints.join(',')}`);
  const child = startNode(args);
  try {
    await waitReady(child, http);
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
  return { child, port: http, pid: child.pid };
}

export async function run(options = {}, log = console.log) {
  const o = {
    seconds: Number(options.seconds ?? 5),
    seqCount: Number(options['seq-count'] ?? 500),
    reps: Number(options.reps ?? 3),
    clients: Number(options.clients ?? 32),
  };
  const version = ensureEtcd(log);
  if (!version) {
    log('  etcd is not installed (Debian package etcd-server) and cannot be installed here: skipped.');
    return { name: 'ha', skipped: true, markdown: 'Skipped: etcd (Debian etcd-server) not available.' };
  }
  const dirs = [];
  const temp = (p) => {
    const d = mkdtempSync(join(tmpdir(), p));
    dirs.push(d);
    return d;
  };
  const stops = [];
  try {
    const embedded = await startWeftDurable(temp('weft-bench-ha-embedded-'));
    stops.push(() => stopProcess(embedded.child));
    const etcd1 = await startEtcdCluster(1);
    stops.push(etcd1.stop);
    const etcd3 = await startEtcdCluster(3);
    stops.push(etcd3.stop);
    const weft1 = await startWeftOnEtcd(etcd1.endpoints, temp('weft-bench-ha-e1-'));
    stops.push(() => stopProcess(weft1.child));
    const weft3 = await startWeftOnEtcd(etcd3.endpoints, temp('weft-bench-ha-e3-'));
    stops.push(() => stopProcess(weft3.child));
    const targets = [
      { name: 'embedded', put: weftKv(embedded.port).put },
      { name: 'weft+etcd1', put: weftKv(weft1.port).put },
      { name: 'etcd1', put: etcdPut(etcd1.port) },
      { name: 'weft+etcd3', put: weftKv(weft3.port).put },
      { name: 'etcd3', put: etcdPut(etcd3.port) },
    ];
    log(`  ${version}; value ${VALUE.length} bytes; ${o.clients} clients; ${o.seconds}s per concurrent phase; ${o.reps} repetitions`);
    for (const t of targets) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      for (let i = 0; i < 200; i += 8) await Promise.all(Array.from({ length: 8 }, (_, j) => t.put(agent, `warm/${i + j}`)));
      agent.destroy();
    }
    const phases = {
      'sequential PUT': (t) => sequentialLoad((agent, i) => t.put(agent, `seq/${i % 1000}`), { count: o.seqCount, maxMs: o.seconds * 4000 }),
      'concurrent PUT': (t) => concurrentLoad((agent, c, i) => t.put(agent, `c${c}/${i % 100}`), { clients: o.clients, seconds: o.seconds }),
    };
    const results = {};
    for (const [phase, measure] of Object.entries(phases)) {
      const runs = Object.fromEntries(targets.map((t) => [t.name, []]));
      for (let rep = 0; rep < o.reps; rep++) {
        // Rotate the order, so no target always runs first or last.
        const order = targets.map((_, i) => targets[(i + rep) % targets.length]);
        for (const t of order) {
          await waitForQuiet({ maxMs: 20_000 });
          runs[t.name].push(await measure(t));
        }
      }
      results[phase] = Object.fromEntries(Object.entries(runs).map(([n, r]) => [n, medianBy(r, 'perSec')]));
      const line = targets.map((t) => `${t.name} ${fmt(results[phase][t.name].perSec, 0)}/s (p50 ${fmt(results[phase][t.name].p50, 2)} ms)`).join(' | ');
      log(`  ${phase}: ${line}`);
    }
    return { name: 'ha', options: o, version, results, markdown: markdown(results, o, version) };
  } finally {
    for (const stop of stops.reverse()) await stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

function markdown(results, o, version) {
  const out = [
    `${version} (default fsync); Weft ${'`'}-server${'`'} on each; value 128 bytes; keep-alive HTTP/1.1 from one Node process; median of ${o.reps} rotating repetitions.`,
    '',
    '| phase | embedded | Weft on 1-member etcd | etcd, 1 member | Weft on 3-member etcd | etcd, 3 members |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [phase, r] of Object.entries(results)) {
    const cell = (n) => `${fmt(r[n].perSec, 0)}/s, p50 ${fmt(r[n].p50, 2)} / p99 ${fmt(r[n].p99, 2)} ms`;
    const label = phase === 'sequential PUT' ? 'sequential PUT (1 client)' : `${phase} (${o.clients} clients)`;
    out.push(`| ${label} | ${cell('embedded')} | ${cell('weft+etcd1')} | ${cell('etcd1')} | ${cell('weft+etcd3')} | ${cell('etcd3')} |`);
  }
  out.push('', '| ratio (throughput) | sequential | concurrent |', '| --- | ---: | ---: |');
  const ratio = (a, b) => Object.keys(results).map((p) => `${fmt(results[p][a].perSec / results[p][b].perSec, 2)}x`).join(' | ');
  out.push(`| Weft on 1-member etcd / etcd, 1 member | ${ratio('weft+etcd1', 'etcd1')} |`);
  out.push(`| Weft on 3-member etcd / etcd, 3 members | ${ratio('weft+etcd3', 'etcd3')} |`);
  out.push(`| Weft on 1-member etcd / embedded | ${ratio('weft+etcd1', 'embedded')} |`);
  out.push(`| Weft on 3-member etcd / embedded | ${ratio('weft+etcd3', 'embedded')} |`);
  return out.join('\n');
}

runIfMain(import.meta.url, run);
