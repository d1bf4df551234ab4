import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryBackend, StateStore, WatchSet, allTables } from '../index.js';
import {
  ACL_TOKENS,
  ANONYMOUS_TOKEN_ID,
  GLOBAL_MANAGEMENT_POLICY_ID,
  aclBootstrapState,
  aclPolicyByName,
  aclTokenByAccessor,
  aclTokenBySecret,
  aclTokenList,
  type AclInitOp,
  type PolicyInput,
  type TokenInput,
  type TokenRow,
} from './index.js';

const empty = { segments: [], global: {} };
const policy = (id: string, name: string, rules = ''): PolicyInput => ({ ID: id, Name: name, Description: '', Rules: rules, Datacenters: [], Parsed: empty });
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
const uuid = (n: number) => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`;

let store: StateStore;
beforeEach(async () => {
  store = new StateStore(new MemoryBackend(), allTables);
  await store.open();
  const init: AclInitOp = { type: 'acl.init', Policies: [policy(GLOBAL_MANAGEMENT_POLICY_ID, 'global-management', 'acl = "write"')], Anonymous: token(ANONYMOUS_TOKEN_ID, 'anonymous') };
  await store.apply(init);
});

describe('bootstrap', () => {
  it('happens once, then again only with the reset index', async () => {
    const first = await store.apply<TokenRow>({ type: 'acl.bootstrap', Token: token(uuid(1), uuid(2), { Policies: [{ ID: GLOBAL_MANAGEMENT_POLICY_ID }] }), ResetIndex: 0 });
    const resetIndex = aclBootstrapState(store).resetIndex;
    expect(resetIndex).toBe(first.ModifyIndex);
    await expect(store.apply({ type: 'acl.bootstrap', Token: token(uuid(3), uuid(4)), ResetIndex: 0 })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: `Permission denied: ACL bootstrap no longer allowed (reset index: ${resetIndex})`,
    });
    await expect(store.apply({ type: 'acl.bootstrap', Token: token(uuid(3), uuid(4)), ResetIndex: resetIndex + 7 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: `Invalid bootstrap reset index (specified ${resetIndex + 7}, reset index: ${resetIndex})`,
    });
    expect(aclTokenByAccessor(store, null, uuid(3)).token).toBeUndefined();
    const again = await store.apply<TokenRow>({ type: 'acl.bootstrap', Token: token(uuid(3), uuid(4)), ResetIndex: resetIndex });
    expect(aclBootstrapState(store)).toEqual({ allowed: false, resetIndex: again.ModifyIndex });
  });

  it('counts a configured initial management token as the bootstrap, and creates it only once', async () => {
    const op: AclInitOp = { type: 'acl.init', Policies: [], Anonymous: token(ANONYMOUS_TOKEN_ID, 'anonymous'), InitialManagement: token(uuid(5), 'root-secret', { Policies: [{ ID: GLOBAL_MANAGEMENT_POLICY_ID }] }) };
    await store.apply(op);
    await store.apply({ ...op, InitialManagement: { ...op.InitialManagement!, AccessorID: uuid(6) } });
    expect(aclTokenList(store, null).tokens.filter((t) => t.SecretID === 'root-secret').map((t) => t.AccessorID)).toEqual([uuid(5)]);
    expect(aclBootstrapState(store).allowed).toBe(false);
  });
});

describe('tokens', () => {
  it('stores links by ID, resolves names on write and fills them in on read', async () => {
    await store.apply({ type: 'acl.policy.set', Policy: policy(uuid(10), 'web-read'), Create: true });
    await store.apply({ type: 'acl.token.set', Token: token(uuid(1), uuid(2), { Policies: [{ Name: 'web-read' }, { ID: uuid(10) }] }), Create: true });
    expect(store.table<TokenRow>(ACL_TOKENS).get(uuid(1))!.Policies).toEqual([{ ID: uuid(10) }]);
    expect(aclTokenBySecret(store, null, uuid(2)).token!.Policies).toEqual([{ ID: uuid(10), Name: 'web-read' }]);

    const ws = new WatchSet();
    aclTokenByAccessor(store, ws, uuid(1));
    await store.apply({ type: 'acl.policy.set', Policy: policy(uuid(10), 'web-reader'), Create: false });
    expect(aclTokenByAccessor(store, null, uuid(1)).token!.Policies).toEqual([{ ID: uuid(10), Name: 'web-reader' }]);
    // A token's answer names its policies, so a policy write wakes its readers.
    expect([...ws.topics]).toContain('t:acl_policies');

    await store.apply({ type: 'acl.policy.delete', ID: uuid(10) });
    expect(aclTokenByAccessor(store, null, uuid(1)).token!.Policies).toEqual([]);
  });

  it('refuses unknown links, reused IDs and a changed secret, writing nothing', async () => {
    await store.apply({ type: 'acl.token.set', Token: token(uuid(1), uuid(2)), Create: true });
    const before = store.table(ACL_TOKENS).size;
    await expect(store.apply({ type: 'acl.token.set', Token: token(uuid(3), uuid(4), { Policies: [{ Name: 'nope' }] }), Create: true })).rejects.toThrow('No such ACL policy with name "nope"');
    await expect(store.apply({ type: 'acl.token.set', Token: token(uuid(3), uuid(4), { Roles: [{ ID: uuid(99) }] }), Create: true })).rejects.toThrow(`No such ACL role with ID "${uuid(99)}"`);
    await expect(store.apply({ type: 'acl.token.set', Token: token(uuid(3), uuid(2)), Create: true })).rejects.toThrow('Invalid Token: SecretID is already in use');
    await expect(store.apply({ type: 'acl.token.set', Token: token(uuid(2), uuid(5)), Create: true })).rejects.toThrow('Invalid Token: AccessorID is already in use');
    await expect(store.apply({ type: 'acl.token.set', Token: token(uuid(1), uuid(6)), Create: false })).rejects.toThrow("Changing a token's SecretID is not permitted");
    await expect(store.apply({ type: 'acl.token.set', Token: token(uuid(7), uuid(8)), Create: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(store.table(ACL_TOKENS).size).toBe(before);
  });

  it('keeps the anonymous token', async () => {
    await expect(store.apply({ type: 'acl.token.delete', ID: ANONYMOUS_TOKEN_ID })).rejects.toThrow('Delete operation not permitted on the anonymous token');
    expect(aclTokenBySecret(store, null, 'anonymous').token?.AccessorID).toBe(ANONYMOUS_TOKEN_ID);
  });

  it('filters the list by policy and role', async () => {
    await store.apply({ type: 'acl.policy.set', Policy: policy(uuid(10), 'p'), Create: true });
    await store.apply({ type: 'acl.role.set', Role: { ID: uuid(20), Name: 'r', Description: '', Policies: [], ServiceIdentities: [], NodeIdentities: [] }, Create: true });
    await store.apply({ type: 'acl.token.set', Token: token(uuid(1), uuid(2), { Policies: [{ ID: uuid(10) }] }), Create: true });
    await store.apply({ type: 'acl.token.set', Token: token(uuid(3), uuid(4), { Roles: [{ Name: 'r' }] }), Create: true });
    expect(aclTokenList(store, null, { policy: uuid(10) }).tokens.map((t) => t.AccessorID)).toEqual([uuid(1)]);
    expect(aclTokenList(store, null, { role: uuid(20) }).tokens.map((t) => t.AccessorID)).toEqual([uuid(3)]);
  });
});

describe('policies and roles', () => {
  it('keeps names unique regardless of case', async () => {
    await store.apply({ type: 'acl.policy.set', Policy: policy(uuid(10), 'Web'), Create: true });
    await expect(store.apply({ type: 'acl.policy.set', Policy: policy(uuid(11), 'web'), Create: true })).rejects.toThrow('Invalid Policy: A Policy with Name "web" already exists');
    expect(aclPolicyByName(store, 'WEB')?.ID).toBe(uuid(10));
    const role = (id: string, name: string) => ({ ID: id, Name: name, Description: '', Policies: [], ServiceIdentities: [], NodeIdentities: [] });
    await store.apply({ type: 'acl.role.set', Role: role(uuid(20), 'ops'), Create: true });
    await expect(store.apply({ type: 'acl.role.set', Role: role(uuid(21), 'OPS'), Create: true })).rejects.toThrow('Invalid Role: A Role with Name "OPS" already exists');
  });

  it('lets global-management be renamed but not changed or deleted', async () => {
    const gm = policy(GLOBAL_MANAGEMENT_POLICY_ID, 'global-management', 'acl = "write"');
    await expect(store.apply({ type: 'acl.policy.set', Policy: { ...gm, Rules: 'acl = "read"' }, Create: false })).rejects.toThrow('Changing the Rules for the builtin global-management policy is not permitted');
    await expect(store.apply({ type: 'acl.policy.set', Policy: { ...gm, Datacenters: ['dc2'] }, Create: false })).rejects.toThrow('Changing the Datacenters of the builtin global-management policy is not permitted');
    await expect(store.apply({ type: 'acl.policy.delete', ID: GLOBAL_MANAGEMENT_POLICY_ID })).rejects.toThrow('Delete operation not permitted on the builtin global-management policy');
    await store.apply({ type: 'acl.policy.set', Policy: { ...gm, Name: 'root' }, Create: false });
    expect(aclPolicyByName(store, 'root')?.ID).toBe(GLOBAL_MANAGEMENT_POLICY_ID);
  });
});
