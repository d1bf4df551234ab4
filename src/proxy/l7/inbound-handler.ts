import type { Logger } from 'pino';
import type { SnapshotIntentions } from '../../proxycfg/wire.js';
import type { AccessLog } from './access-log.js';
import { authorityOf, hasNoBody, isGrpc, type DownstreamRequest, type DownstreamResponse } from './downstream.js';
import { Exchange } from './exchange-log.js';
import { forwardRequestHeaders } from './forward-headers.js';
import type { HttpMetrics } from './http-metrics.js';
import { authorizeRequest } from './l7-authorize.js';
import { localReply } from './local-reply.js';
import { DownstreamRelay } from './downstream-relay.js';
import { requestHead } from './request-head.js';
import { propagateTrace } from './trace-context.js';
import type { ExchangeControl, HeaderMap, HttpTransport, OutboundRequest, ResponseSink, UpstreamFailure } from './transports/transport.js';

/** What the public listener serves by; replaced whole when a snapshot changes it. */
export interface InboundTable {
  /** The service this proxy fronts (the destination of intentions). */
  service: string;
  /** This proxy's own SPIFFE ID, for x-forwarded-client-cert's By=. */
  spiffeId: string;
  intentions: SnapshotIntentions;
  /** Pooled connections to the local app, in its protocol. */
  local: HttpTransport;
  localAddress: string;
  /** service-defaults LocalRequestTimeoutMs; 0 = none. */
  requestTimeoutMs: number;
  accessLog: AccessLog | null;
}

/** The authenticated caller of an inbound connection. */
export interface Caller {
  service: string;
  uri: string;
}

const LISTENER = 'public';

/**
 * The public listener at L7: each request of an authenticated caller is authorized by
 * intentions (an L7 intention's permissions decide per method, path and header: 403 with
 * the reason when denied), gets a new span in its trace context and the caller's identity
 * in x-forwarded-client-cert, then goes to the local app over a pooled connection.
 */
export class InboundHandler {
  constructor(
    public table: InboundTable,
    private readonly metrics: HttpMetrics,
    private readonly log: Logger,
  ) {}

  serve(req: DownstreamRequest, res: DownstreamResponse, caller: Caller): void {
    try {
      this.forward(req, res, caller);
    } catch (err) {
      this.log.error({ error: (err as Error).message }, 'inbound request failed in the proxy');
      localReply(res, 500, 'internal proxy error', { grpc: isGrpc(req) });
    }
  }

  private forward(req: DownstreamRequest, res: DownstreamResponse, caller: Caller): void {
    const table = this.table;
    const ex = new Exchange(LISTENER, req, res, table.accessLog);
    ex.source = caller.service;
    ex.upstream = 'local_app';
    ex.route = 'local';
    ex.counters = this.metrics.route(LISTENER, 'local');
    const grpc = isGrpc(req);
    // Normalized as Consul's Envoy does, so `/public/../admin` cannot slip past a rule on `/admin`.
    const head = requestHead(req.method ?? 'GET', req.url ?? '/', req.headers, { normalize: true });
    const decision = authorizeRequest(caller.service, table.service, table.intentions, head);
    if (!decision.allowed) {
      ex.flags = 'RBAC';
      this.metrics.denied.inc({ listener: LISTENER });
      this.log.info({ source: caller.service, method: head.method, path: head.path, reason: decision.reason }, 'request denied');
      return localReply(res, 403, `Permission denied: ${decision.reason}`, { grpc });
    }
    const headers = forwardRequestHeaders(req.headers);
    const trace = propagateTrace(headers);
    headers['x-forwarded-client-cert'] = `By=${table.spiffeId};URI=${caller.uri}`;
    if (table.accessLog) {
      ex.traceId = trace.traceId;
      ex.requestId = String(headers['x-request-id'] ?? '');
    }
    ex.upstreamHost = table.localAddress;
    ex.attempts = 1;
    const request = { method: head.method, path: head.query ? `${head.path}?${head.query}` : head.path, authority: authorityOf(req), headers, body: hasNoBody(req) ? null : () => req };
    new InboundCall(res, grpc, ex, table, this.log).start(request, req.httpVersionMajor === 2);
  }
}

/** One request to the local app: no retries (the caller's sidecar decides those), the app's own deadline. */
class InboundCall implements ResponseSink {
  private control: ExchangeControl | null = null;
  private deadline: NodeJS.Timeout | null = null;
  private finished = false;
  private relay: DownstreamRelay | null = null;

  constructor(
    private readonly res: DownstreamResponse,
    private readonly grpc: boolean,
    private readonly ex: Exchange,
    private readonly table: InboundTable,
    private readonly log: Logger,
  ) {}

  start(request: OutboundRequest, h2: boolean): void {
    this.relay = new DownstreamRelay(this.res, h2);
    this.res.once('close', () => {
      this.finished = true;
      if (this.deadline) clearTimeout(this.deadline);
      this.control?.abort();
    });
    if (this.table.requestTimeoutMs > 0) this.deadline = setTimeout(() => this.timedOut(), this.table.requestTimeoutMs);
    this.control = this.table.local.send(request, this);
  }

  onHead(status: number, headers: HeaderMap): boolean {
    if (this.finished) return false;
    this.relay!.head(status, headers, NO_CHANGES, this.control!);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.finished ? true : this.relay!.data(chunk);
  }

  onEnd(trailers: HeaderMap | undefined): void {
    if (!this.finished) this.relay!.end(trailers);
  }

  onError(failure: UpstreamFailure, afterHead: boolean): void {
    if (this.finished) return;
    if (afterHead) {
      this.ex.flags = 'UC';
      return this.relay!.cut();
    }
    this.ex.flags = failure.kind === 'connect' ? 'UF' : 'UC';
    this.log.warn({ error: failure.message, local: this.table.localAddress }, 'cannot reach the local app');
    localReply(this.res, 503, `local app unavailable: ${failure.message}`, { grpc: this.grpc });
  }

  private timedOut(): void {
    this.deadline = null;
    if (this.finished) return;
    this.control?.abort();
    this.ex.flags = 'UT';
    if (this.res.headersSent) this.relay!.cut();
    else localReply(this.res, 504, 'local app request timeout', { grpc: this.grpc });
  }
}

const NO_CHANGES = { ops: [], idleTimeoutMs: 0 };
