import type { PeerCertificate, TLSSocket } from 'node:tls';
// The connect index would load the CA and the state store; identities need only this file.
import { parseSpiffeUri, spiffeUri, type SpiffeId } from '../connect/spiffe.js';

/** A service identity as presented in a verified certificate. */
export type ServiceIdentity = Extract<SpiffeId, { kind: 'service' }>;

const SAN = /(DNS|URI|IP Address|email|DirName|Registered ID|othername):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;

/**
 * The URI SANs of a certificate as Node reports them (`subjectaltname`); values with
 * characters that could confuse the list are JSON-quoted there (CVE-2021-44532).
 */
export function uriSans(cert: Pick<PeerCertificate, 'subjectaltname'> | undefined): string[] {
  const out: string[] = [];
  for (const m of (cert?.subjectaltname ?? '').matchAll(SAN)) {
    if (m[1] !== 'URI') continue;
    out.push(m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2]);
  }
  return out;
}

/** The one SPIFFE ID a Connect certificate carries, or null when it has none or several. */
export function certIdentity(cert: Pick<PeerCertificate, 'subjectaltname'> | undefined): SpiffeId | null {
  const spiffe = uriSans(cert).filter((u) => u.startsWith('spiffe://'));
  return spiffe.length === 1 ? parseSpiffeUri(spiffe[0]) : null;
}

/** The verified peer's identity on an established TLS socket (null when it presented none). */
export function peerIdentity(socket: TLSSocket): SpiffeId | null {
  const cert = socket.getPeerCertificate();
  return cert && Object.keys(cert).length > 0 ? certIdentity(cert) : null;
}

/** Same identity, whatever the URI's spelling (case of the trust domain, escaping). */
export function sameIdentity(a: SpiffeId, b: string): boolean {
  const other = parseSpiffeUri(b);
  return other !== null && spiffeUri(a) === spiffeUri(other);
}

/**
 * Replaces Node's hostname check for mesh dials: the server must present exactly the
 * expected SPIFFE ID (the chain itself is verified against the roots by TLS). Consul's
 * client does the same: it matches the URI SAN, not a DNS name.
 */
export function expectIdentity(expected: string): (host: string, cert: PeerCertificate) => Error | undefined {
  return (_host, cert) => {
    const id = certIdentity(cert);
    if (id && sameIdentity(id, expected)) return undefined;
    const got = uriSans(cert).join(', ') || 'no SPIFFE ID';
    return Object.assign(new Error(`peer presented ${got}, want ${expected}`), { code: 'ERR_MESH_IDENTITY' });
  };
}
