// DNS service lookups: queries per second of `weft agent -dev` answering
// `web<N>.service.consul A` for N = 10 and 100 healthy instances, beside dnsmasq answering a
// static record set of the same size (N A records for one name) in the same run. The load
// comes from dnsperf (Debian `dnsperf`) in its own process, N outstanding queries over UDP,
// no EDNS0 (so Weft answers 3 records per Consul's udp_answer_limit; dnsmasq answers what
// fits in 512 bytes). A third server, bench/dns-floor-server.js, answers every question with
// a fixed reply and does nothing else: the ceiling any Node.js DNS server has on this
// machine. CPU of each server is read from /proc/<pid>/stat.
//
//   node bench/dns.js [--seconds 10] [--reps 3] [--sizes 10,100] [--outstanding 200]
//                     [--weft-node-flags=--cpu-prof,--cpu-prof-dir=/tmp/prof]
//
// Needs: apt-get install dnsperf dnsmasq-base (dnsmasq-base has the binary without the service).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok } from './lib/http.js';
import { ROOT, TICKS_PER_SECOND, WEFT_BIN, cpuTicks, freePort, sleep, startNode, stopProcess, waitForQuiet, waitReady } from './lib/processes.js';
import { requireTool } from './lib/require-tool.js';
import { runIfMain } from './lib/standalone.js';
import { fmt, medianBy } from './lib/stats.js';

export const description = 'DNS service lookup qps (10 and 100 healthy instances), Weft beside dnsmasq, load from dnsperf';

const dnsmasqBin = () => execFileSync('sh', ['-c', 'command -v dnsmasq || echo /usr/sbin/dnsmasq'], { encoding: 'utf8' }).trim();

const address = (size, i) => `10.${size % 256}.${(i >> 8) & 255}.${i & 255}`;

async function startWeft(nodeFlags) {
  const httpPort = await freePort();
  const dnsPort = await freePort();
  const child = startNode([WEFT_BIN, 'agent', '-dev', '-http-port', String(httpPort), '-dns-port', String(dnsPort), '-log-level', 'warn'], { nodeFlags });
  await waitReady(child, httpPort);
  return { name: 'weft', child, pid: child.pid, httpPort, dnsPort };
}

async function startFloor() {
  const dnsPort = await freePort();
  const child = startNode([join(ROOT, 'bench', 'dns-floor-server.js'), String(dnsPort)]);
  await waitAnswers(dnsPort, 'floor.example', () => child.tail);
  return { name: 'node-floor', child, pid: child.pid, dnsPort };
}

async function registerInstances(weft, sizes) {
  for (const size of sizes) {
    for (let i = 0; i < size; i++) {
      const body = JSON.stringify({
        Node: `web${size}-node-${i}`,
        Address: address(size, i + 1),
        Service: { ID: `web${size}`, Service: `web${size}`, Port: 8000 + i },
        Checks: [{ CheckID: `web${size}-alive`, Name: 'alive', Status: 'passing', ServiceID: `web${size}` }],
      });
      await ok({ port: weft.httpPort, method: 'PUT', path: '/v1/catalog/register', body });
    }
  }
}

async function startDnsmasq(dir, sizes) {
  const hosts = join(dir, 'hosts');
  const lines = [];
  for (const size of sizes) for (let i = 0; i < size; i++) lines.push(`${address(size, i + 1)} web${size}.service.consul`);
  writeFileSync(hosts, `${lines.join('\n')}\n`);
  const port = await freePort();
  const args = [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--pid-file=',
    '--no-resolv',
    '--no-hosts',
    `--addn-hosts=${hosts}`,
    '--bind-interfaces',
    '--listen-address=127.0.0.1',
    `--port=${port}`,
    '--user=root',
    '--cache-size=10000',
  ];
  const child = spawn(dnsmasqBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let tail = '';
  child.stderr.on('data', (c) => (tail += c));
  await waitAnswers(port, `web${sizes[0]}.service.consul`, () => tail);
  return { name: 'dnsmasq', child, pid: child.pid, dnsPort: port };
}

/** Polls with dnsperf's sibling `dig` until the server answers the name. */
async function waitAnswers(port, name, tail) {
  for (let i = 0; i < 100; i++) {
    try {
      const out = execFileSync('dig', ['@127.0.0.1', '-p', String(port), '+short', '+time=1', '+tries=1', name, 'A'], { encoding: 'utf8' });
      if (out.trim()) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`no DNS answer on port ${port}: ${tail()}`);
}

/** One dnsperf run; returns queries per second, completion and the server's CPU share. */
function dnsperf(target, queryFile, { seconds, outstanding }) {
  return new Promise((resolve, reject) => {
    const before = cpuTicks(target.pid);
    const t0 = process.hrtime.bigint();
    const args = ['-s', '127.0.0.1', '-p', String(target.dnsPort), '-d', queryFile, '-l', String(seconds), '-c', '4', '-q', String(outstanding), '-t', '2'];
    const child = spawn('dnsperf', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', () => {
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      const qps = Number(/Queries per second:\s+([\d.]+)/.exec(out)?.[1]);
      const completed = /Queries completed:\s+(\d+) \(([\d.]+)%\)/.exec(out);
      const lost = /Queries lost:\s+(\d+)/.exec(out);
      const latency = /Average Latency \(s\):\s+([\d.]+)/.exec(out);
      if (!Number.isFinite(qps)) return reject(new Error(`dnsperf printed no rate:\n${out}`));
      resolve({
        qps,
        completedPct: Number(completed?.[2] ?? NaN),
        lost: Number(lost?.[1] ?? NaN),
        latencyMs: Number(latency?.[1] ?? NaN) * 1000,
        cpuPct: ((cpuTicks(target.pid) - before) / TICKS_PER_SECOND / elapsed) * 100,
      });
    });
  });
}

export async function run(options = {}, log = console.log) {
  requireTool('dnsperf', 'dnsperf');
  requireTool('dig', 'dnsutils');
  const seconds = Number(options.seconds ?? 10);
  const reps = Number(options.reps ?? 3);
  const outstanding = Number(options.outstanding ?? 200);
  const sizes = String(options.sizes ?? '10,100').split(',').map(Number);
  const nodeFlags = options['weft-node-flags'] ? String(options['weft-node-flags']).split(',') : [];
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-dns-'));
  let weft;
  let dnsmasq;
  let floor;
  try {
    const quiet = await waitForQuiet({ share: 0.1, maxMs: 60_000, log });
    if (!quiet) log('  (the machine did not get quiet; figures are noisier than usual)');
    weft = await startWeft(nodeFlags);
    await registerInstances(weft, sizes);
    dnsmasq = await startDnsmasq(dir, sizes);
    floor = await startFloor();
    await waitAnswers(weft.dnsPort, `web${sizes[0]}.service.consul`, () => weft.child.tail);
    const targets = [weft, dnsmasq, floor];
    const rows = [];
    for (const size of sizes) {
      const queryFile = join(dir, `queries-${size}`);
      writeFileSync(queryFile, `web${size}.service.consul A\n`);
      for (const target of targets) await dnsperf(target, queryFile, { seconds: 2, outstanding }); // warm-up (JIT, caches)
      const runs = Object.fromEntries(targets.map((t) => [t.name, []]));
      for (let r = 0; r < reps; r++) {
        for (const target of targets) {
          const res = await dnsperf(target, queryFile, { seconds, outstanding });
          runs[target.name].push(res);
          log(`  N=${size} ${target.name.padEnd(8)} rep ${r + 1}: ${fmt(res.qps, 0)} qps, ${fmt(res.completedPct, 2)} % completed, server CPU ${fmt(res.cpuPct, 0)} %`);
        }
      }
      const w = medianBy(runs.weft, 'qps');
      const m = medianBy(runs.dnsmasq, 'qps');
      const f = medianBy(runs['node-floor'], 'qps');
      rows.push({ size, weft: w, dnsmasq: m, floor: f, ratio: w.qps / m.qps, ofFloor: w.qps / f.qps });
    }
    const cell = (x) => `${fmt(x.qps, 0)} (${fmt(x.cpuPct, 0)} % CPU, ${fmt(x.latencyMs, 2)} ms)`;
    const table = [
      '| instances | Weft qps | dnsmasq qps | Node.js floor qps | Weft/dnsmasq | Weft/floor |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.size} | ${cell(r.weft)} | ${cell(r.dnsmasq)} | ${cell(r.floor)} | ${fmt(r.ratio, 2)} | ${fmt(r.ofFloor, 2)} |`),
    ].join('\n');
    const markdown = `${table}\n\nMedian of ${reps} runs of ${seconds} s each (servers interleaved); dnsperf -c 4 -q ${outstanding} over UDP, no EDNS0. In brackets: the server process's CPU (share of one core) and dnsperf's average latency.`;
    return { name: 'dns', rows, markdown };
  } finally {
    if (dnsmasq) {
      dnsmasq.child.kill('SIGTERM');
      await dnsmasq.child.exited;
    }
    if (weft) await stopProcess(weft.child);
    if (floor) await stopProcess(floor.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
