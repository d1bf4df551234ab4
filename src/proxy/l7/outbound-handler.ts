import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { AccessLog } from './access-log.js';
import { authorityOf, hasNoBody, isGrpc, type DownstreamRequest, type DownstreamResponse } from './downstream.js';
import { Exchange } from './exchange-log.js';
import { forwardRequestHeaders } from './forward-headers.js';
import { applyHeaderOps } from './header-ops.js';
import type { HttpMetrics } from './http-metrics.js';
import type { Host } from './load-balancer.js';
import { localReply } from './local-reply.js';
import { relayResponse } from './relay-response.js';
import { ReplayableBody } from './replayable-body.js';
import { requestHead } from './request-head.js';
import { backoffMs, retriableFailure, retriableStatus } from './retry-decision.js';
import type { RouteLeg, RouteTable } from './route-table.js';
import type { TargetCluster } from './target-cluster.js';
import { propagateTrace } from './trace-context.js';
import { UpstreamFailure, discard, type RequestBody, type UpstreamResponse } from './transports/transport.js';

/** What one upstream listener routes by; replaced whole when a snapshot changes it. */
export interface OutboundTable {
  listener: string;
  routes: RouteTable;
  clusters: ReadonlyMap<string, TargetCluster>;
  accessLog: AccessLog | null;
}

const NEVER = new AbortController().signal;

/** One attempt's deadline: the per-try timeout, or the request's own deadline if that comes first. */
function perTry(request: AbortSignal, ms: number): AbortSignal {
  return request === NEVER ? AbortSignal.timeout(ms) : AbortSignal.any([request, AbortSignal.timeout(ms)]);
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
 * circuit breaker → balance (the resolver's policy, ejected instances skipped) → attempt
 * over a pooled mTLS transport, retried per the route's policy with back-off → relay the
 * answer. Errors become answers only here and in local-reply.ts.
 */
export class OutboundHandler {
  constructor(
    public table: OutboundTable,
    private readonly metrics: HttpMetrics,
    private readonly log: Logger,
  ) {}

  readonly handle = (req: DownstreamRequest, res: DownstreamResponse): void => {
    this.serve(req, res).catch((err: Error) => {
      this.log.error({ error: err.message, listener: this.table.listener }, 'request failed in the proxy');
      localReply(res, 500, 'internal proxy error', { grpc: isGrpc(req) });
    });
  };

  private async serve(req: DownstreamRequest, res: DownstreamResponse): Promise<void> {
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
    res.once('close', () => cluster.breaker.leave());

    const headers = forwardRequestHeaders(req.headers);
    const trace = propagateTrace(headers);
    if (table.accessLog) {
      ex.traceId = trace.traceId;
      ex.requestId = String(headers['x-request-id'] ?? '');
    }
    // Envoy applies the split's changes first and the route's after, so the route's Set wins.
    if (leg.requestHeaders) applyHeaderOps(headers, leg.requestHeaders);
    if (route.requestHeaders) applyHeaderOps(headers, route.requestHeaders);
    const hash = cluster.hash?.({ headers: req.headers, query: head.query, sourceIp: req.socket?.remoteAddress ?? '' });
    const path = head.query ? `${route.rewritePath(head.path)}?${head.query}` : route.rewritePath(head.path);
    const replay = hasNoBody(req) ? null : new ReplayableBody(req);
    const body: RequestBody = replay ? () => replay.stream() : null;
    const signal = route.requestTimeoutMs > 0 ? AbortSignal.timeout(route.requestTimeoutMs) : NEVER;
    const authority = authorityOf(req);
    const tried = new Set<Host>();
    let retries = 0;

    for (;;) {
      if (res.destroyed) return;
      const host = cluster.balancer.pick(hash?.hash, tried) ?? cluster.balancer.pick(hash?.hash);
      if (!host) {
        ex.flags = 'UH';
        return localReply(res, 503, 'no healthy upstream', { grpc });
      }
      tried.add(host);
      host.active++;
      ex.attempts++;
      ex.upstreamHost = `${host.endpoint.Address}:${host.endpoint.Port}`;
      const attemptSignal = route.retry.perTryTimeoutMs > 0 ? perTry(signal, route.retry.perTryTimeoutMs) : signal;
      let up: UpstreamResponse;
      try {
        up = await cluster.transportFor(host).request({ method: head.method, path, authority, headers, body }, attemptSignal);
      } catch (err) {
        host.active--;
        const kind = err instanceof UpstreamFailure ? err.kind : 'reset';
        cluster.outlier.record(host, kind === 'timeout' ? 504 : 503, cluster.balancer.hosts);
        if (signal.aborted) {
          ex.flags = 'UT';
          return localReply(res, 504, 'upstream request timeout', { grpc });
        }
        const decision = retriableFailure(route.retry, kind);
        if (decision.retry && retries < decision.retries && (!replay || replay.replayable)) {
          ex.counters.retries.inc();
          await delay(backoffMs(retries++, Math.random()));
          continue;
        }
        ex.flags = kind === 'connect' ? 'UF' : 'UC';
        this.log.debug({ upstream: cluster.id, host: ex.upstreamHost, error: (err as Error).message }, 'upstream request failed');
        return localReply(res, 503, `upstream connect error or disconnect/reset before headers. reset reason: ${kind === 'connect' ? 'connection failure' : kind}`, { grpc });
      }
      const grpcStatus = up.headers['grpc-status'] as string | undefined;
      cluster.outlier.record(host, up.status, cluster.balancer.hosts);
      if (retries < route.retry.numRetries && retriableStatus(route.retry, up.status, grpcStatus) && (!replay || replay.replayable)) {
        host.active--;
        discard(up);
        ex.counters.retries.inc();
        await delay(backoffMs(retries++, Math.random()));
        continue;
      }
      relayResponse(res, up, {
        ops: [leg.responseHeaders, route.responseHeaders],
        setCookie: hash?.setCookie,
        trailers: req.httpVersionMajor === 2,
        idleTimeoutMs: route.idleTimeoutMs,
        done: () => host.active--,
      });
      return;
    }
  }
}
