import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, allTables, type AclInitOp, type PolicyInput, type TokenInput } from '../state/index.js';
import { AclAuthorizer } from './acl-authorizer.js';
import { AgentTokens } from './agent-tokens.js';
import { ANONYMOUS_ACCESSOR_ID, ANONYMOUS_SECRET, BUILTIN_POLICIES, GLOBAL_MANAGEMENT_ID } from './builtins.js';
import { aclSettings } from './config.js';
import { parseRules } from './parse-rules.js';
import { TokenResolver } from './resolver.js';

const uuid = (n: number) => `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, '0')}`;
const token = (accessor: string, secret: string, extra: Partial<TokenInput> = {}): TokenInput => ({
  AccessorID: accessor,
  SecretID: secret,
  Description: '',
  Policies: [],
  Roles: [],
  ServiceIdentities: [],
  NodeIdentities: [],
  Local: false,
  CreateTime: '2026-01-01T00:00:00Z',
  ...extra,
});

let store: StateStore;
let clock = Date.parse('2026-01-01T00:00:00Z');
const setPolicy = async (id: string, name: string, rules: string, extra: Partial<PolicyInput> = {}, create = true) =>
  store.apply({ type: 'acl.policy.set', Policy: { ID: id, Name: name, Description: '', Rules: rules, Datacenters: [], Parsed: await parseRules(rules), ...extra }, Create: create });
const addToken = (input: TokenInput) => store.apply({ type: 'acl.token.set', Token: input, Create: true });

function authorizer(defaultPolicy: 'allow' | 'deny', tokens: Record<string, string> = {}): AclAuthorizer {
  const settings = aclSettings({ acl: { enabled: true, default_policy: defaultPolicy, tokens } });
  return new AclAuthorizer({
    resolver: new TokenResolver(store, { datacenter: 'dc1', now: () => clock }),
    defaultPolicy,
    agentTokens: new AgentTokens(settings, null),
    nodeName: 'node1',
  });
}

beforeEach(async () => {
  store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  const init: AclInitOp = { type: 'acl.init', Policies: BUILTIN_POLICIES.map((p) => ({ ...p, Datacenters: [] })), Anonymous: token(ANONYMOUS_ACCESSOR_ID, ANONYMOUS_SECRET) };
  await store.apply(init);
  clock = Date.parse('2026-01-01T00:00:00Z');
});

describe('AclAuthorizer', () => {
  it("denies with Consul's wording, naming the token and the permission", async () => {
    await setPolicy(uuid(10), 'kv-read', 'key_prefix "app/" { policy = "read" }');
    await addToken(token(uuid(1), 's1', { Policies: [{ ID: uuid(10) }] }));
    const authz = authorizer('deny');
    expect(() => authz.check('s1', { kind: 'key', name: 'app/x' }, 'read')).not.toThrow();
    expect(() => authz.check('s1', { kind: 'key', name: 'app/x' }, 'write')).toThrow(
      expect.objectContaining({ code: 'PERMISSION_DENIED', message: `Permission denied: token with AccessorID '${uuid(1)}' lacks permission 'key:write' on "app/x"` }),
    );
    expect(() => authz.check('s1', { kind: 'operator' }, 'read')).toThrow(`Permission denied: token with AccessorID '${uuid(1)}' lacks permission 'operator:read'`);
    expect(() => authz.check('', { kind: 'service', name: 'web' }, 'read')).toThrow(
      "Permission denied: anonymous token lacks permission 'service:read' on \"web\". The anonymous token is used implicitly when a request does not specify a token.",
    );
  });

  it('refuses an unknown secret with ACL not found, for checks and silent filters alike', () => {
    const authz = authorizer('allow');
    expect(() => authz.check('no-such-secret', { kind: 'key', name: 'x' }, 'read')).toThrow(expect.objectContaining({ code: 'ACL_NOT_FOUND', message: 'ACL not found' }));
    expect(() => authz.allows('no-such-secret', { kind: 'key', name: 'x' }, 'read')).toThrow('ACL not found');
    expect(() => authz.check('manage', { kind: 'key', name: 'x' }, 'read')).toThrow('Cannot resolve root ACL');
  });

  it('falls back to the default policy where no rule speaks, except for ACL management', async () => {
    await setPolicy(uuid(10), 'no-db', 'service "db" { policy = "deny" }');
    await addToken(token(uuid(1), 's1', { Policies: [{ ID: uuid(10) }] }));
    const allow = authorizer('allow');
    expect(allow.allows('s1', { kind: 'service', name: 'web' }, 'write')).toBe(true);
    expect(allow.allows('s1', { kind: 'service', name: 'db' }, 'read')).toBe(false);
    expect(allow.allows('s1', { kind: 'acl' }, 'read')).toBe(false);
    expect(allow.allows('', { kind: 'key', name: 'k' }, 'write')).toBe(true);
    const deny = authorizer('deny');
    expect(deny.allows('s1', { kind: 'service', name: 'web' }, 'read')).toBe(false);
    expect(deny.defaultPolicy).toBe('deny');
  });

  it('lets a management token do everything', async () => {
    await addToken(token(uuid(1), 'root', { Policies: [{ ID: GLOBAL_MANAGEMENT_ID }] }));
    const authz = authorizer('deny');
    for (const kind of ['acl', 'operator', 'keyring', 'mesh'] as const) expect(authz.allows('root', { kind }, 'write')).toBe(true);
    for (const kind of ['key', 'service', 'node', 'session', 'event', 'query', 'agent', 'intention'] as const) expect(authz.allows('root', { kind, name: 'any' }, 'write')).toBe(true);
    expect(() => authz.checkKeyWritePrefix('root', '')).not.toThrow();
  });

  it("uses the agent's default token for requests without one, and the anonymous token's own policies", async () => {
    await setPolicy(uuid(10), 'svc-read', 'service_prefix "" { policy = "read" }');
    await addToken(token(uuid(1), 'default-secret', { Policies: [{ ID: uuid(10) }] }));
    expect(authorizer('deny', { default: 'default-secret' }).allows('', { kind: 'service', name: 'web' }, 'read')).toBe(true);
    const authz = authorizer('deny');
    expect(authz.allows('', { kind: 'service', name: 'web' }, 'read')).toBe(false);
    await store.apply({ type: 'acl.token.set', Token: token(ANONYMOUS_ACCESSOR_ID, ANONYMOUS_SECRET, { Policies: [{ ID: uuid(10) }] }), Create: false });
    expect(authz.allows('', { kind: 'service', name: 'web' }, 'read')).toBe(true);
  });

  it('sees policy, role and token changes at the next request', async () => {
    await setPolicy(uuid(10), 'kv', 'key_prefix "" { policy = "read" }');
    await store.apply({ type: 'acl.role.set', Role: { ID: uuid(20), Name: 'readers', Description: '', Policies: [{ ID: uuid(10) }], ServiceIdentities: [], NodeIdentities: [] }, Create: true });
    await addToken(token(uuid(1), 's1', { Roles: [{ ID: uuid(20) }] }));
    const authz = authorizer('deny');
    expect(authz.allows('s1', { kind: 'key', name: 'a' }, 'write')).toBe(false);
    await setPolicy(uuid(10), 'kv', 'key_prefix "" { policy = "write" }', {}, false);
    expect(authz.allows('s1', { kind: 'key', name: 'a' }, 'write')).toBe(true);
    await store.apply({ type: 'acl.token.delete', ID: uuid(1) });
    expect(() => authz.allows('s1', { kind: 'key', name: 'a' }, 'read')).toThrow('ACL not found');
  });

  it('stops honouring a token the moment it expires', async () => {
    await addToken(token(uuid(1), 's1', { ServiceIdentities: [{ ServiceName: 'web' }], ExpirationTime: '2026-01-01T00:10:00.000Z' }));
    const authz = authorizer('deny');
    clock = Date.parse('2026-01-01T00:09:59Z');
    expect(authz.allows('s1', { kind: 'service', name: 'web' }, 'write')).toBe(true);
    clock = Date.parse('2026-01-01T00:10:00Z');
    expect(() => authz.allows('s1', { kind: 'service', name: 'web' }, 'write')).toThrow('ACL not found');
  });

  it('grants service and node identities, from the token or its roles, only in their datacenters', async () => {
    await store.apply({ type: 'acl.role.set', Role: { ID: uuid(20), Name: 'nodes', Description: '', Policies: [], ServiceIdentities: [], NodeIdentities: [{ NodeName: 'n1', Datacenter: 'dc1' }, { NodeName: 'n2', Datacenter: 'dc2' }] }, Create: true });
    await addToken(token(uuid(1), 's1', { Roles: [{ ID: uuid(20) }], ServiceIdentities: [{ ServiceName: 'web' }, { ServiceName: 'api', Datacenters: ['dc2'] }] }));
    const authz = authorizer('deny');
    expect(authz.allows('s1', { kind: 'service', name: 'web-sidecar-proxy' }, 'write')).toBe(true);
    expect(authz.allows('s1', { kind: 'service', name: 'api' }, 'write')).toBe(false);
    expect(authz.allows('s1', { kind: 'node', name: 'n1' }, 'write')).toBe(true);
    expect(authz.allows('s1', { kind: 'node', name: 'n2' }, 'write')).toBe(false);
    expect(authz.readsAll('s1', 'service')).toBe(true);
  });

  it('skips policies scoped to other datacenters', async () => {
    await setPolicy(uuid(10), 'elsewhere', 'operator = "write"', { Datacenters: ['dc2'] });
    await addToken(token(uuid(1), 's1', { Policies: [{ ID: uuid(10) }] }));
    expect(authorizer('deny').allows('s1', { kind: 'operator' }, 'read')).toBe(false);
  });

  it('honours the agent recovery token for this agent only', () => {
    const authz = authorizer('deny', { agent_recovery: 'recovery-secret' });
    expect(authz.allows('recovery-secret', { kind: 'agent', name: 'node1' }, 'write')).toBe(true);
    expect(authz.allows('recovery-secret', { kind: 'agent', name: 'node2' }, 'read')).toBe(false);
    expect(() => authz.check('recovery-secret', { kind: 'key', name: 'k' }, 'read')).toThrow("token with AccessorID 'agent-recovery:node1' lacks permission 'key:read'");
  });
});
