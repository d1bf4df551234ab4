import { x509 } from './x509.js';

const NAME_CONSTRAINTS_OID = '2.5.29.30';

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, content: number[]): number[] {
  return [tag, ...derLength(content.length), ...content];
}

/**
 * A critical NameConstraints extension permitting only the given DNS subtrees (RFC 5280
 * 4.2.1.10). @peculiar/x509 has no class for it, and the structure is four nested TLVs:
 * SEQUENCE { [0] { SEQUENCE { [2] dNSName } ... } }.
 */
export function permittedDnsConstraint(domains: readonly string[]): x509.Extension {
  const subtrees = domains.flatMap((d) => tlv(0x30, tlv(0x82, [...Buffer.from(d, 'ascii')])));
  const value = tlv(0x30, tlv(0xa0, subtrees));
  return new x509.Extension(NAME_CONSTRAINTS_OID, true, new Uint8Array(value));
}
