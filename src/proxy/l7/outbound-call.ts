import type { Logger } from 'pino';
import type { DownstreamRequest, DownstreamResponse } from './downstream.js';
import { DownstreamRelay } from './downstream-relay.js';
import type { Exchange } from './exchange-log.js';
import type { HashResult } from './hash-policy.js';
import type { Host } from './load-balancer.js';
import { localReply } from './local-reply.js';
import type { ReplayableBody } from './replayable-body.js';
import { backoffMs, retriableFailure, retriableStatus } from './retry-decision.js';
import type { Route, RouteLeg } from './route-table.js';
import type { TargetCluster } from './target-cluster.js';
import type { ExchangeControl, FailureKind, HeaderMap, OutboundRequest, ResponseSink, UpstreamFailure } from './transports/transport.js';

/**
 * One routed request, from the first attempt to the caller's answer: picks an instance
 * (one that has not failed this request while there is one), sends, and on a retriable
 * answer or failure waits the back-off and tries again, within the route's request deadline
 * and each attempt's PerTryTimeout. The answer that stays is written to the caller as it
 * arrives. Timers are plain timeouts cleared on the way out; no signal or promise per request.
 */
export class OutboundCall implements ResponseSink {
  private host: Host | null = null;
  private control: ExchangeControl | null = null;
  private tried: Set<Host> | null = null;
  private retries = 0;
  private deadline: NodeJS.Timeout | null = null;
  private perTry: NodeJS.Timeout | null = null;
  private finished = false;
  private readonly relay: DownstreamRelay;

  constructor(
    private readonly req: DownstreamRequest,
    private readonly res: DownstreamResponse,
    private readonly ex: Exchange,
    private readonly route: Route,
    private readonly leg: RouteLeg,
    private readonly cluster: TargetCluster,
    private readonly request: OutboundRequest,
    private readonly replay: ReplayableBody | null,
    private readonly hash: HashResult | undefined,
    private readonly grpc: boolean,
    private readonly log: Logger,
  ) {
    this.relay = new DownstreamRelay(res, req.httpVersionMajor === 2);
  }

  start(): void {
    this.res.once('close', () => this.close());
    if (this.route.requestTimeoutMs > 0) this.deadline = setTimeout(() => this.timedOut(), this.route.requestTimeoutMs);
    this.attempt();
  }

  private attempt(): void {
    if (this.finished) return;
    const { cluster } = this;
    const hash = this.hash?.hash;
    const host = (this.tried && cluster.balancer.pick(hash, this.tried)) || cluster.balancer.pick(hash);
    if (!host) return this.reply(503, 'no healthy upstream', 'UH');
    this.host = host;
    host.active++;
    const ex = this.ex;
    ex.attempts++;
    ex.upstreamHost = `${host.endpoint.Address}:${host.endpoint.Port}`;
    const perTry = this.route.retry.perTryTimeoutMs;
    if (perTry > 0) this.perTry = setTimeout(() => this.attemptTimedOut(), perTry);
    this.control = cluster.transportFor(host).send(this.request, this);
  }

  /** Lets go of the current instance (its in-flight count), once. */
  private release(): Host | null {
    const host = this.host;
    if (host) host.active--;
    this.host = null;
    if (this.perTry) clearTimeout(this.perTry);
    this.perTry = null;
    return host;
  }

  onHead(status: number, headers: HeaderMap): boolean {
    if (this.finished) return false;
    if (this.perTry) clearTimeout(this.perTry);
    this.perTry = null;
    const host = this.host!;
    this.cluster.outlier.record(host, status, this.cluster.balancer.hosts);
    const retry = this.route.retry;
    if (this.retries < retry.numRetries && retriableStatus(retry, status, headers['grpc-status'] as string | undefined) && this.replayable()) {
      this.again(this.release()!);
      return false;
    }
    this.relay.head(status, headers, { ops: [this.leg.responseHeaders, this.route.responseHeaders], setCookie: this.hash?.setCookie, idleTimeoutMs: this.route.idleTimeoutMs }, this.control!);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.finished ? true : this.relay.data(chunk);
  }

  onEnd(trailers: HeaderMap | undefined): void {
    this.release();
    if (!this.finished) this.relay.end(trailers);
  }

  onError(failure: UpstreamFailure, afterHead: boolean): void {
    const host = this.release();
    if (this.finished) return;
    if (afterHead) {
      this.ex.flags = 'UC';
      return this.relay.cut();
    }
    if (host) this.cluster.outlier.record(host, 503, this.cluster.balancer.hosts);
    this.log.debug({ upstream: this.cluster.id, host: this.ex.upstreamHost, error: failure.message }, 'upstream request failed');
    this.failed(failure.kind, host);
  }

  private attemptTimedOut(): void {
    this.perTry = null;
    this.control?.abort();
    const host = this.release();
    if (host) this.cluster.outlier.record(host, 504, this.cluster.balancer.hosts);
    this.failed('timeout', host);
  }

  private failed(kind: FailureKind | 'timeout', host: Host | null): void {
    const decision = retriableFailure(this.route.retry, kind);
    if (decision.retry && this.retries < decision.retries && this.replayable() && host) return this.again(host);
    if (kind === 'timeout') return this.reply(504, 'upstream request timeout', 'UT');
    this.reply(503, `upstream connect error or disconnect/reset before headers. reset reason: ${kind === 'connect' ? 'connection failure' : kind}`, kind === 'connect' ? 'UF' : 'UC');
  }

  private replayable(): boolean {
    return !this.replay || this.replay.replayable;
  }

  /** Retries after the back-off, avoiding `failed` while another instance is left. */
  private again(failed: Host): void {
    (this.tried ??= new Set()).add(failed);
    this.ex.counters?.retries.inc();
    setTimeout(() => this.attempt(), backoffMs(this.retries++, Math.random()));
  }

  private timedOut(): void {
    this.deadline = null;
    if (this.finished) return;
    this.control?.abort();
    this.release();
    if (this.res.headersSent) {
      this.ex.flags = 'UT';
      this.relay.cut();
    } else this.reply(504, 'upstream request timeout', 'UT');
  }

  private reply(status: number, reason: string, flags: string): void {
    this.ex.flags = flags;
    localReply(this.res, status, reason, { grpc: this.grpc });
  }

  /** The caller's response is over (ended, cut, or the caller left): stop everything still running. */
  private close(): void {
    this.finished = true;
    if (this.deadline) clearTimeout(this.deadline);
    this.relay.stopIdle();
    if (this.host) {
      this.control?.abort();
      this.release();
    }
    this.cluster.breaker.leave();
  }
}
