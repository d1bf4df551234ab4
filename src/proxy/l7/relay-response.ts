import { applyHeaderOps, type HeaderOps } from './header-ops.js';
import type { DownstreamResponse } from './downstream.js';
import { forwardResponseHeaders } from './forward-headers.js';
import type { UpstreamResponse } from './transports/transport.js';

export interface RelayOptions {
  /** Response header changes, applied in order (split, then route). */
  ops: readonly (HeaderOps | null)[];
  /** A Set-Cookie a hash policy asks for (sticky sessions). */
  setCookie?: string;
  /** Trailers can only be passed to an h2 caller. */
  trailers: boolean;
  /** The route's IdleTimeout: a body that sends nothing for this long is cut off (0 = never). */
  idleTimeoutMs?: number;
  /** Called once the answer has ended or broken off. */
  done: (ok: boolean) => void;
}

/**
 * Streams an upstream's answer to the caller: status and headers (minus hop-by-hop ones,
 * with the route's changes), the body with backpressure, then the trailers (gRPC's status
 * lives there). A caller that goes away cancels the upstream request; an upstream that
 * breaks mid-body cuts the caller's response rather than ending it as if complete.
 */
export function relayResponse(res: DownstreamResponse, up: UpstreamResponse, opts: RelayOptions): void {
  const headers = forwardResponseHeaders(up.headers);
  for (const ops of opts.ops) if (ops) applyHeaderOps(headers, ops);
  if (opts.setCookie) {
    const prev = headers['set-cookie'];
    headers['set-cookie'] = prev === undefined ? [opts.setCookie] : [...(Array.isArray(prev) ? prev : [prev]), opts.setCookie];
  }
  if (opts.trailers) {
    // To an h2 caller the headers go out with the first body bytes, or with END_STREAM when
    // there are none: gRPC reads a "trailers-only" status only from such a closing HEADERS frame.
    res.statusCode = up.status;
    for (const k in headers) if (headers[k] !== undefined) res.setHeader(k, headers[k]!);
  } else res.writeHead(up.status, headers as Record<string, string | string[]>);
  const body = up.body;
  let finished = false;
  const finish = (ok: boolean) => {
    if (finished) return;
    finished = true;
    opts.done(ok);
  };
  if (opts.idleTimeoutMs) {
    const idle = setTimeout(() => body.destroy(new Error('stream idle timeout')), opts.idleTimeoutMs);
    body.on('data', () => idle.refresh());
    body.once('close', () => clearTimeout(idle));
  }
  body.once('end', () => {
    const t = up.trailers();
    if (t && opts.trailers) {
      const clean: Record<string, string | string[]> = {};
      for (const k in t) if (k.charCodeAt(0) !== 58 && t[k] !== undefined) clean[k] = t[k]!;
      res.addTrailers(clean);
    }
    res.end();
  });
  body.once('error', () => {
    res.destroy();
    finish(false);
  });
  body.pipe(res as NodeJS.WritableStream, { end: false });
  res.once('close', () => {
    if (!body.readableEnded) body.destroy();
    finish(res.writableFinished);
  });
}
