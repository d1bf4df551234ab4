// The coordinator's one HTTP call (plain node:http, 127.0.0.1 only). Benchmarks do not use
// src/api's client on purpose: the same bytes must go to Weft and to the floor server,
// and client-side JSON parsing must not be part of what is timed.
import http from 'node:http';

/** One request; resolves with status, headers and the body as a Buffer. */
export function request({ port, method, path, body, agent, timeoutMs = 30_000 }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: agent ?? false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Like `request`, but anything but a 200 is an error. */
export async function ok(opts) {
  const res = await request(opts);
  if (res.status !== 200) throw new Error(`${opts.method} ${opts.path}: ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
  return res;
}
