import http2, { type ClientHttp2Session } from 'node:http2';
import { isIP } from 'node:net';
import type { CheckDefinition } from '../types.js';
import { tlsOptions, type Deadline, type ProbeContext } from './context.js';

/**
 * Opens one HTTP/2 session for a gRPC or H2PING check: TLS with ALPN "h2" when `useTls`,
 * prior-knowledge cleartext (h2c) otherwise. Resolves once the connection (and handshake) is up.
 */
export function openH2Session(
  host: string,
  port: number,
  useTls: boolean,
  def: CheckDefinition,
  ctx: ProbeContext,
  dl: Deadline,
): Promise<ClientHttp2Session> {
  const authority = `${useTls ? 'https' : 'http'}://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    const session = http2.connect(authority, useTls ? tlsOptions(def, host, ctx) : {});
    const cancel = dl.onAbort(() => {
      session.destroy();
      reject(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' }));
    });
    session.once('connect', () => {
      cancel();
      resolve(session);
    });
    session.on('error', (err) => {
      cancel();
      session.destroy();
      reject(err);
    });
  });
}

/** Closes a session without waiting on the peer; errors after the verdict no longer matter. */
export function closeH2Session(session: ClientHttp2Session): void {
  session.on('error', () => {});
  session.destroy();
}
