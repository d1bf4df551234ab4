import type { RuntimeConfig } from '../config/index.js';
import { parseDuration } from '../lib/duration.js';

/** The agent tokens Consul knows (`acl.tokens.*`), also settable with `weft acl set-agent-token`. */
export const AGENT_TOKEN_KINDS = ['default', 'agent', 'agent_recovery', 'replication', 'config_file_service_registration', 'dns'] as const;
export type AgentTokenKind = (typeof AGENT_TOKEN_KINDS)[number];

/** The `acl { … }` block, typed. The config schema has already checked its shape. */
export interface AclSettings {
  enabled: boolean;
  defaultPolicy: 'allow' | 'deny';
  downPolicy: 'allow' | 'deny' | 'extend-cache' | 'async-cache';
  /** Keep tokens set through the API in `<data_dir>/acl-tokens.json` across restarts. */
  enableTokenPersistence: boolean;
  /** `?keys` and `?recurse` KV reads need `list` on the prefix (off by default, as in Consul). */
  enableKeyListPolicy: boolean;
  initialManagement: string;
  tokens: Partial<Record<AgentTokenKind, string>>;
  /** `acl.token_ttl`: how long a client agent trusts a token it fetched from a server (Consul: 30s). */
  tokenTtlMs: number;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function aclSettings(config: Pick<RuntimeConfig, 'acl'>): AclSettings {
  const acl = config.acl ?? {};
  const tokens = (acl.tokens ?? {}) as Record<string, unknown>;
  const out: AclSettings = {
    enabled: acl.enabled === true,
    defaultPolicy: acl.default_policy === 'deny' ? 'deny' : 'allow',
    downPolicy: (acl.down_policy as AclSettings['downPolicy']) ?? 'extend-cache',
    enableTokenPersistence: acl.enable_token_persistence === true,
    enableKeyListPolicy: acl.enable_key_list_policy === true,
    initialManagement: str(tokens.initial_management),
    tokens: {},
    tokenTtlMs: typeof acl.token_ttl === 'string' ? parseDuration(acl.token_ttl) : 30_000,
  };
  for (const kind of AGENT_TOKEN_KINDS) {
    const value = str(tokens[kind]);
    if (value) out.tokens[kind] = value;
  }
  return out;
}
