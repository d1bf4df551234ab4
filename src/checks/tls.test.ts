import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../../test/e2e/harness.js';
import { parseCheckDefinition, probeCheck } from './index.js';

// One self-signed certificate, valid for the name "weft.test" only (not for 127.0.0.1).
let dir: string;
let key: Buffer;
let cert: Buffer;
beforeAll(() => {
  dir = tempDir('weft-checks-tls-');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=weft.test', '-addext', 'subjectAltName=DNS:weft.test',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  key = readFileSync(join(dir, 'key.pem'));
  cert = readFileSync(join(dir, 'cert.pem'));
});
afterAll(() => removeDir(dir));

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function listen(srv: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown; close(cb: () => void): unknown }): Promise<number> {
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => srv.close(() => r())));
  return (srv.address() as AddressInfo).port;
}

const probe = (raw: Record<string, unknown>, tlsCa?: Buffer) =>
  probeCheck(parseCheckDefinition({ Name: 'tls', Interval: '10s', Timeout: '5s', ...raw }), { signal: new AbortController().signal, tlsCa });

describe('HTTPS check', () => {
  it('verifies the certificate unless tls_skip_verify, and uses tls_server_name for SNI and verification', async () => {
    const sni: Array<string | false | null> = [];
    const srv = createHttpsServer({ key, cert }, (req, res) => {
      sni.push((req.socket as TLSSocket).servername);
      res.end('secure');
    });
    const port = await listen(srv);
    const url = `https://127.0.0.1:${port}/`;

    const untrusted = await probe({ HTTP: url });
    expect(untrusted.status).toBe('critical');
    expect(untrusted.output).toMatch(/^Get "https:\/\/127\.0\.0\.1:\d+\/": tls: failed to verify certificate: x509: certificate signed by unknown authority/);

    expect(await probe({ HTTP: url, TLSSkipVerify: true })).toEqual({ status: 'passing', output: `HTTP GET ${url}: 200 OK Output: secure` });

    // Trusted CA, but the certificate does not name 127.0.0.1.
    const wrongName = await probe({ HTTP: url }, cert);
    expect(wrongName.status).toBe('critical');
    expect(wrongName.output).toContain("IP: 127.0.0.1 is not in the cert's list");

    expect((await probe({ HTTP: url, tls_server_name: 'weft.test' }, cert)).status).toBe('passing');
    expect(sni).toEqual([false, 'weft.test']);
  });
});

describe('TCP check with tcp_use_tls', () => {
  it('needs a completed, verified TLS handshake', async () => {
    const port = await listen(createTlsServer({ key, cert }, (s) => s.end()));
    const addr = `127.0.0.1:${port}`;
    expect((await probe({ TCP: addr, TCPUseTLS: true })).output).toMatch(/certificate signed by unknown authority/);
    expect(await probe({ TCP: addr, TCPUseTLS: true, TLSSkipVerify: true })).toEqual({ status: 'passing', output: `TCP+TLS connect ${addr}: Success` });
    expect((await probe({ TCP: addr, tcp_use_tls: true, TLSServerName: 'weft.test' }, cert)).status).toBe('passing');
    // The same port as plain TCP: connecting is enough.
    expect((await probe({ TCP: addr })).output).toBe(`TCP connect ${addr}: Success`);
  });
});

describe('gRPC check with grpc_use_tls', () => {
  it('calls the health service over TLS', async () => {
    const srv = http2.createSecureServer({ key, cert });
    srv.on('stream', (stream) => {
      stream.on('data', () => {});
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, 1])); // HealthCheckResponse{SERVING}
      });
    });
    const port = await listen(srv);
    const target = `127.0.0.1:${port}`;
    const untrusted = await probe({ GRPC: target, GRPCUseTLS: true });
    expect(untrusted.status).toBe('critical');
    expect(untrusted.output).toMatch(/^rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate/);
    expect(await probe({ GRPC: target, grpc_use_tls: true, tls_skip_verify: true })).toEqual({ status: 'passing', output: `gRPC check ${target}: success` });
    expect((await probe({ GRPC: target, GRPCUseTLS: true, TLSServerName: 'weft.test' }, cert)).status).toBe('passing');
  });
});

describe('H2PING check over TLS (the default)', () => {
  it('pings an HTTP/2 server negotiated with ALPN', async () => {
    const port = await listen(http2.createSecureServer({ key, cert }));
    const target = `127.0.0.1:${port}`;
    const untrusted = await probe({ H2PING: target });
    expect(untrusted.status).toBe('critical');
    expect(untrusted.output).toMatch(/^Failed to dial to 127\.0\.0\.1:\d+: tls: failed to verify certificate/);
    expect(await probe({ H2PING: target, TLSSkipVerify: true })).toEqual({ status: 'passing', output: 'HTTP2 ping was successful' });
    expect((await probe({ h2ping: target, tls_server_name: 'weft.test' }, cert)).status).toBe('passing');
  });

  it('is critical against a TLS server that does not speak HTTP/2', async () => {
    const port = await listen(createHttpsServer({ key, cert }, (_req, res) => res.end()));
    const r = await probe({ H2PING: `127.0.0.1:${port}`, TLSSkipVerify: true });
    expect(r.status).toBe('critical');
  });
});
