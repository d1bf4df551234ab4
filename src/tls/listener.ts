import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { Server as NetServer, type Socket } from 'node:net';
import type { TlsOptions } from 'node:tls';

/** What the agent's listeners have in common: they listen, close, and can drop every connection at once. */
export interface ApiListener extends NetServer {
  closeAllConnections(): void;
}

/** The first byte of a TLS ClientHello (a handshake record). */
const TLS_HANDSHAKE = 0x16;

/** An HTTPS server handing every request to `plain`'s request listeners, with plain's timeouts. */
export function httpsFor(plain: HttpServer, tls: TlsOptions): HttpsServer {
  const secure = createHttpsServer(tls, (req: IncomingMessage, res: ServerResponse) => plain.emit('request', req, res));
  secure.keepAliveTimeout = plain.keepAliveTimeout;
  secure.requestTimeout = plain.requestTimeout;
  secure.headersTimeout = plain.headersTimeout;
  return secure;
}

/**
 * One port that speaks TLS to clients that start a handshake and plain HTTP to the others,
 * as Consul's RPC port does while `verify_incoming` is off: agents move to TLS one at a time,
 * without a flag day. The first byte decides; it is put back before either side reads.
 */
class DualProtocolServer extends NetServer implements ApiListener {
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly plain: HttpServer,
    private readonly secure: HttpsServer,
  ) {
    super((socket) => this.route(socket));
  }

  private route(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.once('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      if (chunk[0] === TLS_HANDSHAKE) {
        // The TLS socket takes over the handle and reads what is buffered itself.
        this.secure.emit('connection', socket);
      } else {
        this.plain.emit('connection', socket);
        socket.resume();
      }
    });
  }

  closeAllConnections(): void {
    this.plain.closeAllConnections();
    this.secure.closeAllConnections();
    for (const s of this.sockets) s.destroy();
  }
}

/**
 * The listener for an API port: plain HTTP without `tls`; TLS only when `tls` asks for client
 * certificates (`verify_incoming`: a plain client must not get past it); both otherwise.
 */
export function apiListener(plain: HttpServer, tls: TlsOptions | null): ApiListener {
  if (!tls) return plain;
  const secure = httpsFor(plain, tls);
  return tls.requestCert ? (secure as unknown as ApiListener) : new DualProtocolServer(plain, secure);
}
