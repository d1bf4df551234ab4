/**
 * SPIFFE identities of Connect (Consul's agent/connect/uri_*.go): every certificate the CA
 * signs carries exactly one of these as its URI SAN.
 */
export type SpiffeId =
  | { kind: 'signing'; trustDomain: string }
  | { kind: 'service'; trustDomain: string; namespace: string; datacenter: string; service: string; partition?: string }
  | { kind: 'agent'; trustDomain: string; datacenter: string; agent: string; partition?: string }
  | { kind: 'server'; trustDomain: string; datacenter: string }
  | { kind: 'mesh-gateway'; trustDomain: string; datacenter: string; partition?: string };

/** The cluster's trust domain: `<cluster id>.consul`. */
export function trustDomainOf(clusterId: string): string {
  return `${clusterId}.consul`;
}

const enc = encodeURIComponent;

export function spiffeUri(id: SpiffeId): string {
  const base = `spiffe://${id.trustDomain}`;
  const ap = 'partition' in id && id.partition && id.partition !== 'default' ? `/ap/${enc(id.partition)}` : '';
  switch (id.kind) {
    case 'signing':
      return base;
    case 'service':
      return `${base}${ap}/ns/${enc(id.namespace)}/dc/${enc(id.datacenter)}/svc/${enc(id.service)}`;
    case 'agent':
      return `${base}${ap}/agent/client/dc/${enc(id.datacenter)}/id/${enc(id.agent)}`;
    case 'server':
      return `${base}/agent/server/dc/${enc(id.datacenter)}`;
    case 'mesh-gateway':
      return `${base}${ap}/gateway/mesh/dc/${enc(id.datacenter)}`;
  }
}

export function serviceSpiffeUri(trustDomain: string, datacenter: string, service: string): string {
  return spiffeUri({ kind: 'service', trustDomain, namespace: 'default', datacenter, service });
}

const PATTERNS: [RegExp, (m: string[], td: string) => SpiffeId][] = [
  [/^(?:\/ap\/([^/]+))?\/ns\/([^/]+)\/dc\/([^/]+)\/svc\/([^/]+)$/, (m, td) => withPartition({ kind: 'service', trustDomain: td, namespace: m[2], datacenter: m[3], service: m[4] }, m[1])],
  [/^(?:\/ap\/([^/]+))?\/agent\/client\/dc\/([^/]+)\/id\/([^/]+)$/, (m, td) => withPartition({ kind: 'agent', trustDomain: td, datacenter: m[2], agent: m[3] }, m[1])],
  [/^\/agent\/server\/dc\/([^/]+)$/, (m, td) => ({ kind: 'server', trustDomain: td, datacenter: m[1] })],
  [/^(?:\/ap\/([^/]+))?\/gateway\/mesh\/dc\/([^/]+)$/, (m, td) => withPartition({ kind: 'mesh-gateway', trustDomain: td, datacenter: m[2] }, m[1])],
];

function withPartition<T extends SpiffeId>(id: T, partition: string | undefined): T {
  return partition ? { ...id, partition } : id;
}

/** Parses a certificate URI; `null` when it is not a Connect identity (wrong scheme or path). */
export function parseSpiffeUri(input: string): SpiffeId | null {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== 'spiffe:' || !url.hostname || url.search || url.hash || url.username || url.port) return null;
  const td = url.hostname.toLowerCase();
  if (url.pathname === '' || url.pathname === '/') return { kind: 'signing', trustDomain: td };
  for (const [re, build] of PATTERNS) {
    const m = re.exec(url.pathname);
    if (!m) continue;
    try {
      return build(m.map((part) => (part === undefined ? part : decodeURIComponent(part))) as string[], td);
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The DNS SAN a service leaf carries (Consul's ServiceCN form): the trust domain is cut to
 * its first 8 characters to keep the name short, and characters DNS does not allow are
 * dropped (null when nothing is left). The root's name constraint permits it.
 */
export function serviceDnsName(service: string, trustDomain: string): string | null {
  const label = service.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 63);
  return label ? `${label}.svc.default.${shortTrustDomain(trustDomain)}` : null;
}

/** `<first 8 characters of the cluster id>.consul`. */
export function shortTrustDomain(trustDomain: string): string {
  return `${trustDomain.slice(0, 8)}.consul`;
}
