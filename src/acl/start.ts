import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/index.js';
import { allowAll, type Authorizer } from '../http/authorizer.js';
import { aclInitNeeded, type AclInitOp, type StateStore, type TokenInput } from '../state/index.js';
import { AclAuthorizer } from './acl-authorizer.js';
import { AgentTokens } from './agent-tokens.js';
import { ANONYMOUS_ACCESSOR_ID, ANONYMOUS_SECRET, BUILTIN_POLICIES, GLOBAL_MANAGEMENT_ID } from './builtins.js';
import { aclSettings } from './config.js';
import { RemoteTokenResolver, type FetchToken } from './remote-resolver.js';
import { TokenResolver, type TokenSource } from './resolver.js';

export interface StartAclOptions {
  config: RuntimeConfig;
  store: StateStore;
  log: Logger;
  /** A server creates the builtin policies, the anonymous token and the configured management token. */
  server: boolean;
  /** A client agent's way to ask a server for a token; its own store holds none. */
  fetchToken?: FetchToken;
}

const token = (fields: Pick<TokenInput, 'AccessorID' | 'SecretID' | 'Description'> & Partial<TokenInput>): TokenInput => ({
  Policies: [],
  Roles: [],
  ServiceIdentities: [],
  NodeIdentities: [],
  Local: false,
  CreateTime: new Date().toISOString(),
  ...fields,
});

/**
 * The authorizer an agent serves with: allow-all when `acl.enabled` is off, else ACLs with
 * the configured default policy. On a server it first makes sure what Consul's leader
 * creates exists (idempotent, so every server sharing a store may do it).
 */
export async function startAcl(opts: StartAclOptions): Promise<Authorizer> {
  const settings = aclSettings(opts.config);
  if (!settings.enabled) return allowAll;
  const { config, store, log } = opts;
  if (opts.server) {
    const op: AclInitOp = {
      type: 'acl.init',
      Policies: BUILTIN_POLICIES.map((p) => ({ ...p, Datacenters: [] })),
      Anonymous: token({ AccessorID: ANONYMOUS_ACCESSOR_ID, SecretID: ANONYMOUS_SECRET, Description: 'Anonymous Token' }),
    };
    if (settings.initialManagement) {
      op.InitialManagement = token({
        AccessorID: randomUUID(),
        SecretID: settings.initialManagement,
        Description: 'Initial Management Token',
        Policies: [{ ID: GLOBAL_MANAGEMENT_ID }],
      });
    }
    if (aclInitNeeded(store, op)) {
      await store.apply(op);
      if (op.InitialManagement) log.info('created the ACL initial management token from configuration');
    }
  }
  const resolver: TokenSource = opts.fetchToken
    ? new RemoteTokenResolver({ fetch: opts.fetchToken, ttlMs: settings.tokenTtlMs, downPolicy: settings.downPolicy, log })
    : new TokenResolver(store, { datacenter: config.datacenter });
  const authorizer = new AclAuthorizer({
    resolver,
    defaultPolicy: settings.defaultPolicy,
    keyListPolicy: settings.enableKeyListPolicy,
    agentTokens: new AgentTokens(settings, config.dev || !config.dataDir ? null : config.dataDir),
    nodeName: config.nodeName,
  });
  log.info({ default_policy: settings.defaultPolicy, ...(opts.fetchToken ? { down_policy: settings.downPolicy } : {}) }, 'ACLs enabled');
  return authorizer;
}
