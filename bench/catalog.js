// Catalog at scale: register 10,000 service instances over 100 nodes through
// /v1/catalog/register, then measure GET /v1/health/service/:s?passing for one service of
// 100 instances (latency p50/p99 with one keep-alive client, throughput with many), and the
// server's RSS. Layout: services svc-000..svc-099, each with one instance on every node
// node-000..node-099, each instance with one passing check; each node has a serfHealth check.
//
// Runs standalone (`node bench/catalog.js [--durable] [--concurrency 64] [--seconds 5]
// [--requests 3000] [--clients 32]`) or from bench/run.js as `catalog`. Every server it
// starts is stopped on success, error and interrupt.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, nowMs, peakRssMb, rssMb, stopProcess } from './lib/processes.js';
import { ok } from './lib/http.js';
import { fmt, percentile } from './lib/stats.js';
import { startWeftDev, startWeftDurable } from './lib/targets.js';

export const description = '10k instances over 100 nodes, then /v1/health/service/:s?passing for a 100-instance service';

const NODES = 100;
const SERVICES = 100;
const AIM = { p99Ms: 5, rssMb: 500 };
const pad = (i) => String(i).padStart(3, '0');

function registration(n, s) {
  const node = `node-${pad(n)}`;
  const id = `svc-${pad(s)}-${pad(n)}`;
  return {
    Node: node,
    Address: `10.${Math.floor(n / 250)}.${n % 250}.1`,
    NodeMeta: { rack: `r${n % 4}` },
    Service: { ID: id, Service: `svc-${pad(s)}`, Tags: ['v1', `shard-${s % 8}`], Port: 20000 + s, Meta: { version: '1' } },
    Checks: [
      { CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing', Output: 'Agent alive and reachable' },
      { CheckID: `service:${id}`, Name: `Service '${id}' check`, ServiceID: id, Status: 'passing', Definition: { HTTP: `http://10.0.0.1:${20000 + s}/health`, Interval: '10s' } },
    ],
  };
}

/** Runs `total` jobs with at most `concurrency` in flight. */
async function pool(total, concurrency, job) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total) await job(next++);
  });
  await Promise.all(workers);
}

async function registerAll(port, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const t0 = nowMs();
  await pool(NODES * SERVICES, concurrency, (i) =>
    ok({ port, method: 'PUT', path: '/v1/catalog/register', body: JSON.stringify(registration(i % NODES, Math.floor(i / NODES))), agent }),
  );
  const ms = nowMs() - t0;
  agent.destroy();
  return { ms, perSec: (NODES * SERVICES) / (ms / 1000) };
}

async function latency(port, path, requests) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 200; i++) await ok({ port, method: 'GET', path, agent }); // warm-up
  const samples = [];
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    const t0 = nowMs();
    const res = await ok({ port, method: 'GET', path, agent });
    samples.push(nowMs() - t0);
    bytes = res.body.length;
  }
  agent.destroy();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples), bytes };
}

async function throughput(port, path, clients, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const deadline = nowMs() + seconds * 1000;
  let done = 0;
  const samples = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (nowMs() < deadline) {
        const t0 = nowMs();
        await ok({ port, method: 'GET', path, agent });
        samples.push(nowMs() - t0);
        done++;
      }
    }),
  );
  agent.destroy();
  return { perSec: done / seconds, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

export async function run(options = {}) {
  const concurrency = Number(options.concurrency ?? 64);
  const requests = Number(options.requests ?? 3000);
  const clients = Number(options.clients ?? 32);
  const seconds = Number(options.seconds ?? 5);
  const dataDir = options.durable ? mkdtempSync(join(tmpdir(), 'weft-bench-catalog-')) : null;
  const server = dataDir ? await startWeftDurable(dataDir) : await startWeftDev();
  try {
    const rssIdle = rssMb(server.pid);
    const reg = await registerAll(server.port, concurrency);
    const path = '/v1/health/service/svc-042?passing';
    const check = JSON.parse((await ok({ port: server.port, method: 'GET', path })).body.toString('utf8'));
    if (check.length !== NODES) throw new Error(`expected ${NODES} passing instances of svc-042, got ${check.length}`);
    const rssLoaded = rssMb(server.pid);
    const lat = await latency(server.port, path, requests);
    const tput = await throughput(server.port, path, clients, seconds);
    const rssAfter = rssMb(server.pid);
    const peak = peakRssMb(server.pid);
    const store = dataDir ? 'durable (LMDB, fsync before ack)' : 'in-memory (-dev)';
    const verdict = (ok) => (ok ? 'met' : 'MISSED');
    const markdown = [
      `store: ${store}; ${NODES * SERVICES} instances (${SERVICES} services x ${NODES} nodes), 2 checks each answer entry`,
      '',
      '| measure | value | aim |',
      '| --- | --- | --- |',
      `| register 10k instances, ${concurrency} concurrent PUT /v1/catalog/register | ${fmt(reg.ms / 1000, 1)} s (${fmt(reg.perSec, 0)}/s) | |`,
      `| GET ${path} (100 entries, ${fmt(lat.bytes / 1024, 0)} KiB), 1 keep-alive client, ${requests} requests: p50 | ${fmt(lat.p50, 2)} ms | |`,
      `| same: p99 | ${fmt(lat.p99, 2)} ms | < ${AIM.p99Ms} ms (${verdict(lat.p99 < AIM.p99Ms)}) |`,
      `| same, ${clients} concurrent clients for ${seconds} s: throughput | ${fmt(tput.perSec, 0)} req/s (p50 ${fmt(tput.p50, 1)} ms, p99 ${fmt(tput.p99, 1)} ms) | |`,
      `| server RSS: idle / after registration / after queries (peak) | ${fmt(rssIdle, 0)} / ${fmt(rssLoaded, 0)} / ${fmt(rssAfter, 0)} (${fmt(peak, 0)}) MB | < ${AIM.rssMb} MB (${verdict(peak < AIM.rssMb)}) |`,
    ].join('\n');
    return { name: 'catalog', store, register: reg, latency: lat, throughput: tput, rss: { idle: rssIdle, loaded: rssLoaded, after: rssAfter, peak }, markdown };
  } finally {
    await stopProcess(server.child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (name === 'durable') options.durable = true;
    else options[name] = argv[++i];
  }
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (killAll(), process.exit(130)));
  run(options).then(
    (r) => (console.log(`## catalog: ${description}\n\n${r.markdown}`), process.exit(0)),
    (err) => (console.error(err?.stack ?? err), killAll(), process.exit(1)),
  );
}
