import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex, Readable } from 'node:stream';

/** Headers as the proxy forwards them: lower-case names, no hop-by-hop or pseudo-headers. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/**
 * A request body an attempt can send: none, bytes already read, or a fresh stream per
 * attempt (a retry replays what the first attempt saw; see replayable-body.ts).
 */
export type RequestBody = null | Buffer | (() => Readable);

export interface OutboundRequest {
  method: string;
  /** Path and query, already rewritten. */
  path: string;
  /** The Host header (HTTP/1.1) or :authority (h2) to send. */
  authority: string;
  headers: HeaderMap;
  body: RequestBody;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
  /** The trailers, once `body` has ended (gRPC sends its status there). */
  trailers(): HeaderMap | undefined;
}

/** Throws an answer away (a retry replaces it), quietly cancelling the rest of its body. */
export function discard(res: UpstreamResponse): void {
  res.body.on('error', () => undefined);
  res.body.destroy();
}

/**
 * How an attempt failed without a response: `connect` (nothing was sent: the dial or the
 * handshake failed), `refused` (an h2 peer refused the stream before reading it), `reset`
 * (the connection broke after the request went out), `timeout` (the per-try or request
 * deadline passed).
 */
export type FailureKind = 'connect' | 'refused' | 'reset' | 'timeout';

export class UpstreamFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamFailure';
  }
}

/** Opens one connection to the peer: mutual TLS to a sidecar, or plain TCP to the local app. */
export type Dialer = () => Promise<Duplex>;

/** Requests to one peer over pooled connections, HTTP/1.1 or h2. */
export interface HttpTransport {
  readonly protocol: 'http/1.1' | 'h2';
  request(req: OutboundRequest, signal: AbortSignal): Promise<UpstreamResponse>;
  /** Stops opening connections; lets requests in flight finish, then closes. */
  close(): Promise<void>;
}
