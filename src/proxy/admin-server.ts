import { createServer, type Server } from 'node:http';
import type { ProxyMetrics } from './metrics.js';
import { bind } from './listen.js';

/**
 * The proxy's admin port: `GET /metrics` (Prometheus text) and `GET /ready` (200 once the
 * proxy has its certificate and listeners, 503 before).
 */
export async function startAdminServer(address: string, port: number, metrics: ProxyMetrics, ready: () => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      metrics.text().then(
        (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${err.message}\n`),
      );
      return;
    }
    if (path === '/ready') {
      const ok = ready();
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ok ? 'ready\n' : 'waiting for a certificate\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });
  await bind(server, address, port);
  return server;
}
