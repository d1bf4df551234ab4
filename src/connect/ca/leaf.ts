import { colonHex, algorithmFor, keyIdOf, keyIdOfSpki, type SigningKey } from './keys.js';
import type { ParsedCsr } from './csr.js';
import { CLOCK_SKEW_MS, randomSerial, serialHex } from './root.js';
import { x509 } from './x509.js';

export interface SignLeafRequest {
  csr: ParsedCsr;
  /** The certificate of the signing key (the active root). */
  caCertPem: string;
  caKey: SigningKey;
  ttlMs: number;
  now: Date;
  /** Subject common name; Consul's leaves name the service here. */
  commonName: string;
}

export interface SignedLeaf {
  pem: string;
  /** Colon-hex serial, as IssuedCert.SerialNumber. */
  serial: string;
  validAfter: Date;
  validBefore: Date;
}

/**
 * Signs a leaf from a verified CSR with the key usages and extended key usages Consul's
 * built-in provider sets (client and server auth, so one leaf serves both ends of mTLS).
 */
export async function signLeaf(req: SignLeafRequest): Promise<SignedLeaf> {
  const ca = new x509.X509Certificate(req.caCertPem);
  const serial = randomSerial(8);
  const validAfter = new Date(req.now.getTime() - CLOCK_SKEW_MS);
  const validBefore = new Date(req.now.getTime() + req.ttlMs);
  const spki = new Uint8Array(req.csr.publicKey.rawData);
  const names: x509.JsonGeneralName[] = [
    ...req.csr.uris.map((value) => ({ type: 'url' as const, value })),
    ...req.csr.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...req.csr.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  const usages =
    x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment | x509.KeyUsageFlags.keyAgreement;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(serial),
    subject: new x509.Name([{ CN: [req.commonName] }]),
    issuer: ca.subjectName,
    notBefore: validAfter,
    notAfter: validBefore,
    publicKey: req.csr.publicKey,
    signingKey: req.caKey.keys.privateKey,
    signingAlgorithm: algorithmFor(req.caKey.spec),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(usages, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectKeyIdentifierExtension(keyIdOfSpki(spki).toString('hex')),
      new x509.AuthorityKeyIdentifierExtension((await keyIdOf(req.caKey.keys.publicKey)).toString('hex')),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  return { pem: cert.toString('pem') + '\n', serial: colonHex(Buffer.from(serialHex(serial), 'hex')), validAfter, validBefore };
}
