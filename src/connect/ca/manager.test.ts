import { X509Certificate } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, allTables, caConfig, caRoots, tableTopic, CA_ROOTS } from '../../state/index.js';
import { serviceSpiffeUri, spiffeUri } from '../spiffe.js';
import { createCsr } from './csr.js';
import { generateSigningKey } from './keys.js';
import { CAManager } from './manager.js';
import { rootFromConfig } from './new-root.js';
import { parseCAConfig } from './config.js';
import { PruneTimer } from './prune.js';
import { rootRow } from './root-row.js';

const log = pino({ level: 'silent' });

async function setup(bootstrapConfig: Record<string, unknown> = {}) {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  const ca = new CAManager({ store, datacenter: 'dc1', isLeader: () => true, log, bootstrapConfig });
  ca.start();
  await ca.ready;
  return { store, ca, td: caRoots(store, null).trustDomain };
}

async function csrFor(uri: string, dnsNames: string[] = []) {
  return createCsr({ uri, dnsNames, key: await generateSigningKey({ type: 'ec', bits: 256 }) });
}

function certs(pem: string): X509Certificate[] {
  return pem.split(/(?<=-----END CERTIFICATE-----\n?)/).filter((p) => p.includes('BEGIN')).map((p) => new X509Certificate(p));
}

describe('CA manager', () => {
  it('sets up a cluster id, trust domain and one active EC root on first start', async () => {
    const { store, td } = await setup();
    expect(td).toMatch(/^[0-9a-f-]{36}\.consul$/);
    const roots = caRoots(store, null);
    expect(roots.roots).toHaveLength(1);
    expect(roots.roots[0]).toMatchObject({ Active: true, PrivateKeyType: 'ec', PrivateKeyBits: 256, IntermediateCerts: [], ExternalTrustDomain: td.replace('.consul', '') });
    expect(roots.activeRootId).toBe(roots.roots[0].ID);
    expect(caConfig(store, null).config?.Config).toMatchObject({ LeafCertTTL: '72h0m0s', PrivateKeyType: 'ec' });
    expect(JSON.stringify(roots)).not.toContain('PRIVATE KEY');
  });

  it('follows connect.ca_config for the first root', async () => {
    const { store } = await setup({ private_key_type: 'rsa', private_key_bits: 2048, leaf_cert_ttl: '2h' });
    expect(caRoots(store, null).roots[0]).toMatchObject({ PrivateKeyType: 'rsa', PrivateKeyBits: 2048 });
    expect(caConfig(store, null).config?.Config.LeafCertTTL).toBe('2h0m0s');
  });

  it('reports a setup that failed (a bad connect.ca_config) to whoever waits for the CA', async () => {
    const store = new StateStore(new MemoryBackend(), allTables);
    await store.open();
    const ca = new CAManager({ store, datacenter: 'dc1', isLeader: () => true, log, bootstrapConfig: { private_key_type: 'rsa', private_key_bits: 1024 } });
    ca.start();
    await expect(ca.ready).rejects.toThrow('the Connect CA could not be set up: error parsing CA config: RSA key length must be 2048 or 4096 bits');
    await expect(ca.sign('x')).rejects.toThrow('could not be set up');
    expect(caRoots(store, null).roots).toEqual([]);
  });

  it('does not set up the CA on a follower; it waits for the leader', async () => {
    const store = new StateStore(new MemoryBackend(), allTables);
    await store.open();
    const ca = new CAManager({ store, datacenter: 'dc1', isLeader: () => false, log, bootstrapConfig: {} });
    ca.start();
    expect(caRoots(store, null).roots).toEqual([]);
    const leader = new CAManager({ store, datacenter: 'dc1', isLeader: () => true, log, bootstrapConfig: {} });
    leader.start();
    await ca.ready;
    expect(caRoots(store, null).roots).toHaveLength(1);
  });

  it('signs service CSRs of its trust domain and datacenter, with the configured TTL', async () => {
    const { ca, td, store } = await setup({ LeafCertTTL: '5h', IntermediateCertTTL: '24h' });
    const issued = await ca.sign(await csrFor(serviceSpiffeUri(td, 'dc1', 'web'), [`web.svc.default.${td.slice(0, 8)}.consul`]));
    expect(issued).toMatchObject({ Service: 'web', ServiceURI: serviceSpiffeUri(td, 'dc1', 'web'), SigningKeyID: caRoots(store, null).roots[0].SigningKeyID });
    const [leaf] = certs(issued.CertPEM);
    expect(leaf.verify(new X509Certificate(caRoots(store, null).roots[0].RootCert).publicKey)).toBe(true);
    expect(Date.parse(issued.ValidBefore) - Date.parse(issued.ValidAfter)).toBe(5 * 3600_000 + 60_000);

    await expect(ca.sign(await csrFor(serviceSpiffeUri('other.consul', 'dc1', 'web')))).rejects.toThrow('SPIFFE ID in CSR from a different trust domain');
    await expect(ca.sign(await csrFor(serviceSpiffeUri(td, 'dc2', 'web')))).rejects.toThrow('SPIFFE ID in CSR from a different datacenter: dc2, datacenter: dc1');
    await expect(ca.sign(await csrFor(spiffeUri({ kind: 'signing', trustDomain: td })))).rejects.toThrow('must be a service or agent ID');
    await expect(ca.sign(await csrFor(serviceSpiffeUri(td, 'dc1', 'web'), ['evil.example.com']))).rejects.toThrow('outside the trust domain');
    await expect(ca.sign('not a csr')).rejects.toThrow('error parsing CSR');
  });

  it('updates TTLs without rotating, and treats an identical config as a no-op', async () => {
    const { store, ca } = await setup();
    const before = caRoots(store, null).roots[0].ID;
    await ca.setConfig({ Provider: 'consul', Config: { LeafCertTTL: '24h' } });
    expect(caConfig(store, null).config?.Config.LeafCertTTL).toBe('24h0m0s');
    expect(caRoots(store, null).roots.map((r) => r.ID)).toEqual([before]);
    const index = store.index;
    await ca.setConfig({ Config: { LeafCertTTL: '24h' } });
    expect(store.index).toBe(index);
    await expect(ca.setConfig({ Provider: 'vault', Config: {} })).rejects.toThrow('CA provider "vault" is not supported');
    await expect(ca.setConfig({ Config: { LeafCertTTL: '1m' } })).rejects.toThrow('leaf cert TTL must be greater or equal than 1h0m0s');
    expect(store.index).toBe(index);
  });

  it('rotates to a new key type with a cross-signed root, keeping the old root until its leaves expire', async () => {
    const { store, ca, td } = await setup();
    const oldRoot = caRoots(store, null).roots[0];
    await ca.setConfig({ Config: { PrivateKeyType: 'rsa', PrivateKeyBits: 2048 } });
    const roots = caRoots(store, null);
    expect(roots.roots).toHaveLength(2);
    const [old, next] = roots.roots;
    expect(old).toMatchObject({ ID: oldRoot.ID, Active: false });
    expect(Date.parse(old.PruneAfter!) - Date.parse(old.RotatedOutAt!)).toBe(2 * 72 * 3600_000);
    expect(next).toMatchObject({ Active: true, PrivateKeyType: 'rsa', PrivateKeyBits: 2048 });
    expect(roots.activeRootId).toBe(next.ID);
    expect(next.IntermediateCerts).toHaveLength(1);

    const issued = await ca.sign(await csrFor(serviceSpiffeUri(td, 'dc1', 'web')));
    const [leaf, xc] = certs(issued.CertPEM);
    const oldCert = new X509Certificate(old.RootCert);
    expect(leaf.verify(new X509Certificate(next.RootCert).publicKey)).toBe(true);
    expect(xc.checkIssued(oldCert) && xc.verify(oldCert.publicKey)).toBe(true);
    expect(leaf.checkIssued(xc) && leaf.verify(xc.publicKey)).toBe(true);

    // Re-applying the config as GET shows it changes nothing.
    const index = store.index;
    await ca.setConfig({ Provider: 'consul', Config: caConfig(store, null).config!.Config });
    expect(store.index).toBe(index);
  });

  it('rotates to a supplied key and root certificate, refusing a mismatched pair', async () => {
    const { store, ca } = await setup();
    const clusterId = caConfig(store, null).config!.ClusterID;
    const mine = await rootFromConfig(parseCAConfig({ PrivateKeyType: 'ec', PrivateKeyBits: 384 }), clusterId, `${clusterId}.consul`, new Date());
    const other = await generateSigningKey({ type: 'ec', bits: 256 });
    await expect(ca.setConfig({ Config: { PrivateKey: other.pem, RootCert: mine.pem } })).rejects.toThrow('RootCert does not match PrivateKey');
    await ca.setConfig({ Config: { PrivateKey: mine.key.pem, RootCert: mine.pem }, ForceWithoutCrossSigning: true });
    const roots = caRoots(store, null);
    expect(roots.roots.find((r) => r.Active)).toMatchObject({ PrivateKeyBits: 384, IntermediateCerts: [] });
    expect(caConfig(store, null).config!.Config).toMatchObject({ PrivateKeyType: 'ec', PrivateKeyBits: 384 });
    expect(JSON.stringify(caConfig(store, null).config)).not.toContain('PRIVATE KEY');
  });

  it('prunes a rotated-out root once its prune time has passed', async () => {
    const { store } = await setup();
    const active = caRoots(store, null).roots[0];
    const clusterId = caConfig(store, null).config!.ClusterID;
    const next = await rootFromConfig(parseCAConfig({}), clusterId, `${clusterId}.consul`, new Date());
    await store.apply({
      type: 'ca.setConfig',
      Config: { Provider: 'consul', Config: caConfig(store, null).config!.Config, ForceWithoutCrossSigning: true },
      ExpectActiveRootID: active.ID,
      NewRoot: rootRow(next.pem, clusterId),
      PrivateKey: next.key.pem,
      RotatedOutAt: new Date(Date.now() - 2000).toISOString(),
      PruneAfter: new Date(Date.now() - 1000).toISOString(),
    });
    expect(caRoots(store, null).roots).toHaveLength(2);
    const pruned = new Promise<void>((resolve) => {
      const off = store.hub.subscribe([tableTopic(CA_ROOTS)], () => {
        if (caRoots(store, null).roots.length === 1) {
          off();
          resolve();
        }
      });
    });
    const timer = new PruneTimer(store, () => true, log);
    timer.schedule();
    await pruned;
    timer.stop();
    expect(caRoots(store, null).roots[0].Active).toBe(true);
  });
});
