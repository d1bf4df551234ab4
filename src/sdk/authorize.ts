import type { SnapshotIntentions } from '../proxycfg/wire.js';
import type { SpiffeId } from '../connect/spiffe.js';

export interface Authorization {
  allowed: boolean;
  /** The caller's service, when its identity was one. */
  source?: string;
  reason: string;
  /** Why a denial happened, for metrics: the caller's identity or an intention. */
  deniedBy?: 'identity' | 'intention';
}

const matches = (pattern: string, name: string): boolean => pattern === '*' || pattern === name;

/**
 * Checks who the caller is, before any intention: a service of this trust domain, in the
 * default namespace. Returns the denial, or null with `source` for an acceptable caller.
 */
export function authenticateCaller(peer: SpiffeId | null, trustDomain: string): Authorization | { allowed: true; source: string; reason: string } {
  if (!peer || peer.kind !== 'service') return { allowed: false, reason: 'the client certificate has no service identity', deniedBy: 'identity' };
  if (!trustDomain || peer.trustDomain !== trustDomain.toLowerCase()) {
    return { allowed: false, source: peer.service, reason: `the client certificate is from trust domain ${peer.trustDomain}, not ${trustDomain}`, deniedBy: 'identity' };
  }
  if (peer.namespace !== 'default' || (peer.partition && peer.partition !== 'default')) {
    return { allowed: false, source: peer.service, reason: `the client identity is in namespace ${peer.namespace}; Weft has only "default"`, deniedBy: 'identity' };
  }
  return { allowed: true, source: peer.service, reason: 'authenticated' };
}

/**
 * Decides an inbound connection locally, with no call to the agent: the caller must be a
 * service of this trust domain, and the first intention (in the evaluation order the match
 * endpoint returns) whose source and destination fit decides; an L7 intention denies at L4,
 * as Consul's authorize does; none fitting applies the default.
 */
export function authorizeConnection(peer: SpiffeId | null, trustDomain: string, destination: string, table: SnapshotIntentions): Authorization {
  const who = authenticateCaller(peer, trustDomain);
  if (!who.allowed) return who;
  const source = who.source!;
  const ixn = table.Matches.find((i) => matches(i.SourceName, source) && matches(i.DestinationName, destination));
  if (!ixn) {
    return table.DefaultAllow ? { allowed: true, source, reason: table.DefaultReason } : { allowed: false, source, reason: table.DefaultReason, deniedBy: 'intention' };
  }
  const what = `${ixn.SourceName} => ${ixn.DestinationName}`;
  if (ixn.Permissions?.length) return { allowed: false, source, reason: `Matched L7 intention: ${what}`, deniedBy: 'intention' };
  const allowed = ixn.Action === 'allow';
  return { allowed, source, reason: `Matched L4 intention: ${what} (${ixn.Action})`, deniedBy: allowed ? undefined : 'intention' };
}
