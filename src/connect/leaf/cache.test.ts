import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, allTables, caRoots } from '../../state/index.js';
import { CAManager } from '../ca/manager.js';
import { storeRootsWatch } from '../runtime.js';
import { LeafCache, leafTopic, type LeafCert } from './cache.js';

const log = pino({ level: 'silent' });

async function setup(rotationJitterMs = 50) {
  const store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  const ca = new CAManager({ store, datacenter: 'dc1', isLeader: () => true, log, bootstrapConfig: {} });
  ca.start();
  await ca.ready;
  let signed = 0;
  const leaves = new LeafCache({
    signer: { sign: (csr) => (signed++, ca.sign(csr)) },
    roots: storeRootsWatch(store),
    datacenter: 'dc1',
    hub: store.hub,
    baseIndex: () => store.index,
    rotationJitterMs: () => rotationJitterMs,
    log,
  });
  return { store, ca, leaves, signed: () => signed };
}

function nextLeaf(store: StateStore, leaves: LeafCache, service: string, after: LeafCert): Promise<LeafCert> {
  return new Promise((resolve) => {
    const off = store.hub.subscribe([leafTopic(service)], () => {
      const now = leaves.current(service);
      if (now && now.ModifyIndex !== after.ModifyIndex) {
        off();
        resolve(now);
      }
    });
  });
}

describe('agent leaf cache', () => {
  it('issues one leaf per service, with a key of its own that matches the certificate, and caches it', async () => {
    const { leaves, signed, store } = await setup();
    const [a, b] = await Promise.all([leaves.get('web'), leaves.get('web')]);
    expect(a).toBe(b);
    expect(await leaves.get('web')).toBe(a);
    expect(signed()).toBe(1);
    const cert = new X509Certificate(a.CertPEM);
    expect(cert.publicKey.equals(createPublicKey(createPrivateKey(a.PrivateKeyPEM)))).toBe(true);
    expect(a.PrivateKeyPEM).toContain('BEGIN EC PRIVATE KEY');
    expect(a).toMatchObject({ Service: 'web', Namespace: 'default', ServiceURI: `spiffe://${caRoots(store, null).trustDomain}/ns/default/dc/dc1/svc/web` });
    expect(a.ModifyIndex).toBeGreaterThanOrEqual(store.index);
    const db = await leaves.get('db');
    expect(db.ModifyIndex).toBeGreaterThan(a.ModifyIndex);
    leaves.stop();
  });

  it('re-signs cached leaves on the new root after a rotation and wakes their readers', async () => {
    const { store, ca, leaves } = await setup();
    const first = await leaves.get('web');
    const renewed = nextLeaf(store, leaves, 'web', first);
    await ca.setConfig({ Config: { PrivateKeyType: 'ec', PrivateKeyBits: 384 } });
    const second = await renewed;
    expect(second.SerialNumber).not.toBe(first.SerialNumber);
    expect(second.ModifyIndex).toBeGreaterThan(first.ModifyIndex);
    const active = caRoots(store, null).roots.find((r) => r.Active)!;
    expect(new X509Certificate(second.CertPEM).verify(new X509Certificate(active.RootCert).publicKey)).toBe(true);
    // The cross-signed root rides along so peers that only know the old root accept it.
    expect(second.CertPEM.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    leaves.stop();
  });

  it('hands out a fresh leaf at once when asked after the roots changed', async () => {
    // A jitter window far longer than the test: only the request itself can renew the leaf.
    const { ca, leaves: slow, signed } = await setup(3_600_000);
    const first = await slow.get('api');
    await ca.setConfig({ Config: { PrivateKeyType: 'rsa', PrivateKeyBits: 2048 } });
    const again = await slow.get('api');
    expect(again.SerialNumber).not.toBe(first.SerialNumber);
    expect(signed()).toBe(2);
    slow.stop();
  });
});
