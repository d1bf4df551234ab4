// Child processes of a benchmark: start, wait for readiness, measure, and always stop.
// Every child started here is tracked; `killAll()` (also run on process exit) SIGKILLs
// whatever is still alive, so an error or an interrupt never leaves a server behind.
import { spawn, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { request } from './http.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEFT_BIN = join(ROOT, 'bin', 'weft.js');

const live = new Set();
const TAIL_BYTES = 8192;

export function track(child) {
  live.add(child);
  child.tail = '';
  const keep = (chunk) => {
    child.tail = (child.tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  let partial = '';
  child.stderr?.on('data', (chunk) => {
    keep(chunk);
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop();
    for (const line of lines) if (line.startsWith('@@probe ')) child.emit('probe', JSON.parse(line.slice(8)));
  });
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      child.exitStatus = { code, signal };
      resolve(child.exitStatus);
    });
  });
  return child;
}

/** Spawns `node [nodeFlags] args...` with stdout/stderr captured (last 8 KB kept for error reports). */
export function startNode(args, { nodeFlags = [], cwd = ROOT } = {}) {
  const child = spawn(process.execPath, [...nodeFlags, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  return track(child);
}

/** Forks a bench worker module with an IPC channel. */
export function forkWorker(modulePath, args = []) {
  const child = fork(modulePath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  return track(child);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopProcess(child, graceMs = 5000) {
  if (!child || child.exitStatus) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Asks a server started with `PROBE_FLAGS` when it last ended a response (see response-probe.js). */
export function readProbe(child, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('probe', onProbe);
      reject(new Error(`no probe answer from pid ${child.pid}`));
    }, timeoutMs);
    const onProbe = (p) => {
      clearTimeout(timer);
      resolve(p);
    };
    child.once('probe', onProbe);
    child.kill('SIGUSR2');
  });
}

/** Node flags that preload the response probe. */
export const PROBE_FLAGS = [`--import=${pathToFileURL(join(ROOT, 'bench', 'lib', 'response-probe.js')).href}`];

export function killAll() {
  for (const child of live) child.kill('SIGKILL');
}
process.on('exit', killAll);

/** A port that was free a moment ago on 127.0.0.1 (bind port 0, read it, release it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `GET /v1/status/leader` until it answers 200; fails early if the child exits. */
export async function waitReady(child, port, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitStatus) throw new Error(`process exited early (${JSON.stringify(child.exitStatus)}):\n${child.tail}`);
    try {
      const res = await request({ port, method: 'GET', path: '/v1/status/leader', timeoutMs: 1000 });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`not ready on port ${port} after ${timeoutMs} ms:\n${child.tail}`);
}

/** Polls a TCP connect to 127.0.0.1:`port` until it is accepted; fails early if `child` exits. */
export async function waitPort(port, what, child) {
  for (let i = 0; i < 400; i++) {
    if (child?.exitStatus) throw new Error(`${what} exited: ${child.tail}`);
    const up = await new Promise((resolve) => {
      const s = connect({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await sleep(50);
  }
  throw new Error(`${what} does not listen on ${port}`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function procStatus(pid) {
  return readFileSync(`/proc/${pid}/status`, 'utf8');
}

function statusKb(pid, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(procStatus(pid));
  return m ? Number(m[1]) : NaN;
}

/** Resident set size in MB (VmRSS). */
export const rssMb = (pid) => statusKb(pid, 'VmRSS') / 1024;
/** Peak resident set size in MB over the process's life (VmHWM). */
export const peakRssMb = (pid) => statusKb(pid, 'VmHWM') / 1024;

/** Clock ticks per second in /proc's CPU times (USER_HZ, 100 on Linux). */
export const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process, in clock ticks (usually 10 ms each). */
export function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

/**
 * Busy CPU ticks of the whole machine, all cores: user+nice+system+steal in /proc/stat.
 * irq and softirq are left out: loopback traffic of the benchmark itself lands there.
 */
export function machineBusyTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , , , steal] = f;
  return user + nice + system + steal;
}

/**
 * Waits (at most `maxMs`) until the machine is quiet: less than `share` of one core busy
 * in each of `seconds` consecutive 1 s windows while this benchmark runs nothing.
 * Returns whether it got quiet.
 */
export async function waitForQuiet({ share = 0.05, maxMs = 120_000, seconds = 2, log } = {}) {
  const t0 = Date.now();
  let warned = false;
  let quietSeconds = 0;
  while (Date.now() - t0 < maxMs) {
    const before = machineBusyTicks() - cpuTicks(process.pid);
    await sleep(1000);
    const busy = machineBusyTicks() - cpuTicks(process.pid) - before;
    if (busy <= share * 100) {
      if (++quietSeconds >= seconds) return true;
      continue;
    }
    quietSeconds = 0;
    if (!warned && log) log(`  (waiting for the machine to be quiet: other processes use ${busy} % of a core)`);
    warned = true;
  }
  return false;
}

/** Monotonic clock in ms, comparable across processes on one Linux host (CLOCK_MONOTONIC). */
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
