import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/** A request as either front end hands it over: HTTP/1.1 or h2 (Node's compatibility API). */
export type DownstreamRequest = IncomingMessage | Http2ServerRequest;
export type DownstreamResponse = ServerResponse | Http2ServerResponse;

/** True for gRPC calls, whose errors must be answered in gRPC's terms. */
export function isGrpc(req: DownstreamRequest): boolean {
  const ct = req.headers['content-type'];
  return typeof ct === 'string' && ct.startsWith('application/grpc');
}

/** True when the request carries no body, so it can be sent and re-sent without reading one. */
export function hasNoBody(req: DownstreamRequest): boolean {
  if (req.httpVersionMajor === 2) return (req as Http2ServerRequest).stream.endAfterHeaders;
  const h = req.headers;
  return h['transfer-encoding'] === undefined && (h['content-length'] === undefined || h['content-length'] === '0');
}

/** The Host the caller asked for: HTTP/1.1's Host header, h2's :authority. */
export function authorityOf(req: DownstreamRequest): string {
  return req.headers[':authority']?.toString() ?? req.headers.host ?? 'localhost';
}
