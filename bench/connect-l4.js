// L4 mesh data plane: TCP bulk throughput and request/response latency for
//   (a) direct: client -> app,
//   (b) Weft:   client -> web sidecar (plain) -> mTLS -> db sidecar -> app, two `weft connect proxy`,
//   (c) HAProxy: the same hops through two haproxy processes doing the same mutual TLS with
//       certificates issued by Weft's CA (verify required both ways, SNI, server name checked),
// plus each sidecar's memory. The app (bench/connect-l4-backend.js), every proxy and this
// client are separate processes on one machine. HAProxy runs one thread per process, as each
// Node.js sidecar has one.
//
//   node bench/connect-l4.js [--reps 3] [--bulk-mb 256] [--rr 20000] [--conns 500] [--size 64]
//                            [--weft-node-flags=--cpu-prof,--cpu-prof-dir=/tmp/prof] [--only direct,haproxy,proxy-only]
//
// Needs: apt-get install haproxy. Run `npm run build` first.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { ok } from './lib/http.js';
import { ROOT, TICKS_PER_SECOND, cpuTicks, freePort, peakRssMb, rssMb, startNode, stopProcess, waitPort } from './lib/processes.js';
import { requireTool } from './lib/require-tool.js';
import { runIfMain } from './lib/standalone.js';
import { fmt, median, percentile } from './lib/stats.js';
import { startWeftPair } from './lib/weft-sidecar-pair.js';

export const description = 'L4 mTLS sidecar pair: bulk throughput and request/response latency, Weft beside HAProxy and a direct connection';

/** Sends `mb` MiB in 64 KiB writes, half-closes, and waits for the app's byte count: MB/s end to end. */
function bulk(port, mb) {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 120);
    const total = mb * 1024 * 1024;
    let sent = 0;
    let reply = '';
    const t0 = process.hrtime.bigint();
    const s = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
      s.end();
    };
    s.on('connect', () => {
      s.write('B');
      pump();
    });
    s.on('data', (d) => (reply += d));
    s.on('error', reject);
    s.on('close', () => {
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      if (Number(reply.trim()) !== total) return reject(new Error(`bulk through ${port}: the app counted ${reply.trim() || 'nothing'} of ${total} bytes`));
      resolve(total / 1e6 / secs);
    });
  });
}

/** `n` round trips of `size` bytes on one connection; latencies in µs. */
function roundTrips(port, n, size) {
  return new Promise((resolve, reject) => {
    const msg = Buffer.alloc(size, 97);
    const lat = new Float64Array(n);
    let i = 0;
    let got = 0;
    let t0 = 0n;
    const s = connect({ port, host: '127.0.0.1', noDelay: true });
    const send = () => {
      got = 0;
      t0 = process.hrtime.bigint();
      s.write(msg);
    };
    s.on('connect', () => {
      s.write('E');
      send();
    });
    s.on('data', (d) => {
      got += d.length;
      if (got < size) return;
      lat[i++] = Number(process.hrtime.bigint() - t0) / 1000;
      if (i < n) send();
      else s.end();
    });
    s.on('error', reject);
    s.on('close', () => (i === n ? resolve(Array.from(lat)) : reject(new Error(`round trips through ${port}: closed after ${i}`))));
  });
}

/** `n` times: a new connection, one round trip, close; latencies in µs (the handshakes included). */
async function connectRoundTrips(port, n, size) {
  const out = [];
  for (let k = 0; k < n; k++) {
    const t0 = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1', noDelay: true }, () => s.write(Buffer.concat([Buffer.from('E'), Buffer.alloc(size, 98)])));
      let got = 0;
      s.on('data', (d) => {
        got += d.length;
        if (got >= size) s.destroy();
      });
      s.on('error', reject);
      s.on('close', () => (got >= size ? resolve() : reject(new Error(`connect round trip through ${port} got ${got} bytes`))));
    });
    out.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return out;
}

/** The proxy command without the rest of the CLI: what a sidecar weighs when only its own code is loaded. */
const LEAN_ENTRY = `
const { dispatch } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli/command.js')).href)});
const { connectProxyCommand } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli/commands/connect/proxy.js')).href)});
const ac = new AbortController();
process.on('SIGTERM', () => ac.abort());
process.exitCode = await dispatch([connectProxyCommand], ['connect', 'proxy', ...process.argv.slice(1)], {
  stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), stdin: process.stdin, env: process.env, signal: ac.signal,
});
`;

async function startHaproxyPair(dir, weft, backendPort) {
  const get = async (path) => JSON.parse((await ok({ port: weft.httpPort, method: 'GET', path })).body.toString('utf8'));
  const roots = await get('/v1/agent/connect/ca/roots');
  const web = await get('/v1/agent/connect/ca/leaf/web');
  const db = await get('/v1/agent/connect/ca/leaf/db');
  writeFileSync(join(dir, 'roots.pem'), roots.Roots.map((r) => r.RootCert).join('\n'));
  writeFileSync(join(dir, 'web.pem'), web.CertPEM + web.PrivateKeyPEM);
  writeFileSync(join(dir, 'db.pem'), db.CertPEM + db.PrivateKeyPEM);
  const short = `${roots.TrustDomain.slice(0, 8)}.consul`;
  const [pub, upstream] = [await freePort(), await freePort()];
  const common = 'global\n  nbthread 1\n  maxconn 4000\n  ssl-default-bind-options ssl-min-ver TLSv1.2\n  ssl-default-server-options ssl-min-ver TLSv1.2\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 120s\n  timeout server 120s\n';
  writeFileSync(
    join(dir, 'haproxy-db.cfg'),
    `${common}frontend pub\n  bind 127.0.0.1:${pub} ssl crt ${join(dir, 'db.pem')} ca-file ${join(dir, 'roots.pem')} verify required\n  default_backend app\nbackend app\n  server app 127.0.0.1:${backendPort}\n`,
  );
  // HAProxy checks the server's certificate against the SNI it sends, so it sends the leaf's DNS
  // name (Weft sends Consul's SNI and checks the SPIFFE URI instead: the same proof of identity).
  // Both pairs resume TLS sessions on new connections (HAProxy's default; Weft caches tickets per instance).
  writeFileSync(
    join(dir, 'haproxy-web.cfg'),
    `${common}frontend up\n  bind 127.0.0.1:${upstream}\n  default_backend db\nbackend db\n  server db1 127.0.0.1:${pub} ssl crt ${join(dir, 'web.pem')} ca-file ${join(dir, 'roots.pem')} verify required sni str(db.svc.default.${short})\n`,
  );
  const start = (cfg) => {
    const child = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.tail = '';
    child.stderr.on('data', (c) => (child.tail += c));
    child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((child.exitStatus = { code, signal }))));
    return child;
  };
  const dbProc = start(join(dir, 'haproxy-db.cfg'));
  const webProc = start(join(dir, 'haproxy-web.cfg'));
  await waitPort(pub, 'haproxy db', dbProc);
  await waitPort(upstream, 'haproxy web', webProc);
  return { db: dbProc, web: webProc, upstream, pub };
}

/** The TLS version and cipher a public port negotiates (the handshake completes before it judges the client). */
function negotiated(port) {
  return new Promise((resolve) => {
    const s = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
      const c = s.getCipher();
      s.destroy();
      resolve(`${c.version} ${c.standardName ?? c.name}`);
    });
    s.on('error', () => resolve('?'));
  });
}

/**
 * Every path gets the same treatment, interleaved so that other load on the machine falls on
 * all of them alike: each bulk repetition runs once per path in turn, then the round trips,
 * then the new connections.
 */
async function measureAll(paths, opts, log) {
  const res = paths.map((p) => ({ name: p.name, mbps: [], cpu: p.pids.map(() => 0), secs: 0 }));
  for (let r = 0; r < opts.reps; r++) {
    for (const [i, p] of paths.entries()) {
      const cpu0 = p.pids.map(cpuTicks);
      const t0 = Date.now();
      res[i].mbps.push(await bulk(p.port, opts.bulkMb));
      res[i].secs += (Date.now() - t0) / 1000;
      p.pids.forEach((pid, k) => (res[i].cpu[k] += (cpuTicks(pid) - cpu0[k]) / TICKS_PER_SECOND));
    }
    log(`  bulk repetition ${r + 1}/${opts.reps}: ${res.map((x) => `${x.name} ${fmt(x.mbps[r], 0)} MB/s`).join(', ')}`);
  }
  const rr = [];
  for (const p of paths) {
    await roundTrips(p.port, 1000, opts.size); // warm-up
    rr.push(await roundTrips(p.port, opts.rr, opts.size));
  }
  const conn = [];
  for (const p of paths) conn.push(await connectRoundTrips(p.port, opts.conns, opts.size));
  return paths.map((p, i) => ({
    name: p.name,
    cipher: p.cipher,
    mbps: median(res[i].mbps),
    rrP50: percentile(rr[i], 50),
    rrP99: percentile(rr[i], 99),
    connP50: percentile(conn[i], 50),
    connP99: percentile(conn[i], 99),
    cpuBulk: res[i].cpu.map((c) => (c / res[i].secs) * 100),
    rss: p.pids.map((pid) => ({ now: rssMb(pid), peak: peakRssMb(pid), anon: anonMb(pid) })),
  }));
}

/** Private (anonymous) resident memory in MB: what a process costs beyond the code pages every Node.js process shares. */
function anonMb(pid) {
  const m = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function run(options = {}, log = console.log) {
  requireTool('haproxy', 'haproxy');
  const opts = { reps: Number(options.reps ?? 3), bulkMb: Number(options['bulk-mb'] ?? 256), rr: Number(options.rr ?? 20000), conns: Number(options.conns ?? 500), size: Number(options.size ?? 64) };
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-l4-'));
  const stops = [];
  try {
    const backendPort = await freePort();
    const backend = startNode([join(ROOT, 'bench', 'connect-l4-backend.js'), String(backendPort)]);
    stops.push(() => stopProcess(backend));
    await waitPort(backendPort, 'backend', backend);

    log('starting Weft (agent and two `weft connect proxy` sidecars)');
    const nodeFlags = options['weft-node-flags'] ? String(options['weft-node-flags']).split(',') : [];
    const weft = await startWeftPair(dir, backendPort, { tag: 'cli', nodeFlags });
    stops.push(() => stopProcess(weft.web), () => stopProcess(weft.db), () => stopProcess(weft.agent));
    log('starting the same sidecars from a proxy-only entry');
    const lean = await startWeftPair(dir, backendPort, { tag: 'lean', command: ['--input-type=module', '-e', LEAN_ENTRY, '--'], nodeFlags });
    stops.push(() => stopProcess(lean.web), () => stopProcess(lean.db), () => stopProcess(lean.agent));
    log('starting the HAProxy pair with certificates from the Weft CA');
    const ha = await startHaproxyPair(dir, weft, backendPort);
    stops.push(async () => {
      for (const c of [ha.web, ha.db]) {
        c.kill('SIGTERM');
        await c.exited;
      }
    });
    const idle = { weft: [weft.web.pid, weft.db.pid].map(rssMb), lean: [lean.web.pid, lean.db.pid].map(rssMb) };

    const paths = [
      { name: 'direct', port: backendPort, pids: [] },
      { name: 'Weft sidecars', port: weft.upstream, publicPort: weft.pub, pids: [weft.web.pid, weft.db.pid] },
      { name: 'HAProxy pair', port: ha.upstream, publicPort: ha.pub, pids: [ha.web.pid, ha.db.pid] },
      { name: 'Weft sidecars, proxy-only entry', port: lean.upstream, publicPort: lean.pub, pids: [lean.web.pid, lean.db.pid] },
    ];
    const only = options.only ? String(options.only).split(',') : null;
    const chosen = paths.filter((p) => !only || only.some((o) => p.name.toLowerCase().includes(o)));
    for (const p of chosen) p.cipher = p.publicPort ? await negotiated(p.publicPort) : 'none';
    log(`measuring ${chosen.map((p) => p.name).join(', ')}`);
    const measured = await measureAll(chosen, opts, log);
    const results = paths.map((p) => measured.find((m) => m.name === p.name) ?? { name: p.name, cipher: '', mbps: NaN, rrP50: NaN, rrP99: NaN, connP50: NaN, connP99: NaN, cpuBulk: [], rss: [] });
    return { name: 'connect-l4', results, idle, opts, markdown: report(results, idle, opts) };
  } finally {
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(results, idle, opts) {
  const [direct, weft, ha, lean] = results;
  const mem = (r) => (r.rss.length ? r.rss.map((m) => `${fmt(m.now, 0)} / ${fmt(m.peak, 0)} / ${fmt(m.anon, 0)}`).join(', ') : '–');
  const row = (r) =>
    `| ${r.name} | ${fmt(r.mbps, 0)} | ${fmt(r.rrP50, 0)} / ${fmt(r.rrP99, 0)} | ${fmt(r.connP50, 0)} / ${fmt(r.connP99, 0)} | ${r.cpuBulk.length ? r.cpuBulk.map((c) => fmt(c, 0)).join(' + ') : '–'} | ${mem(r)} |`;
  const ratio = (a, b, label) => `| ${label} | ${fmt(a.mbps / b.mbps, 2)} | ${fmt(a.rrP50 / b.rrP50, 2)} | ${fmt(a.rrP99 / b.rrP99, 2)} | ${fmt(a.connP50 / b.connP50, 2)} |`;
  return [
    '| path | bulk MB/s | round trip p50 / p99 µs | new connection + round trip p50 / p99 µs | sidecar CPU % during bulk (web + db) | sidecar RSS now / peak / private MB (web, db) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(row),
    '',
    '| ratio | bulk | round trip p50 | round trip p99 | new connection p50 |',
    '| --- | ---: | ---: | ---: | ---: |',
    ratio(weft, ha, 'Weft / HAProxy'),
    ratio(lean, ha, 'Weft proxy-only entry / HAProxy'),
    ratio(weft, direct, 'Weft / direct'),
    ratio(ha, direct, 'HAProxy / direct'),
    '',
    `TLS on the public port: Weft ${weft.cipher || lean.cipher}, HAProxy ${ha.cipher}. Idle RSS before the load: \`weft connect proxy\` ${idle.weft.map((m) => fmt(m, 0)).join(' / ')} MB, proxy-only entry ${idle.lean.map((m) => fmt(m, 0)).join(' / ')} MB (web / db).`,
    `Bulk: median of ${opts.reps} transfers of ${opts.bulkMb} MiB per path, paths interleaved. Round trips: ${opts.rr} of ${opts.size} bytes on one connection after 1000 warm-up. New connections: ${opts.conns}, each with one ${opts.size}-byte round trip.`,
  ].join('\n');
}

runIfMain(import.meta.url, run);
