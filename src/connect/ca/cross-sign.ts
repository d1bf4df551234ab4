import { algorithmFor, keyIdOf, type SigningKey } from './keys.js';
import { CLOCK_SKEW_MS, randomSerial, serialHex } from './root.js';
import { x509 } from './x509.js';

const AUTHORITY_KEY_ID_OID = '2.5.29.35';

/** Consul keeps the cross-signed certificate for 7 days; Weft keeps it at least two leaf lifetimes. */
const MIN_CROSS_SIGN_TTL_MS = 7 * 24 * 3600_000;

export interface CrossSignRequest {
  newRootPem: string;
  oldRootPem: string;
  oldKey: SigningKey;
  leafTtlMs: number;
  now: Date;
}

/**
 * The new root re-issued by the old one: same subject, key and extensions, but signed by the
 * old root's key. Leaves signed by the new key carry it as an intermediate, so a peer that
 * still trusts only the old root can build leaf -> cross-signed -> old root during rotation.
 */
export async function crossSign(req: CrossSignRequest): Promise<string> {
  const newRoot = new x509.X509Certificate(req.newRootPem);
  const oldRoot = new x509.X509Certificate(req.oldRootPem);
  const oldKeyId = (await keyIdOf(req.oldKey.keys.publicKey)).toString('hex');
  const ttl = Math.max(MIN_CROSS_SIGN_TTL_MS, 2 * req.leafTtlMs);
  const notAfter = Math.min(req.now.getTime() + ttl, oldRoot.notAfter.getTime(), newRoot.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(randomSerial(8)),
    subject: newRoot.subjectName,
    issuer: oldRoot.subjectName,
    notBefore: new Date(req.now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(notAfter),
    publicKey: newRoot.publicKey,
    signingKey: req.oldKey.keys.privateKey,
    signingAlgorithm: algorithmFor(req.oldKey.spec),
    extensions: [
      ...newRoot.extensions.filter((e) => e.type !== AUTHORITY_KEY_ID_OID),
      new x509.AuthorityKeyIdentifierExtension(oldKeyId),
    ],
  });
  return cert.toString('pem') + '\n';
}
