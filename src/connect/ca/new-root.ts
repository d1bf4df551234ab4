import { WeftError } from '../../lib/errors.js';
import type { CAConfigValues } from './config.js';
import { generateSigningKey, importSigningKey, keyIdOf, type SigningKey } from './keys.js';
import { certMatchesKey, generateRootCert, parseCert, rootFacts } from './root.js';

export interface RootMaterial {
  key: SigningKey;
  pem: string;
}

/** The key and root a configuration asks for: the user's, or freshly generated ones. */
export async function rootFromConfig(c: CAConfigValues, clusterId: string, trustDomain: string, now: Date): Promise<RootMaterial> {
  const key = c.PrivateKey ? await importSigningKey(c.PrivateKey) : await generateSigningKey({ type: c.PrivateKeyType, bits: c.PrivateKeyBits });
  if (c.RootCert) {
    await checkUserRoot(c.RootCert, key);
    return { key, pem: c.RootCert.endsWith('\n') ? c.RootCert : c.RootCert + '\n' };
  }
  return { key, pem: await generateRootCert({ clusterId, trustDomain, key, ttlMs: c.RootCertTTL, now }) };
}

async function checkUserRoot(pem: string, key: SigningKey): Promise<void> {
  const cert = parseCert(pem);
  if (!cert.ca) throw new WeftError('BAD_REQUEST', 'error parsing CA config: RootCert is not a CA certificate');
  if (!(await certMatchesKey(pem, key))) throw new WeftError('BAD_REQUEST', 'error parsing CA config: RootCert does not match PrivateKey');
}

/**
 * Whether a new configuration needs a new root, and which: a different supplied key or root
 * certificate, or a different key type or size. TTL changes never rotate (they apply to the
 * next leaves, and a root TTL to the next root).
 */
export async function rotationFor(c: CAConfigValues, active: { pem: string; key: SigningKey }): Promise<'none' | 'rotate'> {
  if (c.PrivateKey) {
    const key = await importSigningKey(c.PrivateKey);
    if (c.RootCert) return rootFacts(c.RootCert).ID === rootFacts(active.pem).ID ? 'none' : 'rotate';
    const same = (await keyIdOf(key.keys.publicKey)).equals(await keyIdOf(active.key.keys.publicKey));
    return same ? 'none' : 'rotate';
  }
  const facts = rootFacts(active.pem);
  return facts.PrivateKeyType === c.PrivateKeyType && facts.PrivateKeyBits === c.PrivateKeyBits ? 'none' : 'rotate';
}
