import type { Socket } from 'node:net';

/**
 * Joins two sockets both ways. A half-close passes through (the sockets are opened with
 * allowHalfOpen), so a client that sends its request and shuts its side still gets the
 * whole answer. A side that closes cleanly after both directions ended lets the other
 * finish; one that breaks (error, reset, destroyed) takes the other down with it.
 */
export function splice(a: Socket, b: Socket): void {
  a.setNoDelay(true);
  b.setNoDelay(true);
  a.pipe(b);
  b.pipe(a);
  const onError = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', onError);
  b.on('error', onError);
  a.once('close', () => settle(a, b));
  b.once('close', () => settle(b, a));
}

function settle(closed: Socket, other: Socket): void {
  if (other.destroyed) return;
  if (closed.readableEnded && closed.writableFinished) {
    if (!other.writableEnded) other.end();
  } else other.destroy();
}
