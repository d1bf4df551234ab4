import { connect, type Socket } from 'node:net';
import { WeftError } from '../lib/errors.js';

/** The local app behind the public listener, dialed in plain TCP within `timeoutMs` (Consul's local_connect_timeout_ms). */
export function connectLocal(target: { host: string; port: number; timeoutMs: number }): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    const timer = setTimeout(() => fail(new Error(`no connection within ${target.timeoutMs} ms`)), target.timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new WeftError('UNAVAILABLE', `local app at ${target.host}:${target.port}: ${(err as NodeJS.ErrnoException).code ?? err.message}`, { cause: err }));
    };
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}
