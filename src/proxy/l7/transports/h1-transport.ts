import type { Duplex } from 'node:stream';
import { Pool, errors } from 'undici';
import { DialError } from '../../../sdk/dial.js';
import { UpstreamFailure, type Dialer, type HttpTransport, type OutboundRequest, type UpstreamResponse } from './transport.js';

/**
 * HTTP/1.1 over kept-alive connections to one peer (undici's Pool: one request per
 * connection at a time, idle connections reused). `maxConnections` caps the pool; requests
 * beyond it wait in undici's queue (the circuit breaker bounds that queue).
 */
export class H1Transport implements HttpTransport {
  readonly protocol = 'http/1.1' as const;
  private readonly pool: Pool;

  constructor(dial: Dialer, opts: { maxConnections?: number; origin?: string } = {}) {
    this.pool = new Pool(opts.origin ?? 'http://mesh.invalid', {
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

  async request(req: OutboundRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    let res;
    try {
      res = await this.pool.request({
        method: req.method as 'GET',
        path: req.path,
        headers: { ...req.headers, host: req.authority } as Record<string, string>,
        body: typeof req.body === 'function' ? req.body() : req.body,
        signal,
      });
    } catch (err) {
      throw classify(err, signal);
    }
    const { statusCode, headers, body, trailers } = res;
    return { status: statusCode, headers, body, trailers: () => trailers };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function classify(err: unknown, signal: AbortSignal): UpstreamFailure {
  if (signal.aborted) return new UpstreamFailure('timeout', 'the request deadline passed', { cause: err });
  const e = err as Error & { code?: string };
  if (err instanceof DialError || e.code === 'UND_ERR_CONNECT_TIMEOUT' || e.code === 'ECONNREFUSED') return new UpstreamFailure('connect', e.message, { cause: err });
  if (err instanceof errors.SocketError || e.code === 'ECONNRESET' || e.code === 'EPIPE') return new UpstreamFailure('reset', e.message, { cause: err });
  return new UpstreamFailure('reset', e.message ?? String(err), { cause: err });
}
