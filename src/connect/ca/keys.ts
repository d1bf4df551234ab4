import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { WeftError } from '../../lib/errors.js';
import { subtle } from './x509.js';

export type KeyType = 'ec' | 'rsa';

/** What Consul's CA config calls PrivateKeyType / PrivateKeyBits. */
export interface KeySpec {
  type: KeyType;
  bits: number;
}

/** A private key in both forms the CA needs: WebCrypto keys to sign with, PEM to store. */
export interface SigningKey {
  spec: KeySpec;
  keys: CryptoKeyPair;
  /** SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"), the encodings Consul writes. */
  pem: string;
}

const CURVES: Record<number, string> = { 256: 'P-256', 384: 'P-384', 521: 'P-521' };
const BITS_OF_CURVE: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, 'P-256': 256, 'P-384': 384, 'P-521': 521 };

/**
 * The WebCrypto algorithm for a key. Every signature is made with SHA-256, whatever the key,
 * as Consul's SigAlgoForKey does.
 */
export function algorithmFor(spec: KeySpec): EcKeyImportParams & EcdsaParams | RsaHashedImportParams {
  if (spec.type === 'ec') {
    const namedCurve = CURVES[spec.bits];
    if (!namedCurve) throw new WeftError('BAD_REQUEST', `EC key length must be one of (256, 384, 521) bits`);
    return { name: 'ECDSA', namedCurve, hash: 'SHA-256' };
  }
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

export async function generateSigningKey(spec: KeySpec): Promise<SigningKey> {
  const alg =
    spec.type === 'ec'
      ? algorithmFor(spec)
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: spec.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const der = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  return { spec, keys, pem: canonicalPem(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })) };
}

/** Loads a PEM private key (SEC1, PKCS#1 or PKCS#8); a user-supplied CA key arrives this way. */
export async function importSigningKey(pem: string): Promise<SigningKey> {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new WeftError('BAD_REQUEST', `error parsing private key: ${(err as Error).message}`);
  }
  const spec = specOf(key);
  const alg = algorithmFor(spec);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const privateKey = await subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']);
  const publicKey = await subtle.importKey('spki', spki, alg, true, ['verify']);
  return { spec, keys: { privateKey, publicKey }, pem: canonicalPem(key) };
}

function specOf(key: KeyObject): KeySpec {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const bits = BITS_OF_CURVE[details.namedCurve ?? ''];
    if (!bits) throw new WeftError('BAD_REQUEST', `unsupported EC curve ${details.namedCurve}: use P-256, P-384 or P-521`);
    return { type: 'ec', bits };
  }
  if (key.asymmetricKeyType === 'rsa') return { type: 'rsa', bits: details.modulusLength ?? 0 };
  throw new WeftError('BAD_REQUEST', `unsupported private key type ${key.asymmetricKeyType}: use an EC or RSA key`);
}

function canonicalPem(key: KeyObject): string {
  return key.export({ type: key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs1', format: 'pem' }).toString();
}

/**
 * Consul's key identifier: the first 20 bytes of SHA-256 over the DER SubjectPublicKeyInfo.
 * It is a root's SigningKeyID and every certificate's subject/authority key id.
 */
export function keyIdOfSpki(spki: Uint8Array): Buffer {
  return createHash('sha256').update(spki).digest().subarray(0, 20);
}

export async function keyIdOf(publicKey: CryptoKey): Promise<Buffer> {
  return keyIdOfSpki(new Uint8Array(await subtle.exportKey('spki', publicKey)));
}

/** `aa:bb:cc`, the hex form Consul uses for key ids, fingerprints and serial numbers. */
export function colonHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1:');
}
