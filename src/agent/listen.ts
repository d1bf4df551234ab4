import type { Server } from 'node:http';
import { WeftError } from '../lib/errors.js';

/** Listens and turns the usual failures into the one-line errors an operator can act on. */
export function listen(server: Server, host: string, port: number, what: string): Promise<void> {
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
