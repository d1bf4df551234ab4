import { createServer, createSecureContext, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceSpiffeUri } from '../connect/spiffe.js';
import { makeLeaf, makeRoot, TD, type TestRoot } from '../proxy/test-kit.js';
import { DialError, dialMtls } from './dial.js';
import { SessionCache } from './session-cache.js';
import { contextOptions } from './tls.js';

let root: TestRoot;
let port: number;
let server: ReturnType<typeof createServer>;
const seen: { reused: boolean; peer: string | undefined }[] = [];

beforeAll(async () => {
  root = await makeRoot();
  const db = await makeLeaf(root, 'db');
  server = createServer({ ...contextOptions({ certPem: db.certPem, keyPem: db.keyPem, rootPems: [root.pem] }), requestCert: true, rejectUnauthorized: true });
  server.on('secureConnection', (s: TLSSocket) => {
    seen.push({ reused: s.isSessionReused(), peer: s.getPeerCertificate().subjectaltname });
    s.end('hi');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise((r) => server.close(r)));

async function dialOnce(expect: string, sessions?: SessionCache): Promise<{ reused: boolean }> {
  const web = await makeLeaf(root, 'web');
  const context = createSecureContext(contextOptions({ certPem: web.certPem, keyPem: web.keyPem, rootPems: [root.pem] }));
  const s = await dialMtls({ host: '127.0.0.1', port, sni: `db.default.dc1.internal.${TD}`, identity: expect }, { context, timeoutMs: 2000, sessions });
  const reused = s.isSessionReused();
  // The dial is half-open capable: answer the server's end with ours.
  await new Promise((r) => s.on('end', () => s.end()).on('close', r).resume());
  return { reused };
}

describe('dialMtls', () => {
  it('verifies the server identity and resumes sessions from its cache, the identity still checked', async () => {
    const sessions = new SessionCache();
    const db = serviceSpiffeUri(TD, 'dc1', 'db');
    expect((await dialOnce(db, sessions)).reused).toBe(false);
    expect(seen.at(-1)).toMatchObject({ reused: false, peer: expect.stringContaining('/svc/web') });
    // The server still knows who the client is on a resumed session: authorization keeps working.
    expect((await dialOnce(db, sessions)).reused).toBe(true);
    expect(seen.at(-1)).toMatchObject({ reused: true, peer: expect.stringContaining('/svc/web') });
    sessions.clear();
    expect((await dialOnce(db, sessions)).reused).toBe(false);

    const err = await dialOnce(serviceSpiffeUri(TD, 'dc1', 'api'), sessions).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DialError);
    expect(err).toMatchObject({ stage: 'handshake' });
    expect((err as Error).message).toContain(`want ${serviceSpiffeUri(TD, 'dc1', 'api')}`);
  });

  it('tells a refused connection from a failed handshake', async () => {
    const closed = await new Promise<number>((r) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const web = await makeLeaf(root, 'web');
    const context = createSecureContext(contextOptions({ certPem: web.certPem, keyPem: web.keyPem, rootPems: [root.pem] }));
    await expect(dialMtls({ host: '127.0.0.1', port: closed, sni: '', identity: 'x' }, { context, timeoutMs: 2000 })).rejects.toMatchObject({ stage: 'connect' });
  });
});
