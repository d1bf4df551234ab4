import { createHash } from 'node:crypto';
import { WeftError } from '../../lib/errors.js';
import type { WriteTxn } from '../txn.js';
import { aclBootstrapState, aclPolicyByName, aclRoleByName, type AclTables } from './reads.js';
import {
  ACL_META,
  ACL_POLICIES,
  ACL_ROLES,
  ACL_TOKENS,
  type AclLink,
  type BootstrapRow,
  type LinkInput,
  type PolicyInput,
  type PolicyRow,
  type RoleInput,
  type RoleRow,
  type TokenInput,
  type TokenRow,
} from './types.js';

/** IDs the write must not disturb; the HTTP layer and the ops share them. */
export const GLOBAL_MANAGEMENT_POLICY_ID = '00000000-0000-0000-0000-000000000001';
export const ANONYMOUS_TOKEN_ID = '00000000-0000-0000-0000-000000000002';

const bad = (message: string): WeftError => new WeftError('BAD_REQUEST', message);

/** A content digest over the user-set fields (Consul's SetHash), base64 as Go encodes []byte. */
function digest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64');
}

/** Resolves links given by name to IDs, checks the rest exist, drops duplicates, stores no names. */
function normalizeLinks(tables: AclTables, links: readonly LinkInput[], what: 'policy' | 'role'): AclLink[] {
  const out: AclLink[] = [];
  const table = what === 'policy' ? ACL_POLICIES : ACL_ROLES;
  for (const link of links) {
    let id = link.ID ?? '';
    if (!id) {
      const row = what === 'policy' ? aclPolicyByName(tables, link.Name ?? '') : aclRoleByName(tables, link.Name ?? '');
      if (!row) throw bad(`No such ACL ${what} with name "${link.Name ?? ''}"`);
      id = row.ID;
    } else if (!tables.table(table).has(id)) throw bad(`No such ACL ${what} with ID "${id}"`);
    if (!out.some((l) => l.ID === id)) out.push({ ID: id });
  }
  return out;
}

/**
 * Checks a token write against the current state and returns the row to store (without
 * indexes). Run by the HTTP layer first, to refuse bad input without a log entry, and again
 * inside the op, where it is authoritative.
 */
export function prepareToken(tables: AclTables, input: TokenInput, create: boolean): Omit<TokenRow, 'CreateIndex' | 'ModifyIndex'> {
  const tokens = tables.table<TokenRow>(ACL_TOKENS);
  const inUse = (id: string) => tokens.has(id) || tokens.countBy('secret', id) > 0;
  const existing = tokens.get(input.AccessorID);
  if (create) {
    if (inUse(input.AccessorID)) throw bad('Invalid Token: AccessorID is already in use');
    if (inUse(input.SecretID)) throw bad('Invalid Token: SecretID is already in use');
  } else {
    if (!existing) throw new WeftError('NOT_FOUND', `Cannot find token "${input.AccessorID}"`);
    if (existing.SecretID !== input.SecretID) throw bad("Changing a token's SecretID is not permitted");
    if (existing.Local !== input.Local) throw bad(`Cannot toggle local mode of ${input.AccessorID}`);
    if (existing.ExpirationTime !== input.ExpirationTime) throw bad(`Cannot change expiration time of ${input.AccessorID}`);
  }
  const policies = normalizeLinks(tables, input.Policies, 'policy');
  const roles = normalizeLinks(tables, input.Roles, 'role');
  const row = { ...input, Policies: policies, Roles: roles, CreateTime: existing && !create ? existing.CreateTime : input.CreateTime };
  const hash = digest([row.Description, row.Local, policies.map((p) => p.ID), roles.map((r) => r.ID), row.ServiceIdentities, row.NodeIdentities]);
  return { ...row, Hash: hash };
}

export function tokenSetTxn(tx: WriteTxn, input: TokenInput, create: boolean): TokenRow {
  const prepared = prepareToken(tx, input, create);
  const existing = tx.table<TokenRow>(ACL_TOKENS).get(input.AccessorID);
  const row: TokenRow = { ...prepared, CreateIndex: existing?.CreateIndex ?? tx.index, ModifyIndex: tx.index };
  tx.put(ACL_TOKENS, row);
  return row;
}

export function tokenDeleteTxn(tx: WriteTxn, accessor: string): boolean {
  if (accessor === ANONYMOUS_TOKEN_ID) throw bad('Delete operation not permitted on the anonymous token');
  return tx.delete(ACL_TOKENS, accessor) !== undefined;
}

export function preparePolicy(tables: AclTables, input: PolicyInput, create: boolean): Omit<PolicyRow, 'CreateIndex' | 'ModifyIndex'> {
  const policies = tables.table<PolicyRow>(ACL_POLICIES);
  const byName = aclPolicyByName(tables, input.Name);
  const existing = policies.get(input.ID);
  if (create) {
    if (existing) throw bad(`Invalid Policy: a policy with ID "${input.ID}" already exists`);
    if (byName) throw bad(`Invalid Policy: A Policy with Name "${input.Name}" already exists`);
  } else {
    if (!existing) throw new WeftError('NOT_FOUND', `cannot find policy ${input.ID}`);
    if (byName && byName.ID !== input.ID) throw bad(`Invalid Policy: A policy with name "${input.Name}" already exists`);
    if (input.ID === GLOBAL_MANAGEMENT_POLICY_ID) {
      if (input.Datacenters.length > 0) throw bad('Changing the Datacenters of the builtin global-management policy is not permitted');
      if (input.Rules !== existing.Rules) throw bad('Changing the Rules for the builtin global-management policy is not permitted');
    }
  }
  return { ...input, Hash: digest([input.Name, input.Description, input.Rules, input.Datacenters]) };
}

export function policySetTxn(tx: WriteTxn, input: PolicyInput, create: boolean): PolicyRow {
  const prepared = preparePolicy(tx, input, create);
  const existing = tx.table<PolicyRow>(ACL_POLICIES).get(input.ID);
  const row: PolicyRow = { ...prepared, CreateIndex: existing?.CreateIndex ?? tx.index, ModifyIndex: tx.index };
  tx.put(ACL_POLICIES, row);
  return row;
}

export function policyDeleteTxn(tx: WriteTxn, id: string): PolicyRow | undefined {
  if (id === GLOBAL_MANAGEMENT_POLICY_ID) throw bad('Delete operation not permitted on the builtin global-management policy');
  return tx.delete<PolicyRow>(ACL_POLICIES, id);
}

export function prepareRole(tables: AclTables, input: RoleInput, create: boolean): Omit<RoleRow, 'CreateIndex' | 'ModifyIndex'> {
  const roles = tables.table<RoleRow>(ACL_ROLES);
  const byName = aclRoleByName(tables, input.Name);
  const existing = roles.get(input.ID);
  if (create) {
    if (existing) throw bad(`Invalid Role: a role with ID "${input.ID}" already exists`);
    if (byName) throw bad(`Invalid Role: A Role with Name "${input.Name}" already exists`);
  } else {
    if (!existing) throw new WeftError('NOT_FOUND', `cannot find role ${input.ID}`);
    if (byName && byName.ID !== input.ID) throw bad(`Invalid Role: A role with name "${input.Name}" already exists`);
  }
  const policies = normalizeLinks(tables, input.Policies, 'policy');
  const hash = digest([input.Name, input.Description, policies.map((p) => p.ID), input.ServiceIdentities, input.NodeIdentities]);
  return { ...input, Policies: policies, Hash: hash };
}

export function roleSetTxn(tx: WriteTxn, input: RoleInput, create: boolean): RoleRow {
  const prepared = prepareRole(tx, input, create);
  const existing = tx.table<RoleRow>(ACL_ROLES).get(input.ID);
  const row: RoleRow = { ...prepared, CreateIndex: existing?.CreateIndex ?? tx.index, ModifyIndex: tx.index };
  tx.put(ACL_ROLES, row);
  return row;
}

export function roleDeleteTxn(tx: WriteTxn, id: string): RoleRow | undefined {
  return tx.delete<RoleRow>(ACL_ROLES, id);
}

/** The bootstrap message as Consul words it; the HTTP layer prefixes "Permission denied: ". */
export function bootstrapRefusal(tables: AclTables, resetIndex: number): WeftError | null {
  const state = aclBootstrapState(tables);
  if (state.allowed) return null;
  if (resetIndex === 0) return new WeftError('PERMISSION_DENIED', `Permission denied: ACL bootstrap no longer allowed (reset index: ${state.resetIndex})`);
  if (resetIndex !== state.resetIndex) return bad(`Invalid bootstrap reset index (specified ${resetIndex}, reset index: ${state.resetIndex})`);
  return null;
}

/** Bootstrap: once, unless the operator wrote the current reset index into the data dir. */
export function bootstrapTxn(tx: WriteTxn, token: TokenInput, resetIndex: number): TokenRow {
  const refusal = bootstrapRefusal(tx, resetIndex);
  if (refusal) throw refusal;
  const row = tokenSetTxn(tx, token, true);
  tx.put<BootstrapRow>(ACL_META, { Key: 'bootstrap', AllowBootstrap: false, ModifyIndex: tx.index });
  return row;
}
