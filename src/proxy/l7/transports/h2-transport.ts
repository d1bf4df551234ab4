import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { UpstreamFailure, type Dialer, type ExchangeControl, type HeaderMap, type HttpTransport, type OutboundRequest, type ResponseSink } from './transport.js';

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

  /** The session new streams go on, dialling one when there is none. */
  current(): Promise<ClientHttp2Session> {
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

  send(req: OutboundRequest, sink: ResponseSink): ExchangeControl {
    const x = new H2Exchange(req, sink, this.tls);
    if (this.closed) x.fail(new UpstreamFailure('connect', 'the transport is closed'));
    else
      this.current().then(
        (session) => x.start(session, this),
        (err: Error) => x.fail(new UpstreamFailure('connect', err.message, { cause: err })),
      );
    return x;
  }

  /** Forgets a session that refused a new stream, so the next request dials again. */
  drop(session: ClientHttp2Session): void {
    void this.session?.then((s) => s === session && (this.session = null), () => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.session = null;
    await Promise.all([...this.open].map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.close(() => resolve())))));
  }
}

class H2Exchange implements ExchangeControl {
  private stream: ClientHttp2Stream | null = null;
  private done = false;
  private headSeen = false;

  constructor(
    private readonly req: OutboundRequest,
    private readonly sink: ResponseSink,
    private readonly tls: boolean,
  ) {}

  fail(f: UpstreamFailure): void {
    if (this.done) return;
    this.done = true;
    this.sink.onError(f, false);
  }

  start(session: ClientHttp2Session, transport: H2Transport): void {
    if (this.done) return;
    const req = this.req;
    const headers: OutgoingHttpHeaders = { ...req.headers, ':method': req.method, ':path': req.path, ':authority': req.authority, ':scheme': this.tls ? 'https' : 'http' };
    const body = req.body;
    const endStream = body === null || (Buffer.isBuffer(body) && body.length === 0);
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(headers, { endStream });
    } catch (err) {
      // The session went away between the lookup and the request: nothing was sent.
      transport.drop(session);
      return this.fail(new UpstreamFailure('connect', (err as Error).message, { cause: err }));
    }
    this.stream = stream;
    if (!endStream) {
      if (Buffer.isBuffer(body)) stream.end(body);
      else if (typeof body === 'function') body().on('error', () => stream.close(NGHTTP2_CANCEL)).pipe(stream);
    }
    let trailers: HeaderMap | undefined;
    stream.on('error', () => undefined);
    stream.once('response', (h: IncomingHttpHeaders) => {
      if (this.done) return;
      this.headSeen = true;
      const status = Number(h[':status']);
      for (const k of Object.keys(h)) if (k.charCodeAt(0) === 58 /* ':' */) delete h[k];
      if (!this.sink.onHead(status, h)) this.abort();
    });
    stream.on('data', (chunk: Buffer) => {
      if (!this.done && !this.sink.onData(chunk)) stream.pause();
    });
    stream.on('trailers', (t: IncomingHttpHeaders) => (trailers = t));
    stream.once('end', () => {
      if (this.done) return;
      this.done = true;
      this.sink.onEnd(trailers);
    });
    stream.once('close', () => {
      if (this.done) return;
      this.done = true;
      const refused = !this.headSeen && stream.rstCode === NGHTTP2_REFUSED_STREAM;
      this.sink.onError(new UpstreamFailure(refused ? 'refused' : 'reset', `the stream was reset (code ${stream.rstCode})`), this.headSeen);
    });
  }

  abort(): void {
    this.done = true;
    if (this.stream && !this.stream.closed) this.stream.close(NGHTTP2_CANCEL);
  }

  resume(): void {
    this.stream?.resume();
  }
}
