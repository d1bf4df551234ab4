import { createServer as createHttp1Server, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { DownstreamRequest, DownstreamResponse } from './downstream.js';

export type RequestListener = (req: DownstreamRequest, res: DownstreamResponse) => void;

/** The first bytes of HTTP/2 with prior knowledge (RFC 9113 §3.4); no HTTP/1.1 method starts with "PRI ". */
const PREFACE_START = Buffer.from('PRI ');

/**
 * A socket whose first chunk was already read (to tell h2c from HTTP/1.1), replayed ahead
 * of the rest. HTTP/2 sessions read native sockets below the JavaScript stream, where an
 * unshifted chunk would be lost; through this wrapper they read the stream instead.
 */
class ReplayedSocket extends Duplex {
  constructor(
    private readonly inner: Socket,
    first: Buffer,
  ) {
    super({ allowHalfOpen: true });
    this.push(first);
    inner.on('data', (c: Buffer) => {
      if (!this.push(c)) inner.pause();
    });
    inner.once('end', () => this.push(null));
    inner.once('close', () => this.destroy());
    inner.on('error', (err) => this.destroy(err));
  }

  get remoteAddress(): string | undefined {
    return this.inner.remoteAddress;
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.inner.write(chunk, cb);
  }

  override _final(cb: () => void): void {
    this.inner.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.inner.destroy();
    cb(err);
  }
}

/**
 * The HTTP front end of an L7 listener: one HTTP/1.1 and one HTTP/2 server that never
 * listen themselves; the listener hands them connections. `serve` takes a connection whose
 * protocol is known (TLS with ALPN), `detect` a plaintext one, read until h2c's preface
 * or an HTTP/1.1 request line shows which it is.
 */
export class HttpFront {
  private readonly h1: Server;
  private readonly h2: Http2Server;
  private readonly sessions = new Set<ServerHttp2Session>();

  constructor(handler: RequestListener) {
    // The proxy's own deadlines apply (route timeouts), not Node's server defaults.
    this.h1 = createHttp1Server({ keepAliveTimeout: 60_000, requestTimeout: 0, headersTimeout: 60_000, noDelay: true }, handler);
    this.h2 = createHttp2Server({}, handler);
    this.h2.on('session', (s: ServerHttp2Session) => {
      this.sessions.add(s);
      s.once('close', () => this.sessions.delete(s));
    });
  }

  serve(socket: Duplex, protocol: 'h2' | 'http/1.1'): void {
    (protocol === 'h2' ? this.h2 : this.h1).emit('connection', socket);
  }

  detect(socket: Socket): void {
    socket.once('data', (first: Buffer) => {
      socket.pause();
      const n = Math.min(first.length, PREFACE_START.length);
      if (first.subarray(0, n).equals(PREFACE_START.subarray(0, n))) {
        this.serve(new ReplayedSocket(socket, first), 'h2');
      } else {
        socket.unshift(first);
        this.serve(socket, 'http/1.1');
        socket.resume();
      }
    });
    socket.resume();
  }

  /** Asks h2 callers to stop (GOAWAY) so they reconnect elsewhere; requests in flight finish. */
  drain(): void {
    for (const s of this.sessions) s.close();
  }
}
