import type { ServerResponse } from 'node:http';
import { applyHeaderOps, type HeaderOps } from './header-ops.js';
import type { DownstreamResponse } from './downstream.js';
import { stripResponseHeaders } from './forward-headers.js';
import type { ExchangeControl, HeaderMap } from './transports/transport.js';

export interface RelayHead {
  /** Response header changes, applied in order (split, then route). */
  ops: readonly (HeaderOps | null)[];
  /** A Set-Cookie a hash policy asks for (sticky sessions). */
  setCookie?: string;
  /** The route's IdleTimeout: a body that sends nothing for this long is cut off (0 = never). */
  idleTimeoutMs: number;
}

/**
 * Writes an upstream's answer to the caller as the parts arrive: status and headers
 * (minus hop-by-hop ones, with the route's changes), body chunks with backpressure (a full
 * caller pauses the upstream), then the trailers. To an h2 caller the headers go out with
 * the first body bytes, or with END_STREAM when there are none: gRPC reads a
 * "trailers-only" status only from such a closing HEADERS frame.
 */
export class DownstreamRelay {
  private idle: NodeJS.Timeout | null = null;
  private control: ExchangeControl | null = null;
  private readonly onDrain = () => this.control?.resume();

  constructor(
    private readonly res: DownstreamResponse,
    private readonly h2: boolean,
  ) {}

  head(status: number, headers: HeaderMap, how: RelayHead, control: ExchangeControl): void {
    this.control = control;
    stripResponseHeaders(headers);
    for (const ops of how.ops) if (ops) applyHeaderOps(headers, ops);
    if (how.setCookie) {
      const prev = headers['set-cookie'];
      headers['set-cookie'] = prev === undefined ? [how.setCookie] : [...(Array.isArray(prev) ? prev : [prev]), how.setCookie];
    }
    const res = this.res;
    if (this.h2) {
      res.statusCode = status;
      for (const k in headers) if (headers[k] !== undefined) res.setHeader(k, headers[k]!);
    } else res.writeHead(status, headers as Record<string, string | string[]>);
    if (how.idleTimeoutMs > 0) this.idle = setTimeout(() => this.cut(), how.idleTimeoutMs);
  }

  data(chunk: Buffer): boolean {
    this.idle?.refresh();
    // Both response kinds take a Buffer the same way; their overloads differ only in callbacks.
    const ok = (this.res as ServerResponse).write(chunk);
    if (!ok) this.res.once('drain', this.onDrain);
    return ok;
  }

  end(trailers: HeaderMap | undefined): void {
    this.stopIdle();
    if (trailers && this.h2) {
      const clean: Record<string, string | string[]> = {};
      let any = false;
      for (const k in trailers) {
        if (k.charCodeAt(0) === 58 || trailers[k] === undefined) continue;
        clean[k] = trailers[k]!;
        any = true;
      }
      if (any) this.res.addTrailers(clean);
    }
    this.res.end();
  }

  /** The answer broke off mid-way: the caller's response is cut, not ended as if complete. */
  cut(): void {
    this.stopIdle();
    this.control?.abort();
    this.res.destroy();
  }

  stopIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }
}
