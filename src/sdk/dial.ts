import { connect, type ConnectionOptions, type SecureContext, type TLSSocket } from 'node:tls';
import { WeftError } from '../lib/errors.js';
import { expectIdentity } from './identity.js';
import type { SessionCache } from './session-cache.js';

/** One mesh endpoint to dial: where, the SNI to send, and the identity it must prove. */
export interface DialTarget {
  host: string;
  port: number;
  sni: string;
  identity: string;
}

/** How a dial failed: before TCP connected, during the handshake (bad chain or wrong identity), or too slowly. */
export type DialStage = 'connect' | 'handshake' | 'timeout';

export class DialError extends WeftError {
  constructor(
    readonly stage: DialStage,
    readonly target: DialTarget,
    cause: unknown,
  ) {
    super('UNAVAILABLE', `dial ${target.host}:${target.port} (${target.identity}): ${stage} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'DialError';
  }
}

export interface DialOptions {
  context: SecureContext;
  timeoutMs: number;
  signal?: AbortSignal;
  /** TLS sessions to resume: a resumed handshake skips the signatures and chain checks of a full one. */
  sessions?: SessionCache;
  /** ALPN protocols to offer (an L7 proxy offers `h2` or `http/1.1`); none for plain TCP. */
  alpn?: string[];
}

/**
 * Opens a mutual-TLS connection to a mesh endpoint: presents the context's leaf, sends the
 * SNI, verifies the chain against the mesh roots and the peer's SPIFFE ID against the
 * target's. Resolves once the handshake is done. A resumed session was verified the same
 * way when it was made, and the identity check runs again on its certificate.
 */
export function dialMtls(target: DialTarget, opts: DialOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    let tcpUp = false;
    const key = `${target.host}:${target.port}/${target.sni}/${target.identity}`;
    const socket = connect({
      session: opts.sessions?.get(key),
      host: target.host,
      port: target.port,
      servername: target.sni || undefined,
      secureContext: opts.context,
      checkServerIdentity: expectIdentity(target.identity),
      ALPNProtocols: opts.alpn,
      rejectUnauthorized: true,
      // Half-closes pass through the proxy: a client's FIN must not cut the answer short.
      allowHalfOpen: true,
    } as ConnectionOptions);
    const fail = (stage: DialStage, err: unknown) => {
      cleanup();
      socket.destroy();
      reject(err instanceof DialError ? err : new DialError(stage, target, err));
    };
    const onError = (err: Error) => fail(tcpUp ? 'handshake' : 'connect', err);
    const onAbort = () => fail('timeout', opts.signal?.reason ?? new Error('aborted'));
    const timer = setTimeout(() => fail('timeout', new Error(`no connection within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('error', onError);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    socket.once('connect', () => (tcpUp = true));
    // TLS 1.3 tickets come after the handshake, possibly several: the latest is kept.
    if (opts.sessions) socket.on('session', (session: Buffer) => opts.sessions!.set(key, session));
    socket.on('error', onError);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      cleanup();
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}
