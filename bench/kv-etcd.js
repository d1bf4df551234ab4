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
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { freePort, killAll, nowMs, sleep, stopProcess, waitForQuiet } from './lib/processes.js';
import { fmt, medianBy, percentile } from './lib/stats.js';
import { startWeftDurable } from './lib/targets.js';

export const description = 'KV vs etcd: sequential PUT latency, 32-way PUT and GET throughput, Weft/etcd ratios';

const VALUE = Buffer.alloc(128, 'v');
const GET_KEYS = 1000;

/** One HTTP exchange; resolves with the body when the status is 200. */
function call(agent, port, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(text);
        else reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const b64 = (s) => Buffer.from(s).toString('base64');

/** The two systems behind one interface: a PUT that is acknowledged only when durable, and a GET. */
function weftTarget(port) {
  return {
    name: 'weft',
    port,
    async put(agent, key) {
      const r = await call(agent, port, 'PUT', `/v1/kv/${key}`, VALUE);
      if (r !== 'true') throw new Error(`weft PUT ${key}: ${r}`);
    },
    get: (agent, key) => call(agent, port, 'GET', `/v1/kv/${key}`),
  };
}

function etcdTarget(port) {
  const value = VALUE.toString('base64');
  return {
    name: 'etcd',
    port,
    put: (agent, key) => call(agent, port, 'POST', '/v3/kv/put', JSON.stringify({ key: b64(key), value })),
    async get(agent, key) {
      const r = await call(agent, port, 'POST', '/v3/kv/range', JSON.stringify({ key: b64(key) }));
      if (!r.includes('"kvs"')) throw new Error(`etcd range ${key}: no value`);
      return r;
    },
  };
}

function ensureEtcd(log) {
  const has = () => {
    try {
      return execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0];
    } catch {
      return null;
    }
  };
  let version = has();
  if (!version && process.getuid?.() === 0) {
    log('  installing Debian etcd-server ...');
    try {
      execFileSync('apt-get', ['install', '-y', '-qq', 'etcd-server'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
      execFileSync('apt-get', ['install', '-y', '-qq', 'etcd-server'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
    version = has();
  }
  return version;
}

async function startEtcd(dataDir) {
  const [client, peer] = [await freePort(), await freePort()];
  const c = `http://127.0.0.1:${client}`;
  const p = `http://127.0.0.1:${peer}`;
  const args = [
    '--name', 'bench', '--data-dir', dataDir,
    '--listen-client-urls', c, '--advertise-client-urls', c,
    '--listen-peer-urls', p, '--initial-advertise-peer-urls', p,
    '--initial-cluster', `bench=${p}`, '--initial-cluster-state', 'new',
    '--logger', 'zap', '--log-level', 'error',
  ];
  const child = spawn('etcd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.tail = '';
  const keep = (d) => (child.tail = (child.tail + d).slice(-4096));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((child.exitStatus = { code, signal }))));
  // Never leave etcd behind, whatever ends this process.
  const reap = () => child.exitStatus || child.kill('SIGKILL');
  process.once('exit', reap);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitStatus) throw new Error(`etcd exited early: ${child.tail}`);
    try {
      if ((await call(false, client, 'GET', '/health')).includes('true')) return { name: 'etcd', child, port: client, pid: child.pid };
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`etcd not ready: ${child.tail}`);
}

async function sequentialPuts(target, count, maxMs) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const lat = [];
    const t0 = nowMs();
    for (let i = 0; i < count && nowMs() - t0 < maxMs; i++) {
      const t = nowMs();
      await target.put(agent, `bench/seq/${i % 1000}`);
      lat.push(nowMs() - t);
    }
    const seconds = (nowMs() - t0) / 1000;
    return { ops: lat.length, seconds, perSec: lat.length / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99) };
  } finally {
    agent.destroy();
  }
}

async function concurrent(target, clients, seconds, op) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    const lat = [];
    const t0 = nowMs();
    const stopAt = t0 + seconds * 1000;
    const client = async (c) => {
      for (let i = 0; nowMs() < stopAt; i++) {
        const t = nowMs();
        await op(agent, c, i);
        lat.push(nowMs() - t);
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
    const secs = (nowMs() - t0) / 1000;
    return { ops: lat.length, seconds: secs, perSec: lat.length / secs, p50: percentile(lat, 50), p99: percentile(lat, 99) };
  } finally {
    agent.destroy();
  }
}

const PHASES = {
  'sequential PUT': (t, o) => sequentialPuts(t, o.seqCount, o.seconds * 4000),
  'concurrent PUT': (t, o) => concurrent(t, o.clients, o.seconds, (agent, c, i) => t.put(agent, `bench/c${c}/${i % 100}`)),
  'concurrent GET': (t, o) => concurrent(t, o.clients, o.seconds, (agent, c, i) => t.get(agent, `bench/get/${(c * 7919 + i) % GET_KEYS}`)),
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
  const dirs = [mkdtempSync(join(tmpdir(), 'weft-bench-kv-')), mkdtempSync(join(tmpdir(), 'etcd-bench-kv-'))];
  const started = [];
  try {
    const weft = await startWeftDurable(dirs[0]);
    started.push(weft);
    const etcd = await startEtcd(dirs[1]);
    started.push(etcd);
    const targets = [weftTarget(weft.port), etcdTarget(etcd.port)];
    const pids = { weft: weft.pid, etcd: etcd.pid };
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
    for (const s of started) await stopProcess(s.child);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
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

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) options[a.slice(2, eq)] = a.slice(eq + 1);
    else options[a.slice(2)] = argv[++i];
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (killAll(), process.exit(130)));
  run(parseArgs(process.argv.slice(2)))
    .then((r) => console.log(`\n${r.markdown}`))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
