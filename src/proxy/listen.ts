import type { AddressInfo, Server, Socket } from 'node:net';

/** Binds a server and resolves with the port it got (port 0 picks one); rejects with the bind error, e.g. EADDRINUSE. */
export function bind(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The sockets a listener accepted, so closing the listener can also end its connections. */
export class SocketSet {
  private readonly sockets = new Set<Socket>();

  add(s: Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
  }

  destroyAll(): void {
    for (const s of this.sockets) s.destroy();
  }
}

/** Stops accepting; with `drop`, also closes the connections already accepted. */
export function closeServer(server: Server, sockets: SocketSet, drop: boolean): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if (drop) sockets.destroyAll();
  });
}
