// The floor for the blocking-query fan-out: the least a Node `node:http` server can do.
// It keeps KV entries in a Map, holds `GET /v1/kv/<key>?index=N` (and `?recurse`) while
// N is current, and on a PUT answers every held request at once with a body serialized
// once per watched path and the same headers Weft sends (so the same header count and
// the same JSON body size). It also serves `GET /v1/status/leader` (readiness) and the
// `weft_api_blocking_queries` gauge, counted exactly.
//
// Usage: node bench/floor-server.js <port>
import http from 'node:http';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: node bench/floor-server.js <port>\n');
  process.exit(2);
}

let index = 0; // the last write's index; the first write gets 1, as in Weft
const entries = new Map(); // key -> entry (Consul JSON shape)
const held = new Map(); // "k:<key>" or "p:<prefix>" -> Set<ServerResponse>
let heldCount = 0;

const base64 = (buf) => (buf.length ? buf.toString('base64') : null);

function read(kind, key) {
  if (kind === 'k') {
    const e = entries.get(key);
    return { index: e ? e.ModifyIndex : Math.max(1, index), list: e ? [e] : [] };
  }
  const list = [...entries.values()].filter((e) => e.Key.startsWith(key)).sort((a, b) => (a.Key < b.Key ? -1 : 1));
  return { index: list.reduce((m, e) => Math.max(m, e.ModifyIndex), 1), list };
}

function answer(res, result, body) {
  const headers = {
    'X-Consul-Default-ACL-Policy': 'allow',
    'X-Consul-Index': String(Math.max(1, result.index)),
    'X-Consul-KnownLeader': 'true',
    'X-Consul-LastContact': '0',
    'X-Consul-Effective-Consistency': 'leader',
    'Content-Type': 'application/json',
  };
  if (!result.list.length) {
    res.writeHead(404, headers);
    res.end();
    return;
  }
  res.writeHead(200, headers);
  res.end(body ?? JSON.stringify(result.list));
}

function hold(slot, res) {
  let set = held.get(slot);
  if (!set) held.set(slot, (set = new Set()));
  set.add(res);
  heldCount++;
  res.once('close', () => {
    if (set.delete(res)) heldCount--;
  });
}

function wake(key) {
  const slots = [`k:${key}`];
  for (let i = 0; i <= key.length; i++) slots.push(`p:${key.slice(0, i)}`);
  for (const slot of slots) {
    const set = held.get(slot);
    if (!set || set.size === 0) continue;
    held.delete(slot);
    const result = read(slot[0], slot.slice(2));
    const body = JSON.stringify(result.list); // once per watched path, not per watcher
    for (const res of set) {
      heldCount--;
      answer(res, result, body);
    }
    set.clear();
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://floor');
  if (url.pathname === '/v1/status/leader') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end('"127.0.0.1:8300"');
  }
  if (url.pathname === '/v1/agent/metrics') {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    return res.end(`# TYPE weft_api_blocking_queries gauge\nweft_api_blocking_queries ${heldCount}\n`);
  }
  if (!url.pathname.startsWith('/v1/kv/')) {
    res.writeHead(404);
    return res.end();
  }
  const key = decodeURIComponent(url.pathname.slice('/v1/kv/'.length));
  if (req.method === 'PUT') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      index++;
      const prev = entries.get(key);
      entries.set(key, {
        LockIndex: 0,
        Key: key,
        Flags: 0,
        Value: base64(Buffer.concat(chunks)),
        CreateIndex: prev ? prev.CreateIndex : index,
        ModifyIndex: index,
      });
      wake(key);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('true');
    });
    return;
  }
  if (req.method !== 'GET') {
    res.writeHead(405);
    return res.end();
  }
  const kind = url.searchParams.has('recurse') ? 'p' : 'k';
  const result = read(kind, key);
  const min = Number(url.searchParams.get('index') ?? 0);
  if (min > 0 && result.index === min) return hold(`${kind}:${key}`, res);
  answer(res, result);
});
server.keepAliveTimeout = 30_000;
server.requestTimeout = 0;
server.headersTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`floor listening on 127.0.0.1:${port}\n`));

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
