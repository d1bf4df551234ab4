import type { RuntimeConfig } from '../../config/index.js';
import type { DefaultPolicy } from './decide.js';

/** The slice of the agent's configuration the default intention decision depends on. */
export interface DefaultPolicyConfig {
  acl: RuntimeConfig['acl'];
  connect: RuntimeConfig['connect'];
  /** Consul's top-level `default_intention_policy`, once the config schema carries it. */
  defaultIntentionPolicy?: string;
}

/**
 * What applies when no intention matches, in Consul's order: `default_intention_policy` if
 * set, else the ACL default policy when ACLs are enabled, else allow (ACLs off allows all).
 */
export function defaultIntentionPolicy(config: DefaultPolicyConfig): DefaultPolicy {
  const explicit = config.defaultIntentionPolicy ?? config.connect.default_intention_policy;
  if (explicit === 'allow' || explicit === 'deny') return { allow: explicit === 'allow', reason: 'Default intention policy' };
  const acl = config.acl as { enabled?: unknown; default_policy?: unknown };
  const deny = acl.enabled === true && acl.default_policy === 'deny';
  return { allow: !deny, reason: 'Default behavior configured by ACLs' };
}
