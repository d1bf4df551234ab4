/**
 * Parses question names into what they ask for. Names arrive lower-cased with a trailing
 * dot (`web.service.dc1.consul.`); the domain has already been matched.
 */

export type NameKind = 'service' | 'connect' | 'ingress' | 'virtual' | 'node' | 'query';

const KIND_LABELS: ReadonlySet<string> = new Set<NameKind>(['service', 'connect', 'ingress', 'virtual', 'node', 'query']);

export interface DomainMatch {
  /** The domain answers use: the one the question used; the primary domain for `arpa.` names. */
  domain: string;
  /** Labels before the matched domain, left to right. */
  labels: string[];
  arpa: boolean;
}

/**
 * Finds which served zone a name is in, scanning suffixes from the longest, as Consul does.
 * null means the name is outside every zone (recurse or refuse).
 */
export function matchDomain(name: string, domain: string, altDomain: string | null): DomainMatch | null {
  let offset = 0;
  while (offset < name.length) {
    const suffix = name.slice(offset);
    if (suffix === '.') return null;
    if (suffix === domain || suffix === altDomain || suffix === 'arpa.') {
      const head = name.slice(0, offset);
      const labels = head === '' ? [] : head.slice(0, -1).split('.');
      return { domain: suffix === 'arpa.' ? domain : suffix, labels, arpa: suffix === 'arpa.' };
    }
    const dot = name.indexOf('.', offset);
    if (dot < 0) return null;
    offset = dot + 1;
  }
  return null;
}

/** `<hex>.addr[...]`: the second label is `addr`. */
export function isAddrName(labels: readonly string[]): boolean {
  return labels.length >= 2 && labels[1] === 'addr';
}

export interface NameQuery {
  kind: NameKind;
  /** Labels before the kind label. */
  parts: string[];
  /** Labels between the kind label and the domain (datacenter and tenancy). */
  suffixes: string[];
}

/**
 * Finds the rightmost kind label. For SRV questions the `service` label is optional in the
 * RFC 2782 form (`_web._tcp.consul`), so a leading-underscore label also ends the search.
 */
export function parseName(labels: readonly string[], srv: boolean): NameQuery | null {
  for (let i = labels.length - 1; i >= 0; i--) {
    const label = labels[i];
    if (KIND_LABELS.has(label)) return { kind: label as NameKind, parts: labels.slice(0, i), suffixes: labels.slice(i + 1) };
    if (srv && label.startsWith('_')) return { kind: 'service', parts: labels.slice(0, i + 1), suffixes: labels.slice(i + 1) };
  }
  return null;
}

/** A service name and tag from the labels before `.service`. */
export function serviceAndTag(parts: readonly string[]): { service: string; tag: string } | null {
  const n = parts.length;
  if (n === 0) return null;
  if (n === 2 && parts[0].startsWith('_') && parts[1].startsWith('_')) {
    const tag = parts[1].slice(1);
    return { service: parts[0].slice(1), tag: tag === 'tcp' ? '' : tag };
  }
  // Tags may contain dots: every label before the service name is the tag.
  return { service: parts[n - 1], tag: parts.slice(0, n - 1).join('.') };
}

export interface Locality {
  datacenter: string;
  peer: string;
  namespace: string;
  partition: string;
  samenessGroup: string;
  /** `<svc>.service.<x>.consul`: a datacenter, or a peer for virtual lookups. */
  peerOrDatacenter: string;
}

/** Consul's tenancy suffixes: `<dc>`, `<ns>.<dc>`, or pairs `<v>.ns`, `<v>.ap`, `<v>.dc`, `<v>.peer`, `<v>.sg`. */
export function parseLocality(suffixes: readonly string[]): Locality | null {
  const l: Locality = { datacenter: '', peer: '', namespace: '', partition: '', samenessGroup: '', peerOrDatacenter: '' };
  const n = suffixes.length;
  if (n === 0) return l;
  if (n === 1) return { ...l, peerOrDatacenter: suffixes[0] };
  if (n !== 2 && n !== 4 && n !== 6) return null;
  for (let i = 0; i < n; i += 2) {
    const value = suffixes[i];
    switch (suffixes[i + 1]) {
      case 'ns':
        l.namespace = value;
        break;
      case 'ap':
        l.partition = value;
        break;
      case 'dc':
      case 'cluster':
        l.datacenter = value;
        break;
      case 'sg':
        l.samenessGroup = value;
        break;
      case 'peer':
        l.peer = value;
        break;
      default:
        if (n !== 2) return null;
        return { ...l, namespace: suffixes[0], peerOrDatacenter: suffixes[1] };
    }
  }
  if (l.datacenter && l.peer) return null;
  if (l.samenessGroup && (l.datacenter || l.peer)) return null;
  return l;
}
