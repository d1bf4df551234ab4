/**
 * A policy's rules once parsed (Consul's acl.PolicyRules): kept as plain data so they can
 * travel in the log and sit in the policy's row, and compiled into an authorizer without
 * parsing again.
 */
export const ACCESS_LEVELS = ['deny', 'read', 'list', 'write'] as const;
export type RuleAccess = (typeof ACCESS_LEVELS)[number];

/** Rule types that name a resource, each with an exact form and a `_prefix` form. */
export const SEGMENT_KINDS = ['agent', 'event', 'key', 'node', 'query', 'service', 'session'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/** Rule types that are one value for the whole cluster (`operator = "read"`). */
export const GLOBAL_KINDS = ['acl', 'keyring', 'mesh', 'operator', 'peering'] as const;
export type GlobalKind = (typeof GLOBAL_KINDS)[number];

export interface SegmentRule {
  kind: SegmentKind;
  /** The resource name, or the name prefix when `prefix` is set. */
  name: string;
  prefix: boolean;
  policy: RuleAccess;
  /** Services only: access to intentions whose destination this rule matches. */
  intentions?: RuleAccess;
}

export interface PolicyRules {
  segments: SegmentRule[];
  global: Partial<Record<GlobalKind, RuleAccess>>;
}

export const emptyRules = (): PolicyRules => ({ segments: [], global: {} });

/**
 * Consul's takesPrecedenceOver: when two rules meet on the same name, deny beats write,
 * write beats list, list beats read.
 */
const RANK: Record<RuleAccess, number> = { deny: 4, write: 3, list: 2, read: 1 };

export function strongest(a: RuleAccess | undefined, b: RuleAccess | undefined): RuleAccess | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RANK[a] >= RANK[b] ? a : b;
}
