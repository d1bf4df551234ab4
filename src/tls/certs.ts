import { isIP } from 'node:net';
import { WeftError } from '../lib/errors.js';
import {
  algorithmFor,
  CLOCK_SKEW_MS,
  generateSigningKey,
  importSigningKey,
  keyIdOf,
  parseCert,
  permittedDnsConstraint,
  randomSerial,
  serialHex,
  x509,
} from '../connect/index.js';

const DAY_MS = 86_400_000;
const EC_P256 = { type: 'ec', bits: 256 } as const;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface CaRequest {
  domain: string;
  days: number;
  /** Limit the CA to DNS names under the domain and localhost (and these). */
  nameConstraint: boolean;
  additionalConstraints: string[];
  commonName?: string;
  now?: Date;
}

export interface Pem {
  cert: string;
  key: string;
}

/** Consul's agent CA (tls ca create): ECDSA P-256, Consul's subject, optionally name-constrained. */
export async function createAgentCa(req: CaRequest): Promise<Pem> {
  const now = req.now ?? new Date();
  const key = await generateSigningKey(EC_P256);
  const serial = randomSerial(16);
  const keyId = (await keyIdOf(key.keys.publicKey)).toString('hex');
  const subject = `C=US, ST=CA, L=San Francisco, O=HashiCorp Inc., CN=${req.commonName || `Consul Agent CA ${serial}`}`;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    new x509.SubjectKeyIdentifierExtension(keyId),
    new x509.AuthorityKeyIdentifierExtension(keyId),
  ];
  if (req.nameConstraint) extensions.push(permittedDnsConstraint([...new Set([req.domain, 'localhost', ...req.additionalConstraints])]));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(serial),
    subject,
    issuer: subject,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + req.days * DAY_MS),
    publicKey: key.keys.publicKey,
    signingKey: key.keys.privateKey,
    signingAlgorithm: algorithmFor(key.spec),
    extensions,
  });
  return { cert: cert.toString('pem') + '\n', key: key.pem };
}

export type CertKind = 'server' | 'client' | 'cli';

export interface CertRequest {
  kind: CertKind;
  ca: Pem;
  datacenter: string;
  domain: string;
  days: number;
  /** `-node`: a server certificate also names `<node>.server.<dc>.<domain>`. */
  node?: string;
  dnsNames: string[];
  ipAddresses: string[];
  now?: Date;
}

/** The names Consul puts in each kind of agent certificate (command/tls/cert/create). */
export function certNames(req: Pick<CertRequest, 'kind' | 'datacenter' | 'domain' | 'node' | 'dnsNames' | 'ipAddresses'>): { commonName: string; dns: string[]; ips: string[] } {
  const commonName = `${req.kind}.${req.datacenter}.${req.domain}`;
  const dns = [commonName, 'localhost'];
  if (req.kind === 'server' && req.node) dns.push(`${req.node}.server.${req.datacenter}.${req.domain}`);
  dns.push(...req.dnsNames);
  const ips = req.kind === 'cli' ? [...req.ipAddresses] : ['127.0.0.1', ...req.ipAddresses];
  for (const ip of ips) if (!isIP(ip)) throw new WeftError('FLAG_INVALID', `${ip} is not a valid IP address`);
  return { commonName, dns: [...new Set(dns)], ips: [...new Set(ips)] };
}

/** A server, client or CLI certificate signed by the agent CA (tls cert create). */
export async function createAgentCert(req: CertRequest): Promise<Pem> {
  const now = req.now ?? new Date();
  const caKey = await importSigningKey(req.ca.key);
  parseCert(req.ca.cert);
  const caCert = new x509.X509Certificate(req.ca.cert);
  const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? (await keyIdOf(caKey.keys.publicKey)).toString('hex');
  const key = await generateSigningKey(EC_P256);
  const names = certNames(req);
  const usages = req.kind === 'cli' ? [CLIENT_AUTH] : [SERVER_AUTH, CLIENT_AUTH];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(randomSerial(16)),
    subject: `CN=${names.commonName}`,
    // The CA's own encoded name, so the issuer matches its subject byte for byte.
    issuer: caCert.subjectName,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + req.days * DAY_MS),
    publicKey: key.keys.publicKey,
    signingKey: caKey.keys.privateKey,
    signingAlgorithm: algorithmFor(caKey.spec),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(usages),
      new x509.SubjectKeyIdentifierExtension((await keyIdOf(key.keys.publicKey)).toString('hex')),
      new x509.AuthorityKeyIdentifierExtension(caSki),
      new x509.SubjectAlternativeNameExtension([...names.dns.map((value) => ({ type: 'dns' as const, value })), ...names.ips.map((value) => ({ type: 'ip' as const, value }))]),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: key.pem };
}
