import { WeftError } from '../lib/errors.js';
import type { AccessLevel, Authorizer, Resource } from '../http/authorizer.js';
import type { AgentTokens } from './agent-tokens.js';
import { agentRecoveryRules, ANONYMOUS_SECRET } from './builtins.js';
import { PolicyAuthorizer, type AclResourceKind } from './policy-authorizer.js';
import type { ResolvedToken, TokenSource } from './resolver.js';
import type { Decision } from './rule-tree.js';

export interface AclAuthorizerOptions {
  resolver: TokenSource;
  defaultPolicy: 'allow' | 'deny';
  /** `acl.enable_key_list_policy`. */
  keyListPolicy?: boolean;
  agentTokens: AgentTokens;
  /** This agent's node name: the scope of the agent recovery token. */
  nodeName: string;
}

/** Secrets that name Consul's old root policies; Consul refuses to resolve them as tokens. */
const ROOT_NAMES = new Set(['allow', 'deny', 'manage']);

/**
 * The ACL implementation of the authorizer seam. A request's secret resolves to a token
 * (no secret: the agent's `default` token, else `anonymous`); the token's rules decide, and
 * where no rule speaks the agent's `default_policy` does, except for ACL management itself,
 * which only a rule can grant.
 */
export class AclAuthorizer implements Authorizer {
  readonly defaultPolicy: 'allow' | 'deny';
  readonly agentTokens: AgentTokens;
  readonly keyListPolicy: boolean;
  private recovery: { secret: string; token: ResolvedToken } | null = null;

  constructor(private readonly opts: AclAuthorizerOptions) {
    this.defaultPolicy = opts.defaultPolicy;
    this.agentTokens = opts.agentTokens;
    this.keyListPolicy = opts.keyListPolicy ?? false;
  }

  /** The secret a request acts with: its own, else the agent's default token, else anonymous. */
  private effective(secret: string): string {
    return secret || this.agentTokens.get('default') || ANONYMOUS_SECRET;
  }

  async prepare(secret: string): Promise<void> {
    const effective = this.effective(secret);
    if (ROOT_NAMES.has(effective) || effective === this.agentTokens.get('agent_recovery')) return;
    await this.opts.resolver.prepare?.(effective);
  }

  isAuthenticated(secret: string): boolean {
    return (secret || this.agentTokens.get('default')) !== '';
  }

  /** The token a request acts as. Throws ACL_NOT_FOUND for an unknown or expired secret. */
  identify(secret: string): ResolvedToken {
    const effective = this.effective(secret);
    if (ROOT_NAMES.has(effective)) throw new WeftError('PERMISSION_DENIED', 'Cannot resolve root ACL');
    const recovery = this.agentTokens.get('agent_recovery');
    if (recovery && effective === recovery) return this.recoveryToken(recovery);
    const resolved = this.opts.resolver.resolve(effective);
    if (!resolved) throw new WeftError('ACL_NOT_FOUND', 'ACL not found');
    return resolved;
  }

  /**
   * The token behind exactly this secret (no default or anonymous fallback: the client agent
   * asking has applied its own), for the server's resolve endpoint. Undefined when unknown.
   */
  lookup(secret: string): ResolvedToken | undefined {
    if (ROOT_NAMES.has(secret)) throw new WeftError('PERMISSION_DENIED', 'Cannot resolve root ACL');
    return this.opts.resolver.resolve(secret);
  }

  check(secret: string, resource: Resource, access: AccessLevel): void {
    const token = this.identify(secret);
    if (!this.permits(token, resource.kind, nameOf(resource), access)) throw denied(token, resource, access);
  }

  /** For lists filtered silently. An unknown secret still fails the whole request (403 ACL not found). */
  allows(secret: string, resource: Resource, access: AccessLevel): boolean {
    return this.permits(this.identify(secret), resource.kind, nameOf(resource), access);
  }

  /** Any resource Consul's rules know, `peering` included (for /v1/internal/acl/authorize). */
  decide(secret: string, kind: AclResourceKind, name: string, access: AccessLevel): boolean {
    return this.permits(this.identify(secret), kind, name, access);
  }

  /** KeyWritePrefix: may the token delete everything under `prefix` (a recursive KV delete)? */
  checkKeyWritePrefix(secret: string, prefix: string): void {
    const token = this.identify(secret);
    if (!this.settle(token.authorizer.keyWritePrefix(prefix), 'key')) throw denied(token, { kind: 'key', name: prefix }, 'write');
  }

  /** ServiceReadAll / NodeReadAll: does the token read every service (node)? */
  readsAll(secret: string, kind: 'service' | 'node'): boolean {
    const authz = this.identify(secret).authorizer;
    return this.settle(kind === 'service' ? authz.serviceReadAll() : authz.nodeReadAll(), kind);
  }

  private permits(token: ResolvedToken, kind: AclResourceKind, name: string, access: AccessLevel): boolean {
    return this.settle(token.authorizer.decide(kind, name, access), kind);
  }

  /** Where the rules are silent: the default policy, except that ACL management is never granted by default. */
  private settle(decision: Decision, kind: AclResourceKind): boolean {
    if (decision !== 'default') return decision === 'allow';
    return kind !== 'acl' && this.defaultPolicy === 'allow';
  }

  private recoveryToken(secret: string): ResolvedToken {
    if (this.recovery?.secret !== secret) {
      const token: ResolvedToken = {
        accessorId: `agent-recovery:${this.opts.nodeName}`,
        anonymous: false,
        authorizer: PolicyAuthorizer.compile([agentRecoveryRules(this.opts.nodeName)]),
      };
      this.recovery = { secret, token };
    }
    return this.recovery.token;
  }
}

function nameOf(resource: Resource): string {
  return 'name' in resource ? resource.name : '';
}

/** Consul's PermissionDeniedError wording (acl/errors.go), which scripts and UIs match on. */
export function denied(token: Pick<ResolvedToken, 'accessorId' | 'anonymous'>, resource: Resource | { kind: AclResourceKind; name?: string }, access: AccessLevel): WeftError {
  const who = token.anonymous ? 'anonymous token' : `token with AccessorID '${token.accessorId}'`;
  const on = 'name' in resource && resource.name ? ` on "${resource.name}"` : '';
  const hint = token.anonymous ? '. The anonymous token is used implicitly when a request does not specify a token.' : '';
  return new WeftError('PERMISSION_DENIED', `Permission denied: ${who} lacks permission '${resource.kind}:${access}'${on}${hint}`);
}
