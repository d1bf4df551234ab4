import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderMap } from './transports/transport.js';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus HTTP/2's upgrade header. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'http2-settings', 'host', 'trailer']);

function connectionTokens(headers: IncomingHttpHeaders): Set<string> | null {
  const c = headers.connection;
  if (!c) return null;
  const out = new Set<string>();
  for (const t of c.split(',')) {
    const name = t.trim().toLowerCase();
    if (name && name !== 'close' && name !== 'keep-alive') out.add(name);
  }
  return out.size ? out : null;
}

/**
 * The request headers to send on: everything but hop-by-hop headers, those the Connection
 * header names, and h2 pseudo-headers. `te: trailers` survives (gRPC needs it).
 */
export function forwardRequestHeaders(headers: IncomingHttpHeaders): HeaderMap {
  const named = connectionTokens(headers);
  const out: HeaderMap = {};
  for (const k in headers) {
    if (k.charCodeAt(0) === 58 /* ':' */ || HOP_BY_HOP.has(k) || named?.has(k)) continue;
    out[k] = headers[k];
  }
  if (headers.te === 'trailers') out.te = 'trailers';
  return out;
}

/** The response headers to send back: the same rule, in the other direction. */
export function forwardResponseHeaders(headers: IncomingHttpHeaders): HeaderMap {
  const named = connectionTokens(headers);
  const out: HeaderMap = {};
  for (const k in headers) {
    if (k.charCodeAt(0) === 58 || HOP_BY_HOP.has(k) || named?.has(k)) continue;
    out[k] = headers[k];
  }
  return out;
}
