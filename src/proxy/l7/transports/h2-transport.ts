import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { UpstreamFailure, type Dialer, type HeaderMap, type HttpTransport, type OutboundRequest, type UpstreamResponse } from './transport.js';

const { NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM } = constants;

/**
 * h2 to one peer: one session multiplexing every request, re-dialled when it closes or the
 * peer sends GOAWAY (streams already open on the old one finish there). `tls` sessions
 * require the peer to have chosen h2 by ALPN; plain ones are h2c with prior knowledge.
 */
export class H2Transport implements HttpTransport {
  readonly protocol = 'h2' as const;
  private session: Promise<ClientHttp2Session> | null = null;
  private readonly open = new Set<ClientHttp2Session>();
  private closed = false;

  constructor(
    private readonly dial: Dialer,
    private readonly tls: boolean,
  ) {}

  private current(): Promise<ClientHttp2Session> {
    if (this.session) return this.session;
    const pending: Promise<ClientHttp2Session> = this.dial().then(
      (socket) =>
        new Promise<ClientHttp2Session>((resolve, reject) => {
          if (this.tls && (socket as TLSSocket).alpnProtocol !== 'h2') {
            socket.destroy();
            return reject(new Error('the peer did not choose h2 by ALPN'));
          }
          const session = connect(this.tls ? 'https://mesh.invalid' : 'http://mesh.invalid', { createConnection: () => socket });
          this.open.add(session);
          const forget = () => {
            if (this.session === pending) this.session = null;
          };
          session.once('connect', () => resolve(session));
          session.once('error', (err) => {
            forget();
            reject(err);
          });
          session.once('goaway', forget);
          session.once('close', () => {
            forget();
            this.open.delete(session);
          });
          // Idle sessions must not keep a stopping proxy alive.
          session.unref();
        }),
    );
    pending.catch(() => {
      if (this.session === pending) this.session = null;
    });
    this.session = pending;
    return pending;
  }

  async request(req: OutboundRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    if (this.closed) throw new UpstreamFailure('connect', 'the transport is closed');
    let session: ClientHttp2Session;
    try {
      session = await this.current();
    } catch (err) {
      throw new UpstreamFailure(signal.aborted ? 'timeout' : 'connect', (err as Error).message, { cause: err });
    }
    const headers: OutgoingHttpHeaders = { ...req.headers, ':method': req.method, ':path': req.path, ':authority': req.authority, ':scheme': this.tls ? 'https' : 'http' };
    const body = req.body;
    const endStream = body === null || (Buffer.isBuffer(body) && body.length === 0);
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(headers, { endStream });
    } catch (err) {
      // The session went away between the lookup and the request: nothing was sent.
      if (this.session && (await this.session.catch(() => null)) === session) this.session = null;
      throw new UpstreamFailure('connect', (err as Error).message, { cause: err });
    }
    if (!endStream) {
      if (Buffer.isBuffer(body)) stream.end(body);
      else if (typeof body === 'function') body().on('error', () => stream.close(NGHTTP2_CANCEL)).pipe(stream);
    }
    return new Promise<UpstreamResponse>((resolve, reject) => {
      let trailers: HeaderMap | undefined;
      let answered = false;
      const onAbort = () => {
        stream.close(NGHTTP2_CANCEL);
        if (!answered) reject(new UpstreamFailure('timeout', 'the request deadline passed'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stream.on('trailers', (t: IncomingHttpHeaders) => (trailers = t));
      stream.once('response', (h: IncomingHttpHeaders) => {
        answered = true;
        const status = Number(h[':status']);
        for (const k of Object.keys(h)) if (k.charCodeAt(0) === 58 /* ':' */) delete h[k];
        resolve({ status, headers: h, body: stream, trailers: () => trailers });
      });
      stream.once('close', () => {
        signal.removeEventListener('abort', onAbort);
        if (answered) return;
        if (signal.aborted) return reject(new UpstreamFailure('timeout', 'the request deadline passed'));
        const refused = stream.rstCode === NGHTTP2_REFUSED_STREAM;
        reject(new UpstreamFailure(refused ? 'refused' : 'reset', `the stream was reset (code ${stream.rstCode})`));
      });
      stream.on('error', () => undefined);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.session = null;
    await Promise.all([...this.open].map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.close(() => resolve())))));
  }
}
