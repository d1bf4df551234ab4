import type { RuleAccess } from './rules.js';

/** Consul's EnforcementDecision: a rule may allow, deny, or have nothing to say. */
export type Decision = 'allow' | 'deny' | 'default';
export type Need = 'read' | 'list' | 'write';

/** acl.enforce: what a rule's level grants for the access asked for. */
export function enforce(rule: RuleAccess | undefined, need: Need): Decision {
  switch (rule) {
    case 'write':
      return 'allow';
    case 'list':
      return need === 'write' ? 'deny' : 'allow';
    case 'read':
      return need === 'read' ? 'allow' : 'deny';
    case 'deny':
      return 'deny';
    default:
      return 'default';
  }
}

interface Leaf {
  exact?: RuleAccess;
  prefix?: RuleAccess;
}

/**
 * The rules of one resource type (keys, services, ...), answering Consul's questions: an
 * exact rule for the name wins, else the longest prefix rule that the name starts with.
 * Prefix lengths are kept sorted so a lookup tries at most one map probe per length.
 */
export class RuleTree {
  private readonly leaves = new Map<string, Leaf>();
  private prefixLengths: number[] = [];

  set(name: string, prefix: boolean, access: RuleAccess): void {
    const leaf = this.leaves.get(name) ?? {};
    if (prefix) leaf.prefix = access;
    else leaf.exact = access;
    this.leaves.set(name, leaf);
    if (prefix && !this.prefixLengths.includes(name.length)) {
      this.prefixLengths = [...this.prefixLengths, name.length].sort((a, b) => b - a);
    }
  }

  /** The rule that governs `name`, if any (getPolicy). */
  lookup(name: string): RuleAccess | undefined {
    const exact = this.leaves.get(name)?.exact;
    if (exact !== undefined) return exact;
    for (const len of this.prefixLengths) {
      if (len > name.length) continue;
      const rule = this.leaves.get(name.slice(0, len))?.prefix;
      if (rule !== undefined) return rule;
    }
    return undefined;
  }

  decide(name: string, need: Need): Decision {
    return enforce(this.lookup(name), need);
  }

  /** Does some rule grant `need` on some name (ServiceWriteAny, intention read on `*`)? */
  anyAllowed(need: Need): Decision {
    let decision: Decision = 'default';
    const root = this.leaves.get('');
    if (root?.prefix !== undefined) {
      decision = enforce(root.prefix, need);
      if (decision === 'allow') return 'allow';
    }
    for (const leaf of this.leaves.values()) {
      let d = enforce(leaf.prefix, need);
      if (d !== 'allow' && leaf.exact !== undefined) d = enforce(leaf.exact, need);
      if (d === 'allow') return 'allow';
    }
    return decision;
  }

  /** Does every rule grant `need` (ServiceReadAll, NodeReadAll, intention write on `*`)? */
  allAllowed(need: Need): Decision {
    let decision: Decision = 'default';
    const root = this.leaves.get('');
    if (root?.prefix !== undefined) {
      decision = enforce(root.prefix, need);
      if (decision === 'deny') return 'deny';
    }
    for (const leaf of this.leaves.values()) {
      const prefixDecision = enforce(leaf.prefix, need);
      let d = prefixDecision;
      if (prefixDecision !== 'deny' && leaf.exact !== undefined) {
        d = enforce(leaf.exact, need);
        if (d === 'default') d = prefixDecision;
      }
      if (d === 'deny') return 'deny';
    }
    return decision;
  }

  /**
   * KeyWritePrefix: may everything under `prefix` be written (a recursive delete)? The
   * longest prefix rule covering it must grant write, and no rule inside it may withhold it.
   */
  writePrefix(prefix: string): Decision {
    let base: Decision = 'default';
    for (const len of [...this.prefixLengths].reverse()) {
      if (len > prefix.length) break;
      const rule = this.leaves.get(prefix.slice(0, len))?.prefix;
      if (rule !== undefined) base = rule === 'write' ? 'allow' : 'deny';
    }
    if (base === 'deny') return 'deny';
    for (const [name, leaf] of this.leaves) {
      if (!name.startsWith(prefix)) continue;
      if ((leaf.prefix !== undefined && leaf.prefix !== 'write') || (leaf.exact !== undefined && leaf.exact !== 'write')) return 'deny';
    }
    return base;
  }
}
