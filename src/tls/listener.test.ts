import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgentCa, createAgentCert, type Pem } from './certs.js';
import { apiListener, type ApiListener } from './listener.js';

let ca: Pem;
let server: Pem;
let cli: Pem;
const open: ApiListener[] = [];

beforeAll(async () => {
  ca = await createAgentCa({ domain: 'consul', days: 1, nameConstraint: false, additionalConstraints: [] });
  const base = { ca, datacenter: 'dc1', domain: 'consul', days: 1, dnsNames: [], ipAddresses: [] };
  server = await createAgentCert({ ...base, kind: 'server' });
  cli = await createAgentCert({ ...base, kind: 'cli' });
});

afterEach(() => {
  for (const l of open.splice(0)) {
    l.closeAllConnections();
    l.close();
  }
});

async function listen(requestCert: boolean): Promise<number> {
  const plain: Server = createServer((req, res) => res.end((req.socket as { encrypted?: boolean }).encrypted ? 'tls' : 'plain'));
  const l = apiListener(plain, { cert: server.cert, key: server.key, ca: [Buffer.from(ca.cert)], requestCert, rejectUnauthorized: requestCert });
  open.push(l);
  await new Promise<void>((r) => l.listen(0, '127.0.0.1', r));
  return (l.address() as AddressInfo).port;
}

function overTls(port: number, withCert: boolean): Promise<string> {
  return new Promise((resolve) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path: '/', ca: ca.cert, servername: 'server.dc1.consul', agent: false, ...(withCert ? { cert: cli.cert, key: cli.key } : {}) },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve(`error ${err.code ?? err.message}`));
    req.end();
  });
}

const overPlain = (port: number) => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), (err: Error) => `error ${err.message}`);

describe('apiListener', () => {
  it('speaks TLS and plain HTTP on one port while client certificates are not required', async () => {
    const port = await listen(false);
    expect(await overPlain(port)).toBe('plain');
    expect(await overTls(port, false)).toBe('tls');
    expect(await overTls(port, true)).toBe('tls');
  });

  it('speaks only TLS, and only to clients with a certificate of the CA, with verify_incoming', async () => {
    const port = await listen(true);
    expect(await overTls(port, true)).toBe('tls');
    expect(await overTls(port, false)).toMatch(/^error /);
    expect(await overPlain(port)).toMatch(/^error /);
  });
});
