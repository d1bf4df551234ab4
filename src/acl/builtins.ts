import type { PolicyRules, RuleAccess, SegmentRule } from './rules.js';
import { SEGMENT_KINDS } from './rules.js';

/** The IDs and names Consul reserves (agent/structs/acl.go), so tools that look for them find them. */
export const GLOBAL_MANAGEMENT_ID = '00000000-0000-0000-0000-000000000001';
export const GLOBAL_MANAGEMENT_NAME = 'global-management';
export const GLOBAL_READ_ONLY_ID = '00000000-0000-0000-0000-000000000002';
export const GLOBAL_READ_ONLY_NAME = 'builtin/global-read-only';
export const ANONYMOUS_ACCESSOR_ID = '00000000-0000-0000-0000-000000000002';
export const ANONYMOUS_SECRET = 'anonymous';
/** IDs under this prefix are the builtins'; users may not pick them. */
export const RESERVED_ID_PREFIX = '00000000-0000-0000-0000-0000000000';
export const REDACTED_SECRET = '<hidden>';

function allRulesText(level: 'read' | 'write'): string {
  const block = (kind: string, extra = '') => `${kind}_prefix "" {\n\tpolicy = "${level}"${extra}\n}`;
  return [
    `acl = "${level}"`,
    block('agent'),
    block('event'),
    block('key'),
    `keyring = "${level}"`,
    block('node'),
    `operator = "${level}"`,
    `mesh = "${level}"`,
    `peering = "${level}"`,
    block('query'),
    block('service', `\n\tintentions = "${level}"`),
    block('session'),
  ].join('\n');
}

/** One rule granting (or denying) `level` on everything: the builtin policies, and a client's answer while its servers are down. */
export function allRules(level: RuleAccess): PolicyRules {
  const segments: SegmentRule[] = SEGMENT_KINDS.map((kind) => ({ kind, name: '', prefix: true, policy: level }));
  segments.find((r) => r.kind === 'service')!.intentions = level;
  return { segments, global: { acl: level, keyring: level, operator: level, mesh: level, peering: level } };
}

export interface BuiltinPolicy {
  ID: string;
  Name: string;
  Description: string;
  Rules: string;
  Parsed: PolicyRules;
}

export const BUILTIN_POLICIES: readonly BuiltinPolicy[] = [
  {
    ID: GLOBAL_MANAGEMENT_ID,
    Name: GLOBAL_MANAGEMENT_NAME,
    Description: 'Builtin Policy that grants unlimited access',
    Rules: `\n${allRulesText('write')}`,
    Parsed: allRules('write'),
  },
  {
    ID: GLOBAL_READ_ONLY_ID,
    Name: GLOBAL_READ_ONLY_NAME,
    Description: 'Builtin Policy that grants unlimited read-only access to all components',
    Rules: `\n${allRulesText('read')}`,
    Parsed: allRules('read'),
  },
];

/** A service identity: write on the service and its sidecar, read on every service and node. */
export function serviceIdentityRules(service: string): PolicyRules {
  return {
    segments: [
      { kind: 'service', name: service, prefix: false, policy: 'write' },
      { kind: 'service', name: `${service}-sidecar-proxy`, prefix: false, policy: 'write' },
      { kind: 'service', name: '', prefix: true, policy: 'read' },
      { kind: 'node', name: '', prefix: true, policy: 'read' },
    ],
    global: {},
  };
}

export function serviceIdentityRulesText(service: string): string {
  return `\nservice "${service}" {\n\tpolicy = "write"\n}\nservice "${service}-sidecar-proxy" {\n\tpolicy = "write"\n}\nservice_prefix "" {\n\tpolicy = "read"\n}\nnode_prefix "" {\n\tpolicy = "read"\n}`;
}

/** A node identity: write on the node, read on every service. */
export function nodeIdentityRules(node: string): PolicyRules {
  return {
    segments: [
      { kind: 'node', name: node, prefix: false, policy: 'write' },
      { kind: 'service', name: '', prefix: true, policy: 'read' },
    ],
    global: {},
  };
}

export function nodeIdentityRulesText(node: string): string {
  return `\nnode "${node}" {\n\tpolicy = "write"\n}\nservice_prefix "" {\n\tpolicy = "read"\n}`;
}

/** The agent recovery token's grant (Consul's agentRecoveryAuthorizer): this agent, and reading nodes. */
export function agentRecoveryRules(node: string): PolicyRules {
  return {
    segments: [
      { kind: 'agent', name: node, prefix: false, policy: 'write' },
      { kind: 'node', name: '', prefix: true, policy: 'read' },
    ],
    global: {},
  };
}

const NAME = /^[a-z0-9]([a-z0-9\-_]*[a-z0-9])?$/;
/** acl.IsValidServiceIdentityName / IsValidNodeIdentityName. */
export const isValidIdentityName = (name: string): boolean => name.length >= 1 && name.length <= 256 && NAME.test(name);
/** acl.IsValidPolicyName: one optional `/`, never `builtin/`. */
export const isValidPolicyName = (name: string): boolean =>
  name.length >= 1 && name.length <= 128 && !name.startsWith('/') && !name.startsWith('builtin/') && /^[A-Za-z0-9\-_]+\/?[A-Za-z0-9\-_]*$/.test(name);
export const isValidRoleName = (name: string): boolean => /^[A-Za-z0-9\-_]{1,256}$/.test(name);
