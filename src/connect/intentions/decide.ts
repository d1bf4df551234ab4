import { compareIntentions, describeIntention, WILDCARD, type Intention } from '../../state/index.js';

/** What applies when no intention matches: allow or deny, and the reason authorize reports. */
export interface DefaultPolicy {
  allow: boolean;
  reason: string;
}

export interface IntentionDecision {
  allowed: boolean;
  /** Consul's authorize reason: "Matched L4 intention: ...", "Default behavior configured by ACLs". */
  reason: string;
  /** The deciding intention; absent when the default applied. */
  matched?: Intention;
  /** The deciding intention has L7 permissions: a connection-level check must deny, a request-level one evaluates them. */
  hasPermissions: boolean;
}

const matches = (pattern: string, name: string): boolean => pattern === WILDCARD || pattern === name;

/**
 * Decides a connection from `source` to `destination` (Consul's authorize and check logic):
 * the highest-precedence intention matching both names decides; one with L7 permissions
 * denies at L4, as Consul documents; nothing matching falls back to the default policy.
 * `intentions` may be any superset, such as the destination's `match` answer.
 */
export function decideIntention(intentions: readonly Intention[], source: string, destination: string, fallback: DefaultPolicy): IntentionDecision {
  const candidates = intentions.filter((i) => matches(i.SourceName, source) && matches(i.DestinationName, destination)).sort(compareIntentions);
  const ixn = candidates[0];
  if (!ixn) return { allowed: fallback.allow, reason: fallback.reason, hasPermissions: false };
  if (ixn.Permissions?.length) return { allowed: false, reason: `Matched L7 intention: ${describeIntention(ixn)}`, matched: ixn, hasPermissions: true };
  return { allowed: ixn.Action === 'allow', reason: `Matched L4 intention: ${describeIntention(ixn)}`, matched: ixn, hasPermissions: false };
}
