import { RuleTree, enforce, type Decision, type Need } from './rule-tree.js';
import { SEGMENT_KINDS, strongest, type GlobalKind, type PolicyRules, type RuleAccess, type SegmentKind } from './rules.js';

/** What a compiled policy set is asked about. `peering` has no seam resource yet but has rules. */
export type AclResourceKind = SegmentKind | 'intention' | GlobalKind;

/**
 * Merges several policies' rules into one (Consul's MergePolicies): where two rules meet on
 * the same name and form, the stronger one wins (deny > write > list > read). A service's
 * intentions level merges the same way before its default is derived.
 */
export function mergeRules(all: readonly PolicyRules[]): PolicyRules {
  const segments = new Map<string, PolicyRules['segments'][number]>();
  const global: PolicyRules['global'] = {};
  for (const rules of all) {
    for (const rule of rules.segments) {
      const key = `${rule.kind}\u0000${rule.prefix ? 'p' : 'e'}\u0000${rule.name}`;
      const had = segments.get(key);
      if (!had) {
        segments.set(key, { ...rule });
        continue;
      }
      had.policy = strongest(had.policy, rule.policy)!;
      const intentions = strongest(had.intentions, rule.intentions);
      if (intentions) had.intentions = intentions;
    }
    for (const [kind, access] of Object.entries(rules.global) as [GlobalKind, RuleAccess][]) {
      global[kind] = strongest(global[kind], access);
    }
  }
  return { segments: [...segments.values()], global };
}

/**
 * One token's merged rules, compiled (Consul's policyAuthorizer). Answers 'default' where no
 * rule speaks, so the caller can fall back to the agent's default policy.
 */
export class PolicyAuthorizer {
  private readonly trees = new Map<SegmentKind | 'intention', RuleTree>();
  private readonly global: PolicyRules['global'];

  constructor(rules: PolicyRules) {
    for (const kind of [...SEGMENT_KINDS, 'intention' as const]) this.trees.set(kind, new RuleTree());
    for (const rule of rules.segments) {
      this.tree(rule.kind).set(rule.name, rule.prefix, rule.policy);
      if (rule.kind !== 'service') continue;
      // A service rule without an intentions level still lets its holder read intentions.
      const intentions = rule.intentions ?? (rule.policy === 'deny' || rule.policy === 'list' ? 'deny' : 'read');
      this.tree('intention').set(rule.name, rule.prefix, intentions);
    }
    this.global = rules.global;
  }

  static compile(all: readonly PolicyRules[]): PolicyAuthorizer {
    return new PolicyAuthorizer(mergeRules(all));
  }

  tree(kind: SegmentKind | 'intention'): RuleTree {
    return this.trees.get(kind)!;
  }

  decide(kind: AclResourceKind, name: string, need: Need): Decision {
    switch (kind) {
      case 'acl':
      case 'keyring':
      case 'operator':
        return enforce(this.global[kind], need);
      case 'mesh':
      case 'peering':
        // Without its own rule, mesh and peering follow operator.
        return enforce(this.global[kind] ?? this.global.operator, need);
      case 'intention':
        if (name === '*') return need === 'write' ? this.tree('intention').allAllowed('write') : this.tree('intention').anyAllowed('read');
        return this.tree('intention').decide(name, need);
      case 'key':
        return this.tree('key').decide(name, need);
      default:
        // Only keys know `list`; elsewhere listing is reading.
        return this.tree(kind).decide(name, need === 'list' ? 'read' : need);
    }
  }

  keyWritePrefix(prefix: string): Decision {
    return this.tree('key').writePrefix(prefix);
  }

  serviceReadAll(): Decision {
    return this.tree('service').allAllowed('read');
  }

  nodeReadAll(): Decision {
    return this.tree('node').allAllowed('read');
  }

  serviceWriteAny(): Decision {
    return this.tree('service').anyAllowed('write');
  }
}
