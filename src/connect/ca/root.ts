import { X509Certificate, randomBytes } from 'node:crypto';
import { WeftError } from '../../lib/errors.js';
import { shortTrustDomain, spiffeUri } from '../spiffe.js';
import { algorithmFor, colonHex, keyIdOf, keyIdOfSpki, type SigningKey } from './keys.js';
import { permittedDnsConstraint } from './name-constraints.js';
import { x509 } from './x509.js';

/** Certificates are valid from a minute back, so servers whose clocks lag a little accept them (as Consul does). */
export const CLOCK_SKEW_MS = 60_000;

export interface RootRequest {
  clusterId: string;
  trustDomain: string;
  key: SigningKey;
  ttlMs: number;
  now: Date;
}

/** A random 8-character base-36 id: Consul's CompactUID, which keeps CA common names unique. */
export function compactUid(): string {
  return BigInt('0x' + randomBytes(8).toString('hex')).toString(36).padStart(8, '0').slice(0, 8);
}

/** A random positive serial that fits a JSON number exactly (Consul reports root serials as uint64). */
export function rootSerial(): bigint {
  return randomSerial(6);
}

/** A random serial of `bytes` bytes, positive (top bit clear, as DER integers are signed) and never 0. */
export function randomSerial(bytes: number): bigint {
  const raw = randomBytes(bytes);
  raw[0] &= 0x7f;
  return BigInt('0x' + raw.toString('hex')) | 1n;
}

/** The hex form @peculiar/x509 takes: an even number of digits. */
export function serialHex(serial: bigint): string {
  const hex = serial.toString(16);
  return hex.length % 2 ? '0' + hex : hex;
}

/**
 * The self-signed root of the built-in CA: SAN URI `spiffe://<trust domain>`, a critical
 * DNS name constraint to the trust domain (and the short form leaf DNS names use), and the
 * key ids Consul computes.
 */
export async function generateRootCert(req: RootRequest): Promise<string> {
  const keyId = Buffer.from(await keyIdOf(req.key.keys.publicKey)).toString('hex');
  const name = `CN=pri-${compactUid()}.consul.ca.${req.clusterId.slice(0, 8)}.consul`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(rootSerial()),
    subject: name,
    issuer: name,
    notBefore: new Date(req.now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(req.now.getTime() + req.ttlMs),
    publicKey: req.key.keys.publicKey,
    signingKey: req.key.keys.privateKey,
    signingAlgorithm: algorithmFor(req.key.spec),
    extensions: caExtensions(keyId, keyId, req.trustDomain),
  });
  return cert.toString('pem') + '\n';
}

/** The extensions of a CA certificate, shared by roots and their cross-signed twins. */
export function caExtensions(subjectKeyId: string, authorityKeyId: string, trustDomain: string): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    new x509.SubjectKeyIdentifierExtension(subjectKeyId),
    new x509.AuthorityKeyIdentifierExtension(authorityKeyId),
    new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spiffeUri({ kind: 'signing', trustDomain }) }]),
    permittedDnsConstraint([trustDomain, shortTrustDomain(trustDomain)]),
  ];
}

/** What the roots API reports about a CA certificate (Consul's newCARoot). */
export interface RootFacts {
  ID: string;
  SerialNumber: bigint;
  SigningKeyID: string;
  NotBefore: Date;
  NotAfter: Date;
  PrivateKeyType: string;
  PrivateKeyBits: number;
}

export function parseCert(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new WeftError('BAD_REQUEST', `error parsing certificate: ${(err as Error).message}`);
  }
}

export function rootFacts(pem: string): RootFacts {
  const cert = parseCert(pem);
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  const skid = new x509.X509Certificate(pem).getExtension(x509.SubjectKeyIdentifierExtension);
  return {
    ID: cert.fingerprint.toLowerCase(),
    SerialNumber: BigInt('0x' + cert.serialNumber) & (2n ** 64n - 1n),
    SigningKeyID: colonHex(skid ? Buffer.from(skid.keyId, 'hex') : keyIdOfSpki(spki)),
    NotBefore: new Date(cert.validFrom),
    NotAfter: new Date(cert.validTo),
    ...keyFacts(cert),
  };
}

function keyFacts(cert: X509Certificate): { PrivateKeyType: string; PrivateKeyBits: number } {
  const k = cert.publicKey;
  if (k.asymmetricKeyType === 'rsa') return { PrivateKeyType: 'rsa', PrivateKeyBits: k.asymmetricKeyDetails?.modulusLength ?? 0 };
  const curve = k.asymmetricKeyDetails?.namedCurve ?? '';
  const bits = { prime256v1: 256, secp384r1: 384, secp521r1: 521 }[curve] ?? 0;
  return { PrivateKeyType: 'ec', PrivateKeyBits: bits };
}

/** Whether the certificate's public key is the one of `key` (a user-supplied root must match its key). */
export async function certMatchesKey(pem: string, key: SigningKey): Promise<boolean> {
  const certSpki = parseCert(pem).publicKey.export({ type: 'spki', format: 'der' });
  const keyId = await keyIdOf(key.keys.publicKey);
  return keyIdOfSpki(certSpki).equals(keyId);
}
