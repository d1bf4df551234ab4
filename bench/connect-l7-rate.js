// Open-loop load at a fixed rate for bench/connect-l7.js, in its own process: request i is due
// at start + i/rate whatever happened to the earlier ones, and its latency runs from that due
// time (not from when it could be sent) to the end of its response. A stalled path therefore
// shows up as latency instead of as fewer requests (no coordinated omission). Requests go over
// a fixed pool of keep-alive HTTP/1.1 connections, opened before the clock starts.
//
// Node's timers fire on whole milliseconds, which at 1000 req/s would add up to a millisecond
// of the generator's own lag to every figure. So the clock is a worker thread that sleeps in
// Atomics.wait (microsecond precision, no CPU while waiting) and posts each request's index
// when it is due; the main thread sends it at once. The lag from due time to send is reported.
//
//   node bench/connect-l7-rate.js PORT RATE SECONDS [CONNECTIONS] [HEADER] [WARMUP_SECONDS]
//
// The first WARMUP_SECONDS (default 1) run on the same schedule but are left out of the
// figures. Writes `@@probe {"phase":"start"}` to stderr when the measured part begins (the parent
// reads the sidecars' CPU then) and `@@probe {"phase":"end",...}` with the results at the end.
// HEADER: a response header every answer must carry (counted when missing).
import http from 'node:http';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const now = () => Number(process.hrtime.bigint()) / 1e3; // µs, CLOCK_MONOTONIC: the same in both threads

function clock({ t0, interval, count }) {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < count; i++) {
    const wait = t0 + i * interval - now();
    if (wait > 0) Atomics.wait(cell, 0, 0, wait / 1000);
    parentPort.postMessage(i);
  }
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN);
const sorted = (xs) => Array.from(xs).filter(Number.isFinite).sort((a, b) => a - b);
const probe = (obj) => process.stderr.write(`@@probe ${JSON.stringify(obj)}\n`);

async function main() {
  const [port, rate, seconds, conns = '16', header = '', warmup = '1'] = process.argv.slice(2);
  const warm = Math.round(Number(rate) * Number(warmup));
  const count = warm + Math.round(Number(rate) * Number(seconds));
  const interval = 1e6 / Number(rate);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conns), maxFreeSockets: Number(conns), keepAliveMsecs: 60_000, scheduling: 'fifo' });
  const opts = { host: '127.0.0.1', port: Number(port), path: '/', method: 'GET', agent };
  const once = () =>
    new Promise((resolve, reject) => {
      const req = http.request(opts, (res) => res.resume().on('end', resolve).on('error', reject));
      req.on('error', reject);
      req.end();
    });
  await Promise.all(Array.from({ length: Number(conns) }, once)); // open every connection first

  const latency = new Float64Array(count);
  const fromSend = new Float64Array(count);
  const lag = new Float64Array(count);
  const counts = { failed: 0, badStatus: 0, missingHeader: 0 };
  const t0 = now() + 20_000; // the clock thread starts in well under 20 ms
  let done = 0;
  const finished = new Promise((resolve) => {
    const settle = () => ++done === count && resolve();
    const send = (i) => {
      if (i === warm) probe({ phase: 'start' });
      const due = t0 + i * interval;
      const sent = now();
      lag[i] = sent - due;
      const req = http.request(opts, (res) => {
        if (res.statusCode !== 200) counts.badStatus++;
        if (header && !(header in res.headers)) counts.missingHeader++;
        res.resume();
        res.on('end', () => {
          const end = now();
          latency[i] = end - due;
          fromSend[i] = end - sent;
          settle();
        });
      });
      // A path that stops answering fails the run instead of hanging it.
      req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')));
      req.on('error', () => {
        counts.failed++;
        latency[i] = fromSend[i] = NaN;
        settle();
      });
      req.end();
    };
    const worker = new Worker(new URL(import.meta.url), { workerData: { t0, interval, count } });
    worker.on('message', send);
    worker.on('error', (err) => {
      throw err;
    });
  });
  await finished;
  const secs = (now() - (t0 + warm * interval)) / 1e6;
  const [ok, sent, lags] = [latency, fromSend, lag].map((xs) => sorted(xs.subarray(warm)));
  probe({
    phase: 'end',
    requests: count - warm,
    seconds: secs,
    rate: (count - warm) / secs,
    ...counts,
    p50: pct(ok, 50),
    p90: pct(ok, 90),
    p99: pct(ok, 99),
    p999: pct(ok, 99.9),
    max: ok[ok.length - 1],
    // From the moment the request was handed to the connection pool (a wait for a free
    // connection included), i.e. without the generator's own lag.
    sentP50: pct(sent, 50),
    sentP99: pct(sent, 99),
    lagP50: pct(lags, 50),
    lagP99: pct(lags, 99),
  });
  agent.destroy();
}

if (isMainThread) {
  main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
} else {
  clock(workerData);
}
