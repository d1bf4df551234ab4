import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import type { TlsOptions } from 'node:tls';
import { WeftError } from '../lib/errors.js';

/** Listens and turns the usual failures into the one-line errors an operator can act on. */
export function listen(server: NetServer, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const reason =
        err.code === 'EADDRINUSE'
          ? 'bind: address already in use'
          : err.code === 'EACCES'
            ? 'bind: permission denied'
            : err.code === 'EADDRNOTAVAIL'
              ? 'bind: cannot assign requested address'
              : err.message;
      reject(new WeftError('UNAVAILABLE', `Error starting ${what}: listen tcp ${where}: ${reason}`));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * An HTTP port bound before anything else starts, so a taken port fails the agent
 * at once. Requests that arrive before `serve` are held, then handed over.
 */
export class ReservedHttp {
  readonly server: Server;
  private handler: Server | null = null;
  private readonly early: [IncomingMessage, ServerResponse][] = [];

  /** With `tls`, the port speaks HTTPS (and asks for client certificates when `tls.requestCert`). */
  constructor(tls?: TlsOptions) {
    this.server = tls ? createHttpsServer(tls) : createServer();
    this.server.on('request', (req, res) => {
      if (this.handler) this.handler.emit('request', req, res);
      else this.early.push([req, res]);
    });
  }

  static async bind(host: string, port: number, what: string, tls?: TlsOptions): Promise<ReservedHttp> {
    const r = new ReservedHttp(tls);
    await listen(r.server, host, port, what);
    return r;
  }

  /** Hands every request (held ones first) to `handler`, taking over its timeouts. */
  serve(handler: Server): void {
    this.server.keepAliveTimeout = handler.keepAliveTimeout;
    this.server.requestTimeout = handler.requestTimeout;
    this.server.headersTimeout = handler.headersTimeout;
    this.handler = handler;
    for (const [req, res] of this.early.splice(0)) handler.emit('request', req, res);
  }
}
