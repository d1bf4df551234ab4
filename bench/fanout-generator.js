// Load generator for the fan-out benchmark, forked by bench/fanout.js (one or more per run).
// It opens `count` blocking GETs over their own keep-alive connections, tells the parent
// once every request has been flushed to its socket, and reports, per watcher, the
// monotonic time its response ended (CLOCK_MONOTONIC, comparable with the parent's).
//
// Messages in:  {type:'open', port, paths:[...], count, batch}   {type:'close'}
// Messages out: {type:'opened', count, answeredEarly}   {type:'result', ...}
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function open({ port, paths, count, batch }) {
  const ends = new Float64Array(count).fill(NaN);
  const statuses = {};
  const errors = [];
  let done = 0;
  let bodyMin = Infinity;
  let bodyMax = -Infinity;
  let headersMin = Infinity;
  let headersMax = -Infinity;
  let indexMin = Infinity;
  let reported = false;

  const report = () => {
    if (reported) return;
    reported = true;
    process.send({
      type: 'result',
      count,
      answered: done,
      ends: Array.from(ends),
      statuses,
      errors: errors.slice(0, 5),
      errorCount: errors.length,
      bodyBytes: [bodyMin, bodyMax],
      headerCount: [headersMin, headersMax],
      indexMin,
    });
  };
  const finished = () => {
    if (++done === count) report();
  };

  const fire = (i) =>
    new Promise((flushed) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: paths[i % paths.length], agent }, (res) => {
        let bytes = 0;
        res.on('data', (c) => (bytes += c.length));
        res.on('end', () => {
          ends[i] = nowMs();
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          bodyMin = Math.min(bodyMin, bytes);
          bodyMax = Math.max(bodyMax, bytes);
          headersMin = Math.min(headersMin, res.rawHeaders.length / 2);
          headersMax = Math.max(headersMax, res.rawHeaders.length / 2);
          indexMin = Math.min(indexMin, Number(res.headers['x-consul-index'] ?? 0));
          finished();
        });
      });
      req.on('finish', flushed);
      req.on('error', (err) => {
        errors.push(`${err.code ?? ''} ${err.message}`);
        flushed();
        finished();
      });
      req.end();
    });

  (async () => {
    // Open in batches so the server's accept queue never overflows (SYN retries would
    // add seconds to the setup, though never to the measured fan-out).
    for (let start = 0; start < count; start += batch) {
      const flushes = [];
      for (let i = start; i < Math.min(count, start + batch); i++) flushes.push(fire(i));
      await Promise.all(flushes);
    }
    process.send({ type: 'opened', count, answeredEarly: done });
  })();

  return report;
}

let report = null;
process.on('message', (msg) => {
  if (msg.type === 'open') report = open(msg);
  else if (msg.type === 'report') report?.();
  else if (msg.type === 'close') {
    agent.destroy();
    process.disconnect();
  }
});
process.on('disconnect', () => {
  agent.destroy();
  process.exit(0);
});
