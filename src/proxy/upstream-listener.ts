import { createServer } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { HttpFront } from './l7/http-front.js';
import { bind, closeServer, SocketSet } from './listen.js';
import type { ProxyMetrics } from './metrics.js';
import type { RunningListener } from './public-listener.js';
import { splice } from './splice.js';

export interface UpstreamListenerOptions {
  name: string;
  address: string;
  port: number;
  /** The layers below the listener: balance → retry → mTLS connect to an instance. */
  connect: () => Promise<TLSSocket>;
  /** For an HTTP upstream, the front end that routes each request; null splices at L4. */
  http: () => HttpFront | null;
  metrics: ProxyMetrics;
  log: Logger;
}

/**
 * An upstream's local listener: plain TCP from the app on `local_bind_address:local_bind_port`,
 * held paused while the layers below find and dial a healthy instance, then spliced; or, when
 * the upstream speaks HTTP, handed to its L7 front end.
 */
export async function startUpstreamListener(opts: UpstreamListenerOptions): Promise<RunningListener> {
  const listener = `upstream:${opts.name}`;
  const sockets = new SocketSet();
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (app) => {
    sockets.add(app);
    app.on('error', () => app.destroy());
    const front = opts.http();
    if (front) {
      opts.metrics.connections.inc({ listener });
      app.setNoDelay(true);
      front.detect(app);
      return;
    }
    opts.metrics.track({ listener, plain: app, plainIsDownstream: true });
    opts.connect().then(
      (up) => {
        if (app.destroyed) return void up.destroy();
        splice(app, up);
      },
      (err: Error) => {
        opts.log.warn({ upstream: opts.name, error: err.message }, 'no upstream instance could be reached');
        app.destroy();
      },
    );
  });
  const port = await bind(server, opts.address, opts.port);
  opts.log.info({ upstream: opts.name, address: `${opts.address}:${port}` }, 'upstream listener started');
  return { address: opts.address, port, close: (drop) => closeServer(server, sockets, drop) };
}
