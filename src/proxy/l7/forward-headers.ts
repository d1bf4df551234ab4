import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderMap } from './transports/transport.js';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus HTTP/2's upgrade header. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'http2-settings', 'host', 'trailer']);

/** Whether a header must not be forwarded: hop-by-hop, named by Connection, or an h2 pseudo-header. */
function dropped(name: string, named: Set<string> | null): boolean {
  return name.charCodeAt(0) === 58 /* ':' */ || HOP_BY_HOP.has(name) || (named !== null && named.has(name));
}

function connectionTokens(headers: IncomingHttpHeaders | HeaderMap): Set<string> | null {
  const c = headers.connection;
  if (typeof c !== 'string') return null;
  let out: Set<string> | null = null;
  for (const t of c.split(',')) {
    const name = t.trim().toLowerCase();
    if (name && name !== 'close' && name !== 'keep-alive') (out ??= new Set()).add(name);
  }
  return out;
}

/**
 * The request headers to send on, as a new map: everything but hop-by-hop headers, those
 * the Connection header names, and h2 pseudo-headers. `te: trailers` survives (gRPC needs it).
 */
export function forwardRequestHeaders(headers: IncomingHttpHeaders): HeaderMap {
  const named = connectionTokens(headers);
  const out: HeaderMap = {};
  for (const k in headers) if (!dropped(k, named)) out[k] = headers[k];
  if (headers.te === 'trailers') out.te = 'trailers';
  return out;
}

/** Removes what must not travel back from an upstream's response headers, in place (the map is the proxy's own). */
export function stripResponseHeaders(headers: HeaderMap): HeaderMap {
  const named = connectionTokens(headers);
  for (const k in headers) if (dropped(k, named)) delete headers[k];
  return headers;
}
