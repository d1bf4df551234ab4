import { X509Certificate } from 'node:crypto';
import { connect, createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serviceDnsName, serviceSpiffeUri, trustDomainOf } from '../spiffe.js';
import { crossSign } from './cross-sign.js';
import { createCsr, parseCsr } from './csr.js';
import { generateSigningKey, type KeySpec, type SigningKey } from './keys.js';
import { signLeaf } from './leaf.js';
import { generateRootCert, rootFacts } from './root.js';
import { x509 } from './x509.js';

const CLUSTER = '11111111-2222-3333-4444-555555555555';
const TD = trustDomainOf(CLUSTER);
const HOUR = 3600_000;

async function makeRoot(spec: KeySpec = { type: 'ec', bits: 256 }): Promise<{ pem: string; key: SigningKey }> {
  const key = await generateSigningKey(spec);
  return { pem: await generateRootCert({ clusterId: CLUSTER, trustDomain: TD, key, ttlMs: 10 * 8760 * HOUR, now: new Date() }), key };
}

async function makeLeaf(root: { pem: string; key: SigningKey }, service: string, dnsNames = [serviceDnsName(service, TD)!]) {
  const key = await generateSigningKey({ type: 'ec', bits: 256 });
  const csr = await parseCsr(await createCsr({ uri: serviceSpiffeUri(TD, 'dc1', service), dnsNames, key }));
  const leaf = await signLeaf({ csr, caCertPem: root.pem, caKey: root.key, ttlMs: 72 * HOUR, now: new Date(), commonName: service });
  return { ...leaf, keyPem: key.pem };
}

/**
 * A real mutual-TLS handshake, judged by the server (with TLS 1.3 the client finishes before
 * the server has checked its certificate): resolves with the client URI the server verified.
 */
async function handshake(server: { cert: string; key: string; ca: string }, client: { cert: string; key: string; ca: string }): Promise<string | undefined> {
  const srv = createServer({ ...server, requestCert: true, rejectUnauthorized: true });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  try {
    return await new Promise((resolve, reject) => {
      srv.on('secureConnection', (s: TLSSocket) => {
        resolve(s.getPeerCertificate().subjectaltname);
        s.end();
      });
      srv.on('tlsClientError', reject);
      const sock = connect({ host: '127.0.0.1', port, ...client, checkServerIdentity: () => undefined });
      sock.on('error', () => {});
      sock.on('secureConnect', () => sock.end());
    });
  } finally {
    srv.close();
  }
}

describe('built-in CA', () => {
  it('generates an EC P-256 root with the SPIFFE signing URI and a critical DNS name constraint', async () => {
    const root = await makeRoot();
    const cert = new X509Certificate(root.pem);
    expect(cert.ca).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe(`URI:spiffe://${TD}`);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const nc = new x509.X509Certificate(root.pem).getExtension('2.5.29.30');
    expect(nc?.critical).toBe(true);
    const facts = rootFacts(root.pem);
    expect(facts.ID).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    expect(facts.SigningKeyID).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    expect(facts).toMatchObject({ PrivateKeyType: 'ec', PrivateKeyBits: 256 });
    expect(facts.NotAfter.getTime() - Date.now()).toBeGreaterThan(9.9 * 8760 * HOUR);
  });

  it('signs leaves that chain to the root and carry the service SPIFFE ID and DNS name', async () => {
    const root = await makeRoot();
    const leaf = await makeLeaf(root, 'web');
    const cert = new X509Certificate(leaf.pem);
    const ca = new X509Certificate(root.pem);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.subjectAltName).toBe(`URI:spiffe://${TD}/ns/default/dc/dc1/svc/web, DNS:web.svc.default.11111111.consul`);
    expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(new Date(cert.validTo).getTime() - Date.now()).toBeGreaterThan(71.9 * HOUR);
    expect(leaf.serial).toMatch(/^([0-9a-f]{2}:)+[0-9a-f]{2}$/);
  });

  it('lets two leaves complete a real mutual-TLS handshake that OpenSSL verifies, name constraints included', async () => {
    const root = await makeRoot();
    const web = await makeLeaf(root, 'web');
    const db = await makeLeaf(root, 'db');
    const seen = await handshake({ cert: db.pem, key: db.keyPem, ca: root.pem }, { cert: web.pem, key: web.keyPem, ca: root.pem });
    expect(seen).toContain(`spiffe://${TD}/ns/default/dc/dc1/svc/web`);
  });

  it('makes OpenSSL refuse a leaf whose DNS name lies outside the root name constraint', async () => {
    const root = await makeRoot();
    const rogue = await makeLeaf(root, 'web', ['www.example.com']);
    const db = await makeLeaf(root, 'db');
    await expect(handshake({ cert: db.pem, key: db.keyPem, ca: root.pem }, { cert: rogue.pem, key: rogue.keyPem, ca: root.pem })).rejects.toThrow();
  });

  it('signs with an RSA 2048 root as well (leaves keep EC keys, as Consul agents generate)', async () => {
    const root = await makeRoot({ type: 'rsa', bits: 2048 });
    expect(rootFacts(root.pem)).toMatchObject({ PrivateKeyType: 'rsa', PrivateKeyBits: 2048 });
    const leaf = await makeLeaf(root, 'api');
    expect(new X509Certificate(leaf.pem).verify(new X509Certificate(root.pem).publicKey)).toBe(true);
  });

  it('refuses a CSR whose signature does not match its key', async () => {
    const key = await generateSigningKey({ type: 'ec', bits: 256 });
    const pem = await createCsr({ uri: serviceSpiffeUri(TD, 'dc1', 'web'), key });
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] ^= 0xff;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await expect(parseCsr(tampered)).rejects.toThrow();
  });

  describe('rotation with cross-signing', () => {
    it('gives leaves of the new root a path to the old root through the cross-signed certificate', async () => {
      const oldRoot = await makeRoot();
      const newRoot = await makeRoot({ type: 'rsa', bits: 2048 });
      const xc = await crossSign({ newRootPem: newRoot.pem, oldRootPem: oldRoot.pem, oldKey: oldRoot.key, leafTtlMs: 72 * HOUR, now: new Date() });
      const xcCert = new X509Certificate(xc);
      const oldCert = new X509Certificate(oldRoot.pem);
      const newCert = new X509Certificate(newRoot.pem);
      expect(xcCert.checkIssued(oldCert)).toBe(true);
      expect(xcCert.verify(oldCert.publicKey)).toBe(true);
      expect(xcCert.publicKey.equals(newCert.publicKey)).toBe(true);
      expect(xcCert.subject).toBe(newCert.subject);

      const leaf = await makeLeaf(newRoot, 'web');
      const leafCert = new X509Certificate(leaf.pem);
      expect(leafCert.checkIssued(xcCert)).toBe(true);
      expect(leafCert.verify(xcCert.publicKey)).toBe(true);
      expect(leafCert.verify(oldCert.publicKey)).toBe(false);

      // A peer that only knows the old root accepts the new leaf presented with the chain.
      const oldLeaf = await makeLeaf(oldRoot, 'db');
      const chain = leaf.pem + xc;
      const seen = await handshake({ cert: oldLeaf.pem, key: oldLeaf.keyPem, ca: oldRoot.pem }, { cert: chain, key: leaf.keyPem, ca: oldRoot.pem + newRoot.pem });
      expect(seen).toContain('/svc/web');
      // And a peer that already trusts the new root accepts it too.
      const upgraded = await makeLeaf(newRoot, 'db');
      expect(await handshake({ cert: upgraded.pem + xc, key: upgraded.keyPem, ca: oldRoot.pem + newRoot.pem }, { cert: chain, key: leaf.keyPem, ca: newRoot.pem })).toContain('/svc/web');
    });
  });
});
