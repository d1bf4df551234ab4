import type { OutgoingHttpHeaders } from 'node:http';
import type { DownstreamResponse } from './downstream.js';

/** Envoy's mapping of an HTTP status the proxy produces to a gRPC status (grpc/status.cc httpToGrpcStatus). */
export function grpcStatusFor(http: number): number {
  switch (http) {
    case 400:
      return 13; // INTERNAL
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 12; // UNIMPLEMENTED
    case 429:
    case 502:
    case 503:
    case 504:
      return 14; // UNAVAILABLE
    default:
      return 2; // UNKNOWN
  }
}

/**
 * A response the proxy makes itself (no route, denied, overloaded, timed out): the status
 * with a one-line plain-text reason, as Consul's sidecars answer; a gRPC caller gets a
 * trailers-only answer with grpc-status and grpc-message instead, which its library reads.
 * When the upstream's answer had already begun, the stream is cut instead.
 */
export function localReply(res: DownstreamResponse, status: number, reason: string, opts: { grpc: boolean; headers?: OutgoingHttpHeaders }): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (opts.grpc) {
    // Headers set, not written: end() then sends them with END_STREAM, the trailers-only answer gRPC expects.
    res.statusCode = 200;
    const headers = { ...opts.headers, 'content-type': 'application/grpc', 'grpc-status': String(grpcStatusFor(status)), 'grpc-message': encodeURIComponent(reason) };
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
    res.end();
    return;
  }
  const body = `${reason}\n`;
  res.writeHead(status, { ...opts.headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
