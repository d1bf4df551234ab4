import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectApi, type CAConfig, type CARoots, type LeafCert } from '../../src/api/connect.js';
import { createCsr, generateSigningKey, serviceSpiffeUri } from '../../src/connect/index.js';
import { removeDir, runWeft as run, startAgent, stopAllAgents, tempDir, waitFor, type TestAgent } from './harness.js';

let agent: TestAgent;
/** A CLI process can wait long for a core on a loaded machine; the harness default (30 s) is too tight. */
const runWeft = (args: string[]) => run(args, { timeoutMs: 90_000 });
let api: ConnectApi;
const dir = tempDir();

beforeAll(async () => {
  agent = await startAgent({ args: ['-dev', '-node', 'ca-node'] });
  api = new ConnectApi(agent.client);
  await waitFor(async () => (await api.roots()).body.Roots.length === 1, { what: 'the CA to be set up' });
});
afterAll(async () => {
  await stopAllAgents();
  removeDir(dir);
});

function chain(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? []).map((p) => new X509Certificate(p));
}

describe('Connect CA over HTTP', { timeout: 240_000 }, () => {
  it('serves the roots in Consul\'s shape, on both the catalog and agent paths', async () => {
    const r = await agent.client.get<CARoots>('/v1/connect/ca/roots');
    expect(r.meta.index).toBeGreaterThan(0);
    const { ActiveRootID, TrustDomain, Roots } = r.body;
    expect(TrustDomain).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.consul$/);
    expect(Object.keys(Roots[0]).sort()).toEqual(
      ['Active', 'CreateIndex', 'ExternalTrustDomain', 'ID', 'IntermediateCerts', 'ModifyIndex', 'Name', 'NotAfter', 'NotBefore', 'PrivateKeyBits', 'PrivateKeyType', 'RootCert', 'SerialNumber', 'SigningKeyID'].sort(),
    );
    expect(Roots[0]).toMatchObject({ ID: ActiveRootID, Active: true, PrivateKeyType: 'ec', PrivateKeyBits: 256, IntermediateCerts: null });
    expect(Roots[0].NotBefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Roots[0].SigningKeyID).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    const cert = new X509Certificate(Roots[0].RootCert);
    expect(cert.ca).toBe(true);
    expect(cert.subjectAltName).toBe(`URI:spiffe://${TrustDomain}`);
    expect(JSON.stringify(r.body)).not.toMatch(/PRIVATE KEY/);
    expect((await api.roots()).body).toEqual(r.body);
  });

  it('gives the PEM chain with ?pem and refuses a non-boolean value', async () => {
    const r = await agent.client.get<Buffer>('/v1/connect/ca/roots', { query: { pem: 'true' }, raw: true });
    expect(r.headers['content-type']).toBe('application/pem-certificate-chain');
    expect(r.body.toString()).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    await expect(agent.client.get('/v1/connect/ca/roots', { query: { pem: 'maybe' } })).rejects.toThrow("400 (The 'pem' query parameter must be a boolean value)");
  });

  it('issues a leaf for a service, signed by the active root, with a key of its own, and caches it', async () => {
    const roots = (await api.roots()).body;
    const r = await api.leaf('web');
    const leaf = r.body;
    expect(Object.keys(leaf).sort()).toEqual(['CertPEM', 'CreateIndex', 'ModifyIndex', 'Namespace', 'PrivateKeyPEM', 'SerialNumber', 'Service', 'ServiceURI', 'ValidAfter', 'ValidBefore'].sort());
    expect(leaf).toMatchObject({ Service: 'web', ServiceURI: serviceSpiffeUri(roots.TrustDomain, 'dc1', 'web'), Namespace: 'default' });
    expect(r.meta.index).toBe(leaf.ModifyIndex);
    const [cert] = chain(leaf.CertPEM);
    expect(cert.verify(new X509Certificate(roots.Roots[0].RootCert).publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain(`URI:${leaf.ServiceURI}`);
    expect(cert.publicKey.equals(createPublicKey(createPrivateKey(leaf.PrivateKeyPEM)))).toBe(true);
    expect(Date.parse(leaf.ValidBefore) - Date.parse(leaf.ValidAfter)).toBe(72 * 3600_000 + 60_000);
    expect((await api.leaf('web')).body.SerialNumber).toBe(leaf.SerialNumber);
    // A blocking read with nothing new returns the same leaf once the wait is over.
    const held = await api.leaf('web', { index: leaf.ModifyIndex, wait: '300ms' });
    expect(held.body.SerialNumber).toBe(leaf.SerialNumber);
    expect(held.meta.index).toBe(leaf.ModifyIndex);
  });

  it('signs a client agent\'s CSR through the internal sign endpoint and refuses foreign ones', async () => {
    const td = (await api.roots()).body.TrustDomain;
    const key = await generateSigningKey({ type: 'ec', bits: 256 });
    const signed = await api.signCsr(await createCsr({ uri: serviceSpiffeUri(td, 'dc1', 'api'), key }));
    expect(signed.body).toMatchObject({ Service: 'api', ServiceURI: serviceSpiffeUri(td, 'dc1', 'api') });
    expect(chain(signed.body.CertPEM)[0].publicKey.equals(createPublicKey(createPrivateKey(key.pem)))).toBe(true);
    const foreign = await createCsr({ uri: serviceSpiffeUri('other.consul', 'dc1', 'api'), key });
    await expect(api.signCsr(foreign)).rejects.toThrow('400 (SPIFFE ID in CSR from a different trust domain');
    await expect(agent.client.put('/v1/internal/connect/ca/sign', { body: { CSR: 'garbage' } })).rejects.toThrow('400 (error parsing CSR');
  });

  it('shows the configuration without any private key and refuses bad values, changing nothing', async () => {
    const r = await agent.client.get<CAConfig & { State: null }>('/v1/connect/ca/configuration');
    expect(r.body).toMatchObject({
      Provider: 'consul',
      Config: { LeafCertTTL: '72h0m0s', IntermediateCertTTL: '8760h0m0s', RootCertTTL: '87600h0m0s', RotationPeriod: '2160h0m0s', PrivateKeyType: 'ec', PrivateKeyBits: 256 },
      State: null,
      ForceWithoutCrossSigning: false,
    });
    const bad: [unknown, string][] = [
      [{ Provider: 'consul', Config: { LeafCertTTL: '30m' } }, 'leaf cert TTL must be greater or equal than 1h0m0s'],
      [{ Provider: 'consul', Config: { PrivateKeyType: 'rsa', PrivateKeyBits: 1024 } }, 'RSA key length must be 2048 or 4096 bits'],
      [{ Provider: 'consul', Config: { PrivateKeyType: 'dsa' } }, "private key type must be either 'ec' or 'rsa'"],
      [{ Provider: 'vault', Config: {} }, 'CA provider "vault" is not supported'],
      [{ Provider: 'consul', Config: 'nope' }, 'Request decode failed'],
    ];
    for (const [body, message] of bad) {
      const err = await agent.client.put('/v1/connect/ca/configuration', { body }).then(() => null, (e: { statusCode: number; reason: string }) => e);
      expect(err?.statusCode, message).toBe(400);
      expect(err?.reason, message).toContain(message);
    }
    const after = await agent.client.get<CAConfig>('/v1/connect/ca/configuration');
    expect(after.body.ModifyIndex).toBe(r.body.ModifyIndex);
    expect((await api.roots()).body.Roots).toHaveLength(1);
  });

  it('rotates the root on a new key type: cross-signed, both roots trusted, leaves re-signed, blocking readers woken', async () => {
    const before = await api.roots();
    const oldLeaf = (await api.leaf('web')).body;
    const rootsWait = api.roots({ index: before.meta.index, wait: '30s' });
    const leafWait = api.leaf('web', { index: oldLeaf.ModifyIndex, wait: '30s' });

    const r = await runWeft(['connect', 'ca', 'set-config', '-http-addr', agent.address, '-config-file', writeJson('rsa.json', { Provider: 'consul', Config: { PrivateKeyType: 'rsa', PrivateKeyBits: 2048 } })]);
    expect(r).toMatchObject({ code: 0, stdout: 'Configuration updated!\n' });

    const roots = (await rootsWait).body;
    expect(roots.Roots).toHaveLength(2);
    const oldRoot = roots.Roots.find((x) => !x.Active)!;
    const newRoot = roots.Roots.find((x) => x.Active)!;
    expect(oldRoot.ID).toBe(before.body.ActiveRootID);
    expect(roots.ActiveRootID).toBe(newRoot.ID);
    expect(newRoot).toMatchObject({ PrivateKeyType: 'rsa', PrivateKeyBits: 2048 });
    expect(newRoot.IntermediateCerts).toHaveLength(1);

    const renewed = await leafWait;
    expect(renewed.body.SerialNumber).not.toBe(oldLeaf.SerialNumber);
    expect(renewed.meta.index).toBeGreaterThan(oldLeaf.ModifyIndex);
    const [leaf, xc] = chain(renewed.body.CertPEM);
    const oldCa = new X509Certificate(oldRoot.RootCert);
    expect(leaf.verify(new X509Certificate(newRoot.RootCert).publicKey)).toBe(true);
    // The chain the leaf carries still reaches the old root, for peers that have not seen the new one.
    expect(leaf.verify(xc.publicKey) && xc.verify(oldCa.publicKey) && xc.checkIssued(oldCa)).toBe(true);
    const pem = (await agent.client.get<Buffer>('/v1/connect/ca/roots', { query: { pem: true }, raw: true })).body.toString();
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
  });

  it('prints and sets the configuration from the CLI, with errors on one line', async () => {
    const get = await runWeft(['connect', 'ca', 'get-config', '-http-addr', agent.address]);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain('\n\t"Provider": "consul",\n');
    expect(JSON.parse(get.stdout).Config).toMatchObject({ PrivateKeyType: 'rsa', PrivateKeyBits: 2048 });

    const ttl = await runWeft(['connect', 'ca', 'set-config', '-http-addr', agent.address, '-config-file', writeJson('ttl.json', { Provider: 'consul', Config: { PrivateKeyType: 'rsa', PrivateKeyBits: 2048, LeafCertTTL: '24h' } })]);
    expect(ttl.code).toBe(0);
    expect((await api.caConfig()).body.Config.LeafCertTTL).toBe('24h0m0s');
    expect((await api.roots()).body.Roots).toHaveLength(2);

    const missing = await runWeft(['connect', 'ca', 'set-config', '-http-addr', agent.address]);
    expect(missing).toMatchObject({ code: 1, stderr: 'The -config-file flag is required\n' });
    const invalid = await runWeft(['connect', 'ca', 'set-config', '-http-addr', agent.address, '-config-file', writeJson('bad.json', { Config: { LeafCertTTL: '1s' } })]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe('Error setting CA configuration: Unexpected response code: 400 (error parsing CA config: leaf cert TTL must be greater or equal than 1h0m0s)\n');
    writeFileSync(join(dir, 'broken.json'), '{');
    const broken = await runWeft(['connect', 'ca', 'set-config', '-http-addr', agent.address, '-config-file', join(dir, 'broken.json')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^Error parsing config file: /);
  });
});

describe('a durable server', () => {
  it('keeps its CA, trust domain and signing key across a restart', async () => {
    const dataDir = tempDir();
    try {
      const args = ['-server', '-bootstrap', '-data-dir', dataDir, '-node', 'durable-ca'];
      const first = await startAgent({ args });
      const c1 = new ConnectApi(first.client);
      await waitFor(async () => (await c1.roots()).body.Roots.length === 1, { what: 'the CA to be set up' });
      const roots = (await c1.roots()).body;
      await first.stop();
      const second = await startAgent({ args });
      const c2 = new ConnectApi(second.client);
      expect((await c2.roots()).body).toEqual(roots);
      const leaf = (await c2.leaf('db')).body as LeafCert;
      expect(chain(leaf.CertPEM)[0].verify(new X509Certificate(roots.Roots[0].RootCert).publicKey)).toBe(true);
    } finally {
      await stopAllAgents();
      removeDir(dataDir);
    }
  });
});

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}
