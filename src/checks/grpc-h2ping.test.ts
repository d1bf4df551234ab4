import { createServer as createHttp1Server } from 'node:http';
import http2, { type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/e2e/harness.js';
import { parseCheckDefinition, probeCheck } from './index.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const probe = (raw: Record<string, unknown>) =>
  probeCheck(parseCheckDefinition({ Name: 'rpc', Interval: '10s', ...raw }), { signal: new AbortController().signal });

/** A gRPC health service on plain node:http2, answering from `statuses` (service name → ServingStatus number). */
function answerHealthCheck(stream: ServerHttp2Stream, statuses: Map<string, number>, seen: string[]): void {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => {
    const frame = Buffer.concat(chunks);
    const msg = frame.subarray(5, 5 + frame.readUInt32BE(1));
    // HealthCheckRequest{service = 1}: tag 0x0a, one-byte length (names in these tests are short).
    const service = msg.length === 0 ? '' : msg.subarray(2, 2 + msg[1]).toString('utf8');
    seen.push(service);
    const status = statuses.get(service);
    if (status === undefined) {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'unknown%20service' }, { endStream: true });
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    const body = Buffer.from([0x08, status]); // HealthCheckResponse{status = 1}
    const head = Buffer.alloc(5);
    head.writeUInt32BE(body.length, 1);
    stream.end(Buffer.concat([head, body]));
  });
}

async function listen(srv: Http2Server | ReturnType<typeof createHttp1Server>): Promise<number> {
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => srv.close(() => r())));
  return (srv.address() as AddressInfo).port;
}

async function grpcServer(statuses: Map<string, number>): Promise<{ port: number; seen: string[] }> {
  const seen: string[] = [];
  const srv = http2.createServer();
  srv.on('stream', (stream, headers) => {
    if (headers[':path'] !== '/grpc.health.v1.Health/Check') stream.respond({ ':status': 404 }, { endStream: true });
    else answerHealthCheck(stream, statuses, seen);
  });
  return { port: await listen(srv), seen };
}

describe('gRPC check', () => {
  it('is passing when the server reports SERVING for the whole server', async () => {
    const { port, seen } = await grpcServer(new Map([['', 1]]));
    expect(await probe({ GRPC: `127.0.0.1:${port}` })).toEqual({ status: 'passing', output: `gRPC check 127.0.0.1:${port}: success` });
    expect(seen).toEqual(['']);
  });

  it('asks about the service named after the slash', async () => {
    const { port, seen } = await grpcServer(new Map([['billing', 1], ['search', 2]]));
    expect((await probe({ grpc: `127.0.0.1:${port}/billing` })).status).toBe('passing');
    expect(await probe({ grpc: `127.0.0.1:${port}/search` })).toEqual({
      status: 'critical',
      output: `gRPC 127.0.0.1:${port}/search serving status: NOT_SERVING`,
    });
    expect(seen).toEqual(['billing', 'search']);
  });

  it('is critical with the gRPC error for an unknown service', async () => {
    const { port } = await grpcServer(new Map([['', 1]]));
    expect(await probe({ GRPC: `127.0.0.1:${port}/nope` })).toEqual({
      status: 'critical',
      output: 'rpc error: code = NotFound desc = unknown service',
    });
  });

  it('is critical when nothing listens', async () => {
    const port = await freePort();
    const r = await probe({ GRPC: `127.0.0.1:${port}` });
    expect(r.status).toBe('critical');
    expect(r.output).toBe(
      `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:${port}: connect: connection refused"`,
    );
  });
});

describe('H2PING check', () => {
  it('is passing when a cleartext HTTP/2 server acknowledges the ping (h2ping_use_tls = false)', async () => {
    const port = await listen(http2.createServer());
    expect(await probe({ H2PING: `127.0.0.1:${port}`, h2ping_use_tls: false })).toEqual({ status: 'passing', output: 'HTTP2 ping was successful' });
  });

  it('is critical against a server that speaks only HTTP/1.1', async () => {
    const port = await listen(createHttp1Server((_req, res) => res.end('hi')));
    const r = await probe({ H2PING: `127.0.0.1:${port}`, H2PingUseTLS: false, Timeout: '2s' });
    expect(r.status).toBe('critical');
    expect(r.output).toMatch(/^HTTP2 ping failed: /);
  });

  it('is critical when nothing listens', async () => {
    const port = await freePort();
    expect(await probe({ H2PING: `127.0.0.1:${port}`, H2PingUseTLS: false })).toEqual({
      status: 'critical',
      output: `Failed to dial to 127.0.0.1:${port}: dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });
});
