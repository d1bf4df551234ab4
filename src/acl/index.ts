/**
 * Consul's ACL system: rules, their compilation, token resolution and the authorizer the
 * HTTP API asks before every read and write.
 */
export { startAcl, type StartAclOptions } from './start.js';
export { AclAuthorizer, denied } from './acl-authorizer.js';
export { AgentTokens, PERSISTED_TOKENS_FILE } from './agent-tokens.js';
export { TokenResolver, type ResolvedToken, type TokenSource } from './resolver.js';
export { PolicyAuthorizer, mergeRules, type AclResourceKind } from './policy-authorizer.js';
export { parseRules } from './parse-rules.js';
export { aclSettings, AGENT_TOKEN_KINDS, type AclSettings, type AgentTokenKind } from './config.js';
export * from './builtins.js';
export type { PolicyRules, SegmentRule, RuleAccess } from './rules.js';
export { RemoteTokenResolver, type FetchToken, type RemoteResolverOptions } from './remote-resolver.js';
export { tokenFromWire, tokenToWire, type ResolvedTokenWire } from './token-wire.js';
