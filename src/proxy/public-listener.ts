import type { Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { Authorization } from '../sdk/authorize.js';
import type { HttpFront } from './l7/http-front.js';
import { contextOptions, type TlsContexts } from '../sdk/tls.js';
import { connectLocal } from './local-connect.js';
import { bind, closeServer, SocketSet } from './listen.js';
import type { ProxyMetrics } from './metrics.js';
import { splice } from './splice.js';

export interface PublicListenerOptions {
  address: string;
  port: number;
  contexts: TlsContexts;
  handshakeTimeoutMs: number;
  /** Decides a connection from the caller's verified certificate (the authz layer). */
  authorize: (socket: TLSSocket) => Authorization;
  /**
   * When the local service speaks HTTP: checks only who the caller is (intentions are then
   * decided per request) and the front end that serves the connection's requests.
   */
  http: () => { front: HttpFront; authenticate: (socket: TLSSocket) => Authorization } | null;
  /** Where the local app is now (a snapshot may move it). */
  local: () => { host: string; port: number; timeoutMs: number };
  metrics: ProxyMetrics;
  log: Logger;
}

export interface RunningListener {
  readonly address: string;
  readonly port: number;
  close(drop: boolean): Promise<void>;
}

const LISTENER = 'public';

/**
 * The public mTLS listener, read inside-out: TLS (the caller must present a chain to one
 * of the current roots; TLS 1.2 at least) → authz (SPIFFE identity and intentions, for
 * every new connection) → connect to the local app → splice. A rotation swaps the
 * server's context for new handshakes; open connections keep theirs.
 */
export async function startPublicListener(opts: PublicListenerOptions): Promise<RunningListener> {
  const { metrics, log } = opts;
  const sockets = new SocketSet();
  const server = createServer(
    {
      ...contextOptions(opts.contexts.currentMaterial()),
      requestCert: true,
      rejectUnauthorized: true,
      handshakeTimeout: opts.handshakeTimeoutMs,
      // Offered always: L4 callers send no ALPN and are unaffected; L7 callers pick h2 or HTTP/1.1.
      ALPNProtocols: ['h2', 'http/1.1'],
    },
    (socket) => void accept(socket),
  );
  server.on('connection', (raw: Socket) => sockets.add(raw));
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => {
    // Node leaves a timed-out handshake open; nothing more will come of it.
    socket.destroy();
    // A TCP probe (the sidecar's own health check) connects and hangs up without sending a
    // byte. Node counts the wire bytes only on the wrapped socket (`_parent`, not public API);
    // when it is missing the failure is counted.
    const wire = (socket as unknown as { _parent?: Socket })._parent;
    if (wire?.bytesRead === 0) return void log.debug({ remote: socket.remoteAddress }, 'connection closed before a TLS handshake');
    metrics.handshakeErrors.inc({ listener: LISTENER });
    log.info({ remote: socket.remoteAddress, error: err.code ?? err.message }, 'inbound TLS handshake failed');
  });
  const off = opts.contexts.onChange((m) => server.setSecureContext({ ...contextOptions(m) }));

  async function accept(socket: TLSSocket): Promise<void> {
    // Half-open only once secure: before that, a peer's FIN must end the handshake at once.
    socket.allowHalfOpen = true;
    socket.on('error', () => socket.destroy());
    const http = opts.http();
    const auth = http ? http.authenticate(socket) : opts.authorize(socket);
    if (!auth.allowed) {
      metrics.denied.inc({ listener: LISTENER, reason: auth.deniedBy ?? 'intention' });
      log.info({ source: auth.source, remote: socket.remoteAddress, reason: auth.reason }, 'connection denied');
      socket.destroy();
      return;
    }
    log.debug({ source: auth.source, remote: socket.remoteAddress, reason: auth.reason }, 'connection authorized');
    if (http) {
      metrics.connections.inc({ listener: LISTENER });
      http.front.serve(socket, socket.alpnProtocol === 'h2' ? 'h2' : 'http/1.1');
      return;
    }
    const target = opts.local();
    let app: Socket;
    try {
      app = await connectLocal(target);
    } catch (err) {
      metrics.connectFailures.inc({ listener: LISTENER, stage: 'connect' });
      log.warn({ err, source: auth.source }, 'cannot reach the local app');
      socket.destroy();
      return;
    }
    if (socket.destroyed) return void app.destroy();
    metrics.track({ listener: LISTENER, plain: app, plainIsDownstream: false });
    splice(socket, app);
  }

  const port = await bind(server, opts.address, opts.port);
  log.info({ address: `${opts.address}:${port}` }, 'public listener started');
  return {
    address: opts.address,
    port,
    close: (drop) => {
      off();
      return closeServer(server, sockets, drop);
    },
  };
}
