import {
  ACL_POLICIES,
  ACL_ROLES,
  aclTokenBySecret,
  aclVersion,
  type PolicyRow,
  type RoleRow,
  type StateStore,
  type TokenRow,
} from '../state/index.js';
import { nodeIdentityRules, serviceIdentityRules, ANONYMOUS_ACCESSOR_ID } from './builtins.js';
import { PolicyAuthorizer } from './policy-authorizer.js';
import type { PolicyRules } from './rules.js';

/** A token, resolved: who it is (for denial messages) and what its rules allow. */
export interface ResolvedToken {
  accessorId: string;
  anonymous: boolean;
  authorizer: PolicyAuthorizer;
  /** Epoch ms after which the token no longer resolves; absent when it never expires. */
  expiresAt?: number;
  /** The rule sets it was compiled from (a server hands them to client agents). */
  rules?: readonly PolicyRules[];
}

/** Where an authorizer finds tokens: the local store (a server), or a server (a client agent). */
export interface TokenSource {
  /** The token for `secret`, or undefined when none exists or it has expired. Synchronous. */
  resolve(secret: string): ResolvedToken | undefined;
  /** Makes `resolve(secret)` answer without waiting; sources that must fetch do so here. */
  prepare?(secret: string): Promise<void>;
}

export interface ResolverOptions {
  /** Policies and identities scoped to other datacenters grant nothing here. */
  datacenter: string;
  now?: () => number;
}

const CACHE_LIMIT = 4096;

/**
 * Secret → token → policies, roles and identities → one compiled authorizer (Consul's
 * ACLResolver). Results are cached per secret and dropped as soon as any token, policy or
 * role changes, so a revoked grant stops working at the next request, not after a TTL.
 * Expiration is checked on every call, cached or not.
 */
export class TokenResolver implements TokenSource {
  private readonly cache = new Map<string, ResolvedToken>();
  private cachedAt = -1;
  private readonly now: () => number;

  constructor(
    private readonly store: StateStore,
    private readonly opts: ResolverOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** The token for `secret`, or undefined when none exists or it has expired. */
  resolve(secret: string): ResolvedToken | undefined {
    const version = aclVersion(this.store);
    if (version !== this.cachedAt || this.cache.size > CACHE_LIMIT) {
      this.cache.clear();
      this.cachedAt = version;
    }
    let resolved = this.cache.get(secret);
    if (!resolved) {
      const { token } = aclTokenBySecret(this.store, null, secret);
      if (!token) return undefined;
      resolved = this.compile(token);
      this.cache.set(secret, resolved);
    }
    if (resolved.expiresAt !== undefined && resolved.expiresAt <= this.now()) return undefined;
    return resolved;
  }

  /** Every rule set the token carries, directly and through its roles. */
  rulesOf(token: Pick<TokenRow, 'Policies' | 'Roles' | 'ServiceIdentities' | 'NodeIdentities'>): PolicyRules[] {
    const dc = this.opts.datacenter;
    const inDc = (dcs: readonly string[] | undefined) => !dcs || dcs.length === 0 || dcs.includes(dc);
    const policies = this.store.table<PolicyRow>(ACL_POLICIES);
    const roles = this.store.table<RoleRow>(ACL_ROLES);
    const policyIds = new Set(token.Policies.map((p) => p.ID));
    let services = [...token.ServiceIdentities];
    let nodes = [...token.NodeIdentities];
    for (const link of token.Roles) {
      const role = roles.get(link.ID);
      if (!role) continue;
      for (const p of role.Policies) policyIds.add(p.ID);
      services = services.concat(role.ServiceIdentities);
      nodes = nodes.concat(role.NodeIdentities);
    }
    const out: PolicyRules[] = [];
    for (const id of policyIds) {
      const policy = policies.get(id);
      if (policy && inDc(policy.Datacenters)) out.push(policy.Parsed);
    }
    for (const s of services) if (inDc(s.Datacenters)) out.push(serviceIdentityRules(s.ServiceName));
    for (const n of nodes) if (n.Datacenter === dc) out.push(nodeIdentityRules(n.NodeName));
    return out;
  }

  private compile(token: TokenRow): ResolvedToken {
    const rules = this.rulesOf(token);
    const resolved: ResolvedToken = {
      accessorId: token.AccessorID,
      anonymous: token.AccessorID === ANONYMOUS_ACCESSOR_ID,
      authorizer: PolicyAuthorizer.compile(rules),
      rules,
    };
    if (token.ExpirationTime) resolved.expiresAt = Date.parse(token.ExpirationTime);
    return resolved;
  }
}
