// KV load for the benchmarks that time writes and reads (apply, kv-etcd, ha): the same
// request shapes for Weft and etcd, driven from this process over keep-alive node:http
// connections, so every target pays the same client-side cost.
import http from 'node:http';
import { ok } from './http.js';
import { nowMs } from './processes.js';
import { percentile } from './stats.js';

/** The value every benchmark writes. */
export const VALUE = Buffer.alloc(128, 'v');

const text = async (opts) => (await ok(opts)).body.toString('utf8');
const b64 = (s) => Buffer.from(s).toString('base64');

/** Weft through its Consul API: `PUT /v1/kv/<key>` (acknowledged once durable) and `GET /v1/kv/<key>`. */
export function weftKv(port) {
  return {
    async put(agent, key) {
      const r = await text({ agent, port, method: 'PUT', path: `/v1/kv/${key}`, body: VALUE });
      if (r !== 'true') throw new Error(`weft PUT ${key}: ${r}`);
    },
    get: (agent, key) => text({ agent, port, method: 'GET', path: `/v1/kv/${key}` }),
  };
}

/** etcd through its HTTP/JSON gRPC gateway: `POST /v3/kv/put` and `/v3/kv/range`, base64 keys and values. */
export function etcdKv(port) {
  const value = VALUE.toString('base64');
  return {
    put: (agent, key) => text({ agent, port, method: 'POST', path: '/v3/kv/put', body: JSON.stringify({ key: b64(key), value }) }),
    async get(agent, key) {
      const r = await text({ agent, port, method: 'POST', path: '/v3/kv/range', body: JSON.stringify({ key: b64(key) }) });
      if (!r.includes('"kvs"')) throw new Error(`etcd range ${key}: no value`);
      return r;
    },
  };
}

function summary(lat, elapsedMs) {
  const seconds = elapsedMs / 1000;
  const max = lat.reduce((m, x) => (x > m ? x : m), -Infinity);
  return { ops: lat.length, seconds, perSec: lat.length / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99), max };
}

/** `op(agent, i)` up to `count` times, one at a time on one connection, for at most `maxMs`. */
export async function sequentialLoad(op, { count, maxMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const lat = [];
    const t0 = nowMs();
    for (let i = 0; i < count && nowMs() - t0 < maxMs; i++) {
      const t = nowMs();
      await op(agent, i);
      lat.push(nowMs() - t);
    }
    return summary(lat, nowMs() - t0);
  } finally {
    agent.destroy();
  }
}

/** `clients` loops of `op(agent, client, i)`, each waiting for its answer, for `seconds` (or until `maxOps` in all). */
export async function concurrentLoad(op, { clients, seconds, maxOps = Infinity }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    const lat = [];
    const t0 = nowMs();
    const stopAt = t0 + seconds * 1000;
    const client = async (c) => {
      for (let i = 0; nowMs() < stopAt && lat.length < maxOps; i++) {
        const t = nowMs();
        await op(agent, c, i);
        lat.push(nowMs() - t);
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
    return summary(lat, nowMs() - t0);
  } finally {
    agent.destroy();
  }
}
