import type { Logger } from 'pino';
import type { AccessLog } from './access-log.js';
import { authorityOf, hasNoBody, isGrpc, type DownstreamRequest, type DownstreamResponse } from './downstream.js';
import { Exchange } from './exchange-log.js';
import { forwardRequestHeaders } from './forward-headers.js';
import { applyHeaderOps } from './header-ops.js';
import type { HttpMetrics } from './http-metrics.js';
import { localReply } from './local-reply.js';
import { OutboundCall } from './outbound-call.js';
import { ReplayableBody } from './replayable-body.js';
import { requestHead } from './request-head.js';
import type { RouteLeg, RouteTable } from './route-table.js';
import type { TargetCluster } from './target-cluster.js';
import { propagateTrace } from './trace-context.js';

/** What one upstream listener routes by; replaced whole when a snapshot changes it. */
export interface OutboundTable {
  listener: string;
  routes: RouteTable;
  clusters: ReadonlyMap<string, TargetCluster>;
  accessLog: AccessLog | null;
}

/** The leg's first target that has an instance able to take a request: its own, then its failover targets. */
function pickCluster(clusters: ReadonlyMap<string, TargetCluster>, leg: RouteLeg): TargetCluster | undefined {
  let first: TargetCluster | undefined;
  for (const id of leg.targets) {
    const c = clusters.get(id);
    if (!c) continue;
    first ??= c;
    if (c.available) return c;
  }
  return first;
}

/**
 * An upstream listener at L7, read inside-out per request: route (the chain's router
 * matches) → split (weighted leg) → target (failover to the first with an instance) →
 * circuit breaker → then OutboundCall: balance → attempts with retries → relay. Errors
 * become answers only in local-reply.ts.
 */
export class OutboundHandler {
  constructor(
    public table: OutboundTable,
    private readonly metrics: HttpMetrics,
    private readonly log: Logger,
  ) {}

  readonly handle = (req: DownstreamRequest, res: DownstreamResponse): void => {
    try {
      this.serve(req, res);
    } catch (err) {
      this.log.error({ error: (err as Error).message, listener: this.table.listener }, 'request failed in the proxy');
      localReply(res, 500, 'internal proxy error', { grpc: isGrpc(req) });
    }
  };

  private serve(req: DownstreamRequest, res: DownstreamResponse): void {
    const table = this.table;
    const ex = new Exchange(table.listener, req, res, table.accessLog);
    const grpc = isGrpc(req);
    const head = requestHead(req.method ?? 'GET', req.url ?? '/', req.headers);
    const route = table.routes.route(head);
    if (!route) {
      ex.flags = 'NR';
      ex.counters = this.metrics.route(table.listener, 'none');
      return localReply(res, 404, `no route matches ${head.method} ${head.path}`, { grpc });
    }
    ex.route = route.name;
    ex.counters = this.metrics.route(table.listener, route.name);
    const leg = route.pick(Math.random());
    const cluster = pickCluster(table.clusters, leg);
    ex.upstream = cluster?.id ?? leg.targets[0] ?? '';
    if (!cluster || cluster.size === 0) {
      ex.flags = 'UH';
      return localReply(res, 503, 'no healthy upstream', { grpc });
    }
    const trip = cluster.breaker.enter();
    if (trip) {
      ex.flags = 'UO';
      this.metrics.trips.inc({ listener: table.listener, target: cluster.id, limit: trip });
      return localReply(res, 503, `upstream overflow: ${trip} reached`, { grpc, headers: { 'x-weft-overloaded': 'true' } });
    }

    const hash = cluster.hash?.({ headers: req.headers, query: head.query, sourceIp: req.socket?.remoteAddress ?? '' });
    const headers = forwardRequestHeaders(req.headers);
    const trace = propagateTrace(headers);
    if (table.accessLog) {
      ex.traceId = trace.traceId;
      ex.requestId = String(headers['x-request-id'] ?? '');
    }
    // Envoy applies the split's changes first and the route's after, so the route's Set wins.
    if (leg.requestHeaders) applyHeaderOps(headers, leg.requestHeaders);
    if (route.requestHeaders) applyHeaderOps(headers, route.requestHeaders);
    const path = head.query ? `${route.rewritePath(head.path)}?${head.query}` : route.rewritePath(head.path);
    const replay = hasNoBody(req) ? null : new ReplayableBody(req);
    const request = { method: head.method, path, authority: authorityOf(req), headers, body: replay ? () => replay.stream() : null };
    new OutboundCall(req, res, ex, route, leg, cluster, request, replay, hash, grpc, this.log).start();
  }
}
