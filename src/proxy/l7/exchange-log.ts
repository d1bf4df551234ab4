import { performance } from 'node:perf_hooks';
import type { AccessLog } from './access-log.js';
import type { DownstreamRequest, DownstreamResponse } from './downstream.js';
import { HttpMetrics, type RouteCounters } from './http-metrics.js';

/**
 * What is known of one request as it is served, written once the response ends: the
 * route's metrics always, an access-log line when logs are on. Created per request; the
 * access-log fields are only filled when a log will be written.
 */
export class Exchange {
  readonly t0 = performance.now();
  readonly start = Date.now();
  counters: RouteCounters | null = null;
  route = '';
  upstream = '';
  upstreamHost = '';
  flags = '';
  attempts = 0;
  source = '';
  traceId = '';
  requestId = '';

  constructor(
    readonly listener: string,
    readonly req: DownstreamRequest,
    readonly res: DownstreamResponse,
    private readonly log: AccessLog | null,
  ) {
    res.once('close', () => this.finish());
  }

  private finish(): void {
    const res = this.res;
    const status = res.headersSent ? res.statusCode : 0;
    if (!res.writableFinished && !this.flags) this.flags = 'DC';
    const ms = performance.now() - this.t0;
    if (this.counters) HttpMetrics.observe(this.counters, status || 503, ms / 1000);
    if (!this.log) return;
    const req = this.req;
    const grpc = res.getHeader('grpc-status');
    this.log.record({
      start: this.start,
      listener: this.listener,
      method: req.method ?? '',
      path: req.url ?? '',
      protocol: `HTTP/${req.httpVersion}`,
      status,
      grpcStatus: grpc === undefined ? undefined : String(grpc),
      route: this.route,
      upstream: this.upstream,
      upstreamHost: this.upstreamHost,
      durationMs: ms,
      attempts: this.attempts,
      flags: this.flags,
      source: this.source,
      downstream: req.socket?.remoteAddress ?? '',
      requestId: this.requestId,
      traceId: this.traceId,
      userAgent: String(req.headers['user-agent'] ?? ''),
      authority: String(req.headers[':authority'] ?? req.headers.host ?? ''),
    });
  }
}
