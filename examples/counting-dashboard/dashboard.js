#!/usr/bin/env node
// The "dashboard" service of the seed talk: shows the counting service's number, or that it is unreachable.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 9002);
const countingUrl = process.env.COUNTING_SERVICE_URL ?? 'http://localhost:9001/';

async function fetchCount() {
  try {
    const res = await fetch(countingUrl, { signal: AbortSignal.timeout(2000) });
    return { ok: true, ...(await res.json()) };
  } catch (err) {
    return { ok: false, error: err.message };
  }
}

createServer(async (req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end("Hello, you've hit /health\n");
    return;
  }
  const result = await fetchCount();
  if (req.url === '/api/count') {
    res.writeHead(result.ok ? 200 : 502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(result));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  const body = result.ok
    ? `<h1>${result.count}</h1><p>counted by ${result.hostname}</p>`
    : `<h1>Counting Service is Unreachable</h1><p>${result.error}</p>`;
  res.end(`<!doctype html><title>Dashboard</title><meta http-equiv="refresh" content="1">${body}`);
}).listen(port, () => console.log(`dashboard listening on port ${port} (counting at ${countingUrl})`));
