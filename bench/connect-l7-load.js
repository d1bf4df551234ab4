// The two load generators of bench/connect-l7.js, each in its own process: wrk (closed loop,
// as many requests per second as the path gives) and bench/connect-l7-rate.js (open loop at a
// fixed rate). Each returns its figures; latencies are in µs.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startNode, track } from './lib/processes.js';

// wrk's done() hook prints the summary and exact percentiles from wrk's own histogram as one line.
const WRK_SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('@@wrk {"requests":%d,"duration_us":%d,"bytes":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
`;

export function writeWrkScript(dir) {
  const file = join(dir, 'report.lua');
  writeFileSync(file, WRK_SCRIPT);
  return file;
}

/** `wrk -t THREADS -c CONNS -d SECONDS` against 127.0.0.1:port; fails on any error or non-2xx answer. */
export async function runWrk(script, port, { seconds, conns, threads }) {
  const args = ['-t', String(threads), '-c', String(conns), '-d', `${seconds}s`, '--timeout', '5s', '-s', script, `http://127.0.0.1:${port}/`];
  const child = track(spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const status = await child.exited;
  const line = child.tail.split('\n').find((l) => l.startsWith('@@wrk '));
  if (status.code !== 0 || !line) throw new Error(`wrk ${args.join(' ')} failed (${JSON.stringify(status)}):\n${child.tail}`);
  const r = JSON.parse(line.slice(6));
  const errors = r.connect + r.read + r.write + r.status + r.timeout;
  if (errors > 0) throw new Error(`wrk through port ${port}: ${errors} errors (connect ${r.connect}, read ${r.read}, write ${r.write}, non-2xx ${r.status}, timeout ${r.timeout})`);
  return { ...r, rps: r.requests / (r.duration_us / 1e6) };
}

/**
 * One fixed-rate run (after `warmup` seconds on the same schedule, left out). `onStart` is
 * called when the measured part begins, `onEnd` with the results as soon as the last response
 * is in (before the generator exits), so the caller can read the sidecars' CPU for exactly
 * that window.
 */
export async function runRate(port, { rate, seconds, conns, header, warmup = 1 }, { onStart = () => {}, onEnd = () => {} } = {}) {
  const args = [port, rate, seconds, conns, header ?? '', warmup].map(String);
  const child = startNode([join(ROOT, 'bench', 'connect-l7-rate.js'), ...args]);
  let result = null;
  child.on('probe', (p) => {
    if (p.phase === 'start') onStart();
    else if (p.phase === 'end') {
      result = p;
      onEnd(p);
    }
  });
  const status = await child.exited;
  if (!result || status.code !== 0) throw new Error(`fixed-rate run through port ${port} failed (${JSON.stringify(status)}):\n${child.tail}`);
  if (result.failed || result.badStatus || result.missingHeader) {
    throw new Error(`fixed-rate run through port ${port}: ${result.failed} failed, ${result.badStatus} not 200, ${result.missingHeader} without ${header}`);
  }
  return result;
}
