import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { Dispatcher, Pool as UndiciPool } from 'undici';
import { DialError } from '../../../sdk/dial.js';
import { UpstreamFailure, type Dialer, type ExchangeControl, type HttpTransport, type OutboundRequest, type ResponseSink } from './transport.js';

// undici's main entry loads all of it (fetch, WebSocket, caches, mocks: 110 modules); a sidecar
// needs only the pool, 22 modules and about 8 MB less resident memory. undici 7 has no exports
// map, so the path is public; the dependency is pinned to major 7.
const Pool = createRequire(import.meta.url)('undici/lib/dispatcher/pool.js') as typeof UndiciPool;
type Pool = UndiciPool;

const ABORTED = new Error('cancelled by the proxy');

/**
 * HTTP/1.1 over kept-alive connections to one peer (undici's Pool: one request per
 * connection at a time, idle connections reused). `maxConnections` caps the pool; requests
 * beyond it wait in undici's queue (the circuit breaker bounds that queue).
 */
export class H1Transport implements HttpTransport {
  readonly protocol = 'http/1.1' as const;
  private readonly pool: Pool;

  constructor(dial: Dialer, opts: { maxConnections?: number } = {}) {
    this.pool = new Pool('http://mesh.invalid', {
      connections: opts.maxConnections ?? null,
      pipelining: 1,
      // Deadlines are the proxy's (request and per-try timeouts), not the pool's.
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connect: (_opts, cb) => {
        dial().then(
          (socket: Duplex) => cb(null, socket as never),
          (err: Error) => cb(err, null),
        );
      },
    });
  }

  send(req: OutboundRequest, sink: ResponseSink): ExchangeControl {
    return new H1Exchange(this.pool, req, sink);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** One request through the pool, as an undici dispatch handler feeding the sink directly. */
class H1Exchange implements Dispatcher.DispatchHandler, ExchangeControl {
  private controller: Dispatcher.DispatchController | null = null;
  private done = false;
  private headSeen = false;

  constructor(
    pool: Pool,
    req: OutboundRequest,
    private readonly sink: ResponseSink,
  ) {
    const headers = req.headers as Record<string, string>;
    headers.host = req.authority;
    pool.dispatch({ method: req.method as 'GET', path: req.path, headers, body: typeof req.body === 'function' ? req.body() : req.body }, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.done) controller.abort(ABORTED);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    if (this.done || status < 200) return;
    this.headSeen = true;
    if (!this.sink.onHead(status, headers)) this.stop(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.done && !this.sink.onData(chunk)) controller.pause();
  }

  onResponseEnd(_c: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>): void {
    if (this.done) return;
    this.done = true;
    this.sink.onEnd(trailers);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.done) return;
    this.done = true;
    this.sink.onError(classify(err, this.headSeen), this.headSeen);
  }

  private stop(controller: Dispatcher.DispatchController | null): void {
    this.done = true;
    controller?.abort(ABORTED);
  }

  abort(): void {
    if (!this.done) this.stop(this.controller);
  }

  resume(): void {
    this.controller?.resume();
  }
}

function classify(err: Error & { code?: string }, afterHead: boolean): UpstreamFailure {
  const connect = !afterHead && (err instanceof DialError || err.code === 'UND_ERR_CONNECT_TIMEOUT' || err.code === 'ECONNREFUSED');
  return new UpstreamFailure(connect ? 'connect' : 'reset', err.message, { cause: err });
}
