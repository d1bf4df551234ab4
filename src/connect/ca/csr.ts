import { WeftError } from '../../lib/errors.js';
import { algorithmFor, type SigningKey } from './keys.js';
import { x509 } from './x509.js';

export interface CsrRequest {
  /** The SPIFFE URI the certificate is for. */
  uri: string;
  dnsNames?: string[];
  key: SigningKey;
}

/** A PKCS#10 request as the agent makes it: the key stays on the agent, only this travels. */
export async function createCsr(req: CsrRequest): Promise<string> {
  const names: x509.JsonGeneralName[] = [{ type: 'url', value: req.uri }, ...(req.dnsNames ?? []).map((d) => ({ type: 'dns' as const, value: d }))];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    keys: req.key.keys,
    signingAlgorithm: algorithmFor(req.key.spec),
    extensions: [new x509.SubjectAlternativeNameExtension(names)],
  });
  return csr.toString('pem') + '\n';
}

export interface ParsedCsr {
  publicKey: x509.PublicKey;
  uris: string[];
  dnsNames: string[];
  ipAddresses: string[];
}

/** Parses a PEM CSR and checks its self-signature (proof that the requester holds the key). */
export async function parseCsr(pem: string): Promise<ParsedCsr> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch (err) {
    throw new WeftError('BAD_REQUEST', `error parsing CSR: ${(err as Error).message}`);
  }
  if (!(await csr.verify())) throw new WeftError('BAD_REQUEST', 'CSR signature is invalid');
  const san = csr.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  const names: x509.JsonGeneralName[] = san?.names.toJSON() ?? [];
  return {
    publicKey: csr.publicKey,
    uris: names.filter((n) => n.type === 'url').map((n) => n.value),
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === 'ip').map((n) => n.value),
  };
}
