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

/**
 * How an attempt failed: `connect` (nothing was sent: the dial or the handshake failed),
 * `refused` (an h2 peer refused the stream before reading it), `reset` (the connection
 * broke after the request went out, or in the middle of the answer).
 */
export type FailureKind = 'connect' | 'refused' | 'reset';

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

/**
 * Where an answer goes as it arrives, without a stream or a promise in between: the proxy
 * writes each part straight to its caller. Exactly one of onEnd and onError ends an
 * exchange, unless the head was refused or the exchange aborted (then nothing more comes).
 */
export interface ResponseSink {
  /** The answer's status and headers (the object is the sink's to change). False refuses it: the exchange is cancelled quietly, e.g. for a retry. */
  onHead(status: number, headers: HeaderMap): boolean;
  /** A body chunk; false when the caller is full, and the transport pauses until `resume()`. */
  onData(chunk: Buffer): boolean;
  onEnd(trailers: HeaderMap | undefined): void;
  /** The exchange failed, before the head (`afterHead` false: nothing reached the caller) or during the body. */
  onError(failure: UpstreamFailure, afterHead: boolean): void;
}

export interface ExchangeControl {
  /** Cancels the exchange (a deadline passed, the caller left); the sink hears nothing more. */
  abort(): void;
  resume(): void;
}

/** Opens one connection to the peer: mutual TLS to a sidecar, or plain TCP to the local app. */
export type Dialer = () => Promise<Duplex>;

/** Requests to one peer over pooled connections, HTTP/1.1 or h2. */
export interface HttpTransport {
  readonly protocol: 'http/1.1' | 'h2';
  send(req: OutboundRequest, sink: ResponseSink): ExchangeControl;
  /** Stops opening connections; lets requests in flight finish, then closes. */
  close(): Promise<void>;
}
