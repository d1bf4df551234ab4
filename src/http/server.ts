import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import { isWeftError } from '../lib/errors.js';
import type { ApiContext } from './context.js';
import { ApiRequest } from './request.js';
import type { Reply } from './reply.js';
import type { Route } from './routes.js';

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';

export interface ApiServerOptions {
  /** Largest request body accepted unless a route says otherwise. */
  maxBody: number;
  /** Serves everything outside /v1/ (the UI), if given. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * The HTTP edge: one route table, Consul's cross-cutting query rules, headers and
 * error mapping. Handlers return a Reply; only this file writes to the socket.
 */
export function createApiServer(ctx: ApiContext, routes: Route[], opts: ApiServerOptions): Server {
  return tuneApiServer(createServer(apiRequestListener(ctx, routes, opts)));
}

/** Timeouts every API listener needs, plain or TLS. */
export function tuneApiServer<S extends Server>(server: S): S {
  server.keepAliveTimeout = 30_000;
  // Blocking queries hold requests for up to 10 minutes plus jitter.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  return server;
}

/** The API as a request listener, for an HTTP or an HTTPS server alike. */
export function apiRequestListener(ctx: ApiContext, routes: Route[], opts: ApiServerOptions): (raw: IncomingMessage, res: ServerResponse) => void {
  const router = FindMyWay({ ignoreTrailingSlash: false, caseSensitive: true, maxParamLength: 8192 });
  for (const route of routes) {
    const methods = route.method === 'GET' ? (['GET', 'HEAD'] as Method[]) : [route.method];
    for (const m of methods) router.on(m, route.path, () => {}, route);
  }

  return (raw, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(raw.url ?? '/', 'http://agent');
    const found = router.find(raw.method as Method, url.pathname);
    if (!found) {
      if (!url.pathname.startsWith('/v1/') && opts.fallback) return opts.fallback(raw, res);
      const allowed = (['GET', 'PUT', 'POST', 'DELETE'] as Method[]).some((m) => router.find(m, url.pathname));
      return sendText(res, allowed ? 405 : 404, allowed ? `method ${raw.method} not allowed` : '404 page not found', ctx);
    }
    const route = found.store as Route;
    const req = new ApiRequest(raw, found.params, url, route.maxBody ?? opts.maxBody);
    handle(ctx, route, req)
      .then((reply) => send(res, req, reply, ctx))
      .catch((err) => sendError(res, err, ctx))
      .finally(() => ctx.metrics.observeRequest(raw.method ?? 'GET', route.name, res.statusCode, started));
  };
}

async function handle(ctx: ApiContext, route: Route, req: ApiRequest): Promise<Reply> {
  const dc = req.get('dc');
  if (dc && dc !== ctx.agent.config.datacenter) throw noPath();
  if (req.has('stale') && req.has('consistent')) {
    throw Object.assign(new Error(), { http: 400, text: 'Cannot specify ?stale with ?consistent, conflicting semantics.' });
  }
  // A client agent resolves the token at a server first; every check in the handler then answers at once.
  await ctx.authz.prepare?.(req.token);
  // ?consistent: a quorum read of the shared log's head, then answer once this server has applied it.
  if (req.has('consistent') && (req.method === 'GET' || req.method === 'HEAD')) await ctx.store.barrier();
  return route.handler(req, ctx);
}

function noPath(): Error {
  return Object.assign(new Error(), { http: 500, text: 'No path to datacenter' });
}

function send(res: ServerResponse, req: ApiRequest, reply: Reply, ctx: ApiContext): void {
  const headers: Record<string, string> = {
    'X-Consul-Default-ACL-Policy': ctx.authz.defaultPolicy,
    ...reply.headers,
  };
  if (reply.index !== undefined) {
    headers['X-Consul-Index'] = String(Math.max(1, reply.index));
    headers['X-Consul-KnownLeader'] = String(ctx.agent.leaderAddress() !== '');
    headers['X-Consul-LastContact'] = String(ctx.agent.lastContactMs());
    headers['X-Consul-Effective-Consistency'] = req.has('stale') ? 'stale' : req.has('consistent') ? 'consistent' : 'leader';
  }
  let payload: string | Uint8Array | undefined;
  if (reply.raw !== undefined) {
    payload = reply.raw;
    headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = req.has('pretty') ? JSON.stringify(reply.body, null, 4) : JSON.stringify(reply.body);
    headers['Content-Type'] = reply.contentType ?? 'application/json';
  }
  res.writeHead(reply.status ?? 200, headers);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

function sendError(res: ServerResponse, err: unknown, ctx: ApiContext): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (isWeftError(err)) return sendText(res, err.status, err.message, ctx);
  const e = err as { http?: number; text?: string };
  if (e.http && e.text !== undefined) return sendText(res, e.http, e.text, ctx);
  ctx.log.error({ err }, 'request failed');
  sendText(res, 500, String((err as Error)?.message ?? err), ctx);
}

function sendText(res: ServerResponse, status: number, text: string, ctx: ApiContext): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Consul-Default-ACL-Policy': ctx.authz.defaultPolicy,
  });
  res.end(text);
}
